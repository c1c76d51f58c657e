import Specs

/// Stochastic gradient descent with optional (Nesterov) momentum: `torch.optim.SGD`.
///
/// Follows `_single_tensor_sgd` in torch/optim/sgd.py (PyTorch 2.15.0) exactly:
///
///     g ← ∇f(x) (negated if maximize) + weight_decay·x
///     if momentum ≠ 0:  b ← g on the first step, else b ← momentum·b + (1 − dampening)·g
///                       g ← g + momentum·b (nesterov) or g ← b
///     x ← x − lr·g
///
/// A cycling schedule's momentum (`StepContext.momentum`) replaces `momentum` for that update,
/// as torch's OneCycleLR/CyclicLR write `param_group["momentum"]` for SGD.
public struct SGD: TabulatedOptimizer {
    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<SGD>([
        .number("momentum", \.momentum, default: "0", .unitOpenAbove, "momentum factor in [0, 1); 0 is plain SGD"),
        .number("dampening", \.dampening, default: "0", .unit, "dampening for momentum in [0, 1]: b ← momentum·b + (1 − dampening)·g"),
        .flag("nesterov", \.nesterov, default: false, "Nesterov momentum (needs momentum > 0 and dampening = 0)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient: g + weight_decay·x"),
        .flag("maximize", \.maximize, default: false, "ascend instead of descend"),
    ])

    public static let catalog = CatalogEntry(
        name: "sgd",
        summary: "Stochastic gradient descent with optional heavy-ball or Nesterov momentum.",
        parameters: parameters.docs,
        reference: "torch.optim.SGD (torch/optim/sgd.py, PyTorch 2.15); Sutskever et al. 2013 for Nesterov")

    // Set from the spec by `parameters` (which holds the defaults).
    public var momentum = 0.0
    public var dampening = 0.0
    public var nesterov = false
    public var weightDecay = 0.0
    public var maximize = false

    func validate(_ spec: Spec) throws {
        try checkNesterov(spec, nesterov: nesterov, momentum: momentum, dampening: dampening)
    }

    public var defaultLearningRate: Double { 1e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        SGDState64(config: self, initialPoint: initialPoint)
    }
    public func makeFloat32State(initialPoint: UnsafeBufferPointer<Float>) -> (any TypedOptimizerState<Float>)? {
        SGDState(config: self, initialPoint: initialPoint)
    }
}

/// torch.optim.SGD's check, shared with SGD-HD: Nesterov momentum needs momentum > 0 and no
/// dampening.
func checkNesterov(_ spec: Spec, nesterov: Bool, momentum: Double, dampening: Double) throws {
    if nesterov && (momentum <= 0 || dampening != 0) {
        throw SpecUsageError("\(spec.name): nesterov=true requires momentum > 0 and dampening = 0, got momentum=\(momentum), dampening=\(dampening)")
    }
}

class SGDState<S: LaneScalar>: IterateState {
    let config: SGD
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<S>
    var momentumBuffer: SGDMomentumBuffer<S>

    init(config: SGD, initialPoint: UnsafeBufferPointer<S>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        momentumBuffer = SGDMomentumBuffer(buffers, n)
    }

    /// Specialised for both scalars: the state is reached through an existential, whose calls would
    /// otherwise run the unspecialised generic body.
    @_specialize(where S == Double) @_specialize(where S == Float)
    func update(gradient g: UnsafeBufferPointer<S>, context: StepContext) { step(g, context) }

    @inline(__always) final func step(_ g: UnsafeBufferPointer<S>, _ context: StepContext) {
        let lr = context.learningRate
        let momentum = momentumBuffer.begin(momentum: context.momentum ?? config.momentum,
                                            dampening: config.dampening, nesterov: config.nesterov)
        let wd = config.weightDecay
        let sign: Double = config.maximize ? -1 : 1
        forEachLane(n, SGDLanes<S>(x: x, g: g.baseAddress!, momentum: momentum, lr: lr, wd: wd, sign: sign))
    }
}

/// torch.optim.SGD's momentum buffer (`state["momentum_buffer"]`), shared with SGD-HD.
struct SGDMomentumBuffer<S: LaneScalar> {
    let buf: UnsafeMutablePointer<S>
    /// torch keeps `momentum_buffer = None` until the first update with momentum ≠ 0.
    private(set) var hasBuffer = false

    init(_ buffers: StateBuffers, _ n: Int) {
        buf = buffers.filled(n)
    }

    /// This update's momentum; marks the buffer as set when momentum ≠ 0 (the update then
    /// writes every coordinate of it).
    @inline(__always)
    mutating func begin(momentum: Double, dampening: Double, nesterov: Bool) -> SGDMomentumStep<S> {
        let step = SGDMomentumStep(buf: buf, momentum: momentum, dampening: dampening, nesterov: nesterov, first: !hasBuffer)
        if momentum != 0 { hasBuffer = true }
        return step
    }
}

/// One update of `SGDMomentumBuffer`.
struct SGDMomentumStep<S: LaneScalar> {
    let buf: UnsafeMutablePointer<S>
    let momentum: Double
    let dampening: Double
    let nesterov: Bool
    let first: Bool

    /// The direction for coordinate i from the decayed gradient d, as torch's `_single_tensor_sgd`:
    /// if momentum ≠ 0, b ← d on the first such update, else b ← momentum·b + (1 − dampening)·d,
    /// then d + momentum·b (nesterov) or b; d itself when momentum = 0.
    @inline(__always)
    func direction(_ d: Double, _ i: Int) -> Double where S == Double {
        guard momentum != 0 else { return d }
        buf[i] = first ? d : buf[i] * momentum + (1 - dampening) * d
        return nesterov ? d + momentum * buf[i] : buf[i]
    }

    /// `direction` on lanes.
    @inline(__always)
    func direction<V: Lane>(_ d: V, _ i: Int) -> V where V.Scalar == S {
        guard momentum != 0 else { return d }
        let b = first ? d : buf.lane(i) * V(repeating: momentum) + V(repeating: 1 - dampening) * d
        buf.setLane(i, b)
        return nesterov ? d + V(repeating: momentum) * b : b
    }
}

/// SGD's coordinate update, lanes at a time (`forEachLane`): torch's `_single_tensor_sgd`.
struct SGDLanes<Scalar: LaneScalar>: LaneBody {
    let x: UnsafeMutablePointer<Scalar>
    let g: UnsafePointer<Scalar>
    let momentum: SGDMomentumStep<Scalar>
    let lr, wd, sign: Double

    @inline(__always) func callAsFunction<V: Lane>(_: V.Type, _ i: Int) where V.Scalar == Scalar {
        let xi: V = x.lane(i)
        let d = momentum.direction(l2Decayed(V(repeating: sign) * g.lane(i), xi, wd), i)
        x.setLane(i, xi + V(repeating: -lr) * d)
    }
}

extension SGDState: OptimizerState where S == Double {}

/// The float64 state, its update reached through the vtable (`AdamState64` says why).
final class SGDState64: SGDState<Double> {
    override func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) { step(g, context) }
}
