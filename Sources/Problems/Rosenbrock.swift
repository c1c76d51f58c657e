import Specs

/// The chained Rosenbrock function f(x) = Σ_{i<n} 100 (x_{i+1} − x_i²)² + (1 − x_i)²
/// (Rosenbrock 1960; for n = 2 the classic banana with a = 1, b = 100).
/// Start (−1.2, 1, −1.2, 1, …) as in Moré, Garbow & Hillstrom (1981), "Testing Unconstrained
/// Optimization Software", ACM TOMS 7(1); minimum f* = 0 at (1, …, 1).
public final class Rosenbrock: Problem {
    public static let catalog = CatalogEntry(
        name: "rosenbrock",
        summary: "chained Rosenbrock Σ 100(x_{i+1} − x_i²)² + (1 − x_i)²; dim=2 is the classic banana",
        parameters: [ParameterDoc("dim", "2", "dimension (≥ 2)")],
        reference: "Rosenbrock 1960; start from Moré, Garbow & Hillstrom 1981")

    public let spec: Spec
    public let dimension: Int
    public var initialPoint: [Double] { (0..<dimension).map { $0 % 2 == 0 ? -1.2 : 1 } }
    public var optimumValue: Double? { 0 }

    public init(spec: Spec, seed: UInt64) throws {
        var p = Parameters(spec)
        dimension = try p.int("dim", default: 2, .atLeast(2))
        try p.finish()
        try ProblemMemory.check("rosenbrock", bytes: ProblemMemory.runVectors(dimension), "dim=\(dimension)")
        self.spec = Spec(name: "rosenbrock", arguments: [.init(key: "dim", value: .number(Double(dimension), text: "\(dimension)"))])
    }

    public func makeObjective() -> any Objective { RosenbrockObjective() }
}

final class RosenbrockObjective: Objective {
    func loss(at x: UnsafeBufferPointer<Double>) -> Double {
        var f = 0.0
        for i in 0..<(x.count - 1) {
            let a = x[i + 1] - x[i] * x[i]
            let b = 1 - x[i]
            f += 100 * a * a + b * b
        }
        return f
    }

    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = x.count
        var f = 0.0
        g[0] = 0
        for i in 0..<(n - 1) {
            let xi = x[i]
            let a = x[i + 1] - xi * xi
            let b = 1 - xi
            f += 100 * a * a + b * b
            g[i] += -400 * xi * a - 2 * b
            g[i + 1] = 200 * a
        }
        return f
    }
}
