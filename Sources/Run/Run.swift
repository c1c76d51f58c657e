import GradientTransforms
import LinearAlgebra
import Optimizers
import Problems
import Schedules

/// Sees a run as it goes. Generic, so the loop is specialised for each observer and a
/// do-nothing observer costs nothing.
public protocol RunObserver {
    /// Once, before anything else: the evaluation interval, and whether the loss `updated` gets
    /// is the full training loss at the reported point x_t (`RunWorkspace.stepLossIsTrainingLoss`).
    mutating func began(evaluationInterval: Int, stepLossIsTrainingLoss: Bool)
    /// Metrics at x_t (the reported point) before update t; t = steps for the final point.
    mutating func evaluated(step t: Int, metrics: UnsafeBufferPointer<Double>, seconds: Double)
    /// Update t was applied with rate `lr`; `loss` is the loss the optimizer saw at its gradient point.
    mutating func updated(step t: Int, lr: Double, momentum: Double?, loss: Double)
    /// Once, at the end: the updates applied and the seconds spent (evaluations excluded).
    mutating func ended(step t: Int, seconds: Double)
    /// After update t, the step size the optimizer applied itself (`effectiveLearningRate`), for
    /// optimizers that set their own.
    mutating func applied(step t: Int, effectiveRate: Double)
    /// After `updated(step: t, …)`: update t also evaluated the loss alone `count` times (a line
    /// search's trial points, `LossOracleState`), beyond the one gradient every update costs.
    /// Metric evaluations are not reported here: they are bookkeeping, not the optimizer's cost.
    mutating func evaluatedLoss(count: Int)
}

extension RunObserver {
    @inline(__always) public mutating func began(evaluationInterval: Int, stepLossIsTrainingLoss: Bool) {}
    @inline(__always) public mutating func ended(step t: Int, seconds: Double) {}
    @inline(__always) public mutating func applied(step t: Int, effectiveRate: Double) {}
    @inline(__always) public mutating func evaluatedLoss(count: Int) {}
}

/// Ignores everything: for timing the bare loop.
public struct NullObserver: RunObserver {
    public init() {}
    @inline(__always) public mutating func evaluated(step t: Int, metrics: UnsafeBufferPointer<Double>, seconds: Double) {}
    @inline(__always) public mutating func updated(step t: Int, lr: Double, momentum: Double?, loss: Double) {}
}

/// How one run ended.
public struct RunOutcome: Sendable, Equatable {
    /// Updates applied.
    public var steps: Int
    public var reason: StopReason
    /// The step whose loss was non-finite or exploded (diverged runs only).
    public var divergedAt: Int?
    /// Seconds spent in updates (gradient, transforms, schedule, optimizer), evaluations excluded.
    public var updateSeconds: Double
    /// Seconds in all, evaluations included.
    public var totalSeconds: Double

    /// Mean seconds per update.
    public var secondsPerStep: Double { steps > 0 ? updateSeconds / Double(steps) : 0 }
}

/// One configuration: a problem (built for a seed), an optimizer, a schedule, a transform chain,
/// a base rate and a step budget.
public struct RunSetup {
    public var problem: any Problem
    public var optimizer: any Optimizer
    public var schedule: any Schedule
    public var transforms: TransformChain
    public var learningRate: Double
    public var steps: Int
    /// Evaluate the metrics every this many updates (and at the start and the end).
    public var evaluationInterval: Int
    public var stopRule: StopRule

    public init(problem: any Problem, optimizer: any Optimizer, schedule: any Schedule,
                transforms: TransformChain = .identity, learningRate: Double, steps: Int,
                evaluationInterval: Int = 1, stopRule: StopRule = .standard) {
        self.problem = problem
        self.optimizer = optimizer
        self.schedule = schedule
        self.transforms = transforms
        self.learningRate = learningRate
        self.steps = steps
        self.evaluationInterval = max(1, evaluationInterval)
        self.stopRule = stopRule
    }

    /// Whether this run may advance in lockstep with others (`BatchRun`): every run but those whose
    /// schedule reads the wall clock (`drive == .time`), whose rates would depend on the group's
    /// speed, and those whose optimizer evaluates losses at trial points (a line search,
    /// `LossOracleState`, `Optimizer.evaluatesTrialLosses`), which a batch objective cannot give
    /// for one member's sample.
    public var isBatchable: Bool {
        schedule.drive != .time && !optimizer.evaluatesTrialLosses
    }

    /// Whether the run is float32 end to end: its problem computes in float32 and its optimizer
    /// has a float32 state (`Optimizer.makeFloat32State`). Then x, the gradient, the transforms and
    /// the optimizer's state and arithmetic are Float; otherwise they are Double (and a float32
    /// problem rounds x to Float in each call and widens its gradient). README, "float32 end to end".
    public var isFloat32: Bool {
        problem.hasFloat32Parameters && optimizer.hasFloat32State
    }
}

/// One run alone: a group of one (`BatchRun(alone:)`) on the problem's lone objective, so that a
/// lone run, `lrbench run` and a sweep's group go through the same loop. Everything is allocated
/// up front, so that `execute` allocates nothing.
public final class RunWorkspace {
    let group: BatchRun
    public var setup: RunSetup { group.setups[0] }
    /// The problem's lone objective the run uses.
    public var objective: any Objective { group.lone! }

    public init(_ setup: RunSetup) {
        group = BatchRun(alone: setup)
    }

    /// Whether the run is float32 end to end (`RunSetup.isFloat32`).
    public var isFloat32: Bool { group.single != nil }

    /// The optimizer's reported point now (widened to Double for a float32 state): x₀ before
    /// `execute`, the last iterate after. Allocates.
    public var reportedPoint: [Double] { group.firstReportedPoint }

    /// Whether the loss the optimizer sees at update t is the full training loss at the reported
    /// point x_t, so that the loss is known at every step and not only at evaluations: a
    /// deterministic problem (the sample is the full loss) and an optimizer whose gradient point
    /// is its reported point (every one but the schedule-free methods, which take gradients at y
    /// and report x).
    public var stepLossIsTrainingLoss: Bool { group.first.stepLossIsTrainingLoss }

    /// Whether the evaluation at an update step t < steps is the step loss itself: the step loss is
    /// the training loss at x_t and the problem's metrics are that loss alone. Such evaluations are
    /// not computed again (one loss evaluation saved per interval); the final one (t = steps) is.
    public var evaluationIsStepLoss: Bool { group.first.reuse }

    /// Runs the configuration to its end, telling `observer` what happens (the step order:
    /// `BatchLoop.run(observers:abandon:)`). Allocates nothing for an observer of up to three
    /// words (such as `NullObserver`): it passes through an existential (the loop's observer
    /// type) and back, inline; a bigger one is boxed once, and buffers the caller's copy shares
    /// are copied once, on the loop's first write to them.
    public func execute<O: RunObserver>(observer: inout O) -> RunOutcome {
        var boxed: any RunObserver = observer
        withUnsafeMutablePointer(to: &boxed) {
            group.run(arranged: UnsafeMutableBufferPointer(start: $0, count: 1), abandon: { false })
        }
        let outcome = group.outcome(0)!
        observer = boxed as! O
        return outcome
    }
}
