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
public struct AdamW: Optimizer, AdamParameters {
    public static let catalog = CatalogEntry(
        name: "adamw",
        summary: "AdamW: Adam with decoupled weight decay x ← (1 − lr·λ)·x.",
        parameters: parameters.docs,
        reference: "torch.optim.AdamW (torch/optim/adamw.py and adam.py, PyTorch 2.15); Loshchilov & Hutter 2019, arXiv:1711.05101")

    /// The parameters, declared once (Adam's, with decoupled weight decay).
    static let parameters = adamParameters(weightDecay: "0.01", "decoupled decay λ: x ← (1 − lr·λ)·x each step")

    // Set from the spec by `parameters` (which holds the defaults).
    public var beta1 = 0.0, beta2 = 0.0, eps = 0.0, weightDecay = 0.0
    public var amsgrad = false
    var decoupledWeightDecay: Bool { true }
}
