import Foundation
import Specs

/// NAdam: Adam with Nesterov momentum (Dozat 2016, "Incorporating Nesterov Momentum into Adam",
/// ICLR workshop), with the momentum-decay schedule: `torch.optim.NAdam`.
///
/// Follows `_single_tensor_nadam` in torch/optim/nadam.py (PyTorch 2.15.0), non-capturable path:
///
///     t ← t + 1;  g ← ∇f(x) + weight_decay·x  (decoupled: x ← (1 − lr·weight_decay)·x)
///     μₜ = β1·(1 − ½·0.96^(t·ψ)),  μₜ₊₁ = β1·(1 − ½·0.96^((t+1)·ψ)),  Π ← Π·μₜ  (ψ = momentum_decay)
///     m ← lerp(m, g, 1 − β1);  v ← β2·v + (1 − β2)·g²;  d = √(v/(1 − β2ᵗ)) + eps
///     x ← x − lr·(1 − μₜ)/(1 − Π) · g/d − lr·μₜ₊₁/(1 − Π·μₜ₊₁) · m/d
///
/// Π (torch's `mu_product`, starting at 1) is state carried across steps. A cycling schedule's
/// momentum replaces β1 in μ and in the moment average (torch's OneCycleLR writes `betas[0]`).
public struct NAdam: TabulatedOptimizer, AdamFamilyConfig {
    public static let catalog = CatalogEntry(
        name: "nadam",
        summary: "NAdam: Adam with Nesterov momentum and a momentum-decay schedule.",
        parameters: parameters.docs,
        reference: "torch.optim.NAdam (torch/optim/nadam.py, PyTorch 2.15); Dozat 2016, ICLR workshop")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<NAdam>(adamMomentEntries(weightDecay: "0", "weight decay (L2, or decoupled with decoupled_weight_decay)") + [
        .number("momentum_decay", \.momentumDecay, default: "4e-3", .nonNegative, "ψ in μₜ = β1·(1 − ½·0.96^(t·ψ))"),
        .flag("decoupled_weight_decay", \.decoupledWeightDecay, default: false, "decay x ← (1 − lr·weight_decay)·x as AdamW does"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var beta1 = 0.0, beta2 = 0.0, eps = 0.0, weightDecay = 0.0, momentumDecay = 0.0
    public var decoupledWeightDecay = false

    public var defaultLearningRate: Double { 2e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        NAdamState(config: self, initialPoint: initialPoint)
    }
}

final class NAdamState: AdamMomentsState<Double>, IterateState, OptimizerState {
    let momentumDecay: Double
    /// torch's `state["mu_product"]`: the product of μ₁ … μₜ.
    var muProduct = 1.0

    init(config: NAdam, initialPoint: UnsafeBufferPointer<Double>) {
        momentumDecay = config.momentumDecay
        super.init(config: config, initialPoint: initialPoint)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let s = beginStep(context)
        let lr = s.lr
        let biasCorrection2 = 1 - pow(s.beta2, s.step)
        let mu = s.beta1 * (1.0 - 0.5 * pow(0.96, s.step * momentumDecay))
        let muNext = s.beta1 * (1.0 - 0.5 * pow(0.96, (s.step + 1) * momentumDecay))
        muProduct *= mu
        let muProductNext = muProduct * muNext
        let gradCoefficient = -lr * (1.0 - mu) / (1.0 - muProduct)
        let avgCoefficient = (-lr * muNext) / (1.0 - muProductNext)
        for i in 0..<n {
            let d = decayAndUpdateMoments(g[i], i, s)
            let denom = (expAvgSq[i] / biasCorrection2).squareRoot() + s.eps
            x[i] = x[i] + gradCoefficient * (d / denom)
            x[i] = x[i] + avgCoefficient * (expAvg[i] / denom)
        }
    }
}
