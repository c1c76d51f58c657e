import Foundation
import CLanes
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
    var decoupledWeightDecay: Bool { false }
}

/// Adam and AdamW take the same parameters and run the same state; weight decay differs in its
/// default and meaning (`decoupledWeightDecay`).
protocol AdamParameters: TabulatedOptimizer, AdamFamilyConfig {
    var amsgrad: Bool { get set }
}

extension AdamParameters {
    /// torch's Adam/AdamW parameters in torch's order, with weight decay's default and doc.
    static func adamParameters(weightDecay defaultText: String, _ doc: String) -> ParameterTable<Self> {
        ParameterTable(adamMomentEntries(weightDecay: defaultText, doc) + [
            .flag("amsgrad", \.amsgrad, default: false, "use the running maximum of the second moment (AMSGrad)"),
        ])
    }

    public var defaultLearningRate: Double { 1e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        AdamState64(config: self, initialPoint: initialPoint)
    }

    public func makeFloat32State(initialPoint: UnsafeBufferPointer<Float>) -> (any TypedOptimizerState<Float>)? {
        AdamState(config: self, initialPoint: initialPoint)
    }
}

extension Adam: AdamParameters {}

/// The state of `Adam` and `AdamW` (torch runs both through `_single_tensor_adam`), in float64
/// or float32.
class AdamState<S: AdamKernelScalar>: AdamMomentsState<S>, IterateState {
    let amsgrad: Bool
    let maxExpAvgSq: UnsafeMutablePointer<S>
    /// The bias corrections' shared table (`BiasCorrections`).
    var biasCorrections = BiasCorrectionCursor()

    init(config: some AdamParameters, initialPoint: UnsafeBufferPointer<S>) {
        amsgrad = config.amsgrad
        let buffers = StateBuffers()
        maxExpAvgSq = buffers.filled(initialPoint.count)
        super.init(config: config, initialPoint: initialPoint, buffers: buffers)
    }

    /// Specialised for both scalars: the state is reached through an existential, whose calls would
    /// otherwise run the unspecialised generic body.
    @_specialize(where S == Double) @_specialize(where S == Float)
    func update(gradient g: UnsafeBufferPointer<S>, context: StepContext) { step(g, context) }

    @inline(__always) final func step(_ g: UnsafeBufferPointer<S>, _ context: StepContext) {
        let s = beginStep(context)
        let amsgrad = self.amsgrad
        // 1 − β1ᵗ, 1 − β2ᵗ and (1 − β2ᵗ)^0.5 by torch's `pow`, read from the process's table.
        let (biasCorrection1, biasCorrection2Sqrt) = biasCorrections.corrections(beta1: s.beta1, beta2: s.beta2, step: t)
        let stepSize = s.lr / biasCorrection1
        var args = adamKernelArguments(s, stepSize: stepSize, biasCorrection2Sqrt: biasCorrection2Sqrt)
        S.adamKernel(n, x, expAvg, expAvgSq, amsgrad ? maxExpAvgSq : nil, g.baseAddress!, &args)
    }
}

/// Adam's coordinate update over the whole vector, in torch's order: the weight decay, the
/// moments (torch's lerp for m), AMSGrad's maximum when `vMax` is set, the step. One call of the
/// CLanes kernel (`lrb_adam_f64`/`_f32`, Sources/CLanes/adam.c), which runs the widest vectors
/// the machine has (AVX-512, AVX2, else scalar) with the same bits on each: the Swift lane loops
/// compile for baseline x86-64, two doubles per instruction. The hyperparameters are rounded to
/// the scalar type as the lane loops round them (`Lane.init(repeating:)`, `torchLerp`).
protocol AdamKernelScalar: LaneScalar {
    /// One call of the kernel in this precision (`lrb_adam_update_f64`/`_f32`, which round `args` to
    /// Self and run short vectors inline).
    static func adamKernel(_ n: Int, _ x: UnsafeMutablePointer<Self>, _ m: UnsafeMutablePointer<Self>, _ v: UnsafeMutablePointer<Self>,
                           _ vMax: UnsafeMutablePointer<Self>?, _ g: UnsafePointer<Self>, _ args: UnsafePointer<lrb_adam_args>)
}

/// The kernel's scalars for one update, as doubles (the kernel rounds them to its type).
@inline(__always)
func adamKernelArguments(_ s: AdamStep, stepSize: Double, biasCorrection2Sqrt: Double) -> lrb_adam_args {
    lrb_adam_args(one_minus_beta1: 1 - s.beta1, beta2: s.beta2, one_minus_beta2: 1 - s.beta2, bc2_sqrt: biasCorrection2Sqrt,
                  eps: s.eps, neg_step: -stepSize,
                  decay_value: s.weightDecay == 0 ? 0 : (s.decoupled ? 1 - s.lr * s.weightDecay : s.weightDecay),
                  decay: s.weightDecay == 0 ? 0 : (s.decoupled ? 2 : 1))
}

extension Double: AdamKernelScalar {
    @inline(__always)
    static func adamKernel(_ n: Int, _ x: UnsafeMutablePointer<Double>, _ m: UnsafeMutablePointer<Double>, _ v: UnsafeMutablePointer<Double>,
                           _ vMax: UnsafeMutablePointer<Double>?, _ g: UnsafePointer<Double>, _ args: UnsafePointer<lrb_adam_args>) {
        lrb_adam_update_f64(n, x, m, v, vMax, g, args)
    }
}

extension Float: AdamKernelScalar {
    @inline(__always)
    static func adamKernel(_ n: Int, _ x: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                           _ vMax: UnsafeMutablePointer<Float>?, _ g: UnsafePointer<Float>, _ args: UnsafePointer<lrb_adam_args>) {
        lrb_adam_update_f32(n, x, m, v, vMax, g, args)
    }
}

extension AdamState: OptimizerState where S == Double {}

/// AdamState in float64, its update compiled for Double. A call through the state's conformance
/// (generic in S) reaches the generic `update`, whose entry costs a run-time type check and
/// metadata lookups before the specialised body: about 30 ns per update, a fifth of W2's step.
/// A class method is reached through the vtable, so this override runs Double code directly.
final class AdamState64: AdamState<Double> {
    override func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) { step(g, context) }
}
