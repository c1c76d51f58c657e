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
class AdamState<S: LaneScalar>: AdamMomentsState<S>, IterateState {
    let amsgrad: Bool
    let maxExpAvgSq: UnsafeMutablePointer<S>

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
        let biasCorrection1 = 1 - pow(s.beta1, s.step)
        let biasCorrection2 = 1 - pow(s.beta2, s.step)
        let stepSize = s.lr / biasCorrection1
        let biasCorrection2Sqrt = pow(biasCorrection2, 0.5)
        forEachLane(n, AdamLanes<S>(x: x, m: expAvg, v: expAvgSq, vMax: amsgrad ? maxExpAvgSq : nil, g: g.baseAddress!, s: s,
                                 stepSize: stepSize, biasCorrection2Sqrt: biasCorrection2Sqrt))
    }
}

/// Adam's coordinate update, lanes at a time (`forEachLane`), in torch's order: the weight decay
/// (`adamDecayed`), the moments (`updateAdamMoments`), AMSGrad's maximum when `vMax` is set, the step.
struct AdamLanes<Scalar: LaneScalar>: LaneBody {
    let x, m, v: UnsafeMutablePointer<Scalar>
    let vMax: UnsafeMutablePointer<Scalar>?
    let g: UnsafePointer<Scalar>
    let s: AdamStep
    let stepSize, biasCorrection2Sqrt: Double

    @inline(__always) func callAsFunction<V: Lane>(_: V.Type, _ i: Int) where V.Scalar == Scalar {
        var d: V = g.lane(i)
        if s.weightDecay != 0 {
            if s.decoupled {
                x.setLane(i, x.lane(i, as: V.self) * V(repeating: 1 - s.lr * s.weightDecay))
            } else {
                d = d + V(repeating: s.weightDecay) * x.lane(i)
            }
        }
        let mi = torchLerp(m.lane(i), d, 1 - s.beta1)
        let vi = v.lane(i) * V(repeating: s.beta2) + V(repeating: 1 - s.beta2) * d * d
        m.setLane(i, mi)
        v.setLane(i, vi)
        var second = vi
        if let vMax {
            second = V.max(vMax.lane(i), vi)
            vMax.setLane(i, second)
        }
        let denom = second.squareRoot() / V(repeating: biasCorrection2Sqrt) + V(repeating: s.eps)
        x.setLane(i, x.lane(i, as: V.self) + V(repeating: -stepSize) * mi / denom)
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
