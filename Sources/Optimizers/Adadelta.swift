import Specs

/// ADADELTA (Zeiler 2012, arXiv:1212.5701): `torch.optim.Adadelta`.
///
/// Follows `_single_tensor_adadelta` in torch/optim/adadelta.py (PyTorch 2.15.0):
///
///     g ← ∇f(x) + weight_decay·x;  v ← rho·v + (1 − rho)·g²
///     Δ = √(u + eps) / √(v + eps) · g;  u ← rho·u + (1 − rho)·Δ²;  x ← x − lr·Δ
///
/// torch's default lr is 1.0 (the paper has no rate). Adadelta has neither `momentum` nor
/// `betas`, so a cycling schedule's momentum is ignored.
public struct Adadelta: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "adadelta",
        summary: "ADADELTA: rates from the ratio of running RMS of updates and of gradients.",
        parameters: parameters.docs,
        reference: "torch.optim.Adadelta (torch/optim/adadelta.py, PyTorch 2.15); Zeiler 2012, arXiv:1212.5701")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<Adadelta>([
        .number("rho", \.rho, default: "0.9", .unit, "decay of both running averages, in [0, 1]"),
        .number("eps", \.eps, default: "1e-6", .positive, "added inside both roots (> 0)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var rho = 0.0
    public var eps = 0.0
    public var weightDecay = 0.0

    public var defaultLearningRate: Double { 1.0 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        AdadeltaState64(config: self, initialPoint: initialPoint)
    }
    public func makeFloat32State(initialPoint: UnsafeBufferPointer<Float>) -> (any TypedOptimizerState<Float>)? {
        AdadeltaState(config: self, initialPoint: initialPoint)
    }
}

class AdadeltaState<S: LaneScalar>: IterateState {
    let config: Adadelta
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<S>
    let squareAvg: UnsafeMutablePointer<S>
    let accDelta: UnsafeMutablePointer<S>

    init(config: Adadelta, initialPoint: UnsafeBufferPointer<S>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        squareAvg = buffers.filled(n)
        accDelta = buffers.filled(n)
    }

    /// Specialised for both scalars: the state is reached through an existential, whose calls would
    /// otherwise run the unspecialised generic body.
    @_specialize(where S == Double) @_specialize(where S == Float)
    func update(gradient g: UnsafeBufferPointer<S>, context: StepContext) { step(g, context) }

    @inline(__always) final func step(_ g: UnsafeBufferPointer<S>, _ context: StepContext) {
        let lr = context.learningRate
        let rho = config.rho
        let eps = config.eps
        let wd = config.weightDecay
        forEachLane(n, AdadeltaLanes<S>(x: x, g: g.baseAddress!, squareAvg: squareAvg, accDelta: accDelta, lr: lr, rho: rho, eps: eps, wd: wd))
    }
}

/// Adadelta's coordinate update, lanes at a time (`forEachLane`): torch's `_single_tensor_adadelta`.
struct AdadeltaLanes<Scalar: LaneScalar>: LaneBody {
    let x: UnsafeMutablePointer<Scalar>
    let g: UnsafePointer<Scalar>
    let squareAvg, accDelta: UnsafeMutablePointer<Scalar>
    let lr, rho, eps, wd: Double

    @inline(__always) func callAsFunction<V: Lane>(_: V.Type, _ i: Int) where V.Scalar == Scalar {
        let xi: V = x.lane(i)
        let d = l2Decayed(g.lane(i), xi, wd)
        let sq = squareAvg.lane(i) * V(repeating: rho) + V(repeating: 1 - rho) * d * d
        squareAvg.setLane(i, sq)
        let std = (sq + V(repeating: eps)).squareRoot()
        let delta = (accDelta.lane(i) + V(repeating: eps)).squareRoot() / std * d
        accDelta.setLane(i, accDelta.lane(i) * V(repeating: rho) + V(repeating: 1 - rho) * delta * delta)
        x.setLane(i, xi + V(repeating: -lr) * delta)
    }
}

extension AdadeltaState: OptimizerState where S == Double {}

/// The float64 state, its update reached through the vtable (`AdamState64` says why).
final class AdadeltaState64: AdadeltaState<Double> {
    override func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) { step(g, context) }
}
