import Foundation
import LinearAlgebra
import SeededRandom
import Specs

/// f(x) = ½ xᵀAx with eigenvalues log-spaced from 1 to `cond`; with `noise` > 0, the noisy
/// quadratic model (NQM) of Zhang et al. 2019, "Which Algorithmic Choices Matter at Which Batch
/// Sizes? Insights From a Noisy Quadratic Model" (NeurIPS 2019, arXiv:1907.04164), §2.
///
/// A = diag(λ) (axis-aligned) or A = QΛQᵀ with Q a seeded Haar-random orthogonal matrix.
/// NQM: the stochastic gradient is g = Ax + ε with ε ~ N(0, C/B), where the paper takes the
/// gradient covariance C proportional to the curvature, C = H; here C = noise·A and B = `batch`.
/// The sampled loss is the matching stochastic function f(x) + εᵀx (unbiased; its gradient is g).
/// f* = 0 at x = 0 in every instance.
///
/// Instances (after COCO's; see `ProblemInstance`): the rotated quadratic is already drawn from
/// the seed (Q, as COCO draws its rotations), so `instance` does not change it and it starts at
/// (1, …, 1). The axis-aligned one (`rotated=false`) would be the same problem on every seed, so
/// `instance=seeded` (default) draws its start x₀ = 1 + u, u_i ~ U[−0.25, 0.25), from the stream
/// "quadratic/instance/dim=n"; `instance=classic` starts at (1, …, 1). The spectrum, which sets
/// the difficulty, is unchanged and every eigendirection keeps a component in [0.75, 1.25), so its
/// share of f(x₀) moves by less than (1.25/0.75)² ≈ 2.8×, and f* = 0 stays exact.
public final class Quadratic: Problem {
    public static let catalog = CatalogEntry(
        name: "quadratic",
        summary: "½xᵀAx, eigenvalues log-spaced in [1, cond], f* = 0 at 0; noise > 0 gives Zhang et al.'s noisy quadratic model",
        parameters: [
            ParameterDoc("dim", "20", "dimension (≥ 1)"),
            ParameterDoc("cond", "100", "condition number λmax/λmin (≥ 1)"),
            ParameterDoc("rotated", "true", "A = QΛQᵀ with a seeded random orthogonal Q (else diagonal)"),
            ParameterDoc("noise", "0", "gradient-noise scale: ε ~ N(0, noise·A/batch) (≥ 0)"),
            ParameterDoc("batch", "1", "batch size B dividing the noise covariance (≥ 1)"),
            ProblemInstance.doc(seeded: "Q (rotated; start (1, …, 1)) or, axis-aligned, the start 1 + U[−0.25, 0.25)ⁿ",
                                classic: "Q (rotated) and the start (1, …, 1)"),
        ],
        reference: "Zhang et al. 2019, arXiv:1907.04164 (NQM)")

    public let spec: Spec
    public let dimension: Int
    public let cond: Double
    public let rotated: Bool
    public let noise: Double
    public let batch: Int
    /// The eigenvalues λ_i = cond^(i/(dim−1)), ascending.
    public let eigenvalues: [Double]
    /// λ (the axis-aligned gradient λ ⊙ x) and sqrt(noise·λ_i / B), the NQM noise's standard
    /// deviation along eigenvector i: set up once, read by every run's objective.
    let lambda: ConstantBuffer<Double>
    let noiseScale: ConstantBuffer<Double>
    /// Q (rotated) or nil (axis-aligned).
    public let rotation: ConstantMatrix<Double>?
    /// A = QΛQᵀ (rotated only).
    public let matrix: ConstantMatrix<Double>?
    /// The seeded start's half-width around (1, …, 1), per coordinate (axis-aligned only).
    public static let startRadius = 0.25

    /// Only the axis-aligned quadratic has a seeded instance; the rotated one is always `.seeded`.
    public let instance: ProblemInstance
    public let initialPoint: [Double]
    let seed: UInt64

    public var optimumValue: Double? { 0 }
    public var isStochastic: Bool { noise > 0 }

