import LinearAlgebra
import SeededRandom

/// Synthetic MNIST-like images: 10 classes of 28 × 28 grayscale pictures in [0, 1].
///
/// Each class is a *glyph*: two or three pen strokes (straight lines, quadratic Bézier curves,
/// elliptic arcs) drawn once per seed in a 20 × 20-pixel box centred in the image, as MNIST's
/// digits are. Glyphs are redrawn until no two classes' clean renderings have cosine similarity
/// above `maxGlyphSimilarity`, so that no seed gets two nearly identical classes.
/// Every example renders its class's glyph after a seeded deformation:
///
/// - a smooth elastic displacement of the stroke points (two random plane waves per axis,
///   after Simard et al. 2003's elastic distortions),
/// - a random affine map: rotation, anisotropic scale, shear, and a shift of a few pixels,
/// - each stroke dropped with a small probability,
/// - a random pen half-width and ink intensity,
///
/// and is rendered with anti-aliasing (the ink falls off linearly over one pixel at the stroke's
/// edge), then gets independent Gaussian pixel noise and is clipped to [0, 1].
/// Labels are balanced (class counts differ by at most one) and shuffled.
///
/// Like `RandomStream`, the generator uses only + − × ÷, `sqrt` (correctly rounded in IEEE 754)
/// and the stream's own Gaussian draws: no sin, cos or exp, whose last bits differ between C
/// libraries, so the images are bit-identical on every platform. Rotations use the rational
/// parametrisation (cos, sin) = ((1 − t²), 2t) / (1 + t²), t = tan(angle/2), and the elastic
/// waves a piecewise-parabolic sine.
public struct ClassificationImages: Sendable {
    public static let side = 28
    public static let pixels = side * side
    public static let classes = 10

    /// n × 784, row-major: one image per row, pixel (r, c) at column 28·r + c.
    public let images: ConstantMatrix<Double>
    public let labels: [Int32]
    public var count: Int { labels.count }
}

/// The generator's knobs, fixed: they set how hard the problem is (softmax regression at
/// roughly 90 % test accuracy with the default sizes; see README, "Problems").
enum ClassificationGenerator {
    /// Pixels per unit of glyph coordinates: glyphs live in [-1, 1]², a 20-pixel box.
    static let unit = 10.0
    static let maxGlyphSimilarity = 0.55
    static let rotationSD = 0.18          // radians (≈ 10°), Gaussian, clipped at ±2.5 sd
    static let scaleRange = (0.80, 1.15)
    static let aspectSD = 0.08            // x/y scale ratio 1 ± 0.08·N(0, 1), clipped at ±2.5 sd
    static let shearSD = 0.15
    static let shiftPixels = 2.0          // uniform in ±shiftPixels, each axis
    static let elasticAmplitude = 0.09    // glyph units (≈ 0.9 pixel) per wave, Gaussian
    static let elasticFrequency = 0.48    // wave numbers uniform in ±, turns per glyph unit
    static let dropStrokeProbability = 0.06
    static let halfWidthRange = (0.7, 1.8)  // pixels
    static let inkRange = (0.65, 1.0)
    static let noiseSD = 0.12

    /// One class's strokes: polylines in glyph coordinates.
    struct Glyph {
        var strokes: [[SIMD2<Double>]]
    }

    /// Draws the 10 glyphs, then the train and test sets.
    static func generate(stream: RandomStream, trainCount: Int, testCount: Int)
        -> (train: ClassificationImages, test: ClassificationImages)
    {
        var glyphStream = stream.split("glyphs")
        let glyphs = makeGlyphs(&glyphStream)
        var trainStream = stream.split("train")
        var testStream = stream.split("test")
        return (makeSet(glyphs, count: trainCount, &trainStream), makeSet(glyphs, count: testCount, &testStream))
    }

    // MARK: glyphs

    static func makeGlyphs(_ rng: inout RandomStream) -> [Glyph] {
        var glyphs: [Glyph] = []
        var clean: [[Double]] = []
        let image = UnsafeMutablePointer<Double>.allocate(capacity: ClassificationImages.pixels)
        let distance = UnsafeMutablePointer<Double>.allocate(capacity: ClassificationImages.pixels)
        defer { image.deallocate(); distance.deallocate() }
        var attempts = 0
        while glyphs.count < ClassificationImages.classes {
            let glyph = makeGlyph(&rng)
            // A clean rendering (no deformation, no noise), unit-normalised, to compare classes.
            let points: [[SIMD2<Double>]] = glyph.strokes.map { $0.map { toPixels($0) } }
            render(points, keep: nil, halfWidth: 1.2, ink: 1, distance: distance, into: image)
            var v = Array(UnsafeBufferPointer(start: image, count: ClassificationImages.pixels))
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in v.indices { v[i] /= max(norm, 1e-12) }
            let similar = clean.contains { u in zip(u, v).reduce(0) { $0 + $1.0 * $1.1 } > maxGlyphSimilarity }
            attempts += 1
            // After many rejections accept anyway: generation must always terminate.
            if similar && attempts < 1000 { continue }
            glyphs.append(glyph)
            clean.append(v)
        }
        return glyphs
    }

