import Foundation
import Specs

/// D-Adaptation Adam (Defazio & Mishchenko 2023, "Learning-Rate-Free Learning by D-Adaptation",
/// ICML, arXiv:2301.07733; the Adam form).
///
/// Follows `DAdaptAdam.step` in facebookresearch/dadaptation dadaptation/dadapt_adam.py
/// (PyPI `dadaptation` 3.2), one parameter group, `layer_scale` 1. The schedule's rate is the
/// reference's `lr`, a multiplier on the adapted step (default 1). With k = updates so far:
///
///     bc = √(1 − β2^(k+1))/(1 − β1^(k+1)) with use_bias_correction, else 1;  dlr = d·lr·bc
///     g ← ∇f(x) + weight_decay·x  (unless decouple)
///     A = dlr·⟨g, s/(√v + eps)⟩   (v before its update)
///     m ← β1·m + dlr(1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  s ← √β2·s + dlr(1 − √β2)·g
///     N ← √β2·N + (1 − √β2)·A;  d̂ = N/((1 − √β2)·‖s‖₁);  d ← max(d, min(d̂, d·growth_rate))
///     decouple: x ← x − weight_decay·dlr·x;   x ← x − m/(√v + eps)
///
/// d cannot change on the first update (s = 0 there, so N = 0). `effectiveLearningRate` is the
/// dlr of the last update (m carries it, so the step is dlr times an Adam direction).
///
/// Differences: a rate ≤ 0 leaves the state unchanged (the reference does the same: nothing
/// accumulates and ‖s‖₁ = 0 returns early). As in the reference, an update with ‖s‖₁ = 0 (zero
/// gradients so far) decays m, v and s but is not counted. `StepContext.momentum` is ignored.
public struct DAdaptAdam: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "dadapt_adam",
        summary: "D-Adaptation Adam: Adam whose step d·lr grows with a lower bound d on the distance to the solution.",
        parameters: parameters.docs,
        reference: "Defazio & Mishchenko 2023, arXiv:2301.07733; facebookresearch/dadaptation dadapt_adam.py (PyPI dadaptation 3.2)")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<DAdaptAdam>([
        .pair("betas", \.beta1, \.beta2, default: "0.9;0.999", .unitOpenAbove, "decay rates β1;β2 of the moment estimates, each in [0, 1)"),
        .number("eps", \.eps, default: "1e-8", .positive, "added to the root of the second moment (> 0)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "weight decay (≥ 0): L2 in the gradient, or decoupled with decouple"),
        .flag("decouple", \.decouple, default: false, "decay x ← x − weight_decay·dlr·x instead of adding it to the gradient"),
        .flag("use_bias_correction", \.useBiasCorrection, default: false, "scale dlr by √(1 − β2^(k+1))/(1 − β1^(k+1))"),
        .number("d0", \.d0, default: "1e-6", .positive, "initial estimate of the distance D (> 0)"),
        .numberOrInfinity("growth_rate", \.growthRate, default: "inf", .atLeast(1), "bound d ≤ growth_rate·d on each update (≥ 1; inf: none)"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var beta1 = 0.0, beta2 = 0.0, eps = 0.0, weightDecay = 0.0
    public var decouple = false, useBiasCorrection = false
    public var d0 = 0.0, growthRate = 0.0

    /// The rate multiplies the adapted step, so 1 leaves it as is (the reference's default).
    public var defaultLearningRate: Double { 1.0 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        DAdaptAdamState(config: self, initialPoint: initialPoint)
    }
}

final class DAdaptAdamState: IterateState, OptimizerState {
    let config: DAdaptAdam
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    let s: UnsafeMutablePointer<Double>
    let expAvg: UnsafeMutablePointer<Double>
    let expAvgSq: UnsafeMutablePointer<Double>
    var k = 0
    /// The distance estimate d and the numerator carried across updates.
    var estimate: DAdaptationEstimate
    var effectiveLearningRate: Double?

    init(config: DAdaptAdam, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        estimate = DAdaptationEstimate(d0: config.d0)
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        s = buffers.filled(n)
        expAvg = buffers.filled(n)
        expAvgSq = buffers.filled(n)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let lr = context.learningRate
        guard lr > 0 else { return }
        let beta1 = config.beta1
        let beta2 = config.beta2
        let eps = config.eps
        let decay = config.weightDecay
        let l2 = config.decouple ? 0 : decay   // the L2 weight in the gradient
        let biasCorrection = adaptedBiasCorrection(beta1: beta1, beta2: beta2, k: k, enabled: config.useBiasCorrection)
        let dlr = estimate.d * lr * biasCorrection
        let sqrtBeta2 = pow(beta2, 0.5)
        var dotAcc = 0.0
        var skL1 = 0.0
        for i in 0..<n {
            let gi = l2Decayed(g[i], x[i], l2)
            dotAcc += gi * (s[i] / (expAvgSq[i].squareRoot() + eps))
        }
        let numeratorAcc = 0.0 + dlr * dotAcc
        for i in 0..<n {
            let gi = l2Decayed(g[i], x[i], l2)
            expAvg[i] = expAvg[i] * beta1 + (dlr * (1 - beta1)) * gi
            expAvgSq[i] = expAvgSq[i] * beta2 + (1 - beta2) * gi * gi
            s[i] = s[i] * sqrtBeta2 + (dlr * (1 - sqrtBeta2)) * gi
            skL1 += abs(s[i])
        }
        let numerator = sqrtBeta2 * estimate.numeratorWeighted + (1 - sqrtBeta2) * numeratorAcc
        if skL1 == 0 { return }
        let dHat = numerator / ((1 - sqrtBeta2) * skL1)
        estimate.accept(dHat: dHat, numerator: numerator, growthRate: config.growthRate)
        effectiveLearningRate = dlr
        let decoupled = decay != 0 && config.decouple
        forEachLane(n, AdaptiveStepLanes(x: x, m: expAvg, v: expAvgSq, g: g.baseAddress!, l2: 0, eps: eps,
                                         decoupled: decoupled, decay: -decay * dlr, step: -1.0))
        k += 1
    }
}
