import GradientTransforms
import LinearAlgebra
import Optimizers
import Problems
import Schedules

/// K runs of one problem instance advancing in lockstep (README, "Batched runs"): one
/// `BatchObjective.sampleLossAndGradient` per step serves every member still running, and one
/// `evaluate` per evaluation step serves every member due. Each member keeps its own optimizer
/// state, schedule controller, transform state, stop rules and observer; a member that stops
/// (target, divergence, plateau, budget) leaves the group, its slot nil from then on.
///
/// Member k's observer calls and outcome equal, bit for bit apart from timings, those of
/// `RunWorkspace(setups[k]).execute` alone: per member the same operations in the same order
/// (evaluate x_t, sample, observe the loss, divergence check, transforms, rate, update, observer
/// calls, effective rate; where `evaluationIsStepLoss`, the evaluation before an update is that
/// update's sampled loss, as in `RunWorkspace`), and the batch objective's contract makes each
/// member's losses, gradients and metrics those of a lone objective.
///
/// Timings: a member's update seconds are its own work (schedule, transforms, optimizer, observer,
/// timed around it) plus an equal share of each shared gradient call among the members in that
/// call; its evaluation seconds are an equal share of each shared `evaluate` call among the
/// members evaluated. The shares of one call add up to the call's time, so the group's seconds
/// add up to its wall-clock (one thread).
///
/// Wall-clock-driven schedules and line searches (`LossOracleState`) never join a group
/// (`RunSetup.isBatchable`). The loop allocates
/// nothing: pointer arrays, buffers and per-member state are allocated at set-up.
public final class BatchRun {
    public let setups: [RunSetup]
    public let objective: any BatchObjective
    let states: [any OptimizerState]
    let controllers: [any RateController]
    let transformStates: [ChainState]
    let gradients: [Buffer<Double>]
    let metrics: [Buffer<Double>]
    /// Per member: the evaluation before an update is that update's sampled loss.
    let reuse: [Bool]
    let stepLossIsTrainingLoss: [Bool]
    // Slot arrays handed to the batch objective (nil: not in this call).
    let points: UnsafeMutablePointer<UnsafePointer<Double>?>
    let gradientPointers: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    let metricPointers: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    let losses: UnsafeMutablePointer<Double>

    /// `setups`: at least one, all on the same problem instance (`===`) and all batchable.
    /// `objective`: the batch objective to use (default: `problem.makeBatchObjective(capacity:)`),
    /// with at least `setups.count` slots.
    public init(_ setups: [RunSetup], objective: (any BatchObjective)? = nil) {
        precondition(!setups.isEmpty, "a batch has at least one run")
        let problem = setups[0].problem
        precondition(setups.allSatisfy { $0.problem === problem }, "a batch runs one problem instance")
        precondition(setups.allSatisfy(\.isBatchable), "wall-clock-driven schedules and line searches run alone (RunSetup.isBatchable)")
        self.setups = setups
        let k = setups.count
        self.objective = objective ?? problem.makeBatchObjective(capacity: k)
        precondition(self.objective.capacity >= k, "the batch objective has \(self.objective.capacity) slots for \(k) runs")
        let x0 = problem.initialPoint
        states = setups.map { s in x0.withUnsafeBufferPointer { s.optimizer.makeState(initialPoint: $0) } }
        controllers = setups.map { $0.schedule.makeController(base: $0.learningRate) }
        transformStates = setups.map { $0.transforms.makeState(dimension: problem.dimension) }
        gradients = setups.map { _ in Buffer(count: problem.dimension) }
        metrics = setups.map { _ in Buffer(count: problem.metricNames.count) }
        reuse = states.map { RunWorkspace.evaluationIsStepLoss(problem, $0) }
        stepLossIsTrainingLoss = states.map { RunWorkspace.stepLossIsTrainingLoss(problem, $0) }
        let capacity = self.objective.capacity
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
        points.deallocate()
        gradientPointers.deallocate()
        metricPointers.deallocate()
        losses.deallocate()
    }

