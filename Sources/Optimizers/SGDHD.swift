import Specs

/// SGD-HD, SGD whose rate is learned online by hypergradient descent (Baydin, Cornish, Martínez
/// Rubio, Schmidt & Wood 2018, "Online Learning Rate Adaptation with Hypergradient Descent",
/// ICLR, arXiv:1703.04782, Algorithm 2, with the momentum forms of torch's SGD).
///
/// Follows `SGDHD.step` of the authors' code (github.com/gbaydin/hypergradient-descent,
/// hypergrad/sgd_hd.py, commit 020d608), operation by operation:
///
///     g ← ∇f(x) + weight_decay·x                         (if weight_decay ≠ 0)
///     h ← g·u_prev                                       (u_prev = 0 before the first update)
///     α ← α + hypergrad_lr·h
///     if momentum ≠ 0:  b ← g on the first update, else b ← momentum·b + (1 − dampening)·g
///                       u ← g + momentum·b (nesterov) or u ← b;   else u ← g
///     u_prev ← u;   x ← x − α·u
///
/// The schedule's rate: the reference mutates its `lr` in place, so a torch scheduler would
/// overwrite the learned rate. Here the schedule gives the initial rate, α₀ = the schedule's
/// rate at the first update, and every later change of the schedule's rate is added to α
/// before the hypergradient step: α_t = η_t + hypergrad_lr·Σ_{k≤t} h_k. On a constant schedule
/// this is the reference exactly; the learned correction is the same whatever the schedule
/// (the hypergradient of an additive offset is the hypergradient of α). The reference has no
/// default lr (it is required); the default here, 1e-3, is the α₀ of the paper's experiments.
/// `StepContext.momentum` is ignored (the reference's momentum is not cycled). Numbers
/// (`hypergrad_lr` 1e-6 by default) as in the reference. `effectiveLearningRate` is α.
public struct SGDHD: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "sgd_hd",
        summary: "SGD-HD: SGD whose rate α is learned by hypergradient descent (the schedule's rate is α₀, its changes are added).",
        parameters: parameters.docs,
        reference: "gbaydin/hypergradient-descent hypergrad/sgd_hd.py (commit 020d608); Baydin et al. 2018, arXiv:1703.04782")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<SGDHD>([
        .number("hypergrad_lr", \.hypergradLR, default: "1e-6", .nonNegative, "hypergradient learning rate β of the rate α, >= 0 (0 is SGD)"),
        .number("momentum", \.momentum, default: "0", .unitOpenAbove, "momentum factor in [0, 1); 0 is plain SGD-HD"),
        .number("dampening", \.dampening, default: "0", .unit, "dampening for momentum in [0, 1]"),
        .flag("nesterov", \.nesterov, default: false, "Nesterov momentum (needs momentum > 0 and dampening = 0)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient, >= 0"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var hypergradLR = 0.0, momentum = 0.0, dampening = 0.0
    public var nesterov = false
    public var weightDecay = 0.0

    func validate(_ spec: Spec) throws {
        try checkNesterov(spec, nesterov: nesterov, momentum: momentum, dampening: dampening)
    }

    public var defaultLearningRate: Double { 1e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        SGDHDState(config: self, initialPoint: initialPoint)
    }
}

final class SGDHDState: HypergradientPoints, IterateState, OptimizerState {
    let config: SGDHD
    let previous: UnsafeMutablePointer<Double>
    var momentumBuffer: SGDMomentumBuffer<Double>

    init(config: SGDHD, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        let buffers = StateBuffers()
        previous = buffers.filled(initialPoint.count)
        momentumBuffer = SGDMomentumBuffer(buffers, initialPoint.count)
        super.init(initialPoint: initialPoint, buffers: buffers)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        rate.follow(schedule: context.learningRate)
        let wd = config.weightDecay
        var h = 0.0
        for i in 0..<n {
            d[i] = l2Decayed(g[i], x[i], wd)
            h += d[i] * previous[i]
        }
        rate.alpha += config.hypergradLR * h
        let alpha = rate.alpha
        let momentum = momentumBuffer.begin(momentum: config.momentum, dampening: config.dampening, nesterov: config.nesterov)
        for i in 0..<n {
            let u = momentum.direction(d[i], i)
            previous[i] = u
            x[i] = x[i] + (-alpha) * u
        }
    }
}

/// The storage of a hypergradient state (SGD-HD, Adam-HD): x, d (the gradient after L2 weight
/// decay, which the hypergradient reads) and the learned rate α, which is the effective rate.
class HypergradientPoints: ParameterState<Double> {
    let d: UnsafeMutablePointer<Double>
    var rate = HypergradientRate()

    /// `buffers` may already hold the subclass's own buffers (allocated before `super.init`).
    override init(initialPoint: UnsafeBufferPointer<Double>, buffers: StateBuffers) {
        d = buffers.filled(initialPoint.count)
        super.init(initialPoint: initialPoint, buffers: buffers)
    }

    var effectiveLearningRate: Double? { rate.started ? rate.alpha : nil }
}

/// The rate α of a hypergradient method: starts at the schedule's first rate; each later
/// change of the schedule's rate is added to it (α ← α + (η_t − η_{t−1})) before the
/// hypergradient step, so a constant schedule leaves α to the hypergradient alone.
struct HypergradientRate {
    var alpha = 0.0
    var schedule = 0.0
    var started = false

    mutating func follow(schedule eta: Double) {
        if started {
            alpha = alpha + (eta - schedule)
        } else {
            alpha = eta
            started = true
        }
        schedule = eta
    }
}
