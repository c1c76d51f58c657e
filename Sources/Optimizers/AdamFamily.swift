import Specs

// What torch's Adam, AdamW, NAdam and RAdam share (torch/optim/adam.py, nadam.py, radam.py,
// PyTorch 2.15.0): their hyperparameters, and a state holding x, the moments m and v and the
// step count, whose updates begin alike (t ← t + 1, decay, then the moments) and differ after.

/// The hyperparameters of torch's Adam-family methods.
protocol AdamFamilyConfig {
    var beta1: Double { get set }
    var beta2: Double { get set }
    var eps: Double { get set }
    var weightDecay: Double { get set }
    /// AdamW's decay x ← (1 − lr·weight_decay)·x instead of the L2 term g + weight_decay·x.
    var decoupledWeightDecay: Bool { get }
}

extension AdamFamilyConfig {
    /// The entries `betas`, `eps` and `weight_decay`, in torch's order, with weight decay's
    /// default and doc.
    static func adamMomentEntries(weightDecay defaultText: String, _ doc: String) -> [ParameterTable<Self>.Entry] {
        [
            .pair("betas", \.beta1, \.beta2, default: "0.9;0.999", .unitOpenAbove, "decay rates β1;β2 of the moment estimates, each in [0, 1)"),
            .number("eps", \.eps, default: "1e-8", .positive, "added to the root of the second moment (> 0)"),
            .number("weight_decay", \.weightDecay, default: defaultText, .nonNegative, doc),
        ]
    }
}

/// One update's scalars in an Adam-family loop, read once before it: the schedule's rate, β1 (a
/// cycling schedule's momentum replaces it, as torch's OneCycleLR writes `betas[0]`), the
/// configured β2, eps and weight decay, and the step t as a Double.
struct AdamStep {
    let lr: Double, beta1: Double, beta2: Double, eps: Double, weightDecay: Double
    let decoupled: Bool
    let step: Double
}

/// The storage and the shared start of an Adam-family state: m (`exp_avg`), v
/// (`exp_avg_sq`) and t (`state["step"]`). Each method's state subclasses it and writes its own
/// `update`, which calls `beginStep` once and `decayAndUpdateMoments` for each coordinate.
class AdamMomentsState<S: LaneScalar>: ParameterState<S> {
    let beta1: Double
    let beta2: Double
    let eps: Double
    let weightDecay: Double
    let decoupledWeightDecay: Bool
    let expAvg: UnsafeMutablePointer<S>
    let expAvgSq: UnsafeMutablePointer<S>
    var t = 0

    /// `buffers` may already hold the subclass's own buffers (allocated before `super.init`).
    init(config: some AdamFamilyConfig, initialPoint: UnsafeBufferPointer<S>, buffers: StateBuffers = StateBuffers()) {
        beta1 = config.beta1
        beta2 = config.beta2
        eps = config.eps
        weightDecay = config.weightDecay
        decoupledWeightDecay = config.decoupledWeightDecay
        expAvg = buffers.filled(initialPoint.count)
        expAvgSq = buffers.filled(initialPoint.count)
        super.init(initialPoint: initialPoint, buffers: buffers)
    }

    /// t ← t + 1 and this update's scalars.
    @inline(__always)
    final func beginStep(_ context: StepContext) -> AdamStep {
        t += 1
        return AdamStep(lr: context.learningRate, beta1: context.momentum ?? beta1, beta2: beta2, eps: eps,
                        weightDecay: weightDecay, decoupled: decoupledWeightDecay, step: Double(t))
    }
}

extension AdamMomentsState where S == Double {
    /// Coordinate i as torch starts it: the weight decay (`adamDecayed`), then the moments
    /// (`updateAdamMoments`). Returns the gradient after decay.
    @inline(__always) @discardableResult
    final func decayAndUpdateMoments(_ g: Double, _ i: Int, _ s: AdamStep) -> Double {
        let d = adamDecayed(g, x, i, lr: s.lr, wd: s.weightDecay, decoupled: s.decoupled)
        updateAdamMoments(expAvg, expAvgSq, i, d, beta1: s.beta1, beta2: s.beta2)
        return d
    }
}