    static func makeGlyph(_ rng: inout RandomStream) -> Glyph {
        let strokeCount = 2 + rng.index(below: 2)
        var strokes: [[SIMD2<Double>]] = []
        for _ in 0..<strokeCount {
            switch rng.index(below: 3) {
            case 0:  // a straight line, at least 0.8 units long
                var a: SIMD2<Double>, b: SIMD2<Double>
                repeat {
                    a = point(&rng, 0.85)
                    b = point(&rng, 0.85)
                } while length(b - a) < 0.8
                strokes.append(polyline(count: 2) { t in a + t * (b - a) })
            case 1:  // a quadratic Bézier curve, bent sideways
                var a: SIMD2<Double>, b: SIMD2<Double>
                repeat {
                    a = point(&rng, 0.85)
                    b = point(&rng, 0.85)
                } while length(b - a) < 0.7
                let d = b - a
                let normal = SIMD2(-d.y, d.x) / length(d)
                let bend = (rng.uniform() < 0.5 ? -1.0 : 1.0) * rng.uniform(0.3, 0.8)
                let c = (a + b) / 2 + bend * normal
                strokes.append(polyline(count: 10) { t in
                    (1 - t) * (1 - t) * a + 2 * (1 - t) * t * c + t * t * b
                })
            default:  // an elliptic arc of 16 equal steps, from about a half to a full turn
                let center = point(&rng, 0.35)
                let rx = rng.uniform(0.3, 0.65), ry = rng.uniform(0.3, 0.65)
                var u: SIMD2<Double>
                repeat { u = SIMD2(rng.gaussian(), rng.gaussian()) } while length(u) < 1e-3
                u /= length(u)  // a uniformly random start direction
                // One step turns by 2·atan(t): t in [tan(π/32), tan(π/16)] sweeps π…2π in 16 steps.
                let (c, s) = rotation(halfAngleTangent: rng.uniform(0.0985, 0.1989))
                var arc: [SIMD2<Double>] = []
                for _ in 0...16 {
                    arc.append(center + SIMD2(rx * u.x, ry * u.y))
                    u = SIMD2(c * u.x - s * u.y, s * u.x + c * u.y)
                }
                strokes.append(arc)
            }
        }
        return Glyph(strokes: strokes)
    }

    /// (cos, sin) of the angle 2·atan(t), by + − × ÷ only.
    static func rotation(halfAngleTangent t: Double) -> (Double, Double) {
        ((1 - t * t) / (1 + t * t), 2 * t / (1 + t * t))
    }

    /// A sine-like wave of period 1 (in turns), C¹: ±16·f·(½ − f) on each half period.
    static func wave(_ turns: Double) -> Double {
        let f = turns - turns.rounded(.down)
        return f < 0.5 ? 16 * f * (0.5 - f) : -16 * (f - 0.5) * (1 - f)
    }

    static func point(_ rng: inout RandomStream, _ r: Double) -> SIMD2<Double> {
        SIMD2(rng.uniform(-r, r), rng.uniform(-r, r))
    }

    static func length(_ v: SIMD2<Double>) -> Double { (v * v).sum().squareRoot() }

    static func polyline(count: Int, _ f: (Double) -> SIMD2<Double>) -> [SIMD2<Double>] {
        (0...count).map { f(Double($0) / Double(count)) }
    }

    /// Glyph coordinates (y down) to pixel coordinates: the unit box maps to pixels 4…24.
    static func toPixels(_ p: SIMD2<Double>) -> SIMD2<Double> {
        SIMD2(repeating: Double(ClassificationImages.side) / 2) + unit * p
    }

    // MARK: examples

    static func makeSet(_ glyphs: [Glyph], count: Int, _ rng: inout RandomStream) -> ClassificationImages {
        // Balanced labels: 0, 1, …, 9, 0, 1, … then shuffled.
        var labels = (0..<count).map { Int32($0 % ClassificationImages.classes) }
        labels.withUnsafeMutableBufferPointer { rng.shuffle($0) }
        let images = Matrix<Double>(rows: count, columns: ClassificationImages.pixels)
        let distance = UnsafeMutablePointer<Double>.allocate(capacity: ClassificationImages.pixels)
        defer { distance.deallocate() }
        var points: [[SIMD2<Double>]] = []
        var keep: [Bool] = []
        for i in 0..<count {
            drawExample(glyphs[Int(labels[i])], &rng, points: &points, keep: &keep, distance: distance, into: images.row(i))
        }
        return ClassificationImages(images: ConstantMatrix(consume images), labels: labels)
    }

