import CLanes

/// Elementwise update loops, a vector of coordinates at a time: an update written once as a
/// generic body over `Lane` runs on the wide lane of its scalar for the bulk (`SIMD4<Double>`, or
/// `SIMD8<Float>` for a float32 state) and on the scalar itself for the tail (`forEachLane`).
/// Every operation is elementwise and IEEE-rounded (+, −, ×, ÷, √; no fused multiply-add, which
/// Swift never forms on its own), so a lane computes exactly the scalar code's bits: torch's
/// arithmetic, and the golden tests, are unchanged. The compiler does not vectorise these loops
/// itself: it cannot prove the state's buffers do not alias.
///
/// A hyperparameter enters a body as a Double (`init(repeating:)`) and is rounded once to the
/// scalar type, as torch rounds a Python float to the tensor's dtype when a kernel reads it
/// (`Scalar.to<float>()`); arithmetic on it then happens in the scalar type (`torchLerp`'s 1 − w).
protocol Lane {
    associatedtype Scalar: LaneScalar
    /// Coordinates per lane.
    static var width: Int { get }
    /// Every lane `value`, rounded to `Scalar`.
    init(repeating value: Double)
    /// Every lane `value`.
    init(scalar value: Scalar)
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    func squareRoot() -> Self
    /// `Swift.max(a, b)` lane by lane: b where b ≥ a, else a (so NaN in b gives a).
    static func max(_ a: Self, _ b: Self) -> Self
    /// `torchSign` lane by lane: −1, 0 or 1 (±0 and NaN kept).
    func torchSign() -> Self
    /// The lanes at p[0], p[1], …
    static func load(_ p: UnsafePointer<Scalar>) -> Self
    func store(_ p: UnsafeMutablePointer<Scalar>)
}

/// A state's element type (Double, or Float for float32 end to end): a lane of width one, with
/// the wide lane its loops use for the bulk.
protocol LaneScalar: Lane, BinaryFloatingPoint where Scalar == Self {
    associatedtype Wide: Lane where Wide.Scalar == Self
}

extension Double: LaneScalar {
    typealias Wide = SIMD4<Double>
    @inline(__always) static var width: Int { 1 }
    @inline(__always) init(repeating value: Double) { self = value }
    @inline(__always) init(scalar value: Double) { self = value }
    @inline(__always) static func load(_ p: UnsafePointer<Double>) -> Double { p.pointee }
    @inline(__always) static func max(_ a: Double, _ b: Double) -> Double { Swift.max(a, b) }
    @inline(__always) func torchSign() -> Double { Optimizers.torchSign(self) }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Double>) { p.pointee = self }
}

extension Float: LaneScalar {
    typealias Wide = SIMD8<Float>
    @inline(__always) static var width: Int { 1 }
    @inline(__always) init(repeating value: Double) { self = Float(value) }
    @inline(__always) init(scalar value: Float) { self = value }
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Float { p.pointee }
    @inline(__always) static func max(_ a: Float, _ b: Float) -> Float { Swift.max(a, b) }
    @inline(__always) func torchSign() -> Float { self > 0 ? 1 : (self < 0 ? -1 : self) }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) { p.pointee = self }
}

extension SIMD4<Double>: Lane {
    @inline(__always) static var width: Int { 4 }
    @inline(__always) init(scalar value: Double) { self.init(repeating: value) }
    /// One vector square root (`lrb_sqrt4`, Sources/CLanes): the stdlib's goes lane by lane
    /// through the C library's `sqrt`. Correctly rounded, as Double's is.
    @inline(__always) func squareRoot() -> SIMD4<Double> { lrb_sqrt4(self) }
    @inline(__always) static func max(_ a: SIMD4<Double>, _ b: SIMD4<Double>) -> SIMD4<Double> {
        a.replacing(with: b, where: b .>= a)
    }
    @inline(__always) func torchSign() -> SIMD4<Double> {
        replacing(with: 1, where: self .> 0).replacing(with: -1, where: self .< 0)
    }
    @inline(__always) static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD4<Double>.self)
    }
}

extension SIMD8<Float>: Lane {
    @inline(__always) static var width: Int { 8 }
    @inline(__always) init(repeating value: Double) { self.init(repeating: Float(value)) }
    @inline(__always) init(scalar value: Float) { self.init(repeating: value) }
    /// One vector square root (`lrb_sqrt8f`), correctly rounded, as Float's is.
    @inline(__always) func squareRoot() -> SIMD8<Float> { lrb_sqrt8f(self) }
    @inline(__always) static func max(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        a.replacing(with: b, where: b .>= a)
    }
    @inline(__always) func torchSign() -> SIMD8<Float> {
        replacing(with: 1, where: self .> 0).replacing(with: -1, where: self .< 0)
    }
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD8<Float>.self)
    }
}

/// A body over lanes of `Scalar`, called at coordinates 0, w, 2w, … with `Scalar.Wide` (w its
/// width) while w remain, then one at a time with `Scalar`.
protocol LaneBody {
    associatedtype Scalar: LaneScalar
    func callAsFunction<V: Lane>(_ lane: V.Type, _ i: Int) where V.Scalar == Scalar
}

/// Runs `body` over coordinates 0..<n (see `LaneBody`).
@inline(__always)
func forEachLane<Body: LaneBody>(_ n: Int, _ body: Body) {
    let w = Body.Scalar.Wide.width
    var i = 0
    while i + w <= n {
        body(Body.Scalar.Wide.self, i)
        i += w
    }
    while i < n {
        body(Body.Scalar.self, i)
        i += 1
    }
}

extension UnsafeMutablePointer where Pointee: LaneScalar {
    /// The lanes at self[i], self[i + 1], …
    @inline(__always) func lane<V: Lane>(_ i: Int, as _: V.Type = V.self) -> V where V.Scalar == Pointee {
        V.load(UnsafePointer(self + i))
    }
    /// Stores v at self[i], self[i + 1], …
    @inline(__always) func setLane<V: Lane>(_ i: Int, _ v: V) where V.Scalar == Pointee { v.store(self + i) }
}

extension UnsafePointer where Pointee: LaneScalar {
    @inline(__always) func lane<V: Lane>(_ i: Int, as _: V.Type = V.self) -> V where V.Scalar == Pointee { V.load(self + i) }
}

/// `torchLerp` on lanes with one weight for all of them (so one branch for the whole vector). The
/// weight is rounded to the scalar type first and 1 − w taken there, as ATen's lerp does
/// (aten/src/ATen/native/Lerp.h: `weight.to<opmath_t>()`, then `opmath_t(1) - weight`).
@inline(__always)
func torchLerp<V: Lane>(_ start: V, _ end: V, _ weight: Double) -> V {
    let w = V.Scalar(weight)
    return abs(w) < 0.5 ? start + V(scalar: w) * (end - start) : end - (end - start) * V(scalar: 1 - w)
}

/// `l2Decayed` on lanes: g + wd·x, and g itself when wd = 0.
@inline(__always)
func l2Decayed<V: Lane>(_ g: V, _ x: V, _ wd: Double) -> V {
    wd != 0 ? g + V(repeating: wd) * x : g
}
