import Specs

/// DoWG, "Distance over Weighted Gradients" (Khaled, Mishchenko & Jin 2023, "DoWG Unleashed:
/// An Efficient Universal Parameter-Free Gradient Descent Method", NeurIPS, arXiv:2305.16284).
///
/// Follows `optax.contrib.dowg` (optax/contrib/_dog.py, optax 0.2.8: `add_decayed_weights`,
/// `scale_by_dowg`, `scale_by_learning_rate` chained), operation by operation:
///
///     g ← ∇f(x) + weight_decay·x                   (only if weight_decay > 0; optax: not None)
///     r̄² ← max(r̄², ‖x₀ − x‖²)                      (r̄² starts at init_estim_sq_dist, or eps)
///     v ← r̄²·‖g‖² + v                              (v starts at 0)
///     η ← r̄²/(√v + eps)
///     x ← x + (−lr)·(η·g)
///
/// The schedule's rate is optax's `learning_rate` (default 1). Differences: optax's `mask` for
/// weight decay is not offered (one parameter vector); optax's `weight_decay=None` is
/// `weight_decay=0` here (the same arithmetic, g + 0·x = g); `init_estim_sq_dist=None` is
/// written `none`. `StepContext.momentum` is ignored. `effectiveLearningRate` is lr·η.
public struct DoWG: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "dowg",
        summary: "DoWG: SGD with step r̄²/√Σ r̄²‖g‖² (parameter-free; the schedule's rate multiplies it).",
        parameters: parameters.docs,
        reference: "optax.contrib.dowg (optax/contrib/_dog.py, optax 0.2.8); Khaled, Mishchenko & Jin 2023, arXiv:2305.16284")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<DoWG>([
        .optional("init_estim_sq_dist", \.initEstimSqDist, .positive, "initial squared distance to the solution r̄₀², > 0; none uses eps"),
        .number("eps", \.eps, default: "1e-4", .positive, "added to the denominator √v, and r̄₀² when init_estim_sq_dist is none, > 0"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient, >= 0"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var initEstimSqDist: Double?
    public var eps = 0.0, weightDecay = 0.0

    /// optax's default `learning_rate=1.0`.
    public var defaultLearningRate: Double { 1.0 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        DoWGState(config: self, initialPoint: initialPoint)
    }
}

final class DoWGState: IterateState, OptimizerState {
    let config: DoWG
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    let x0: UnsafeMutablePointer<Double>
    var estimSqDist: Double
    var weightedSqNormGrads = 0.0
    var lastRate: Double?

    init(config: DoWG, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        x0 = buffers.copy(of: initialPoint)
        estimSqDist = config.initEstimSqDist ?? config.eps
    }

    var effectiveLearningRate: Double? { lastRate }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let wd = config.weightDecay
        var currSqDist = 0.0
        var stepSqNormGrads = 0.0
        for i in 0..<n {
            let d = l2Decayed(g[i], x[i], wd)
            currSqDist += (x0[i] - x[i]) * (x0[i] - x[i])
            stepSqNormGrads += d * d
        }
        if currSqDist > estimSqDist || currSqDist.isNaN { estimSqDist = currSqDist }   // jnp.maximum
        weightedSqNormGrads = estimSqDist * stepSqNormGrads + weightedSqNormGrads
        let rate = estimSqDist / (weightedSqNormGrads.squareRoot() + config.eps)
        let scale = -context.learningRate
        for i in 0..<n {
            let d = l2Decayed(g[i], x[i], wd)
            x[i] = x[i] + scale * (rate * d)
        }
        lastRate = context.learningRate * rate
    }
}