    static func drawExample(_ glyph: Glyph, _ rng: inout RandomStream, points: inout [[SIMD2<Double>]],
                            keep: inout [Bool], distance: UnsafeMutablePointer<Double>, into image: UnsafeMutablePointer<Double>)
    {
        // Elastic field: two plane waves per axis, d(p) = Σ a·wave(k·p + φ).
        var waves: [(amplitude: SIMD2<Double>, k: SIMD2<Double>, phase: Double)] = []
        for _ in 0..<2 {
            for axis in 0..<2 {
                var a = SIMD2<Double>(0, 0)
                a[axis] = rng.gaussian() * elasticAmplitude
                let k = SIMD2(rng.uniform(-elasticFrequency, elasticFrequency), rng.uniform(-elasticFrequency, elasticFrequency))
                waves.append((a, k, rng.uniform()))
            }
        }
        // Affine map: rotation · shear · scale, then a shift in pixels.
        let angle = min(max(rng.gaussian() * rotationSD, -2.5 * rotationSD), 2.5 * rotationSD)
        let (cs, sn) = rotation(halfAngleTangent: angle / 2)  // turns by 2·atan(angle/2) ≈ angle
        let scale = rng.uniform(scaleRange.0, scaleRange.1)
        let aspect = 1 + aspectSD * min(max(rng.gaussian(), -2.5), 2.5)
        let shear = rng.gaussian() * shearSD
        let shift = SIMD2(rng.uniform(-shiftPixels, shiftPixels), rng.uniform(-shiftPixels, shiftPixels))
        let sx = scale * aspect, sy = scale / aspect
        // M = R · [[1, shear], [0, 1]] · diag(sx, sy)
        let m00 = cs * sx, m01 = (cs * shear - sn) * sy
        let m10 = sn * sx, m11 = (sn * shear + cs) * sy

        points.removeAll(keepingCapacity: true)
        keep.removeAll(keepingCapacity: true)
        for stroke in glyph.strokes {
            keep.append(rng.uniform() >= dropStrokeProbability)
            points.append(stroke.map { p in
                var q = p
                for w in waves { q += w.amplitude * wave((w.k * p).sum() + w.phase) }
                let r = SIMD2(m00 * q.x + m01 * q.y, m10 * q.x + m11 * q.y)
                return toPixels(r) + shift
            })
        }
        if !keep.contains(true) { keep[rng.index(below: keep.count)] = true }  // never a blank image
        let halfWidth = rng.uniform(halfWidthRange.0, halfWidthRange.1)
        let ink = rng.uniform(inkRange.0, inkRange.1)
        render(points, keep: keep, halfWidth: halfWidth, ink: ink, distance: distance, into: image)
        for j in 0..<ClassificationImages.pixels {
            image[j] = min(max(image[j] + noiseSD * rng.gaussian(), 0), 1)
        }
    }

    /// Anti-aliased strokes: a pixel whose centre lies at distance d from the nearest segment gets
    /// ink · clamp(halfWidth + ½ − d, 0, 1).
    static func render(_ strokes: [[SIMD2<Double>]], keep: [Bool]?, halfWidth: Double, ink: Double,
                       distance: UnsafeMutablePointer<Double>, into image: UnsafeMutablePointer<Double>)
    {
        let side = ClassificationImages.side
        distance.initialize(repeating: .infinity, count: ClassificationImages.pixels)
        let reach = halfWidth + 1
        for (s, stroke) in strokes.enumerated() where keep?[s] ?? true {
            for i in 0..<(stroke.count - 1) {
                let a = stroke[i], b = stroke[i + 1]
                let d = b - a
                let dd = max((d * d).sum(), 1e-12)
                let x0 = max(0, Int((min(a.x, b.x) - reach).rounded(.down)))
                let x1 = min(side - 1, Int((max(a.x, b.x) + reach).rounded(.up)))
                let y0 = max(0, Int((min(a.y, b.y) - reach).rounded(.down)))
                let y1 = min(side - 1, Int((max(a.y, b.y) + reach).rounded(.up)))
                if x0 > x1 || y0 > y1 { continue }
                // Scalar arithmetic (SIMD2 is slow in debug builds, where tests generate data).
                let (ax, ay, dx, dy) = (a.x, a.y, d.x, d.y)
                for y in y0...y1 {
                    let py = Double(y) + 0.5
                    for x in x0...x1 {
                        let px = Double(x) + 0.5
                        let t = min(max(((px - ax) * dx + (py - ay) * dy) / dd, 0), 1)
                        let ex = px - (ax + t * dx), ey = py - (ay + t * dy)
                        let d2 = ex * ex + ey * ey
                        if d2 < distance[y * side + x] { distance[y * side + x] = d2 }
                    }
                }
            }
        }
        for j in 0..<ClassificationImages.pixels {
            image[j] = ink * min(max(halfWidth + 0.5 - distance[j].squareRoot(), 0), 1)
        }
    }
}
