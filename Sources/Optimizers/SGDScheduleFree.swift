import Foundation
import Specs

/// Schedule-Free SGD (Defazio et al. 2024, "The Road Less Scheduled", arXiv:2405.15682).
///
/// Follows `SGDScheduleFreeReference.step` in facebookresearch/schedule_free
/// schedulefree/sgd_schedulefree_reference.py (v1.4.1, commit 70785b5), which keeps x, y and z
/// explicitly; `SGDScheduleFree` in sgd_schedulefree.py is the same recursion with x eliminated.
/// With k = updates so far and lr the schedule's rate for this update:
///
///     lrₖ = lr·min(1, (k+1)/warmup_steps);  lr_max ← max(lr_max, lrₖ)  (lr_max starts at −1)
///     wₖ = (k+1)^r · lr_max^weight_lr_power;  W ← W + wₖ;  c = wₖ/W  (0 when W = 0)
///     g ← ∇f(y) + weight_decay·y;  z ← z − lrₖ·g;  x ← (1 − c)·x + c·z;  y ← β·x + (1 − β)·z
///
/// Gradients are taken at y (`gradientPoint`); the run reports x (`reportedPoint`).
/// The method is meant for a constant rate (the schedule is the warmup and the averaging);
/// a schedule's rate is used as torch's `group["lr"]` would be. `StepContext.momentum` is
/// ignored: β is the x/z interpolation weight, not a momentum a cycling schedule should change
/// (the reference's train()/eval() conversion between y and x assumes a fixed β).
public struct SGDScheduleFree: TabulatedOptimizer, WarmupScheduleFreeConfig {
    public static let catalog = CatalogEntry(
        name: "sgd_schedulefree",
        summary: "Schedule-Free SGD: gradients at y = (1−β)z + βx, report the weighted average x.",
        parameters: parameters.docs,
        reference: "Defazio et al. 2024, arXiv:2405.15682; facebookresearch/schedule_free schedulefree/sgd_schedulefree_reference.py (v1.4.1)")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<SGDScheduleFree>([
        .number("momentum", \.momentum, default: "0.9", .unitOpenAbove, "β, the interpolation y = (1−β)z + βx, in (0, 1)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient at y"),
    ] + scheduleFreeEntries)

    // Set from the spec by `parameters` (which holds the defaults).
    public var momentum = 0.0, weightDecay = 0.0, r = 0.0, weightLRPower = 0.0
    public var warmupSteps = 0

    func validate(_ spec: Spec) throws {
        if momentum <= 0 {
            throw SpecUsageError("\(spec.name): parameter 'momentum' must be in (0, 1), got \(momentum)")
        }
    }

    public var defaultLearningRate: Double { 1.0 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        SGDScheduleFreeState(config: self, initialPoint: initialPoint)
    }
}

final class SGDScheduleFreeState: ScheduleFreePoints<Double>, ScheduleFreeState, OptimizerState {
    let config: SGDScheduleFree

    init(config: SGDScheduleFree, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        super.init(config: config, initialPoint: initialPoint)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let sched = scheduleFreeWarmup(k, warmupSteps: config.warmupSteps)
        let lr = context.learningRate * sched
        let ckp1 = averageWeight(lr: lr)
        let beta = config.momentum
        let wd = config.weightDecay
        for i in 0..<n {
            let d = l2Decayed(g[i], y[i], wd)
            z[i] = z[i] + (-lr) * d
            x[i] = x[i] * (1 - ckp1) + ckp1 * z[i]
            y[i] = x[i] * beta + (1 - beta) * z[i]
        }
        k += 1
    }
}
