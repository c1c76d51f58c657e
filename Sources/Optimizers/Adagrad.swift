import Specs

/// AdaGrad (Duchi, Hazan & Singer 2011): `torch.optim.Adagrad`.
///
/// Follows `_single_tensor_adagrad` in torch/optim/adagrad.py (PyTorch 2.15.0), dense gradients:
///
///     t ← t + 1;  g ← ∇f(x) + weight_decay·x;  clr = lr / (1 + (t − 1)·lr_decay)
///     s ← s + g²  (s₀ = initial_accumulator_value);  x ← x − clr·g / (√s + eps)
///
/// AdaGrad has neither `momentum` nor `betas`, so a cycling schedule's momentum is ignored
/// (torch's OneCycleLR would refuse to cycle it).
public struct Adagrad: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "adagrad",
        summary: "AdaGrad: per-coordinate rates from the accumulated squared gradients.",
        parameters: parameters.docs,
        reference: "torch.optim.Adagrad (torch/optim/adagrad.py, PyTorch 2.15); Duchi et al. 2011, JMLR 12")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<Adagrad>([
        .number("lr_decay", \.lrDecay, default: "0", .nonNegative, "rate decay: lr / (1 + (t − 1)·lr_decay)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient"),
        .number("initial_accumulator_value", \.initialAccumulatorValue, default: "0", .nonNegative, "starting value of the sum of squared gradients"),
        .number("eps", \.eps, default: "1e-10", .positive, "added to the root of the sum (> 0)"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var lrDecay = 0.0
    public var weightDecay = 0.0
    public var initialAccumulatorValue = 0.0
    public var eps = 0.0

    public var defaultLearningRate: Double { 1e-2 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        AdagradState64(config: self, initialPoint: initialPoint)
    }
    public func makeFloat32State(initialPoint: UnsafeBufferPointer<Float>) -> (any TypedOptimizerState<Float>)? {
        AdagradState(config: self, initialPoint: initialPoint)
    }
}

class AdagradState<S: LaneScalar>: IterateState {
    let config: Adagrad
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<S>
    let sum: UnsafeMutablePointer<S>
    var t = 0

    init(config: Adagrad, initialPoint: UnsafeBufferPointer<S>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        // torch.full_like(p, initial_accumulator_value): the value rounded to p's dtype.
        sum = buffers.filled(n, with: S(config.initialAccumulatorValue))
    }

    /// Specialised for both scalars: the state is reached through an existential, whose calls would
    /// otherwise run the unspecialised generic body.
    @_specialize(where S == Double) @_specialize(where S == Float)
    func update(gradient g: UnsafeBufferPointer<S>, context: StepContext) { step(g, context) }

    @inline(__always) final func step(_ g: UnsafeBufferPointer<S>, _ context: StepContext) {
        t += 1
        let wd = config.weightDecay
        let eps = config.eps
        let clr = context.learningRate / (1 + Double(t - 1) * config.lrDecay)
        forEachLane(n, AdagradLanes<S>(x: x, g: g.baseAddress!, sum: sum, clr: clr, eps: eps, wd: wd))
    }
}

/// Adagrad's coordinate update, lanes at a time (`forEachLane`): torch's `_single_tensor_adagrad`.
struct AdagradLanes<Scalar: LaneScalar>: LaneBody {
    let x: UnsafeMutablePointer<Scalar>
    let g: UnsafePointer<Scalar>
    let sum: UnsafeMutablePointer<Scalar>
    let clr, eps, wd: Double

    @inline(__always) func callAsFunction<V: Lane>(_: V.Type, _ i: Int) where V.Scalar == Scalar {
        let xi: V = x.lane(i)
        let d = l2Decayed(g.lane(i), xi, wd)
        let s = sum.lane(i) + d * d
        sum.setLane(i, s)
        x.setLane(i, xi + V(repeating: -clr) * d / (s.squareRoot() + V(repeating: eps)))
    }
}

extension AdagradState: OptimizerState where S == Double {}

/// The float64 state, its update reached through the vtable (`AdamState64` says why).
final class AdagradState64: AdagradState<Double> {
    override func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) { step(g, context) }
}
