import Foundation
import Specs

/// Schedule-Free AdamW (Defazio et al. 2024, "The Road Less Scheduled", arXiv:2405.15682).
///
/// Follows `AdamWScheduleFreeReference.step` in facebookresearch/schedule_free
/// schedulefree/adamw_schedulefree_reference.py (v1.4.1, commit 70785b5; `decay_at_z=False`,
/// `inner_momentum=0`), which keeps x, y and z explicitly; `AdamWScheduleFree` in
/// adamw_schedulefree.py is the same recursion with x eliminated. With k = updates so far:
///
///     lrₖ = lr·min(1, (k+1)/warmup_steps);  lr_max ← max(lr_max, lrₖ)  (lr_max starts at −1)
///     wₖ = (k+1)^r · lr_max^weight_lr_power;  W ← W + wₖ;  c = wₖ/W  (0 when W = 0)
///     z ← z − lrₖ·weight_decay·y;  v ← β2·v + (1 − β2)·g²;  d = √(v/(1 − β2^(k+1))) + eps
///     z ← z − lrₖ·g/d;  x ← (1 − c)·x + c·z;  y ← β1·x + (1 − β1)·z
///
/// Since v1.3 (commit 59ed9b6, Nov 2024) the bias correction divides v inside the root; before,
/// it was folded into the rate (lrₖ·√(1 − β2^(k+1)), which also entered lr_max) with d = √v + eps.
/// We follow the current reference. Gradients are taken at y, the run reports x. The default
/// rate 0.0025 is the reference's. `StepContext.momentum` is ignored (β1 is the x/z interpolation).
public struct AdamWScheduleFree: TabulatedOptimizer, WarmupScheduleFreeConfig {
    public static let catalog = CatalogEntry(
        name: "adamw_schedulefree",
        summary: "Schedule-Free AdamW: Adam-normalised steps on z, gradients at y, report the average x.",
        parameters: parameters.docs,
        reference: "Defazio et al. 2024, arXiv:2405.15682; facebookresearch/schedule_free schedulefree/adamw_schedulefree_reference.py (v1.4.1)")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<AdamWScheduleFree>([
        .pair("betas", \.beta1, \.beta2, default: "0.9;0.999", .unitOpenAbove, "β1 (interpolation y = (1−β1)z + β1x) ; β2 (second-moment decay), each in [0, 1)"),
        .number("eps", \.eps, default: "1e-8", .positive, "added to the root of the second moment (> 0)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "decoupled decay evaluated at y: z ← z − lr·weight_decay·y"),
    ] + scheduleFreeEntries)

    // Set from the spec by `parameters` (which holds the defaults).
    public var beta1 = 0.0, beta2 = 0.0, eps = 0.0, weightDecay = 0.0, r = 0.0, weightLRPower = 0.0
    public var warmupSteps = 0

    public var defaultLearningRate: Double { 0.0025 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        AdamWScheduleFreeState64(config: self, initialPoint: initialPoint)
    }
    public func makeFloat32State(initialPoint: UnsafeBufferPointer<Float>) -> (any TypedOptimizerState<Float>)? {
        AdamWScheduleFreeState(config: self, initialPoint: initialPoint)
    }
}

class AdamWScheduleFreeState<S: LaneScalar>: ScheduleFreePoints<S>, ScheduleFreeState {
    let config: AdamWScheduleFree
    let expAvgSq: UnsafeMutablePointer<S>

    init(config: AdamWScheduleFree, initialPoint: UnsafeBufferPointer<S>) {
        self.config = config
        let buffers = StateBuffers()
        expAvgSq = buffers.filled(initialPoint.count)
        super.init(config: config, initialPoint: initialPoint, buffers: buffers)
    }

    /// Specialised for both scalars: the state is reached through an existential, whose calls would
    /// otherwise run the unspecialised generic body.
    @_specialize(where S == Double) @_specialize(where S == Float)
    func update(gradient g: UnsafeBufferPointer<S>, context: StepContext) { step(g, context) }

    @inline(__always) final func step(_ g: UnsafeBufferPointer<S>, _ context: StepContext) {
        let beta1 = config.beta1
        let beta2 = config.beta2
        let eps = config.eps
        let decay = config.weightDecay
        let sched = scheduleFreeWarmup(k, warmupSteps: config.warmupSteps)
        let biasCorrection2 = 1 - pow(beta2, Double(k + 1))
        let lr = context.learningRate * sched
        let ckp1 = averageWeight(lr: lr)
        forEachLane(n, AdamWScheduleFreeLanes<S>(x: x, y: y, z: z, v: expAvgSq, g: g.baseAddress!, lr: lr, decay: decay, beta1: beta1,
                                              beta2: beta2, eps: eps, biasCorrection2: biasCorrection2, ckp1: ckp1))
        k += 1
    }
}

/// AdamW schedule-free's coordinate update, lanes at a time (`forEachLane`), in the reference's order.
struct AdamWScheduleFreeLanes<Scalar: LaneScalar>: LaneBody {
    let x, y, z, v: UnsafeMutablePointer<Scalar>
    let g: UnsafePointer<Scalar>
    let lr, decay, beta1, beta2, eps, biasCorrection2, ckp1: Double

    @inline(__always) func callAsFunction<V: Lane>(_: V.Type, _ i: Int) where V.Scalar == Scalar {
        var zi: V = z.lane(i)
        if decay != 0 { zi = zi + V(repeating: -(lr * decay)) * y.lane(i) }
        let d: V = g.lane(i)
        let vi = v.lane(i) * V(repeating: beta2) + V(repeating: 1 - beta2) * d * d
        v.setLane(i, vi)
        let denom = (vi / V(repeating: biasCorrection2)).squareRoot() + V(repeating: eps)
        zi = zi + V(repeating: -lr) * d / denom
        z.setLane(i, zi)
        let xi = x.lane(i) * V(repeating: 1 - ckp1) + V(repeating: ckp1) * zi
        x.setLane(i, xi)
        y.setLane(i, xi * V(repeating: beta1) + V(repeating: 1 - beta1) * zi)
    }
}

extension AdamWScheduleFreeState: OptimizerState where S == Double {}

/// The float64 state, its update reached through the vtable (`AdamState64` says why).
final class AdamWScheduleFreeState64: AdamWScheduleFreeState<Double> {
    override func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) { step(g, context) }
}
