import Foundation
import Specs

/// Adam-HD, Adam whose rate is learned online by hypergradient descent (Baydin, Cornish,
/// Martínez Rubio, Schmidt & Wood 2018, "Online Learning Rate Adaptation with Hypergradient
/// Descent", ICLR, arXiv:1703.04782, Algorithm 3).
///
/// Follows `AdamHD.step` of the authors' code (github.com/gbaydin/hypergradient-descent,
/// hypergrad/adam_hd.py, commit 020d608), operation by operation:
///
///     t ← t + 1;  g ← ∇f(x) + weight_decay·x                          (if weight_decay ≠ 0)
///     if t > 1:   h ← g·(m/(√v + eps))·√(1 − β2^(t−1))/(1 − β1^(t−1));   α ← α + hypergrad_lr·h
///     m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
///     x ← x − α·√(1 − β2ᵗ)/(1 − β1ᵗ) · m/(√v + eps)
///
/// Note eps is added to the uncorrected √v (the original Adam form), unlike torch.optim.Adam,
/// which adds it to √v/√(1 − β2ᵗ). The schedule's rate is handled as in SGD-HD: it gives
/// α₀ and its later changes are added to α (a constant schedule is the reference exactly).
/// Differences: the reference updates α once per parameter tensor with that tensor's part of
/// the hypergradient; here the problem's vector is one tensor, so once per update.
/// `StepContext.momentum` is ignored. Defaults as in the reference (lr 1e-3,
/// hypergrad_lr 1e-8). `effectiveLearningRate` is α (the rate in place of Adam's lr).
public struct AdamHD: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "adam_hd",
        summary: "Adam-HD: Adam whose rate α is learned by hypergradient descent (the schedule's rate is α₀, its changes are added).",
        parameters: parameters.docs,
        reference: "gbaydin/hypergradient-descent hypergrad/adam_hd.py (commit 020d608); Baydin et al. 2018, arXiv:1703.04782")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<AdamHD>([
        .number("hypergrad_lr", \.hypergradLR, default: "1e-8", .nonNegative, "hypergradient learning rate β of the rate α, >= 0 (0 is Adam)"),
        .pair("betas", \.beta1, \.beta2, default: "0.9;0.999", .unitOpenAbove, "decay rates β1;β2 of the moment estimates, each in [0, 1)"),
        .number("eps", \.eps, default: "1e-8", .positive, "added to the root of the (uncorrected) second moment, > 0"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient, >= 0"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var hypergradLR = 0.0, beta1 = 0.0, beta2 = 0.0, eps = 0.0, weightDecay = 0.0

    public var defaultLearningRate: Double { 1e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        AdamHDState(config: self, initialPoint: initialPoint)
    }
}

final class AdamHDState: HypergradientPoints, IterateState, OptimizerState {
    let config: AdamHD
    let expAvg: UnsafeMutablePointer<Double>
    let expAvgSq: UnsafeMutablePointer<Double>
    var t = 0

    init(config: AdamHD, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        let buffers = StateBuffers()
        expAvg = buffers.filled(initialPoint.count)
        expAvgSq = buffers.filled(initialPoint.count)
        super.init(initialPoint: initialPoint, buffers: buffers)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        rate.follow(schedule: context.learningRate)
        t += 1
        let beta1 = config.beta1
        let beta2 = config.beta2
        let eps = config.eps
        let wd = config.weightDecay
        for i in 0..<n {
            d[i] = l2Decayed(g[i], x[i], wd)
        }
        if t > 1 {
            let previousBiasCorrection1 = 1 - pow(beta1, Double(t - 1))
            let previousBiasCorrection2 = 1 - pow(beta2, Double(t - 1))
            var dot = 0.0
            for i in 0..<n { dot += d[i] * (expAvg[i] / (expAvgSq[i].squareRoot() + eps)) }
            let h = dot * previousBiasCorrection2.squareRoot() / previousBiasCorrection1
            rate.alpha += config.hypergradLR * h
        }
        let biasCorrection1 = 1 - pow(beta1, Double(t))
        let biasCorrection2 = 1 - pow(beta2, Double(t))
        let stepSize = rate.alpha * biasCorrection2.squareRoot() / biasCorrection1
        for i in 0..<n {
            expAvg[i] = expAvg[i] * beta1 + (1 - beta1) * d[i]
            expAvgSq[i] = expAvgSq[i] * beta2 + (1 - beta2) * (d[i] * d[i])
            let denom = expAvgSq[i].squareRoot() + eps
            x[i] = x[i] + (-stepSize) * (expAvg[i] / denom)
        }
    }
}
