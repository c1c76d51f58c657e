import Foundation
import Specs

/// Schedule-Free RAdam (Defazio et al. 2024, "The Road Less Scheduled", arXiv:2405.15682, with
/// the rectification of RAdam, Liu et al. 2020, arXiv:1908.03265).
///
/// Follows the single-tensor path (`foreach=False`) of `RAdamScheduleFree.step` in
/// facebookresearch/schedule_free schedulefree/radam_schedulefree.py (v1.4.1), which keeps y
/// and z (there is no reference form keeping x). With k = updates so far, t = k + 1:
///
///     ρ∞ = 2/(1 − β2) − 1;  ρₜ = ρ∞ − 2t·β2ᵗ/(1 − β2ᵗ)
///     rect = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)) if ρₜ > 4, else 0 (1 if not silent_sgd_phase)
///     lrₖ = lr·rect;  lr_max ← max(lr_max, lrₖ)  (starts at −1);  wₖ = t^r·lr_max^weight_lr_power
///     W ← W + wₖ;  c = wₖ/W  (0 when W = 0)
///     v ← β2·v + (1 − β2)·g²;  ĝ = g/(√(v/(1 − β2ᵗ)) + eps) if ρₜ > 4, else g;  ĝ ← ĝ + weight_decay·y
///     y ← lerp(y, z, c);  y ← y + lrₖ(β1(1 − c) − 1)·ĝ;  z ← z − lrₖ·ĝ
///
/// Gradients are taken at y; the run reports x = lerp(y, z, 1 − 1/β1), the point the reference's
/// `eval()` writes (computed into its own buffer, so y is not disturbed by the round trip). By
/// default (silent_sgd_phase) nothing moves while ρₜ ≤ 4 (the first 4 updates for β2 = 0.999):
/// lrₖ = 0 there, and only v accumulates. `effectiveLearningRate` is lrₖ = lr·rect, the
/// reference's `scheduled_lr`. β1 must be in (0, 1): x is y and z extrapolated by 1/β1.
/// `StepContext.momentum` is ignored, as for the other schedule-free methods.
public struct RAdamScheduleFree: TabulatedOptimizer, ScheduleFreeConfig {
    public static let catalog = CatalogEntry(
        name: "radam_schedulefree",
        summary: "Schedule-Free RAdam: rectified Adam steps on z (no warm-up), gradients at y, report the average x.",
        parameters: parameters.docs,
        reference: "Defazio et al. 2024, arXiv:2405.15682; facebookresearch/schedule_free schedulefree/radam_schedulefree.py (v1.4.1)")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<RAdamScheduleFree>([
        .pair("betas", \.beta1, \.beta2, default: "0.9;0.999", .unitOpenAbove, "β1 (interpolation, in (0, 1)) ; β2 (second-moment decay, in [0, 1))"),
        .number("eps", \.eps, default: "1e-8", .positive, "added to the root of the second moment (> 0)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty at y added to the normalised gradient (≥ 0)"),
        .number("r", \.r, default: "0", .nonNegative, "polynomial weighting t^r of the average (≥ 0)"),
        .number("weight_lr_power", \.weightLRPower, default: "2", .nonNegative, "weights in the average are lr_max^weight_lr_power (≥ 0)"),
        .flag("silent_sgd_phase", \.silentSGDPhase, default: true, "do not move while ρₜ ≤ 4 (false: plain SGD steps there)"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var beta1 = 0.0, beta2 = 0.0, eps = 0.0, weightDecay = 0.0, r = 0.0, weightLRPower = 0.0
    public var silentSGDPhase = false

    func validate(_ spec: Spec) throws {
        if beta1 <= 0 {
            throw SpecUsageError("\(spec.name): parameter 'betas' must have β1 in (0, 1), got \(beta1)")
        }
    }

    public var defaultLearningRate: Double { 0.0025 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        RAdamScheduleFreeState(config: self, initialPoint: initialPoint)
    }
}

final class RAdamScheduleFreeState: ScheduleFreePoints<Double>, ScheduleFreeState, OptimizerState {
    let config: RAdamScheduleFree
    let expAvgSq: UnsafeMutablePointer<Double>
    var effectiveLearningRate: Double?

    init(config: RAdamScheduleFree, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        let buffers = StateBuffers()
        expAvgSq = buffers.filled(initialPoint.count)
        super.init(config: config, initialPoint: initialPoint, buffers: buffers)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let beta1 = config.beta1
        let beta2 = config.beta2
        let eps = config.eps
        let decay = config.weightDecay
        let step = Double(k + 1)
        let biasCorrection2 = 1 - pow(beta2, step)
        let rho = RAdamRho(beta2: beta2, step: step)
        let adaptive = rho.t > 4.0
        let rect = adaptive ? rho.rectification : (config.silentSGDPhase ? 0.0 : 1.0)
        let lr = context.learningRate * rect
        effectiveLearningRate = lr
        let ckp1 = averageWeight(lr: lr)
        let adaptiveYLR = lr * (beta1 * (1 - ckp1) - 1)
        let toX = 1 - 1 / beta1
        for i in 0..<n {
            let gi = g[i]
            expAvgSq[i] = expAvgSq[i] * beta2 + (1 - beta2) * gi * gi
            var normalized = adaptive ? gi / ((expAvgSq[i] / biasCorrection2).squareRoot() + eps) : gi
            if decay != 0 { normalized = normalized + decay * y[i] }
            y[i] = torchLerp(y[i], z[i], ckp1)
            y[i] = y[i] + adaptiveYLR * normalized
            z[i] = z[i] + (-lr) * normalized
            x[i] = torchLerp(y[i], z[i], toX)
        }
        k += 1
    }
}