    /// Runs every member to its end, telling `observers[k]` what happens to member k (one observer
    /// per setup, in order). Returns each member's outcome; nil for members still running when
    /// `abandon()` (asked every 64 steps) said to stop, whose observers are then incomplete.
    public func execute<O: RunObserver>(observers: inout [O], abandon: () -> Bool = { false }) -> [RunOutcome?] {
        let k = setups.count
        precondition(observers.count == k, "one observer per run")
        let capacity = objective.capacity
        let steps = setups.map(\.steps)
        let intervals = setups.map(\.evaluationInterval)
        let optimum = setups[0].problem.optimumValue
        var trackers = setups.map { TerminationTracker(rule: $0.stopRule, optimum: optimum) }
        var active = [Bool](repeating: true, count: k)
        var reasons = [StopReason](repeating: .budget, count: k)
        var divergedAt = [Int?](repeating: nil, count: k)
        var updateSeconds = [Double](repeating: 0, count: k)
        var evaluationSeconds = [Double](repeating: 0, count: k)
        var outcomes = [RunOutcome?](repeating: nil, count: k)
        var running = k
        for j in 0..<k {
            observers[j].began(evaluationInterval: intervals[j], stepLossIsTrainingLoss: stepLossIsTrainingLoss[j])
        }
        let pointSlots = UnsafeBufferPointer(start: UnsafePointer(points), count: capacity)
        let gradientSlots = UnsafeBufferPointer(start: UnsafePointer(gradientPointers), count: capacity)
        let metricSlots = UnsafeBufferPointer(start: UnsafePointer(metricPointers), count: capacity)
        let lossSlots = UnsafeMutableBufferPointer(start: losses, count: capacity)
        for j in 0..<capacity { points[j] = nil; gradientPointers[j] = nil; metricPointers[j] = nil }

        /// Member j leaves the group after `t` updates.
        func finish(_ j: Int, at t: Int) {
            active[j] = false
            gradientPointers[j] = nil
            running -= 1
            observers[j].ended(step: t, seconds: updateSeconds[j])
            outcomes[j] = RunOutcome(steps: t, reason: reasons[j], divergedAt: divergedAt[j],
                                     updateSeconds: updateSeconds[j], totalSeconds: updateSeconds[j] + evaluationSeconds[j])
        }

        /// Adds the time since `clock` to member j's update seconds; returns the new clock reading.
        func charge(_ j: Int, since clock: Double) -> Double {
            let now = monotonicSeconds()
            updateSeconds[j] += now - clock
            return now
        }

        var t = 0
        while running > 0 {
            if t & 63 == 0 && abandon() { break }

            // Evaluations at x_t: members due before update t, and members at their budget's end.
            var due = 0
            for j in 0..<k {
                let evaluates = active[j] && (t == steps[j] || (t % intervals[j] == 0 && !reuse[j]))
                if evaluates {
                    points[j] = states[j].reportedPoint.baseAddress.map { UnsafePointer($0) }
                    metricPointers[j] = metrics[j].pointer
                    due += 1
                } else {
                    points[j] = nil
                    metricPointers[j] = nil
                }
            }
            if due > 0 {
                let e0 = monotonicSeconds()
                objective.evaluate(points: pointSlots, metrics: metricSlots)
                let share = (monotonicSeconds() - e0) / Double(due)
                for j in 0..<k where metricPointers[j] != nil {
                    evaluationSeconds[j] += share
                    observers[j].evaluated(step: t, metrics: metrics[j].readOnly, seconds: updateSeconds[j])
                    let stop = trackers[j].stop(evaluatedLoss: metrics[j][0])
                    if t == steps[j] {
                        // The final evaluation: only a target or a divergence changes the reason.
                        if stop == .diverged { reasons[j] = .diverged; divergedAt[j] = t } else if stop == .target { reasons[j] = .target }
                        finish(j, at: t)
                    } else if let stop {
                        reasons[j] = stop
                        if stop == .diverged { divergedAt[j] = t }
                        finish(j, at: t)
                    }
                }
            }

            // Update t for every member still running (all have t < steps now).
            var members = 0
            for j in 0..<k {
                if active[j] {
                    points[j] = states[j].gradientPoint.baseAddress.map { UnsafePointer($0) }
                    gradientPointers[j] = gradients[j].pointer
                    members += 1
                } else {
                    points[j] = nil
                    gradientPointers[j] = nil
                }
            }
            if members == 0 { break }
            let c0 = monotonicSeconds()
            objective.sampleLossAndGradient(points: pointSlots, gradients: gradientSlots, losses: lossSlots)
            var clock = monotonicSeconds()
            let share = (clock - c0) / Double(members)
            for j in 0..<k where gradientPointers[j] != nil {
                let before = updateSeconds[j]
                updateSeconds[j] += share
                let loss = losses[j]
                let state = states[j]
                if reuse[j] && t % intervals[j] == 0 {
                    // The evaluation at x_t is this loss (as in `RunWorkspace.execute`).
                    metrics[j][0] = loss
                    observers[j].evaluated(step: t, metrics: metrics[j].readOnly, seconds: before)
                    if let stop = trackers[j].stop(evaluatedLoss: loss) {
                        reasons[j] = stop
                        if stop == .diverged { divergedAt[j] = t }
                        clock = charge(j, since: clock)
                        finish(j, at: t)
                        continue
                    }
                }
                let controller = controllers[j]
                if t > 0 { controller.observe(loss, after: t - 1) }
                if trackers[j].diverged(stepLoss: loss) {
                    reasons[j] = .diverged
                    divergedAt[j] = t
                    clock = charge(j, since: clock)
                    finish(j, at: t)
                    continue
                }
                let g = gradients[j].buffer
                let transforms = transformStates[j]
                if !transforms.isEmpty { transforms.apply(to: g, params: state.gradientPoint) }
                let lr = controller.rate(at: t, elapsedSeconds: 0)
                let momentum = controller.momentum(at: t)
                state.update(gradient: UnsafeBufferPointer(g),
                             context: StepContext(step: t, learningRate: lr, loss: loss, momentum: momentum, optimumValue: optimum))
                observers[j].updated(step: t, lr: lr, momentum: momentum, loss: loss)
                if let e = state.effectiveLearningRate { observers[j].applied(step: t, effectiveRate: e) }
                clock = charge(j, since: clock)
            }
            t += 1
        }
        return outcomes
    }
}
