import Specs

/// RMSprop (Hinton, Coursera lecture 6e, 2012; centered form from Graves 2013): `torch.optim.RMSprop`.
///
/// Follows `_single_tensor_rmsprop` in torch/optim/rmsprop.py (PyTorch 2.15.0):
///
///     g ← ∇f(x) + weight_decay·x;  v ← alpha·v + (1 − alpha)·g²
///     centered: a ← lerp(a, g, 1 − alpha);  d = √(v − a²) + eps;  else d = √v + eps
///     momentum > 0:  b ← momentum·b + g/d;  x ← x − lr·b      else  x ← x − lr·g/d
///
/// A cycling schedule's momentum replaces `momentum` (torch's OneCycleLR writes
/// `param_group["momentum"]` for RMSprop, which has no `betas`).
public struct RMSprop: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "rmsprop",
        summary: "RMSprop: divide by a running root-mean-square of the gradients.",
        parameters: parameters.docs,
        reference: "torch.optim.RMSprop (torch/optim/rmsprop.py, PyTorch 2.15); Hinton, Coursera Neural Networks lecture 6e (2012)")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<RMSprop>([
        .number("alpha", \.alpha, default: "0.99", .unit, "smoothing constant of the squared-gradient average, in [0, 1]"),
        .number("eps", \.eps, default: "1e-8", .positive, "added to the root (> 0)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient"),
        .number("momentum", \.momentum, default: "0", .unitOpenAbove, "momentum factor in [0, 1)"),
        .flag("centered", \.centered, default: false, "subtract the squared mean gradient (an estimate of the variance)"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var alpha = 0.0
    public var eps = 0.0
    public var weightDecay = 0.0
    public var momentum = 0.0
    public var centered = false

    public var defaultLearningRate: Double { 1e-2 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        RMSpropState64(config: self, initialPoint: initialPoint)
    }
    public func makeFloat32State(initialPoint: UnsafeBufferPointer<Float>) -> (any TypedOptimizerState<Float>)? {
        RMSpropState(config: self, initialPoint: initialPoint)
    }
}

class RMSpropState<S: LaneScalar>: IterateState {
    let config: RMSprop
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<S>
    let squareAvg: UnsafeMutablePointer<S>
    let gradAvg: UnsafeMutablePointer<S>
    let buf: UnsafeMutablePointer<S>

    init(config: RMSprop, initialPoint: UnsafeBufferPointer<S>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        squareAvg = buffers.filled(n)
        gradAvg = buffers.filled(n)
        buf = buffers.filled(n)
    }

    /// Specialised for both scalars: the state is reached through an existential, whose calls would
    /// otherwise run the unspecialised generic body.
    @_specialize(where S == Double) @_specialize(where S == Float)
    func update(gradient g: UnsafeBufferPointer<S>, context: StepContext) { step(g, context) }

    @inline(__always) final func step(_ g: UnsafeBufferPointer<S>, _ context: StepContext) {
        let lr = context.learningRate
        let momentum = context.momentum ?? config.momentum
        let alpha = config.alpha
        let eps = config.eps
        let wd = config.weightDecay
        let centered = config.centered
        forEachLane(n, RMSpropLanes<S>(x: x, g: g.baseAddress!, squareAvg: squareAvg, gradAvg: centered ? gradAvg : nil, buf: buf,
                                    lr: lr, momentum: momentum, alpha: alpha, eps: eps, wd: wd))
    }
}

/// RMSprop's coordinate update, lanes at a time (`forEachLane`): torch's `_single_tensor_rmsprop`
/// (centered when `gradAvg` is set).
struct RMSpropLanes<Scalar: LaneScalar>: LaneBody {
    let x: UnsafeMutablePointer<Scalar>
    let g: UnsafePointer<Scalar>
    let squareAvg: UnsafeMutablePointer<Scalar>
    let gradAvg: UnsafeMutablePointer<Scalar>?
    let buf: UnsafeMutablePointer<Scalar>
    let lr, momentum, alpha, eps, wd: Double

    @inline(__always) func callAsFunction<V: Lane>(_: V.Type, _ i: Int) where V.Scalar == Scalar {
        let xi: V = x.lane(i)
        let d = l2Decayed(g.lane(i), xi, wd)
        let sq = squareAvg.lane(i) * V(repeating: alpha) + V(repeating: 1 - alpha) * d * d
        squareAvg.setLane(i, sq)
        var avg: V
        if let gradAvg {
            let ga = torchLerp(gradAvg.lane(i), d, 1 - alpha)
            gradAvg.setLane(i, ga)
            avg = (sq + V(repeating: -1) * ga * ga).squareRoot()
        } else {
            avg = sq.squareRoot()
        }
        avg = avg + V(repeating: eps)
        if momentum > 0 {
            let b = buf.lane(i) * V(repeating: momentum) + d / avg
            buf.setLane(i, b)
            x.setLane(i, xi + V(repeating: -lr) * b)
        } else {
            x.setLane(i, xi + V(repeating: -lr) * d / avg)
        }
    }
}

extension RMSpropState: OptimizerState where S == Double {}

/// The float64 state, its update reached through the vtable (`AdamState64` says why).
final class RMSpropState64: RMSpropState<Double> {
    override func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) { step(g, context) }
}
