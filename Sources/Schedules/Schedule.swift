import Specs

/// What drives a schedule: the step count alone, an observed metric, or wall-clock time.
public enum ScheduleDrive: String, Sendable {
    /// A pure function of the update index t: deterministic, previewable.
    case step
    /// Depends on the losses observed so far (plateau, loss_adaptive): needs a run or a metric series.
    case metric
    /// Depends on elapsed wall-clock seconds (time_decay): non-deterministic across runs and machines.
    case time
}

/// A learning-rate schedule's configuration, parsed from a spec.
///
/// A schedule never mutates an optimizer: it answers the rate (and, for cycling schedules, a
/// momentum) for update t, given the base rate lr0 and what the run has observed.
public protocol Schedule: Sendable {
    static var catalog: CatalogEntry { get }
    /// Parses and validates the spec. Lengths must be numbers by now (a sweep resolves `budget`).
    init(spec: Spec) throws
    var spec: Spec { get }
    var drive: ScheduleDrive { get }
    /// A controller for one run starting from base rate `lr0`.
    func makeController(base lr0: Double) -> any RateController
}

/// One run's view of its schedule. Stateless for step-driven schedules.
public protocol RateController: AnyObject {
    /// The rate for update t. `elapsedSeconds` is the wall-clock time since the run started.
    func rate(at t: Int, elapsedSeconds: Double) -> Double
    /// The momentum (SGD) or beta1 (Adam family) for update t, for schedules that cycle it; else nil.
    func momentum(at t: Int) -> Double?
    /// The metric observed after update t (in a run, the loss at x_{t+1}); called once per update,
    /// before `rate(at: t + 1, …)`.
    func observe(_ metric: Double, after t: Int)
}

/// A schedule that is a pure function of the step: most of `torch.optim.lr_scheduler`.
public protocol StepSchedule: Schedule {
    /// The rate for update t from base rate lr0.
    func learningRate(at t: Int, base lr0: Double) -> Double
    /// The cycled momentum for update t, or nil (the default) for schedules that do not cycle it.
    func momentum(at t: Int, base lr0: Double) -> Double?
}

extension StepSchedule {
    public var drive: ScheduleDrive { .step }
    public func momentum(at t: Int, base lr0: Double) -> Double? { nil }
    public func makeController(base lr0: Double) -> any RateController { StepController(self, base: lr0) }
}

/// The controller of a step-driven schedule: it ignores observations.
public final class StepController<S: StepSchedule>: RateController {
    public let schedule: S
    public let base: Double

    public init(_ schedule: S, base: Double) {
        self.schedule = schedule
        self.base = base
    }

    public func rate(at t: Int, elapsedSeconds: Double) -> Double { schedule.learningRate(at: t, base: base) }
    public func momentum(at t: Int) -> Double? { schedule.momentum(at: t, base: base) }
    public func observe(_ metric: Double, after t: Int) {}
}
