import Specs

/// Lion, EvoLved Sign Momentum (Chen et al. 2023, "Symbolic Discovery of Optimization
/// Algorithms", arXiv:2302.06675, Program 1).
///
/// PyTorch has no Lion; this follows `update_fn` in lucidrains/lion-pytorch
/// lion_pytorch/lion_pytorch.py (commit 6a74fdc, the paper's PyTorch port, default lr 1e-4):
///
///     x ← (1 − lr·weight_decay)·x;  c = β1·m + (1 − β1)·g;  x ← x − lr·sign(c)
///     m ← β2·m + (1 − β2)·g
///
/// with sign(0) = 0 (`torch.sign`). A cycling schedule's momentum replaces β1 (the reference
/// stores `betas` in its param groups, which torch's OneCycleLR would write).
public struct Lion: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "lion",
        summary: "Lion: step by the sign of an interpolated momentum (Chen et al. 2023).",
        parameters: parameters.docs,
        reference: "Chen et al. 2023, arXiv:2302.06675; lucidrains/lion-pytorch lion_pytorch/lion_pytorch.py")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<Lion>([
        .pair("betas", \.beta1, \.beta2, default: "0.9;0.99", .unitOpenAbove, "β1 (interpolation for the step) ; β2 (momentum decay), each in [0, 1)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "decoupled decay: x ← (1 − lr·weight_decay)·x"),
    ])

    // Set from the spec by `parameters` (which holds the defaults).
    public var beta1 = 0.0
    public var beta2 = 0.0
    public var weightDecay = 0.0

    public var defaultLearningRate: Double { 1e-4 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        LionState64(config: self, initialPoint: initialPoint)
    }
    public func makeFloat32State(initialPoint: UnsafeBufferPointer<Float>) -> (any TypedOptimizerState<Float>)? {
        LionState(config: self, initialPoint: initialPoint)
    }
}

class LionState<S: LaneScalar>: IterateState {
    let config: Lion
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<S>
    let expAvg: UnsafeMutablePointer<S>

    init(config: Lion, initialPoint: UnsafeBufferPointer<S>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        expAvg = buffers.filled(n)
    }

    /// Specialised for both scalars: the state is reached through an existential, whose calls would
    /// otherwise run the unspecialised generic body.
    @_specialize(where S == Double) @_specialize(where S == Float)
    func update(gradient g: UnsafeBufferPointer<S>, context: StepContext) { step(g, context) }

    @inline(__always) final func step(_ g: UnsafeBufferPointer<S>, _ context: StepContext) {
        let lr = context.learningRate
        let beta1 = context.momentum ?? config.beta1
        let beta2 = config.beta2
        let shrink = 1.0 - lr * config.weightDecay
        forEachLane(n, LionLanes<S>(x: x, m: expAvg, g: g.baseAddress!, lr: lr, shrink: shrink, beta1: beta1, beta2: beta2))
    }
}

/// Lion's coordinate update, lanes at a time (`forEachLane`), in the reference's order.
struct LionLanes<Scalar: LaneScalar>: LaneBody {
    let x, m: UnsafeMutablePointer<Scalar>
    let g: UnsafePointer<Scalar>
    let lr, shrink, beta1, beta2: Double

    @inline(__always) func callAsFunction<V: Lane>(_: V.Type, _ i: Int) where V.Scalar == Scalar {
        let gi: V = g.lane(i), mi: V = m.lane(i)
        let xi = x.lane(i) * V(repeating: shrink)
        let c = mi * V(repeating: beta1) + V(repeating: 1.0 - beta1) * gi
        x.setLane(i, xi + V(repeating: -lr) * c.torchSign())
        m.setLane(i, mi * V(repeating: beta2) + V(repeating: 1.0 - beta2) * gi)
    }
}

extension LionState: OptimizerState where S == Double {}

/// The float64 state, its update reached through the vtable (`AdamState64` says why).
final class LionState64: LionState<Double> {
    override func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) { step(g, context) }
}