    public init(spec: Spec, seed: UInt64) throws {
        var p = Parameters(spec)
        dimension = try p.int("dim", default: 20, .atLeast(1))
        cond = try p.double("cond", default: 100, .atLeast(1))
        rotated = try p.bool("rotated", default: true)
        noise = try p.double("noise", default: 0, .nonNegative)
        batch = try p.int("batch", default: 1, .atLeast(1))
        let instance = try ProblemInstance.read(&p)
        try p.finish()
        try ProblemMemory.check("quadratic", bytes: (rotated ? 5 * ProblemMemory.matrix(dimension, dimension) : 0) + ProblemMemory.runVectors(dimension), "dim=\(dimension)" + (rotated ? " with rotated=true (dense dim × dim matrices)" : ""))
        self.seed = seed
        self.spec = Spec(name: "quadratic", arguments: [
            .init(key: "dim", value: .number(Double(dimension), text: "\(dimension)")),
            .init(key: "cond", value: .number(cond, text: cond.description)),
            .init(key: "rotated", value: .word(rotated.description)),
            .init(key: "noise", value: .number(noise, text: noise.description)),
            .init(key: "batch", value: .number(Double(batch), text: "\(batch)")),
        ] + (rotated ? [] : [instance.argument]))
        self.instance = rotated ? .seeded : instance
        let ones = [Double](repeating: 1, count: dimension)
        initialPoint = rotated ? ones : instance.start(classic: ones, radius: Self.startRadius, seed: seed,
                                                       label: "quadratic/instance/dim=\(dimension)")
        let n = dimension
        let c = cond
        eigenvalues = (0..<n).map { i in n == 1 ? 1 : pow(c, Double(i) / Double(n - 1)) }
        let lambdas = eigenvalues
        lambda = ConstantBuffer(Buffer(lambdas))
        let noiseLevel = noise, batchSize = Double(batch)
        noiseScale = ConstantBuffer(Buffer(lambdas.map { ($0 * noiseLevel / batchSize).squareRoot() }))
        if rotated {
            var stream = RandomStream(seed: seed, label: "quadratic/rotation/dim=\(n)")
            let g = Matrix<Double>(rows: n, columns: n)
            for i in 0..<(n * n) { g.pointer[i] = stream.gaussian() }
            let q = try Dense.orthogonal(fromGaussian: g)
            // A = (QΛ)Qᵀ by gemm, then symmetrised exactly.
            let ql = q.copy()
            for i in 0..<n { for k in 0..<n { ql[i, k] *= lambdas[k] } }
            let a = Matrix<Double>(rows: n, columns: n)
            Double.gemm(transposeA: false, transposeB: true, n, n, n, 1, ql.pointer, n, q.pointer, n, 0, a.pointer, n)
            for i in 0..<n { for j in 0..<i { let s = 0.5 * (a[i, j] + a[j, i]); a[i, j] = s; a[j, i] = s } }
            rotation = ConstantMatrix(consume q)
            matrix = ConstantMatrix(consume a)
        } else {
            rotation = nil
            matrix = nil
        }
    }

    public func makeObjective() -> any Objective { QuadraticObjective(self) }

    /// Rotated: one fixed-order product X·A for the group (`QuadraticBatchObjective`); the NQM's
    /// noise drawn once per step for all members.
    public func makeBatchObjective(capacity: Int) -> any BatchObjective {
        QuadraticBatchObjective(self, capacity: capacity)
    }
}

/// x ↦ Ax as the fixed-order product xᵀA (A is symmetric): element i is one chain of fused
/// multiply-adds over p in increasing order (`BLASScalar.fixedGemm`), so a member of a group
/// (`QuadraticBatchObjective`, one product for all members) gets exactly a lone run's bits.
/// Axis-aligned: λ ⊙ x.
@inline(__always)
func quadraticApplyA(_ problem: Quadratic, _ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
    let n = problem.dimension
    if let a = problem.matrix {
        Double.fixedGemm(1, n, n, x, rowStride: n, columnStride: 1, a.pointer, n, out, n, accumulate: false)
    } else {
        let lambda = problem.lambda.pointer
        for i in 0..<n { out[i] = lambda[i] * x[i] }
    }
}

/// The NQM's gradient noise ε ~ N(0, noise·A/B): one draw per sample, shared by every member of
/// a group as by a lone run (the same stream, the same draws).
final class QuadraticNoise {
    let problem: Quadratic
    let z: Buffer<Double>
    /// The last draw ε (zero before the first), kept for `sampleLoss`.
    let epsilon: Buffer<Double>
    var stream: RandomStream

    init(_ problem: Quadratic) {
        self.problem = problem
        let n = problem.dimension
        z = Buffer(count: n)
        epsilon = Buffer(count: n)
        stream = RandomStream(seed: problem.seed, label: "quadratic/noise/dim=\(problem.dimension)")
    }

    /// The next ε = Q (σ ⊙ z), z ~ N(0, I): covariance Q diag(σ²) Qᵀ = noise·A / B.
    func draw() {
        let n = problem.dimension
        let scale = problem.noiseScale.pointer
        for i in 0..<n { z.pointer[i] = scale[i] * stream.gaussian() }
        if let q = problem.rotation {
            Double.gemv(transpose: false, n, n, 1, q.pointer, n, z.pointer, 0, epsilon.pointer)
        } else {
            epsilon.pointer.update(from: z.pointer, count: n)
        }
    }

    /// g += ε; returns f + ε·x (the sampled loss, given f(x)).
    @inline(__always)
    func add(to g: UnsafeMutableBufferPointer<Double>, at x: UnsafeBufferPointer<Double>, loss f: Double) -> Double {
        Vec.axpy(1, epsilon.readOnly, g)
        return f + Vec.dot(epsilon.readOnly, x)
    }
}

final class QuadraticObjective: Objective {
    let problem: Quadratic
    let ax: Buffer<Double>
    let noise: QuadraticNoise

    init(_ problem: Quadratic) {
        self.problem = problem
        ax = Buffer(count: problem.dimension)
        noise = QuadraticNoise(problem)
    }

    func loss(at x: UnsafeBufferPointer<Double>) -> Double {
        quadraticApplyA(problem, x.baseAddress!, into: ax.pointer)
        return 0.5 * Vec.dot(x, ax.readOnly)
    }

    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        quadraticApplyA(problem, x.baseAddress!, into: g.baseAddress!)
        return 0.5 * Vec.dot(x, UnsafeBufferPointer(g))
    }

    func sampleLossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let f = lossAndGradient(at: x, into: g)
        guard problem.noise > 0 else { return f }
        noise.draw()
        return noise.add(to: g, at: x, loss: f)
    }

    /// f(x) + ε·x with the last draw ε, computed as `sampleLossAndGradient` does; f(x) without noise.
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double {
        let f = loss(at: x)
        guard problem.noise > 0 else { return f }
        return f + Vec.dot(noise.epsilon.readOnly, x)
    }
}
