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
}

/// Everything one run needs, allocated up front, so that `execute` allocates nothing per step.
public final class RunWorkspace {
    public let setup: RunSetup
    public let objective: any Objective
    public let state: any OptimizerState
    /// `state` when its update evaluates trial losses (a line search), resolved once here.
    public let lossOracle: (any LossOracleState)?
    public let controller: any RateController
    public let transformState: ChainState
    public let gradient: Buffer<Double>
    public let metrics: Buffer<Double>

    public init(_ setup: RunSetup) {
        self.setup = setup
        objective = setup.problem.makeObjective()
        let x0 = setup.problem.initialPoint
        state = x0.withUnsafeBufferPointer { setup.optimizer.makeState(initialPoint: $0) }
        lossOracle = state as? any LossOracleState
        controller = setup.schedule.makeController(base: setup.learningRate)
        transformState = setup.transforms.makeState(dimension: setup.problem.dimension)
        gradient = Buffer(count: setup.problem.dimension)
        metrics = Buffer(count: setup.problem.metricNames.count)
    }

    /// Whether the loss the optimizer sees at update t is the full training loss at the reported
    /// point x_t, so that the loss is known at every step and not only at evaluations: a
    /// deterministic problem (the sample is the full loss) and an optimizer whose gradient point
    /// is its reported point (every one but the schedule-free methods, which take gradients at y
    /// and report x).
    public var stepLossIsTrainingLoss: Bool { Self.stepLossIsTrainingLoss(setup.problem, state) }

    /// Whether the evaluation at an update step t < steps is the step loss itself: the step loss is
    /// the training loss at x_t and the problem's metrics are that loss alone. Such evaluations are
    /// not computed again (one loss evaluation saved per interval); the final one (t = steps) is.
    public var evaluationIsStepLoss: Bool { Self.evaluationIsStepLoss(setup.problem, state) }

    /// `stepLossIsTrainingLoss` of `problem` run by `state` (shared with `BatchRun`).
    static func stepLossIsTrainingLoss(_ problem: any Problem, _ state: any OptimizerState) -> Bool {
        !problem.isStochastic && state.gradientPoint.baseAddress == state.reportedPoint.baseAddress
    }

    /// `evaluationIsStepLoss` of `problem` run by `state` (shared with `BatchRun`).
    static func evaluationIsStepLoss(_ problem: any Problem, _ state: any OptimizerState) -> Bool {
        stepLossIsTrainingLoss(problem, state) && problem.metricNames.count == 1
    }

    /// Runs the configuration to its end, telling `observer` what happens.
    ///
    /// Update t: take the (sampled) loss and gradient at the optimizer's gradient point, pass the
    /// loss to the schedule as the metric observed after update t − 1, transform the gradient,
    /// ask the schedule for the rate (and momentum) of update t, and update. A line search
    /// (`LossOracleState`) gets the loss of the same sample at its trial points. The metrics at
    /// x_t are evaluated before update t every `evaluationInterval` updates and at the end; where
    /// `evaluationIsStepLoss`, the evaluation before an update is the sampled loss of that update
    /// (taken first, then the stop rules are checked on it, then the update goes on).
    public func execute<O: RunObserver>(observer: inout O) -> RunOutcome {
        let steps = setup.steps
        let interval = setup.evaluationInterval
        let optimum = setup.problem.optimumValue
        let timeDriven = setup.schedule.drive == .time
        let g = gradient.buffer
        var tracker = TerminationTracker(rule: setup.stopRule, optimum: optimum)
        observer.began(evaluationInterval: interval, stepLossIsTrainingLoss: stepLossIsTrainingLoss)
        let start = monotonicSeconds()
        var evaluationSeconds = 0.0
        var reason = StopReason.budget
        var divergedAt: Int?
        var t = 0

        func evaluate(_ t: Int) -> StopReason? {
            let e0 = monotonicSeconds()
            objective.evaluate(at: state.reportedPoint, into: metrics.buffer)
            let e1 = monotonicSeconds()
            evaluationSeconds += e1 - e0
            observer.evaluated(step: t, metrics: metrics.readOnly, seconds: e1 - start - evaluationSeconds)
            return tracker.stop(evaluatedLoss: metrics[0])
        }
        let reuse = evaluationIsStepLoss

        while t < steps {
            let due = t % interval == 0
            if due && !reuse, let stop = evaluate(t) {
                reason = stop
                if stop == .diverged { divergedAt = t }
                break
            }
            let s = due && reuse ? monotonicSeconds() - start - evaluationSeconds : 0
            let loss = objective.sampleLossAndGradient(at: state.gradientPoint, into: g)
            if due && reuse {
                // The evaluation at x_t is this loss (the training loss at x_t, the only metric).
                metrics[0] = loss
                observer.evaluated(step: t, metrics: metrics.readOnly, seconds: s)
                if let stop = tracker.stop(evaluatedLoss: loss) {
                    reason = stop
                    if stop == .diverged { divergedAt = t }
                    break
                }
            }
            if t > 0 { controller.observe(loss, after: t - 1) }
            if tracker.diverged(stepLoss: loss) {
                reason = .diverged
                divergedAt = t
                break
            }
            if !transformState.isEmpty { transformState.apply(to: g, params: state.gradientPoint) }
            let elapsed = timeDriven ? monotonicSeconds() - start - evaluationSeconds : 0
            let lr = controller.rate(at: t, elapsedSeconds: elapsed)
            let momentum = controller.momentum(at: t)
            let context = StepContext(step: t, learningRate: lr, loss: loss, momentum: momentum, optimumValue: optimum)
            if let oracle = lossOracle {
                // Trial losses on the sample just drawn; the closure does not escape (no allocation).
                var trials = 0
                oracle.update(gradient: UnsafeBufferPointer(g), context: context) { x in
                    trials += 1
                    return objective.sampleLoss(at: x)
                }
                observer.updated(step: t, lr: lr, momentum: momentum, loss: loss)
                if trials > 0 { observer.evaluatedLoss(count: trials) }
            } else {
                state.update(gradient: UnsafeBufferPointer(g), context: context)
                observer.updated(step: t, lr: lr, momentum: momentum, loss: loss)
            }
            if let e = state.effectiveLearningRate { observer.applied(step: t, effectiveRate: e) }
            t += 1
        }
        if reason == .budget, let stop = evaluate(t) {
            if stop == .diverged { reason = .diverged; divergedAt = t } else if stop == .target { reason = .target }
        }
        let total = monotonicSeconds() - start
        observer.ended(step: t, seconds: total - evaluationSeconds)
        return RunOutcome(steps: t, reason: reason, divergedAt: divergedAt,
                          updateSeconds: total - evaluationSeconds, totalSeconds: total)
    }
}
