import Specs

/// COCOB-Backprop, continuous coin betting (Orabona & Tommasi 2017, "Training Deep Networks
/// without Learning Rates Through Coin Betting", NeurIPS, arXiv:1705.07795, Algorithm 2).
///
/// Follows `optax.contrib.cocob` (optax/contrib/_cocob.py, optax 0.2.8: `add_decayed_weights`,
/// `scale_by_learning_rate(flip_sign=False)`, `scale_by_cocob` chained), per coordinate:
///
///     c ← lr·(∇f(x) + weight_decay·x)
///     L ← max(L, |c|)          (L starts at eps)
///     G ← G + |c|              (G, R, C start at 0)
///     R ← max(R − c·(x − x₀), 0)
///     C ← C − c
///     x ← x + (−x + (x₀ + C/(L·max(G + L, alpha·L))·(L + R)))
///
/// The schedule's rate scales the gradient fed to the bettor, as in optax; COCOB is invariant
/// to that scale (C, L, G and R all scale with it) except through eps, so a constant rate
/// leaves the run all but unchanged and only a changing rate reweights the gradients.
/// Differences: optax's weight-decay `mask` is not offered. `StepContext.momentum` is ignored.
/// `effectiveLearningRate` is ‖Δx‖/‖∇f(x) + weight_decay·x‖ (see EffectiveRate.swift).
public struct COCOB: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "cocob",
        summary: "COCOB-Backprop: per-coordinate coin betting, no learning rate (the schedule's rate scales the gradient).",
        parameters: parameters.docs,
        reference: "optax.contrib.cocob (optax/contrib/_cocob.py, optax 0.2.8); Orabona & Tommasi 2017, arXiv:1705.07795, Algorithm 2")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<COCOB>([
        .number("alpha", \.alpha, default: "100", .positive, "bound on the fraction bet, max(G + L, alpha·L), > 0 (at most 1 has no effect)"),
        .number("eps", \.eps, default: "1e-8", .positive, "initial gradient-range estimate L, > 0"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient, >= 0"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var alpha = 0.0, eps = 0.0, weightDecay = 0.0

    /// optax's default `learning_rate=1.0`.
    public var defaultLearningRate: Double { 1.0 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        COCOBState(config: self, initialPoint: initialPoint)
    }
}

final class COCOBState: IterateState, OptimizerState {
    let config: COCOB
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    let x0: UnsafeMutablePointer<Double>
    let cumulativeGradients: UnsafeMutablePointer<Double>
    let scale: UnsafeMutablePointer<Double>
    let subgradients: UnsafeMutablePointer<Double>
    let reward: UnsafeMutablePointer<Double>
    var lastRate: Double?

    init(config: COCOB, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        x0 = buffers.copy(of: initialPoint)
        cumulativeGradients = buffers.filled(n)
        scale = buffers.filled(n, with: config.eps)
        subgradients = buffers.filled(n)
        reward = buffers.filled(n)
    }

    var effectiveLearningRate: Double? { lastRate }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let lr = context.learningRate
        let wd = config.weightDecay
        let alpha = config.alpha
        var squaredStep = 0.0
        var squaredDirection = 0.0
        for i in 0..<n {
            let d = g[i] + wd * x[i]
            let c = lr * d
            let l = Swift.max(scale[i], abs(c))
            scale[i] = l
            subgradients[i] = subgradients[i] + abs(c)
            reward[i] = Swift.max(reward[i] - c * (x[i] - x0[i]), 0)
            cumulativeGradients[i] = cumulativeGradients[i] - c
            let bet = cumulativeGradients[i] / (l * Swift.max(subgradients[i] + l, alpha * l)) * (l + reward[i])
            let u = -x[i] + (x0[i] + bet)
            let next = x[i] + u
            squaredStep += (next - x[i]) * (next - x[i])
            squaredDirection += d * d
            x[i] = next
        }
        lastRate = stepRatio(squaredStep: squaredStep, squaredDirection: squaredDirection)
    }
}
