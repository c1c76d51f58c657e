import Specs

/// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019, arXiv:1711.05101):
/// `torch.optim.AdamW`.
///
/// torch/optim/adamw.py (PyTorch 2.15.0) is `Adam(..., decoupled_weight_decay=True)`, run by
/// `_single_tensor_adam` in torch/optim/adam.py; the only differences from `adam` are the
/// default weight_decay (0.01) and that the decay shrinks x before the moments are updated:
///
///     x ← (1 − lr·weight_decay)·x;  then the Adam step on the raw gradient
///
/// A cycling schedule's momentum replaces β1, as for `adam`.
public struct AdamW: Optimizer {
    public static let catalog = CatalogEntry(
        name: "adamw",
        summary: "AdamW: Adam with decoupled weight decay x ← (1 − lr·λ)·x.",
        parameters: [
            ParameterDoc("betas", "0.9;0.999", "decay rates β1;β2 of the moment estimates, each in [0, 1)"),
            ParameterDoc("eps", "1e-8", "added to the root of the second moment (> 0)"),
            ParameterDoc("weight_decay", "0.01", "decoupled decay λ: x ← (1 − lr·λ)·x each step"),
            ParameterDoc("amsgrad", "false", "use the running maximum of the second moment (AMSGrad)"),
        ],
        reference: "torch.optim.AdamW (torch/optim/adamw.py and adam.py, PyTorch 2.15); Loshchilov & Hutter 2019, arXiv:1711.05101")

    public var beta1: Double
    public var beta2: Double
    public var eps: Double
    public var weightDecay: Double
    public var amsgrad: Bool

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        (beta1, beta2) = try readBetas(&p, default: [0.9, 0.999])
        eps = try p.double("eps", default: 1e-8, .positive)
        weightDecay = try p.double("weight_decay", default: 0.01, .nonNegative)
        amsgrad = try p.bool("amsgrad", default: false)
        try p.finish()
    }

    public var spec: Spec {
        makeSpec(Self.catalog.name, [
            ("betas", specNumbers([beta1, beta2])), ("eps", specNumber(eps)),
            ("weight_decay", specNumber(weightDecay)), ("amsgrad", specBool(amsgrad)),
        ])
    }

    public var defaultLearningRate: Double { 1e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        AdamState(beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                  decoupledWeightDecay: true, initialPoint: initialPoint)
    }
}
