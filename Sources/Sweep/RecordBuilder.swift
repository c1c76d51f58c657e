import Run
import Problems
import Schedules

/// A planned run made ready to execute: its configuration and its (empty) recorder. Every run of a
/// sweep, alone or in a group (`SweepRunner.execute(group:)`, one loop: `BatchRun`), starts from
/// this and ends in `SweepRunner.record(_:recorder:outcome:)`, the one place records are built.
struct PreparedRun {
    let run: PlannedRun
    let setup: RunSetup
    let recorder: CurveRecorder
}

extension SweepRunner {
    /// The run's setup (its problem instance, methods, rate, budget and stop rule) and its recorder.
    /// Configurations were validated up front, so building cannot fail.
    func prepare(_ run: PlannedRun) -> PreparedRun {
        let c = run.combination
        let entry = plan.config.problems[c.problem]
        let instance = instances[c.problem]![run.seed]!
        let problem = instance.problem
        var stop = plan.config.stopRule
        let optimum = problem.optimumValue
        if plan.config.stopAtTarget, let optimum,
           let tightest = entry.targets.filter({ $0.metric == Target.suboptimality }).map(\.value).min() {
            stop.targetGap = tightest * (instance.initialLoss - optimum)
        }
        let setup = RunSetup(problem: problem, optimizer: try! plan.optimizer(c), schedule: try! plan.schedule(c),
                             transforms: try! plan.transforms(c), learningRate: run.lr, steps: entry.budget,
                             evaluationInterval: entry.evaluationInterval, stopRule: stop)
        let recorder = CurveRecorder(metricNames: problem.metricNames, targets: entry.targets, optimum: optimum,
                                     initialLoss: instance.initialLoss, capacity: entry.budget / entry.evaluationInterval + 2)
        return PreparedRun(run: run, setup: setup, recorder: recorder)
    }

    /// The record of a finished run: its configuration, the recorder's curve and the outcome.
    func record(_ prepared: PreparedRun, recorder: CurveRecorder, outcome: RunOutcome) -> RunRecord {
        let run = prepared.run
        let c = run.combination
        let entry = plan.config.problems[c.problem]
        let instance = instances[c.problem]![run.seed]!
        let problem = instance.problem
        let primary = entry.primary ?? (problem.optimumValue != nil ? Target.suboptimality : problem.metricNames[0])
        return RunRecord(id: run.id, phase: run.phase, key: plan.key(c), lr: run.lr, seed: run.seed, budget: entry.budget,
                         evaluationInterval: entry.evaluationInterval, problem: problem, initialLoss: instance.initialLoss,
                         primary: primary, direction: entry.direction(of: primary), targets: entry.targets,
                         timeDriven: prepared.setup.schedule.drive == .time, recorder: recorder, outcome: outcome)
    }
}
