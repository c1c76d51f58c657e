import Foundation
import Specs

/// Adam (Kingma & Ba 2015, arXiv:1412.6980, Algorithm 1; AMSGrad from Reddi et al. 2018):
/// `torch.optim.Adam`.
///
/// Follows `_single_tensor_adam` in torch/optim/adam.py (PyTorch 2.15.0), non-capturable path:
///
///     t ← t + 1;  g ← ∇f(x) + weight_decay·x   (AdamW instead: x ← (1 − lr·weight_decay)·x)
///     m ← lerp(m, g, 1 − β1);  v ← β2·v + (1 − β2)·g²;  (amsgrad: v̂ ← max(v̂, v), used for v)
///     x ← x − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
///
/// A cycling schedule's momentum replaces β1 for that update, including in 1 − β1ᵗ, exactly as
/// torch's OneCycleLR writes `param_group["betas"] = (momentum, β2)`.
public struct Adam: Optimizer {
    public static let catalog = CatalogEntry(
        name: "adam",
        summary: "Adam: bias-corrected first and second moment estimates (L2 weight decay).",
        parameters: parameters.docs,
        reference: "torch.optim.Adam (torch/optim/adam.py, PyTorch 2.15); Kingma & Ba 2015, arXiv:1412.6980; Reddi et al. 2018 (AMSGrad)")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = adamParameters(weightDecay: "0", "L2 penalty added to the gradient")

    // Set from the spec by `parameters` (which holds the defaults).
    public var beta1 = 0.0, beta2 = 0.0, eps = 0.0, weightDecay = 0.0
    public var amsgrad = false

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
    }

    public var spec: Spec { Self.parameters.spec(Self.catalog.name, self) }

    public var defaultLearningRate: Double { 1e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        AdamState(beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                  decoupledWeightDecay: false, initialPoint: initialPoint)
    }
}

/// Adam and AdamW take the same parameters; weight decay differs in its default and meaning.
protocol AdamParameters {
    var beta1: Double { get set }
    var beta2: Double { get set }
    var eps: Double { get set }
    var weightDecay: Double { get set }
    var amsgrad: Bool { get set }
}

extension AdamParameters {
    /// torch's Adam/AdamW parameters in torch's order, with weight decay's default and doc.
    static func adamParameters(weightDecay defaultText: String, _ doc: String) -> ParameterTable<Self> {
        ParameterTable([
            .pair("betas", \.beta1, \.beta2, default: "0.9;0.999", .unitOpenAbove, "decay rates β1;β2 of the moment estimates, each in [0, 1)"),
            .number("eps", \.eps, default: "1e-8", .positive, "added to the root of the second moment (> 0)"),
            .number("weight_decay", \.weightDecay, default: defaultText, .nonNegative, doc),
            .flag("amsgrad", \.amsgrad, default: false, "use the running maximum of the second moment (AMSGrad)"),
        ])
    }
}

extension Adam: AdamParameters {}

/// The state of `Adam` and `AdamW` (torch runs both through `_single_tensor_adam`).
final class AdamState: IterateState {
    let beta1: Double
    let beta2: Double
    let eps: Double
    let weightDecay: Double
    let amsgrad: Bool
    let decoupledWeightDecay: Bool
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    let expAvg: UnsafeMutablePointer<Double>
    let expAvgSq: UnsafeMutablePointer<Double>
    let maxExpAvgSq: UnsafeMutablePointer<Double>
    var t = 0

    init(beta1: Double, beta2: Double, eps: Double, weightDecay: Double, amsgrad: Bool,
         decoupledWeightDecay: Bool, initialPoint: UnsafeBufferPointer<Double>) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.decoupledWeightDecay = decoupledWeightDecay
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        expAvg = buffers.filled(n)
        expAvgSq = buffers.filled(n)
        maxExpAvgSq = buffers.filled(n)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        t += 1
        let lr = context.learningRate
        let beta1 = context.momentum ?? self.beta1
        let beta2 = self.beta2
        let eps = self.eps
        let wd = weightDecay
        let decoupled = decoupledWeightDecay
        let amsgrad = self.amsgrad
        let step = Double(t)
        let biasCorrection1 = 1 - pow(beta1, step)
        let biasCorrection2 = 1 - pow(beta2, step)
        let stepSize = lr / biasCorrection1
        let biasCorrection2Sqrt = pow(biasCorrection2, 0.5)
        for i in 0..<n {
            let d = adamDecayed(g[i], x, i, lr: lr, wd: wd, decoupled: decoupled)
            updateAdamMoments(expAvg, expAvgSq, i, d, beta1: beta1, beta2: beta2)
            let denom: Double
            if amsgrad {
                maxExpAvgSq[i] = Swift.max(maxExpAvgSq[i], expAvgSq[i])
                denom = maxExpAvgSq[i].squareRoot() / biasCorrection2Sqrt + eps
            } else {
                denom = expAvgSq[i].squareRoot() / biasCorrection2Sqrt + eps
            }
            x[i] = x[i] + (-stepSize) * (expAvg[i] / denom)
        }
    }
}
