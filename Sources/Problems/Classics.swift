import Foundation
import SeededRandom
import Specs

/// Beale's function f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
/// (Beale 1958); f* = 0 at (3, 0.5) in every instance.
///
/// Start: `instance=classic` is (1, 1) as in Moré, Garbow & Hillstrom (1981), problem 5;
/// `instance=seeded` (default) draws x₀ = (1, 1) + u, u_i ~ U[−0.1, 0.1) from the stream
/// "beale/instance" (after COCO's instances; see `ProblemInstance`). The function is unchanged,
/// so f* stays exact; the start stays in the same basin, on the same side of the narrow curved
/// valley, with f(x₀) in [11.5, 17.7] against 14.203125 classically.
public final class Beale: Problem {
    public static let catalog = CatalogEntry(
        name: "beale",
        summary: "Beale's 2-D function: narrow curved valley, f* = 0 at (3, 0.5), start (1, 1) (seeded: + U[−0.1, 0.1)²)",
        parameters: [ProblemInstance.doc(seeded: "the start (1, 1) + U[−0.1, 0.1)²", classic: "the start (1, 1)")],
        reference: "Beale 1958; Moré, Garbow & Hillstrom 1981 #5; instances after COCO (Hansen et al. 2021)")

    public static let startRadius = 0.1

    public let spec: Spec
    public let dimension = 2
    public let instance: ProblemInstance
    public let initialPoint: [Double]
    public var optimumValue: Double? { 0 }

    public init(spec: Spec, seed: UInt64) throws {
        var p = Parameters(spec)
        instance = try ProblemInstance.read(&p)
        try p.finish()
        self.spec = Spec(name: "beale", arguments: [instance.argument])
        initialPoint = instance.start(classic: [1, 1], radius: Self.startRadius, seed: seed, label: "beale/instance")
    }

    public func makeObjective() -> any Objective { BealeObjective() }
}

final class BealeObjective: Objective {
    static let c = (1.5, 2.25, 2.625)

    func loss(at p: UnsafeBufferPointer<Double>) -> Double {
        let x = p[0], y = p[1]
        let r1 = 1.5 - x + x * y, r2 = 2.25 - x + x * y * y, r3 = 2.625 - x + x * y * y * y
        return r1 * r1 + r2 * r2 + r3 * r3
    }

    func lossAndGradient(at p: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let x = p[0], y = p[1]
        let r1 = 1.5 - x + x * y, r2 = 2.25 - x + x * y * y, r3 = 2.625 - x + x * y * y * y
        g[0] = 2 * r1 * (y - 1) + 2 * r2 * (y * y - 1) + 2 * r3 * (y * y * y - 1)
        g[1] = 2 * r1 * x + 2 * r2 * 2 * x * y + 2 * r3 * 3 * x * y * y
        return r1 * r1 + r2 * r2 + r3 * r3
    }

    /// Deterministic: the sample is the full loss.
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double { loss(at: x) }
}

/// Rastrigin's function f(x) = 10n + Σ (x_i² − 10 cos(2π x_i)) (Rastrigin 1974; as in
/// COCO/BBOB f15 without its transformations): highly multimodal, f* = 0 at 0.
/// Start: seeded, uniform in [−5.12, 5.12]ⁿ (the usual domain), drawn from the seed: every seed
/// is already a distinct instance, so `instance=classic` and `instance=seeded` are this same
/// problem (the parameter is accepted and left out of the canonical spec).
public final class Rastrigin: Problem {
    public static let catalog = CatalogEntry(
        name: "rastrigin",
        summary: "10n + Σ(x_i² − 10cos 2πx_i): many local minima, f* = 0 at 0, seeded start in [−5.12, 5.12]ⁿ",
        parameters: [ParameterDoc("dim", "10", "dimension (≥ 1)"), ProblemInstance.sameDoc("the start")],
        reference: "Rastrigin 1974; Hansen et al., COCO/BBOB f15")

    public let spec: Spec
    public let dimension: Int
    public let initialPoint: [Double]
    public var optimumValue: Double? { 0 }

    public init(spec: Spec, seed: UInt64) throws {
        var p = Parameters(spec)
        dimension = try p.int("dim", default: 10, .atLeast(1))
        _ = try ProblemInstance.read(&p)
        try p.finish()
        try ProblemMemory.check("rastrigin", bytes: ProblemMemory.runVectors(dimension), "dim=\(dimension)")
        self.spec = Spec(name: "rastrigin", arguments: [.init(key: "dim", value: .number(Double(dimension), text: "\(dimension)"))])
        var stream = RandomStream(seed: seed, label: "rastrigin/start/dim=\(dimension)")
        initialPoint = (0..<dimension).map { _ in stream.uniform(-5.12, 5.12) }
    }

    public func makeObjective() -> any Objective { RastriginObjective() }
}

final class RastriginObjective: Objective {
    func loss(at x: UnsafeBufferPointer<Double>) -> Double {
        var f = 10 * Double(x.count)
        for v in x { f += v * v - 10 * cos(2 * Double.pi * v) }
        return f
    }

    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        var f = 10 * Double(x.count)
        for i in 0..<x.count {
            let v = x[i]
            f += v * v - 10 * cos(2 * Double.pi * v)
            g[i] = 2 * v + 20 * Double.pi * sin(2 * Double.pi * v)
        }
        return f
    }

    /// Deterministic: the sample is the full loss.
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double { loss(at: x) }
}
