import Foundation
import Specs

/// Prodigy (Mishchenko & Defazio 2024, "Prodigy: An Expeditiously Adaptive Parameter-Free
/// Learner", ICML, arXiv:2306.06101; the Adam form).
///
/// Follows `Prodigy.step` in konstmish/prodigy prodigyopt/prodigy.py (PyPI `prodigyopt` 1.1.2),
/// one parameter group. The schedule's rate is the reference's `lr`, a multiplier on the adapted
/// step (default 1). With k = updates so far, β3 = beta3 or √β2, and Sₚ the coordinates
/// 0, slice_p, 2·slice_p, … used to estimate d:
///
///     bc = √(1 − β2^(k+1))/(1 − β1^(k+1)) with use_bias_correction, else 1;  dlr = d·lr·bc
///     g ← ∇f(x) + weight_decay·x  (unless decouple)
///     N ← β3·N + (d/d0)·dlr·⟨g, x₀ − x⟩ over Sₚ
///     m ← β1·m + d(1 − β1)·g  (when β1 > 0);  v ← β2·v + d²(1 − β2)·g²
///     s ← β3·s + (d/d0)·dlr·g over Sₚ  (safeguard_warmup: (d/d0)·d·g);  d̂ = d_coef·N/‖s‖₁
///     d = d0: d ← max(d, d̂);   d_max ← max(d_max, d̂);   d ← min(d_max, d·growth_rate)
///     decouple: x ← x − weight_decay·dlr·x;   x ← x − dlr·m/(√v + d·eps)   (β1 = 0: dlr·d·g/…)
///
/// with dlr and the d in m, v, s the values before the update, and d·eps, β1 = 0's d the new d.
/// d cannot change on the first update (x = x₀ there, so N = 0). `effectiveLearningRate` is the
/// dlr of the last update (the step is dlr·m/(√v + d·eps), m and √v both scaled by d).
///
/// Differences: a rate ≤ 0 leaves the state unchanged (as in the reference, where nothing
/// accumulates and ‖s‖₁ = 0 returns early). As in the reference, an update with ‖s‖₁ = 0 (zero
/// gradients so far) decays m, v and s but is not counted. `fsdp_in_use` (a distributed option)
/// is left out. `StepContext.momentum` is ignored.
public struct Prodigy: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "prodigy",
        summary: "Prodigy: Adam with step d·lr, d estimated from the distance travelled (D-Adaptation, faster growth).",
        parameters: parameters.docs,
        reference: "Mishchenko & Defazio 2024, arXiv:2306.06101; konstmish/prodigy prodigyopt/prodigy.py (PyPI prodigyopt 1.1.2)")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<Prodigy>([
        .pair("betas", \.beta1, \.beta2, default: "0.9;0.999", .unitOpenAbove, "decay rates β1;β2 of the moment estimates, each in [0, 1)"),
        .optional("beta3", \.beta3, .unitOpenAbove, "decay of the d estimate's numerator and of s, in [0, 1); none: √β2"),
        .number("eps", \.eps, default: "1e-8", .positive, "added (times d) to the root of the second moment (> 0)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "weight decay (≥ 0), decoupled unless decouple=false"),
        .flag("decouple", \.decouple, default: true, "decay x ← x − weight_decay·dlr·x, else add weight_decay·x to the gradient"),
        .flag("use_bias_correction", \.useBiasCorrection, default: false, "scale dlr by √(1 − β2^(k+1))/(1 − β1^(k+1))"),
        .flag("safeguard_warmup", \.safeguardWarmup, default: false, "accumulate s with d instead of dlr (steadier under a warm-up)"),
        .number("d0", \.d0, default: "1e-6", .positive, "initial estimate of the distance D (> 0)"),
        .number("d_coef", \.dCoef, default: "1", .positive, "multiplies the estimate d̂ (> 0)"),
        .numberOrInfinity("growth_rate", \.growthRate, default: "inf", .atLeast(1), "bound d ≤ growth_rate·d on each update (≥ 1; inf: none)"),
        .integer("slice_p", \.sliceP, default: "1", .atLeast(1), "estimate d from every slice_p-th coordinate (whole number ≥ 1)"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var beta1 = 0.0, beta2 = 0.0
    /// nil: √β2, the reference's `beta3=None`.
    public var beta3: Double?
    public var eps = 0.0, weightDecay = 0.0
    public var decouple = false, useBiasCorrection = false, safeguardWarmup = false
    public var d0 = 0.0, dCoef = 0.0, growthRate = 0.0
    public var sliceP = 1

    /// The rate multiplies the adapted step, so 1 leaves it as is (the reference's default).
    public var defaultLearningRate: Double { 1.0 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        ProdigyState(config: self, initialPoint: initialPoint)
    }
}

final class ProdigyState: IterateState, OptimizerState {
    let config: Prodigy
    let n: Int
    /// The number of coordinates in Sₚ: ⌈n/slice_p⌉.
    let m: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    /// x₀ on Sₚ (m entries) and s on Sₚ.
    let x0: UnsafeMutablePointer<Double>
    let s: UnsafeMutablePointer<Double>
    let expAvg: UnsafeMutablePointer<Double>
    let expAvgSq: UnsafeMutablePointer<Double>
    var k = 0
    /// The distance estimate d (starts at d0) and its running maximum bound d_max.
    var d: Double
    var dMax: Double
    var dNumerator = 0.0
    var effectiveLearningRate: Double?

    init(config: Prodigy, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        d = config.d0
        dMax = config.d0
        n = initialPoint.count
        m = (n + config.sliceP - 1) / config.sliceP
        x = buffers.copy(of: initialPoint)
        x0 = buffers.filled(m)
        for j in 0..<m { x0[j] = initialPoint[j * config.sliceP] }
        s = buffers.filled(m)
        expAvg = buffers.filled(n)
        expAvgSq = buffers.filled(n)
    }

    @inline(__always)
    private func gradient(_ g: UnsafeBufferPointer<Double>, _ i: Int, coupled: Bool) -> Double {
        l2Decayed(g[i], x[i], coupled ? config.weightDecay : 0)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let lr = context.learningRate
        guard lr > 0 else { return }
        let beta1 = config.beta1
        let beta2 = config.beta2
        let beta3 = config.beta3 ?? beta2.squareRoot()
        let eps = config.eps
        let decay = config.weightDecay
        let coupled = decay != 0 && !config.decouple
        let sliceP = config.sliceP
        let d0 = config.d0
        let biasCorrection = adaptedBiasCorrection(beta1: beta1, beta2: beta2, k: k, enabled: config.useBiasCorrection)
        let dlr = d * lr * biasCorrection
        let numerator = dNumerator * beta3
        var dotAcc = 0.0
        for j in 0..<m {
            let i = j * sliceP
            dotAcc += gradient(g, i, coupled: coupled) * (x0[j] - x[i])
        }
        let deltaNumerator = 0.0 + (d / d0) * dlr * dotAcc
        forEachLane(n, ProdigyMomentLanes(x: x, m: beta1 > 0 ? expAvg : nil, v: expAvgSq, g: g.baseAddress!,
                                          l2: coupled ? decay : 0, mScale: d * (1 - beta1), beta1: beta1,
                                          vScale: d * d * (1 - beta2), beta2: beta2))
        let sAlpha = config.safeguardWarmup ? (d / d0) * d : (d / d0) * dlr
        var sL1 = 0.0
        for j in 0..<m {
            s[j] = s[j] * beta3 + sAlpha * gradient(g, j * sliceP, coupled: coupled)
            sL1 += abs(s[j])
        }
        let dDenom = 0.0 + sL1
        if dDenom == 0 { return }
        let globalNumerator = numerator + deltaNumerator
        let dHat = config.dCoef * globalNumerator / dDenom
        var dNew = d
        if dNew == d0 { dNew = Swift.max(dNew, dHat) }
        dMax = Swift.max(dMax, dHat)
        dNew = Swift.min(dMax, dNew * config.growthRate)
        dNumerator = globalNumerator
        d = dNew
        effectiveLearningRate = dlr
        let decoupled = decay != 0 && config.decouple
        forEachLane(n, AdaptiveStepLanes(x: x, m: beta1 > 0 ? expAvg : nil, v: expAvgSq, g: g.baseAddress!, l2: coupled ? decay : 0,
                                         eps: dNew * eps, decoupled: decoupled, decay: -decay * dlr, step: beta1 > 0 ? -dlr : -dlr * dNew))
        k += 1
    }
}

/// Prodigy's moments, lanes at a time (`forEachLane`): m ← β1·m + d(1 − β1)·g (when m is kept),
/// v ← β2·v + d²(1 − β2)·g·g, g with its L2 term.
struct ProdigyMomentLanes: LaneBody {
    let x: UnsafeMutablePointer<Double>
    let m: UnsafeMutablePointer<Double>?
    let v: UnsafeMutablePointer<Double>
    let g: UnsafePointer<Double>
    let l2, mScale, beta1, vScale, beta2: Double

    typealias Scalar = Double

    @inline(__always) func callAsFunction<V: Lane>(_: V.Type, _ i: Int) where V.Scalar == Double {
        let gi = l2Decayed(g.lane(i), x.lane(i, as: V.self), l2)
        if let m { m.setLane(i, m.lane(i) * V(repeating: beta1) + V(repeating: mScale) * gi) }
        v.setLane(i, v.lane(i) * V(repeating: beta2) + V(repeating: vScale) * gi * gi)
    }
}
