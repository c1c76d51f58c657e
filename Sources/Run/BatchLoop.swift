import GradientTransforms
import LinearAlgebra
import Optimizers
import Problems
import Schedules

/// The run loop of `BatchRun`, for members whose parameters are all of one scalar type S (Double,
/// or Float: float32 end to end), on one objective: the problem's lone objective for a run alone,
/// or a batch objective shared by the group. `BatchRun` gives each precision of a group its own
/// loop; everything `BatchRun`'s doc says of the loop is said of this one.
final class BatchLoop<S: RunScalar> {
    let setups: [RunSetup]
    /// Where the losses, gradients and metrics come from: alone, the problem's lone objective,
    /// which also gives a line search the loss of its last sample at trial points (slot 0); in a
    /// group, the shared batch objective. Exactly one is set. (Stored, not bound per step, so
    /// that the loop calls them without reference counting.)
    let lone: (any Objective)?
    let batch: (any BatchObjective)?
    /// The members, in slot order, and the same at +0 for the loop (`owned` keeps them alive).
    let owned: [Member<S>]
    let members: UnsafeMutablePointer<Unmanaged<Member<S>>>
    /// The problem's dimension and metric count.
    let dimension: Int
    let metricCount: Int
    /// Per member: its progress through `run`, reset at its start.
    let progress: UnsafeMutablePointer<MemberProgress>
    // Slot arrays handed to the objective (nil: not in this call).
    let capacity: Int
    let points: UnsafeMutablePointer<UnsafePointer<S>?>
    let gradientPointers: UnsafeMutablePointer<UnsafeMutablePointer<S>?>
    let metricPointers: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    let losses: UnsafeMutablePointer<Double>

    init(_ setups: [RunSetup], lone: (any Objective)?, batch: (any BatchObjective)?) {
        precondition((lone == nil) != (batch == nil) && (lone == nil || setups.count == 1), "one lone objective for a run alone, or a batch objective")
        let problem = setups[0].problem
        precondition(setups.allSatisfy { $0.problem === problem }, "a batch runs one problem instance")
        self.setups = setups
        self.lone = lone
        self.batch = batch
        owned = setups.map(Member<S>.init)
        members = .allocate(capacity: setups.count)
        members.initialize(from: owned.map(Unmanaged.passUnretained), count: setups.count)
        dimension = problem.dimension
        metricCount = problem.metricNames.count
        progress = .allocate(capacity: setups.count)
        progress.initialize(repeating: MemberProgress(owned[0], optimum: nil), count: setups.count)
        capacity = batch?.capacity ?? 1
        points = .allocate(capacity: capacity)
        points.initialize(repeating: nil, count: capacity)
        gradientPointers = .allocate(capacity: capacity)
        gradientPointers.initialize(repeating: nil, count: capacity)
        metricPointers = .allocate(capacity: capacity)
        metricPointers.initialize(repeating: nil, count: capacity)
        losses = .allocate(capacity: capacity)
        losses.initialize(repeating: .nan, count: capacity)
    }

    deinit {
        members.deallocate()
        progress.deinitialize(count: setups.count)
        progress.deallocate()
        points.deallocate()
        gradientPointers.deallocate()
        metricPointers.deallocate()
        losses.deallocate()
    }

