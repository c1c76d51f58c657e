import Specs

/// What an optimizer is told at each update, besides the gradient.
public struct StepContext: Sendable {
    /// The update's index t = 0, 1, …
    public var step: Int
    /// The rate the schedule gives for this update. For methods that treat the rate as a
    /// multiplier (D-Adaptation, Prodigy, Polyak's cap) it scales their own estimate.
    public var learningRate: Double
    /// The loss at the gradient point (the minibatch loss on stochastic problems).
    public var loss: Double
    /// A momentum (SGD) or beta1 (Adam family) set by a cycling schedule (onecycle, cyclic)
    /// for this update, replacing the configured one; nil leaves the configured value.
    public var momentum: Double?
    /// The problem's optimum value f*, where known (Polyak's step size needs it).
    public var optimumValue: Double?

    public init(step: Int, learningRate: Double, loss: Double = .nan, momentum: Double? = nil, optimumValue: Double? = nil) {
        self.step = step
        self.learningRate = learningRate
        self.loss = loss
        self.momentum = momentum
        self.optimumValue = optimumValue
    }
}

/// An update rule's configuration: a small immutable value, parsed from a spec.
///
/// Following optax, the configuration is separate from the state: `makeState` allocates every
/// buffer the method needs once, and `OptimizerState.update` then allocates nothing.
public protocol Optimizer: Sendable {
    /// Name, parameters with defaults, and the reference the update follows.
    static var catalog: CatalogEntry { get }
    /// Parses and validates the spec (unknown parameters and bad values throw `SpecUsageError`).
    init(spec: Spec) throws
    /// The spec with every parameter written out, for reports.
    var spec: Spec { get }
    /// The learning rate the reference uses by default (PyTorch's `lr=` default).
    var defaultLearningRate: Double { get }
    /// The state for a run starting at `initialPoint`.
    func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState
    /// The state in float32 end to end (x and every buffer in Float, the arithmetic in Float as
    /// torch's on float32 tensors), for problems whose parameters are float32; nil (the default)
    /// for methods that keep a float64 state (README, "float32 end to end").
    func makeFloat32State(initialPoint: UnsafeBufferPointer<Float>) -> (any TypedOptimizerState<Float>)?
    /// Whether `makeState` returns a `LossOracleState` (a line search); default false.
    var evaluatesTrialLosses: Bool { get }
}

/// An optimizer whose configuration is its `ParameterTable`: `init(spec:)` reads the spec into
/// the defaults, `spec` writes every parameter back, both from the one table.
protocol TabulatedOptimizer: Optimizer {
    /// The parameters, declared once (names, defaults, ranges, docs).
    static var parameters: ParameterTable<Self> { get }
    /// The value `parameters` reads a spec into (the read sets every property).
    init()
    /// Checks across parameters that a table's ranges cannot say, after the read; throws
    /// `SpecUsageError`. Default: none.
    func validate(_ spec: Spec) throws
}

extension TabulatedOptimizer {
    public init(spec: Spec) throws {
        self.init()
        self = try Self.parameters.read(spec, into: self)
        try validate(spec)
    }

    public var spec: Spec { Self.parameters.spec(Self.catalog.name, self) }

    func validate(_ spec: Spec) throws {}
}

extension Optimizer {
    public func makeFloat32State(initialPoint: UnsafeBufferPointer<Float>) -> (any TypedOptimizerState<Float>)? { nil }

    /// Whether `makeFloat32State` gives a state (it builds an empty one to see).
    public var hasFloat32State: Bool { makeFloat32State(initialPoint: UnsafeBufferPointer(start: nil, count: 0)) != nil }
}

/// The mutable state of one run of one optimizer, in `Scalar` (Double, or Float for float32
/// end to end): its iterates and moment buffers.
public protocol TypedOptimizerState<Scalar>: AnyObject {
    associatedtype Scalar
    /// The point at which the next gradient is taken: x for most methods, y for schedule-free.
    /// The same buffer for the state's lifetime (the run loop reads it once).
    var gradientPoint: UnsafeBufferPointer<Scalar> { get }
    /// The point whose loss the run reports: x (for schedule-free methods, the averaged iterate).
    /// The same buffer for the state's lifetime.
    var reportedPoint: UnsafeBufferPointer<Scalar> { get }
    /// Applies one update with gradient `g`, taken at `gradientPoint`. Allocates nothing.
    func update(gradient g: UnsafeBufferPointer<Scalar>, context: StepContext)
    /// The step size the last update applied, for methods that set their own rate: d·lr for
    /// D-Adaptation and Prodigy, lr·s for Mechanic, the rectified lr for schedule-free RAdam,
    /// η for DoG (each method's doc comment says which; EffectiveRate.swift gives the default).
    /// nil before the first update and for methods whose step size is the schedule's rate.
    var effectiveLearningRate: Double? { get }
}

/// The float64 state every optimizer has (`Optimizer.makeState`).
public protocol OptimizerState: TypedOptimizerState where Scalar == Double {}

extension OptimizerState {
    /// This state as a `TypedOptimizerState<Double>`, for code generic over the scalar.
    public var typed: any TypedOptimizerState<Double> { self }
}
