import Specs

/// Gradient descent with Polyak's step size, capped as in SPS_max.
///
/// Polyak (1987, "Introduction to Optimization", §5.3) steps by (f(x) − f*)/‖g‖²; Loizou et al.
/// (2021, "Stochastic Polyak Step-size for SGD", AISTATS, arXiv:2002.10542) scale the squared
/// norm by c and cap the step at γ_b (SPS_max). PyTorch has none; the formula, with the
/// schedule's rate as a multiplier (so the default rate is 1):
///
///     η = min(max_lr, max(0, f(x) − f*) / (c·‖g‖² + eps));   x ← x − lr·η·g
///
/// f(x) is `StepContext.loss` (on stochastic problems the minibatch loss, as in SPS). f* is
/// `StepContext.optimumValue`; when the problem does not know it we use f* = 0, the choice
/// Loizou et al. make for non-negative losses that interpolate (least squares, logistic
/// regression): then η is a valid but pessimistic Polyak step. A gap below 0 (a minibatch loss
/// under the full f*) gives η = 0, not an ascent step. A NaN loss gives a NaN step.
/// `StepContext.momentum` is ignored (the method has no momentum).
public struct Polyak: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "polyak",
        summary: "Polyak step size η = min(max_lr, (f − f*)/(c‖g‖² + eps)), SPS_max; the schedule's rate multiplies η.",
        parameters: parameters.docs,
        reference: "Polyak 1987, Introduction to Optimization §5.3; Loizou et al. 2021, arXiv:2002.10542 (SPS_max)")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<Polyak>([
        .number("max_lr", \.maxLR, default: "1", .positive, "the cap γ_b on the step size η (> 0)"),
        .number("c", \.c, default: "1", .positive, "SPS constant c dividing the step: c = 1 is Polyak's step, Loizou et al. suggest 0.5 or 0.2"),
        .number("eps", \.eps, default: "1e-12", .positive, "added to c‖g‖² so that a zero gradient gives a finite step (> 0)"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var maxLR = 0.0, c = 0.0, eps = 0.0

    /// The schedule's rate multiplies the Polyak step, so 1 leaves it as is.
    public var defaultLearningRate: Double { 1.0 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        PolyakState(config: self, initialPoint: initialPoint)
    }
}

final class PolyakState: IterateState, OptimizerState {
    let config: Polyak
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    /// The last step size η (before the schedule's multiplier), for inspection.
    var lastStepSize = Double.nan
    /// The rate the last update applied, lr·η (see EffectiveRate.swift).
    var effectiveLearningRate: Double?

    init(config: Polyak, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        var squaredNorm = 0.0
        for i in 0..<n { squaredNorm += g[i] * g[i] }
        var gap = context.loss - (context.optimumValue ?? 0)
        if gap < 0 { gap = 0 }
        let raw = gap / (config.c * squaredNorm + config.eps)
        let eta = raw > config.maxLR ? config.maxLR : raw   // NaN stays NaN
        lastStepSize = eta
        let step = context.learningRate * eta
        effectiveLearningRate = step
        for i in 0..<n {
            x[i] = x[i] - step * g[i]
        }
    }
}