    /// The run loop. Step t, for every member j still running, in this order:
    ///
    /// 1. evaluate: the metrics at x_t (the reported point) when t is a multiple of the member's
    ///    evaluation interval, or t is its budget (the final evaluation); the stop rules (target,
    ///    plateau, a non-finite loss) are checked on them. Where `evaluationIsStepLoss`, the
    ///    evaluation before an update is that update's sampled loss instead (step 2).
    /// 2. sample: the (sampled) loss and gradient at the optimizer's gradient point — then, where
    ///    the evaluation is the step loss, that loss is reported as the evaluation and checked;
    /// 3. observe: the loss goes to the schedule as the metric observed after update t − 1;
    /// 4. terminate: the divergence check on that loss;
    /// 5. transform the gradient; 6. rate (and momentum) of update t from the schedule;
    /// 7. update: the optimizer's step (a line search, `LossOracleState`, gets the loss of the same
    ///    sample at its trial points), then the observer's `updated`, `evaluatedLoss` and `applied`.
    ///
    /// Writes each member's outcome into `progress`; allocates nothing. Members are reached
    /// through `Unmanaged` references at +0 (`owned` keeps them alive), so that the loop does no
    /// reference counting per step. `shape` says at compile time whether this is a run alone
    /// (`Alone`: the group's loops fold into straight-line code) or a group on a batch objective.
    ///
    /// The observers are existentials, so that this loop has no generic parameter left but the
    /// scalar and the shape, which its callers here make concrete: it is compiled specialised
    /// (an observer type parameter from another module would leave it generic at run time, with
    /// a metadata lookup for `Member<S>` at every turn: W2's step took 2.2× as long).
    func run<Shape: LoopShape>(observers: UnsafeMutableBufferPointer<any RunObserver>, abandon: () -> Bool, shape: Shape.Type) {
        let alone = Shape.alone
        precondition(alone == (lone != nil), "a run alone has the lone objective")
        let k = alone ? 1 : owned.count
        // Alone (or a group of one), the run owns all time but its evaluations: no clock reads per step.
        let charged = !alone && k > 1
        let optimum = setups[0].problem.optimumValue
        for j in 0..<k {
            let m = owned[j]
            progress[j] = MemberProgress(m, optimum: optimum)
            observers[j].began(evaluationInterval: m.interval, stepLossIsTrainingLoss: m.stepLossIsTrainingLoss)
        }
        let pointSlots = UnsafeBufferPointer(start: UnsafePointer(points), count: capacity)
        let gradientSlots = UnsafeBufferPointer(start: UnsafePointer(gradientPointers), count: capacity)
        let metricSlots = UnsafeBufferPointer(start: UnsafePointer(metricPointers), count: capacity)
        let lossSlots = UnsafeMutableBufferPointer(start: losses, count: capacity)
        for j in 0..<capacity { points[j] = nil; gradientPointers[j] = nil; metricPointers[j] = nil }
        var running = k
        let start = monotonicSeconds()

        /// Member j's seconds so far, evaluations excluded.
        func seconds(_ j: Int) -> Double {
            charged ? progress[j].updateSeconds : monotonicSeconds() - start - progress[j].evaluationSeconds
        }
        /// Member j leaves the group after `t` updates.
        func finish(_ j: Int, at t: Int) {
            let update = seconds(j)
            progress[j].running = false
            running -= 1
            observers[j].ended(step: t, seconds: update)
            progress[j].outcome = RunOutcome(steps: t, reason: progress[j].reason, divergedAt: progress[j].divergedAt,
                                             updateSeconds: update, totalSeconds: update + progress[j].evaluationSeconds)
        }
        /// Member j stops at step t for `reason`.
        func stop(_ j: Int, _ reason: StopReason, at t: Int) {
            progress[j].reason = reason
            if reason == .diverged { progress[j].divergedAt = t }
            finish(j, at: t)
        }
        /// In a group: adds the time since `clock` to member j's update seconds; returns the new reading.
        func charge(_ j: Int, since clock: Double) -> Double {
            guard charged else { return clock }
            let now = monotonicSeconds()
            progress[j].updateSeconds += now - clock
            return now
        }

        var t = 0
        while running > 0 {
            if t & 63 == 0 && abandon() { break }

            // 1. Evaluations at x_t: members due before update t, and members at their budget's end.
            var due = 0
            for j in 0..<k {
                var evaluates = false
                if progress[j].running {
                    // t % interval == 0, without a division: t visits every step while running.
                    progress[j].due = t == progress[j].nextDue
                    if progress[j].due { progress[j].nextDue += progress[j].interval }
                    evaluates = t == progress[j].steps || (progress[j].due && !progress[j].reuse)
                    if evaluates {
                        members[j]._withUnsafeGuaranteedRef { m in
                            points[j] = m.reportedPoint
                            metricPointers[j] = m.metrics.pointer
                        }
                        due += 1
                    }
                }
                if !evaluates {
                    points[j] = nil
                    metricPointers[j] = nil
                }
            }
            if due > 0 {
                let e0 = monotonicSeconds()
                if alone {
                    S.evaluate(lone!, at: UnsafeBufferPointer(start: points[0], count: dimension),
                               into: UnsafeMutableBufferPointer(start: metricPointers[0], count: metricCount))
                } else {
                    S.evaluate(batch!, points: pointSlots, metrics: metricSlots)
                }
                let share = (monotonicSeconds() - e0) / Double(due)
                for j in 0..<k where metricPointers[j] != nil {
                    let metrics = UnsafeBufferPointer(start: metricPointers[j], count: metricCount)
                    progress[j].evaluationSeconds += share
                    observers[j].evaluated(step: t, metrics: metrics, seconds: seconds(j))
                    let reason = progress[j].tracker.stop(evaluatedLoss: metrics[0])
                    if t == progress[j].steps {
                        // The final evaluation: only a target or a divergence changes the reason.
                        if let reason, reason == .diverged || reason == .target { progress[j].reason = reason }
                        if reason == .diverged { progress[j].divergedAt = t }
                        finish(j, at: t)
                    } else if let reason {
                        stop(j, reason, at: t)
                    }
                }
            }

            // 2. Sample: update t for every member still running (all have t < steps now).
            var sampled = 0
            for j in 0..<k {
                if progress[j].running {
                    members[j]._withUnsafeGuaranteedRef { m in
                        points[j] = m.gradientPoint
                        gradientPointers[j] = m.gradient.pointer
                    }
                    // A reused evaluation's seconds are those before its sample.
                    if progress[j].reuse && progress[j].due { progress[j].stamp = seconds(j) }
                    sampled += 1
                } else {
                    points[j] = nil
                    gradientPointers[j] = nil
                }
            }
            if sampled == 0 { break }
            let c0 = charged ? monotonicSeconds() : 0
            if alone {
                losses[0] = S.sample(lone!, at: UnsafeBufferPointer(start: points[0], count: dimension),
                                     into: UnsafeMutableBufferPointer(start: gradientPointers[0], count: dimension))
            } else {
                S.sample(batch!, points: pointSlots, gradients: gradientSlots, losses: lossSlots)
            }
            var clock = charged ? monotonicSeconds() : 0
            let share = charged ? (clock - c0) / Double(sampled) : 0
            for j in 0..<k where gradientPointers[j] != nil {
                if charged { progress[j].updateSeconds += share }
                let loss = losses[j]
                members[j]._withUnsafeGuaranteedRef { m in
                    if progress[j].reuse && progress[j].due {
                        // The evaluation at x_t is this loss (the training loss at x_t, the only metric).
                        m.metrics[0] = loss
                        observers[j].evaluated(step: t, metrics: m.metrics.readOnly, seconds: progress[j].stamp)
                        if let reason = progress[j].tracker.stop(evaluatedLoss: loss) {
                            clock = charge(j, since: clock)
                            stop(j, reason, at: t)
                            return
                        }
                    }
                    // 3. Observe, 4. terminate.
                    if t > 0 { m.controller.observe(loss, after: t - 1) }
                    if progress[j].tracker.diverged(stepLoss: loss) {
                        clock = charge(j, since: clock)
                        stop(j, .diverged, at: t)
                        return
                    }
                    // 5. Transform, 6. rate.
                    let g = m.gradient.buffer
                    if !m.transforms.isEmpty { S.transform(m.transforms, g, params: UnsafeBufferPointer(start: m.gradientPoint, count: g.count)) }
                    let lr = m.controller.rate(at: t, elapsedSeconds: m.timeDriven ? seconds(j) : 0)
                    let momentum = m.controller.momentum(at: t)
                    // 7. Update.
                    let context = StepContext(step: t, learningRate: lr, loss: loss, momentum: momentum, optimumValue: optimum)
                    if let oracle = m.lossOracle {
                        // Trial losses on the sample just drawn; the closure does not escape (no allocation).
                        var trials = 0
                        // Only float64 states are line searches (`Member.lossOracle`): g is Double.
                        let g64 = UnsafeBufferPointer(start: UnsafeRawPointer(g.baseAddress!).assumingMemoryBound(to: Double.self), count: g.count)
                        oracle.update(gradient: g64, context: context) { x in
                            trials += 1
                            return self.lone!.sampleLoss(at: x)
                        }
                        observers[j].updated(step: t, lr: lr, momentum: momentum, loss: loss)
                        if trials > 0 { observers[j].evaluatedLoss(count: trials) }
                    } else {
                        m.state.update(gradient: UnsafeBufferPointer(g), context: context)
                        observers[j].updated(step: t, lr: lr, momentum: momentum, loss: loss)
                    }
                    if let e = m.state.effectiveLearningRate { observers[j].applied(step: t, effectiveRate: e) }
                    clock = charge(j, since: clock)
                }
            }
            t += 1
        }
    }
}

