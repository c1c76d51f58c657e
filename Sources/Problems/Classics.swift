import Foundation
import SeededRandom
import Specs

/// Beale's function f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
/// (Beale 1958); start (1, 1) as in Moré, Garbow & Hillstrom (1981), problem 5; f* = 0 at (3, 0.5).
public final class Beale: Problem {
    public static let catalog = CatalogEntry(
        name: "beale",
        summary: "Beale's 2-D function: narrow curved valley, f* = 0 at (3, 0.5), start (1, 1)",
        reference: "Beale 1958; Moré, Garbow & Hillstrom 1981 #5")

    public let spec = Spec(name: "beale")
    public let dimension = 2
    public var initialPoint: [Double] { [1, 1] }
    public var optimumValue: Double? { 0 }

    public init(spec: Spec, seed: UInt64) throws {
        try Parameters(spec).finish(allowed: [])
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
}

/// Rastrigin's function f(x) = 10n + Σ (x_i² − 10 cos(2π x_i)) (Rastrigin 1974; as in
/// COCO/BBOB f15 without its transformations): highly multimodal, f* = 0 at 0.
/// Start: seeded, uniform in [−5.12, 5.12]ⁿ (the usual domain), drawn from the seed.
public final class Rastrigin: Problem {
    public static let catalog = CatalogEntry(
        name: "rastrigin",
        summary: "10n + Σ(x_i² − 10cos 2πx_i): many local minima, f* = 0 at 0, seeded start in [−5.12, 5.12]ⁿ",
        parameters: [ParameterDoc("dim", "10", "dimension (≥ 1)")],
        reference: "Rastrigin 1974; Hansen et al., COCO/BBOB f15")

    public let spec: Spec
    public let dimension: Int
    public let initialPoint: [Double]
    public var optimumValue: Double? { 0 }

    public init(spec: Spec, seed: UInt64) throws {
        var p = Parameters(spec)
        dimension = try p.int("dim", default: 10, .atLeast(1))
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
}
