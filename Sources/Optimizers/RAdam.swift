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
public struct RAdam: Optimizer {
    public static let catalog = CatalogEntry(
        name: "radam",
        summary: "RAdam: Adam whose adaptive rate is switched on once its variance is tractable (ρₜ > 5).",
        parameters: parameters.docs,
        reference: "torch.optim.RAdam (torch/optim/radam.py, PyTorch 2.15); Liu et al. 2020, arXiv:1908.03265")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<RAdam>([
        .pair("betas", \.beta1, \.beta2, default: "0.9;0.999", .unitOpenAbove, "decay rates β1;β2 of the moment estimates, each in [0, 1)"),
        .number("eps", \.eps, default: "1e-8", .positive, "added to the root of the second moment (> 0)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "weight decay (L2, or decoupled with decoupled_weight_decay)"),
        .flag("decoupled_weight_decay", \.decoupledWeightDecay, default: false, "decay x ← (1 − lr·weight_decay)·x as AdamW does"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var beta1 = 0.0, beta2 = 0.0, eps = 0.0, weightDecay = 0.0
    public var decoupledWeightDecay = false

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
    }

    public var spec: Spec { Self.parameters.spec(Self.catalog.name, self) }

    public var defaultLearningRate: Double { 1e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        RAdamState(config: self, initialPoint: initialPoint)
    }
}

final class RAdamState: IterateState {
    let config: RAdam
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    let expAvg: UnsafeMutablePointer<Double>
    let expAvgSq: UnsafeMutablePointer<Double>
    var t = 0

    init(config: RAdam, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        expAvg = buffers.filled(n)
        expAvgSq = buffers.filled(n)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        t += 1
        let lr = context.learningRate
        let beta1 = context.momentum ?? config.beta1
        let beta2 = config.beta2
        let eps = config.eps
        let wd = config.weightDecay
        let decoupled = config.decoupledWeightDecay
        let step = Double(t)
        let biasCorrection1 = 1 - pow(beta1, step)
        let biasCorrection2 = 1 - pow(beta2, step)
        let rho = RAdamRho(beta2: beta2, step: step)
        let rectified = rho.t > 5.0
        let rect = rectified ? rho.rectification : 0
        let biasCorrection2Sqrt = pow(biasCorrection2, 0.5)
        for i in 0..<n {
            let d = adamDecayed(g[i], x, i, lr: lr, wd: wd, decoupled: decoupled)
            updateAdamMoments(expAvg, expAvgSq, i, d, beta1: beta1, beta2: beta2)
            let corrected = expAvg[i] / biasCorrection1
            if rectified {
                let adaptive = biasCorrection2Sqrt / (expAvgSq[i].squareRoot() + eps)
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