/// The two shapes of `BatchLoop.run`, a type parameter so that each is compiled on its own.
protocol LoopShape { static var alone: Bool { get } }
/// One run on the lone objective.
enum Alone: LoopShape { static var alone: Bool { true } }
/// A group on a batch objective.
enum Grouped: LoopShape { static var alone: Bool { false } }

/// One member's set-up: everything its updates need, built before the loop.
final class Member<S: RunScalar> {
    let state: any TypedOptimizerState<S>
    /// `state.gradientPoint` and `state.reportedPoint` (fixed buffers), read once: through the
    /// existential, a generic state's getter looks its conformance's witness table up per call.
    let gradientPoint: UnsafePointer<S>?
    let reportedPoint: UnsafePointer<S>?
    /// `state` when its update evaluates trial losses (a line search), resolved once here.
    let lossOracle: (any LossOracleState)?
    let controller: any RateController
    let transforms: ChainState
    let gradient: Buffer<S>
    let metrics: Buffer<Double>
    let steps: Int
    let interval: Int
    let stopRule: StopRule
    let timeDriven: Bool
    /// `RunWorkspace.stepLossIsTrainingLoss` and `evaluationIsStepLoss` of this member.
    let stepLossIsTrainingLoss: Bool
    let reuse: Bool

    init(_ setup: RunSetup) {
        let problem = setup.problem
        state = S.makeState(setup)
        gradientPoint = state.gradientPoint.baseAddress.map { UnsafePointer($0) }
        reportedPoint = state.reportedPoint.baseAddress.map { UnsafePointer($0) }
        lossOracle = state as? any LossOracleState
        precondition(lossOracle == nil || S.self == Double.self, "a line search has a float64 state")
        controller = setup.schedule.makeController(base: setup.learningRate)
        transforms = setup.transforms.makeState(dimension: problem.dimension)
        gradient = Buffer(count: problem.dimension)
        metrics = Buffer(count: problem.metricNames.count)
        steps = setup.steps
        interval = setup.evaluationInterval
        stopRule = setup.stopRule
        timeDriven = setup.schedule.drive == .time
        stepLossIsTrainingLoss = !problem.isStochastic && state.gradientPoint.baseAddress == state.reportedPoint.baseAddress
        reuse = stepLossIsTrainingLoss && problem.metricNames.count == 1
    }
}

/// One member's progress through `BatchLoop.run`, with the set-up values the loop reads every step
/// (trivial, stored at set-up: no allocation, no reference counting).
struct MemberProgress {
    let steps: Int
    let interval: Int
    /// `Member.reuse`.
    let reuse: Bool
    var tracker: TerminationTracker
    var running = true
    var reason = StopReason.budget
    var divergedAt: Int?
    /// Whether step t is an evaluation step (a multiple of the interval), set at step 1 of t,
    /// and the next such step.
    var due = false
    var nextDue = 0
    /// In a group: the update seconds charged so far (alone they are read off the clock).
    var updateSeconds = 0.0
    var evaluationSeconds = 0.0
    /// The seconds of a reused evaluation, read before its sample.
    var stamp = 0.0
    var outcome: RunOutcome?

    init<S>(_ member: Member<S>, optimum: Double?) {
        steps = member.steps
        interval = member.interval
        reuse = member.reuse
        tracker = TerminationTracker(rule: member.stopRule, optimum: optimum)
    }
}
