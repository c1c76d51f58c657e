import SeededRandom
import Specs

/// An optimisation test problem, built once per (spec, seed) and then shared, read-only, by every
/// run on it: data sets, matrices and f* are computed here, at set-up, never per run.
public protocol Problem: AnyObject, Sendable {
    /// Name, parameters with defaults, and the reference for the definition.
    static var catalog: CatalogEntry { get }
    /// Builds the problem; its data is a pure function of the canonical spec and `seed`.
    init(spec: Spec, seed: UInt64) throws
    /// The spec with every parameter written out.
    var spec: Spec { get }
    var dimension: Int { get }
    /// x₀: the documented start (seeded where the problem says so).
    var initialPoint: [Double] { get }
    /// f*, the optimum value: known in closed form or computed exactly at set-up; nil if unknown.
    var optimumValue: Double? { get }
    /// Whether `sampleLossAndGradient` draws minibatches or noise (else it is the full gradient).
    var isStochastic: Bool { get }
    /// Whether the problem computes in float32 (`classify(precision=f32)`): its objectives then also
    /// take float32 points and gradients (the `Float` overloads), so that an optimizer with a
    /// float32 state runs float32 end to end (README, "float32 end to end"). Default false.
    var hasFloat32Parameters: Bool { get }
    /// The values `Objective.evaluate` writes for the problem `spec` names, each with the way it
    /// improves; the first is always the full training loss. A function of the spec, not of a
    /// built instance, so a sweep file's targets know their direction before any problem is built
    /// (and an instance's metrics are `metrics(for: spec)`). Default: the training loss alone.
    static func metrics(for spec: Spec) -> [Metric]
    /// Per-run scratch space and random stream (minibatch order, gradient noise). Every objective
    /// of one problem draws the same sequence: runs on one seed see the same minibatches.
    func makeObjective() -> any Objective
    /// The objectives of up to `capacity` runs on this instance advancing in lockstep, bit-identical
    /// member by member to `makeObjective()` (`BatchObjective`); default: `LoopedBatchObjective`.
    func makeBatchObjective(capacity: Int) -> any BatchObjective
}

/// One run's evaluator: owns its scratch buffers and sampling state; not shared between threads.
public protocol Objective: AnyObject {
    /// The full (deterministic) training loss at x.
    func loss(at x: UnsafeBufferPointer<Double>) -> Double
    /// The full training loss at x, and its gradient written to g.
    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double
    /// The loss and gradient an optimizer sees: the next minibatch or noise draw on stochastic
    /// problems (advancing this objective's stream), the full ones otherwise. Unbiased:
    /// its expectation is `lossAndGradient`.
    func sampleLossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double
    /// The loss on the sample `sampleLossAndGradient` drew last (its minibatch or noise draw), at
    /// another point x, without drawing a new one or touching the stream: what a line search on
    /// the same minibatch evaluates (SLS). Bit for bit the loss `sampleLossAndGradient` returns
    /// at x on that sample; the full loss on deterministic problems. No default: each problem
    /// says what its sample is. Before the first draw: the loss on a zero sample (unused).
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double
    /// The problem's metrics at x, in the order of `Problem.metricNames`.
    func evaluate(at x: UnsafeBufferPointer<Double>, into metrics: UnsafeMutableBufferPointer<Double>)
    /// `sampleLossAndGradient` at a float32 point, the gradient in float32: only for problems with
    /// `hasFloat32Parameters` (the default traps). Bit for bit the loss and gradient (rounded to
    /// Float) of the Double call at the same point, as the problem computes in float32 either way.
    func sampleLossAndGradient(at x: UnsafeBufferPointer<Float>, into g: UnsafeMutableBufferPointer<Float>) -> Double
    /// `evaluate` at a float32 point: only for problems with `hasFloat32Parameters`.
    func evaluate(at x: UnsafeBufferPointer<Float>, into metrics: UnsafeMutableBufferPointer<Double>)
}

extension Objective {
    /// Deterministic problems: the sample is the full gradient.
    public func sampleLossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        lossAndGradient(at: x, into: g)
    }

    /// Default metrics: the training loss alone.
    public func evaluate(at x: UnsafeBufferPointer<Double>, into metrics: UnsafeMutableBufferPointer<Double>) {
        metrics[0] = loss(at: x)
    }

    public func sampleLossAndGradient(at x: UnsafeBufferPointer<Float>, into g: UnsafeMutableBufferPointer<Float>) -> Double {
        preconditionFailure("\(Self.self) has float64 parameters (Problem.hasFloat32Parameters)")
    }

    public func evaluate(at x: UnsafeBufferPointer<Float>, into metrics: UnsafeMutableBufferPointer<Double>) {
        preconditionFailure("\(Self.self) has float64 parameters (Problem.hasFloat32Parameters)")
    }
}

extension Problem {
    public var isStochastic: Bool { false }
    public var hasFloat32Parameters: Bool { false }
    public static func metrics(for spec: Spec) -> [Metric] { [Metric("loss")] }
    /// This instance's metrics, with their directions.
    public var metrics: [Metric] { Self.metrics(for: spec) }
    /// The names of `metrics`, in order.
    public var metricNames: [String] { metrics.map(\.name) }
}

/// Which way a metric improves: losses and gaps fall, accuracies and scores rise.
public enum MetricDirection: String, Sendable, Codable, CaseIterable {
    case lower, higher
}

/// One value a problem evaluates: its name and the way it improves (never guessed from the name).
public struct Metric: Sendable, Hashable {
    public var name: String
    public var direction: MetricDirection

    public init(_ name: String, _ direction: MetricDirection = .lower) {
        self.name = name
        self.direction = direction
    }
}
