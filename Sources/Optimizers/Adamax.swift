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
public struct Adamax: Optimizer {
    public static let catalog = CatalogEntry(
        name: "adamax",
        summary: "Adamax: Adam with the infinity norm of past gradients in the denominator.",
        parameters: [
            ParameterDoc("betas", "0.9;0.999", "decay rates β1;β2 of the moment and the infinity norm, each in [0, 1)"),
            ParameterDoc("eps", "1e-8", "added to |g| inside the maximum (> 0)"),
            ParameterDoc("weight_decay", "0", "L2 penalty added to the gradient"),
        ],
        reference: "torch.optim.Adamax (torch/optim/adamax.py, PyTorch 2.15); Kingma & Ba 2015, arXiv:1412.6980, Algorithm 2")

    public var beta1: Double
    public var beta2: Double
    public var eps: Double
    public var weightDecay: Double

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        (beta1, beta2) = try readBetas(&p, default: [0.9, 0.999])
        eps = try p.double("eps", default: 1e-8, .positive)
        weightDecay = try p.double("weight_decay", default: 0, .nonNegative)
        try p.finish()
    }

    public var spec: Spec {
        makeSpec(Self.catalog.name, [
            ("betas", specNumbers([beta1, beta2])), ("eps", specNumber(eps)),
            ("weight_decay", specNumber(weightDecay)),
        ])
    }

    public var defaultLearningRate: Double { 2e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        AdamaxState(config: self, initialPoint: initialPoint)
    }
}

final class AdamaxState: OptimizerState {
    let config: Adamax
    let n: Int
    let x: UnsafeMutablePointer<Double>
    let expAvg: UnsafeMutablePointer<Double>
    let expInf: UnsafeMutablePointer<Double>
    var t = 0

    init(config: Adamax, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        x = allocateCopy(of: initialPoint)
        expAvg = allocateFilled(n)
        expInf = allocateFilled(n)
    }

    deinit {
        x.deallocate()
        expAvg.deallocate()
        expInf.deallocate()
    }

    var gradientPoint: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: x, count: n) }
    var reportedPoint: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: x, count: n) }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        t += 1
        let beta1 = context.momentum ?? config.beta1
        let beta2 = config.beta2
        let eps = config.eps
        let wd = config.weightDecay
        let clr = context.learningRate / (1 - pow(beta1, Double(t)))
        for i in 0..<n {
            var d = g[i]
            if wd != 0 { d = d + wd * x[i] }
            expAvg[i] = torchLerp(expAvg[i], d, 1 - beta1)
            expInf[i] = Swift.max(expInf[i] * beta2, abs(d) + eps)
            x[i] = x[i] + (-clr) * (expAvg[i] / expInf[i])
        }
    }
}
