import Foundation
import Specs

/// D-Adaptation SGD (Defazio & Mishchenko 2023, "Learning-Rate-Free Learning by D-Adaptation",
/// ICML, arXiv:2301.07733; the SGD form with momentum).
///
/// Follows `DAdaptSGD.step` in facebookresearch/dadaptation dadaptation/dadapt_sgd.py
/// (PyPI `dadaptation` 3.2), one parameter group. The schedule's rate is the reference's `lr`,
/// a multiplier on the adapted step (default 1). With k = updates so far:
///
///     k = 0:  ‖g₀‖ = ‖∇f(x₀)‖   (without weight decay: the reference adds it out of place there)
///     g ← ∇f(x) + weight_decay·x;  dlr = d·lr/‖g₀‖
///     N ← N + dlr·⟨g, s⟩;  s ← s + dlr·g;  d̂ = 2N/‖s‖;  d ← max(d, min(d̂, d·growth_rate))
///     z = x₀ − s;  x ← (1 − ck)·x + ck·z,  ck = 1 − momentum
///
/// d cannot change on the first update (s = 0 there, so N = 0). `effectiveLearningRate` is the
/// dlr = d·lr/‖g₀‖ the last update multiplied the gradient by.
///
/// Differences: a zero first gradient (‖g₀‖ = 0), or a rate ≤ 0, leaves the state unchanged
/// (the reference divides by zero, or reads an unset variable, and raises); so does an update
/// that leaves ‖s‖ = 0 (the reference divides by zero computing d̂). `StepContext.momentum`
/// is ignored (the method is meant to run at a constant multiplier).
public struct DAdaptSGD: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "dadapt_sgd",
        summary: "D-Adaptation SGD: the step d·lr/‖g₀‖ grows with a lower bound d on the distance to the solution.",
        parameters: parameters.docs,
        reference: "Defazio & Mishchenko 2023, arXiv:2301.07733; facebookresearch/dadaptation dadapt_sgd.py (PyPI dadaptation 3.2)")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<DAdaptSGD>([
        .number("momentum", \.momentum, default: "0", .unitOpenAbove, "momentum in [0, 1): x ← momentum·x + (1 − momentum)·(x₀ − s)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient (≥ 0)"),
        .number("d0", \.d0, default: "1e-6", .positive, "initial estimate of the distance D (> 0)"),
        .numberOrInfinity("growth_rate", \.growthRate, default: "inf", .atLeast(1), "bound d ≤ growth_rate·d on each update (≥ 1; inf: none)"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var momentum = 0.0, weightDecay = 0.0, d0 = 0.0, growthRate = 0.0

    /// The rate multiplies the adapted step, so 1 leaves it as is (the reference's default).
    public var defaultLearningRate: Double { 1.0 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        DAdaptSGDState(config: self, initialPoint: initialPoint)
    }
}

final class DAdaptSGDState: IterateState, OptimizerState {
    let config: DAdaptSGD
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    let x0: UnsafeMutablePointer<Double>
    let s: UnsafeMutablePointer<Double>
    var k = 0
    /// The distance estimate d and the numerator carried across updates.
    var estimate: DAdaptationEstimate
    var g0Norm = 0.0
    var effectiveLearningRate: Double?

    init(config: DAdaptSGD, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        estimate = DAdaptationEstimate(d0: config.d0)
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        x0 = buffers.copy(of: initialPoint)
        s = buffers.filled(n)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let lr = context.learningRate
        guard lr > 0 else { return }
        let decay = config.weightDecay
        let ck = 1 - config.momentum
        if k == 0 {
            var gSq = 0.0
            for i in 0..<n { gSq += g[i] * g[i] }
            g0Norm = gSq.squareRoot()
        }
        guard g0Norm > 0 else { return }
        let dlr = estimate.d * lr / g0Norm
        var numerator = estimate.numeratorWeighted
        var dotGS = 0.0
        for i in 0..<n {
            let gi = l2Decayed(g[i], x[i], decay)
            dotGS += gi * s[i]
        }
        numerator += dlr * dotGS
        var skSq = 0.0
        for i in 0..<n {
            let gi = l2Decayed(g[i], x[i], decay)
            s[i] = s[i] + dlr * gi
            skSq += s[i] * s[i]
        }
        if skSq == 0 { return }
        let dHat = 2 * numerator / skSq.squareRoot()
        estimate.accept(dHat: dHat, numerator: numerator, growthRate: config.growthRate)
        effectiveLearningRate = dlr
        for i in 0..<n {
            let z = x0[i] - s[i]
            x[i] = x[i] * (1 - ck) + ck * z
        }
        k += 1
    }
}
