import Specs

/// DoG, "Distance over Gradients" (Ivgi, Hinder & Carmon 2023, "DoG is SGD's Best Friend: A
/// Parameter-Free Dynamic Step Size Schedule", ICML, arXiv:2302.12022): SGD whose step is the
/// largest distance travelled from x₀ over the root of the summed squared gradient norms.
///
/// Follows class `DoG` of the authors' package `dog-optimizer` 1.0.3 (dog/dog.py), one
/// parameter group, operation by operation:
///
///     g ← ∇f(x) + weight_decay·x                                  (only if weight_decay > 0)
///     first update:  r̄ ← reps_rel·(1 + ‖x₀‖);  G ← ‖g‖² + eps
///     later:         r̄ ← max(r̄, ‖x − x₀‖);     G ← G + ‖g‖²
///     η ← lr·r̄/√G;   first update with init_eta set: η ← η·0 + init_eta (reps_rel is then 0)
///     x ← x − η·g
///
/// The schedule's rate is the reference's `lr` (c in the paper, default 1): it multiplies η on
/// every update but the first one with `init_eta`, which the reference sets without lr.
/// Differences: the reference treats every tensor of the group as one vector; here that vector
/// is the problem's parameter vector. `StepContext.momentum` is ignored (DoG has no momentum).
/// The reference recommends iterate averaging on top of DoG; the run reports the last iterate.
/// `effectiveLearningRate` is η.
public struct DoG: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "dog",
        summary: "DoG: SGD with step lr·max‖x − x₀‖/√Σ‖g‖² (parameter-free; the schedule's rate multiplies it).",
        parameters: parameters.docs,
        reference: "dog-optimizer 1.0.3 (dog/dog.py, class DoG); Ivgi, Hinder & Carmon 2023, arXiv:2302.12022")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here (L-DoG
    /// embeds them and adds its own).
    static let parameters = ParameterTable<DoG>([
        .number("reps_rel", \.repsRel, default: "1e-6", .positive, "initial distance r_ε = reps_rel·(1 + ‖x₀‖), > 0 (1e-4 with batch norm); ignored with init_eta"),
        .number("eps", \.eps, default: "1e-8", .positive, "added to the first squared gradient norm, > 0"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient, >= 0"),
        .optional("init_eta", \.initEta, .positive, "the first step size η₀, > 0, replacing reps_rel; none uses reps_rel"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var repsRel = 0.0, eps = 0.0, weightDecay = 0.0
    public var initEta: Double?

    /// The configuration before `parameters` reads a spec into it (as L-DoG's holds it).
    init() {}

    /// The reference's lr = c = 1 (changing it "is not recommended").
    public var defaultLearningRate: Double { 1.0 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        DoGState(config: self, blockSize: max(initialPoint.count, 1), initialPoint: initialPoint)
    }
}

/// The state of DoG and L-DoG: the vector cut into consecutive blocks of `blockSize`
/// coordinates (the last may be shorter), each with its own r̄, G and η. DoG is one block.
final class DoGState: IterateState, OptimizerState {
    let config: DoG
    let n: Int
    let blockSize: Int
    let blocks: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    let x0: UnsafeMutablePointer<Double>
    /// The gradient after weight decay (the reference adds it to p.grad in place).
    let d: UnsafeMutablePointer<Double>
    let rbar: UnsafeMutablePointer<Double>
    let sumSquares: UnsafeMutablePointer<Double>
    let eta: UnsafeMutablePointer<Double>
    var first = true
    var lastRate: Double?

    init(config: DoG, blockSize: Int, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        self.blockSize = blockSize
        blocks = (n + blockSize - 1) / blockSize
        x = buffers.copy(of: initialPoint)
        x0 = buffers.copy(of: initialPoint)
        d = buffers.filled(n)
        rbar = buffers.filled(blocks)
        sumSquares = buffers.filled(blocks)
        eta = buffers.filled(blocks)
    }

    var effectiveLearningRate: Double? { lastRate }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let lr = context.learningRate
        let wd = config.weightDecay
        let repsRel = config.initEta == nil ? config.repsRel : 0
        for i in 0..<n {
            d[i] = l2Decayed(g[i], x[i], wd)
        }
        var squaredStep = 0.0
        var squaredDirection = 0.0
        for b in 0..<blocks {
            let lo = b * blockSize
            let hi = Swift.min(lo + blockSize, n)
            var g2 = 0.0
            for i in lo..<hi { g2 += d[i] * d[i] }
            if first {
                var x2 = 0.0
                for i in lo..<hi { x2 += x[i] * x[i] }
                rbar[b] = repsRel * (1 + x2.squareRoot())
                sumSquares[b] = g2 + config.eps
            } else {
                var dist2 = 0.0
                for i in lo..<hi { dist2 += (x[i] - x0[i]) * (x[i] - x0[i]) }
                let dist = dist2.squareRoot()
                if dist > rbar[b] || dist.isNaN { rbar[b] = dist }     // torch.maximum propagates NaN
                sumSquares[b] += g2
            }
            eta[b] = lr * rbar[b] / sumSquares[b].squareRoot()
            if first, let initEta = config.initEta { eta[b] = eta[b] * 0 + initEta }
            let e = eta[b]
            for i in lo..<hi { x[i] = x[i] + (-e) * d[i] }
            squaredStep += e * e * g2
            squaredDirection += g2
        }
        first = false
        lastRate = blocks == 1 ? eta[0] : stepRatio(squaredStep: squaredStep, squaredDirection: squaredDirection)
    }
}
