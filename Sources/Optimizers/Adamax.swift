import Foundation
import Specs

/// Adamax, Adam's infinity-norm variant (Kingma & Ba 2015, arXiv:1412.6980, Algorithm 2):
/// `torch.optim.Adamax`.
///
/// Follows `_single_tensor_adamax` in torch/optim/adamax.py (PyTorch 2.15.0), non-capturable path:
///
///     t ← t + 1;  g ← ∇f(x) + weight_decay·x
///     m ← lerp(m, g, 1 − β1);  u ← max(β2·u, |g| + eps);  x ← x − lr/(1 − β1ᵗ) · m/u
///
/// Note torch adds eps to |g| inside the maximum (the paper has no eps). A cycling schedule's
/// momentum replaces β1 (torch's OneCycleLR writes `betas[0]`).
public struct Adamax: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "adamax",
        summary: "Adamax: Adam with the infinity norm of past gradients in the denominator.",
        parameters: parameters.docs,
        reference: "torch.optim.Adamax (torch/optim/adamax.py, PyTorch 2.15); Kingma & Ba 2015, arXiv:1412.6980, Algorithm 2")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<Adamax>([
        .pair("betas", \.beta1, \.beta2, default: "0.9;0.999", .unitOpenAbove, "decay rates β1;β2 of the moment and the infinity norm, each in [0, 1)"),
        .number("eps", \.eps, default: "1e-8", .positive, "added to |g| inside the maximum (> 0)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var beta1 = 0.0
    public var beta2 = 0.0
    public var eps = 0.0
    public var weightDecay = 0.0

    public var defaultLearningRate: Double { 2e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        AdamaxState(config: self, initialPoint: initialPoint)
    }
}

final class AdamaxState: IterateState, OptimizerState {
    let config: Adamax
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    let expAvg: UnsafeMutablePointer<Double>
    let expInf: UnsafeMutablePointer<Double>
    var t = 0

    init(config: Adamax, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        expAvg = buffers.filled(n)
        expInf = buffers.filled(n)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        t += 1
        let beta1 = context.momentum ?? config.beta1
        let beta2 = config.beta2
        let eps = config.eps
        let wd = config.weightDecay
        let clr = context.learningRate / (1 - pow(beta1, Double(t)))
        for i in 0..<n {
            let d = l2Decayed(g[i], x[i], wd)
            expAvg[i] = torchLerp(expAvg[i], d, 1 - beta1)
            expInf[i] = Swift.max(expInf[i] * beta2, abs(d) + eps)
            x[i] = x[i] + (-clr) * (expAvg[i] / expInf[i])
        }
    }
}
