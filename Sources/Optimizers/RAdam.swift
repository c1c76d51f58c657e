import Foundation
import Specs

/// RAdam, rectified Adam (Liu et al. 2020, "On the Variance of the Adaptive Learning Rate and
/// Beyond", ICLR, arXiv:1908.03265): `torch.optim.RAdam`.
///
/// Follows `_single_tensor_radam` in torch/optim/radam.py (PyTorch 2.15.0), non-capturable path:
///
///     t ← t + 1;  g ← ∇f(x) + weight_decay·x  (decoupled: x ← (1 − lr·weight_decay)·x)
///     m ← lerp(m, g, 1 − β1);  v ← β2·v + (1 − β2)·g²;  m̂ = m/(1 − β1ᵗ)
///     ρ∞ = 2/(1 − β2) − 1;  ρₜ = ρ∞ − 2t·β2ᵗ/(1 − β2ᵗ)
///     ρₜ > 5:  x ← x − m̂·lr·√(1 − β2ᵗ)/(√v + eps)·r,  r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))
///     else:    x ← x − m̂·lr   (un-adapted momentum SGD)
///
/// A cycling schedule's momentum replaces β1 (torch's OneCycleLR writes `betas[0]`).
public struct RAdam: TabulatedOptimizer, AdamFamilyConfig {
    public static let catalog = CatalogEntry(
        name: "radam",
        summary: "RAdam: Adam whose adaptive rate is switched on once its variance is tractable (ρₜ > 5).",
        parameters: parameters.docs,
        reference: "torch.optim.RAdam (torch/optim/radam.py, PyTorch 2.15); Liu et al. 2020, arXiv:1908.03265")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<RAdam>(adamMomentEntries(weightDecay: "0", "weight decay (L2, or decoupled with decoupled_weight_decay)") + [
        .flag("decoupled_weight_decay", \.decoupledWeightDecay, default: false, "decay x ← (1 − lr·weight_decay)·x as AdamW does"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var beta1 = 0.0, beta2 = 0.0, eps = 0.0, weightDecay = 0.0
    public var decoupledWeightDecay = false

    public var defaultLearningRate: Double { 1e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        RAdamState(config: self, initialPoint: initialPoint)
    }
}

final class RAdamState: AdamMomentsState<Double>, IterateState, OptimizerState {
    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let s = beginStep(context)
        let lr = s.lr
        let biasCorrection1 = 1 - pow(s.beta1, s.step)
        let biasCorrection2 = 1 - pow(s.beta2, s.step)
        let rho = RAdamRho(beta2: s.beta2, step: s.step)
        let rectified = rho.t > 5.0
        let rect = rectified ? rho.rectification : 0
        let biasCorrection2Sqrt = pow(biasCorrection2, 0.5)
        for i in 0..<n {
            decayAndUpdateMoments(g[i], i, s)
            let corrected = expAvg[i] / biasCorrection1
            if rectified {
                let adaptive = biasCorrection2Sqrt / (expAvgSq[i].squareRoot() + s.eps)
                x[i] = x[i] + (-1.0) * (corrected * lr * adaptive * rect)
            } else {
                x[i] = x[i] + (-1.0) * (corrected * lr)
            }
        }
    }
}

/// RAdam's ρ at update t (Liu et al. 2020, arXiv:1908.03265), in the operation order of torch's
/// radam.py and of schedule_free's radam_schedulefree.py, which share it:
///
///     ρ∞ = 2/(1 − β2) − 1;  ρₜ = ρ∞ − 2t·β2ᵗ/(1 − β2ᵗ)
///     r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))   (used once ρₜ passes the caller's threshold)
struct RAdamRho {
    let inf: Double
    let t: Double

    @inline(__always)
    init(beta2: Double, step: Double) {
        let beta2T = pow(beta2, step)
        inf = 2 / (1 - beta2) - 1
        t = inf - 2 * step * beta2T / (1 - beta2T)
    }

    /// The rectification r.
    @inline(__always)
    var rectification: Double {
        pow((t - 4) * (t - 2) * inf / ((inf - 4) * (inf - 2) * t), 0.5)
    }
}
