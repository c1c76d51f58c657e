import Specs

/// The chained Rosenbrock function f(x) = Σ_{i<n} 100 (x_{i+1} − x_i²)² + (1 − x_i)²
/// (Rosenbrock 1960; for n = 2 the classic banana with a = 1, b = 100); minimum f* = 0 at
/// (1, …, 1) in every instance.
///
/// Start: `instance=classic` is (−1.2, 1, −1.2, 1, …) as in Moré, Garbow & Hillstrom (1981),
/// "Testing Unconstrained Optimization Software", ACM TOMS 7(1). `instance=seeded` (default)
/// draws x₀ = classic + u, u_i ~ U[−0.1, 0.1) from the stream "rosenbrock/instance/dim=n".
/// The function is unchanged, so f* = 0 stays exact; the start stays on the far side of the
/// curved valley from the optimum (x₁ in [−1.3, −1.1)), so every instance first drops into the
/// same valley and then needs the same long walk along its floor to (1, …, 1), where the
/// curvature is the same in every instance. Only the first drop differs: at dim = 2, f(x₀) is
/// in (5.6, 67.7] (classic 24.2) and λ_max of the Hessian at x₀ in (1.2k, 1.84k] (classic 1.51k),
/// so the largest stable rate of gradient descent moves by at most ±20 %, within one step of a
/// log rate grid of ratio ≥ 1.5.
public final class Rosenbrock: Problem {
    public static let catalog = CatalogEntry(
        name: "rosenbrock",
        summary: "chained Rosenbrock Σ 100(x_{i+1} − x_i²)² + (1 − x_i)²; dim=2 is the classic banana; f* = 0 at (1, …, 1)",
        parameters: [
            ParameterDoc("dim", "2", "dimension (≥ 2)"),
            ProblemInstance.doc(seeded: "the start (−1.2, 1, −1.2, …) + U[−0.1, 0.1)ⁿ",
                                classic: "the start (−1.2, 1, −1.2, …) of Moré et al."),
        ],
        reference: "Rosenbrock 1960; start from Moré, Garbow & Hillstrom 1981; instances after COCO (Hansen et al. 2021)")

    /// The seeded start's half-width around the classic start, per coordinate.
    public static let startRadius = 0.1

    public let spec: Spec
    public let dimension: Int
    public let instance: ProblemInstance
    public let initialPoint: [Double]
    public var optimumValue: Double? { 0 }

    /// The Moré–Garbow–Hillstrom start (−1.2, 1, −1.2, 1, …).
    public static func classicStart(dimension: Int) -> [Double] { (0..<dimension).map { $0 % 2 == 0 ? -1.2 : 1 } }

    public init(spec: Spec, seed: UInt64) throws {
        var p = Parameters(spec)
        dimension = try p.int("dim", default: 2, .atLeast(2))
        instance = try ProblemInstance.read(&p)
        try p.finish()
        try ProblemMemory.check("rosenbrock", bytes: ProblemMemory.runVectors(dimension), "dim=\(dimension)")
        self.spec = Spec(name: "rosenbrock", arguments: [.init(key: "dim", value: .number(Double(dimension), text: "\(dimension)")),
                                                         instance.argument])
        initialPoint = instance.start(classic: Self.classicStart(dimension: dimension), radius: Self.startRadius,
                                      seed: seed, label: "rosenbrock/instance/dim=\(dimension)")
    }

    public func makeObjective() -> any Objective { RosenbrockObjective() }
}

final class RosenbrockObjective: Objective {
    /// Σᵢ 100·aᵢ² + bᵢ² summed in four interleaved partial sums (term i into sum i mod 4, for the
    /// terms up to the last multiple of 4), combined as (s₀ + s₁) + (s₂ + s₃), then the remaining
    /// terms left to right: a fixed order, so the same bits everywhere, and four independent
    /// chains instead of one (W3: the sum was a quarter of its step). With fewer than 4 terms
    /// (dim ≤ 4) it is the left-to-right sum.
    func loss(at x: UnsafeBufferPointer<Double>) -> Double {
        let terms = x.count - 1
        let p = x.baseAddress!
        var sums = SIMD4<Double>(repeating: 0)
        var i = 0
        while i + 4 <= terms {
            let xi = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
            let next = UnsafeRawPointer(p + i + 1).loadUnaligned(as: SIMD4<Double>.self)
            let a = next - xi * xi
            let b = 1 - xi
            sums += 100 * a * a + b * b
            i += 4
        }
        var f = (sums[0] + sums[1]) + (sums[2] + sums[3])
        while i < terms {
            let a = p[i + 1] - p[i] * p[i]
            let b = 1 - p[i]
            f += 100 * a * a + b * b
            i += 1
        }
        return f
    }

    /// The gradient in an elementwise loop the compiler vectorises (issue 13, W3), then the loss in
    /// its own left-to-right loop: the same operations per entry as the one fused loop before, so
    /// the same bits: g_i = 200·a_(i−1) + (−400·x_i·a_i − 2·b_i), a_i = x_(i+1) − x_i², b_i = 1 − x_i.
    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = x.count
        let xp = x.baseAddress!, gp = g.baseAddress!
        let a0 = xp[1] - xp[0] * xp[0]
        gp[0] = 0 + (-400 * xp[0] * a0 - 2 * (1 - xp[0]))
        for i in 1..<(n - 1) {
            let xi = xp[i]
            let previous = xi - xp[i - 1] * xp[i - 1]
            let a = xp[i + 1] - xi * xi
            let b = 1 - xi
            gp[i] = 200 * previous + (-400 * xi * a - 2 * b)
        }
        gp[n - 1] = 200 * (xp[n - 1] - xp[n - 2] * xp[n - 2])
        return loss(at: x)
    }

    /// Deterministic: the sample is the full loss.
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double { loss(at: x) }
}
