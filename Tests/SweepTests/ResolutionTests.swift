import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
import Optimizers
import Problems
import Schedules

/// Steps to a target: exact to the step where the loss at every step is known, else at the
/// evaluation points, and the record says which.
@Suite struct ResolutionTests {
    /// Runs `setup` through the harness with a CurveRecorder.
    func record(_ s: RunSetup, targets: [Target]) -> (CurveRecorder, RunOutcome, RunWorkspace) {
        let f0 = s.problem.initialPoint.withUnsafeBufferPointer { s.problem.makeObjective().loss(at: $0) }
        let ws = RunWorkspace(s)
        var recorder = CurveRecorder(metricNames: s.problem.metricNames, targets: targets, optimum: s.problem.optimumValue,
                                     initialLoss: f0, capacity: s.steps / s.evaluationInterval + 2)
        let outcome = ws.execute(observer: &recorder)
        return (recorder, outcome, ws)
    }

    /// The full loss f(x_t) for t = 0…steps, by re-running the optimizer step by step outside the
    /// harness: a fresh objective, the full gradient, the constant rate.
    func fullLosses(_ problem: any Problem, optimizer spec: String, lr: Double, steps: Int) throws -> [Double] {
        let optimizer = try Methods.optimizer(spec)
        let state = problem.initialPoint.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
        let objective = problem.makeObjective()
        var g = [Double](repeating: 0, count: problem.dimension)
        var losses: [Double] = []
        for t in 0...steps {
            losses.append(objective.loss(at: state.reportedPoint))
            if t == steps { break }
            let f = g.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: state.gradientPoint, into: $0) }
            g.withUnsafeBufferPointer {
                state.update(gradient: $0, context: StepContext(step: t, learningRate: lr, loss: f, optimumValue: problem.optimumValue))
            }
        }
        return losses
    }

    @Test(arguments: [("rosenbrock", "sgd(momentum=0.9)", 1e-3), ("rosenbrock(dim=4)", "adam", 0.03),
                      ("quadratic(dim=10, cond=100, rotated=false)", "sgd", 0.015)])
    func exactStepsEqualTheFirstStepWhereTheFullLossCrossesTheTarget(spec: String, optimizer: String, lr: Double) throws {
        let problem = try Methods.problem(spec, seed: 2)
        let steps = 600, interval = 25
        let f0 = problem.initialPoint.withUnsafeBufferPointer { problem.makeObjective().loss(at: $0) }
        let losses = try fullLosses(problem, optimizer: optimizer, lr: lr, steps: steps)
        // Targets at losses the run passes: a loss target and suboptimality targets.
        let lossTarget = Target(metric: "loss", value: (losses[37] + losses[38]) / 2)
        let gaps = [1e-1, 1e-2, 1e-3].map { Target(metric: Target.suboptimality, value: $0) }
        let targets = [lossTarget] + gaps
        let s = RunSetup(problem: problem, optimizer: try Methods.optimizer(optimizer), schedule: try Methods.schedule("constant"),
                         learningRate: lr, steps: steps, evaluationInterval: interval, stopRule: StopRule(divergenceFactor: .infinity))
        let (recorder, outcome, ws) = record(s, targets: targets)
        #expect(outcome.steps == steps && ws.stepLossIsTrainingLoss)
        #expect(recorder.targetResolution == [1, 1, 1, 1])
        var between = 0
        for (j, target) in targets.enumerated() {
            let v = losses.map { target.metric == Target.suboptimality ? $0 / f0 : $0 }  // f* = 0
            let expected = v.firstIndex { target.isReached(by: $0) }
            #expect(recorder.stepsToTarget[j] == expected, "\(spec) \(optimizer) \(target)")
            guard let t = recorder.stepsToTarget[j] else { continue }
            if t % interval != 0 { between += 1 }
            // Consistent with the evaluated steps: the first evaluation at or after t has reached it,
            // the one before has not.
            let next = (t + interval - 1) / interval * interval
            let evaluated = recorder.metrics[0][recorder.steps.firstIndex(of: next)!]
            #expect(target.isReached(by: target.metric == Target.suboptimality ? evaluated / f0 : evaluated))
            if let previous = recorder.steps.last(where: { $0 < t }) {
                let before = recorder.metrics[0][recorder.steps.firstIndex(of: previous)!]
                #expect(!target.isReached(by: target.metric == Target.suboptimality ? before / f0 : before))
            }
            // Timed between the evaluations that bracket it.
            let s = try #require(recorder.secondsToTarget[j])
            let k = recorder.steps.firstIndex(of: next)!
            #expect(s <= recorder.seconds[k] && (k == 0 || s >= recorder.seconds[k - 1]))
        }
        // The test means something: at least one step is not on the evaluation grid.
        #expect(between > 0, "\(spec): every target fell on an evaluation point")
    }

    @Test func theFinalEvaluationCoversTheLastStep() throws {
        // GD on ½(x₁² + 10x₂²) from (1, 1), lr 0.05: f(x_t) = ½(0.95^{2t} + 10·0.5^{2t}); a target
        // between f(x_9) and f(x_10) with a budget of 10 is first met by x_10, the final point.
        let problem = try Methods.problem("quadratic(dim=2, cond=10, rotated=false, instance=classic)", seed: 0)
        func f(_ t: Int) -> Double { 0.5 * (pow(0.95, Double(2 * t)) + 10 * pow(0.5, Double(2 * t))) }
        let target = Target(metric: "loss", value: (f(9) + f(10)) / 2)
        let s = RunSetup(problem: problem, optimizer: try Methods.optimizer("sgd"), schedule: try Methods.schedule("constant"),
                         learningRate: 0.05, steps: 10, evaluationInterval: 4)
        let (recorder, _, _) = record(s, targets: [target, Target(metric: "loss", value: (f(6) + f(7)) / 2)])
        #expect(recorder.steps == [0, 4, 8, 10])
        #expect(recorder.stepsToTarget == [10, 7])
        #expect(recorder.targetResolution == [1, 1])
    }

    @Test(arguments: [
        // Stochastic: the optimizer sees minibatch or noisy losses.
        ("quadratic(dim=6, cond=10, noise=1, batch=4)", "sgd"),
        ("linreg(n=60, d=4, batch=10)", "sgd"),
        // Schedule-free: the gradient point y is not the reported point x.
        ("rosenbrock", "sgd_schedulefree"),
        ("rosenbrock", "adamw_schedulefree"),
    ])
    func elsewhereTheEvaluationIntervalIsTheResolution(spec: String, optimizer: String) throws {
        let problem = try Methods.problem(spec, seed: 1)
        let s = RunSetup(problem: problem, optimizer: try Methods.optimizer(optimizer), schedule: try Methods.schedule("constant"),
                         learningRate: 1e-3, steps: 200, evaluationInterval: 20)
        let targets = [Target(metric: Target.suboptimality, value: 0.999), Target(metric: "loss", value: 0)]
        let (recorder, _, ws) = record(s, targets: targets)
        #expect(!ws.stepLossIsTrainingLoss)
        #expect(recorder.targetResolution == [20, 20])
        // Found at an evaluation point.
        if let t = recorder.stepsToTarget[0] { #expect(t % 20 == 0 || t == 200) }
    }

    @Test func metricsOtherThanTheTrainingLossKeepTheEvaluationInterval() throws {
        // A deterministic problem whose step loss is exact, with a target on a metric the step
        // loss is not (an unknown metric name is never reached): only loss and suboptimality are exact.
        let problem = try Methods.problem("beale", seed: 0)
        let s = RunSetup(problem: problem, optimizer: try Methods.optimizer("adam"), schedule: try Methods.schedule("constant"),
                         learningRate: 0.01, steps: 30, evaluationInterval: 10)
        let (recorder, _, _) = record(s, targets: [Target(metric: "test_accuracy", value: 0.5, direction: .higher), Target(metric: "loss", value: 1e9)])
        #expect(recorder.targetResolution == [10, 1])
        #expect(recorder.stepsToTarget == [nil, 0])
    }

    @Test func recordsAndTheSummaryCarryTheResolution() throws {
        let dir = temporaryDirectory("resolution")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try runSweep("""
        name: res
        budget: 60
        evaluation_interval: 7
        learning_rates: [1e-3, 1e-2]
        seeds: {tuning: [0], evaluation: [1, 2]}
        problems:
          - spec: rosenbrock
            targets: {suboptimality: [1e-1, 1e-2]}
            main_target: {suboptimality: 1e-1}
          - spec: quadratic(dim=4, cond=10, noise=1, batch=2)
            targets: {suboptimality: [1e-1, 1e-2]}
            main_target: {suboptimality: 1e-1}
        optimizers: [sgd, sgd_schedulefree]
        schedules: [constant]
        """, workers: 1, into: dir)
        let records = Array(try loadRecords(dir).values)
        #expect(records.allSatisfy { $0.format == 3 && $0.targetResolution.count == 2 })
        for r in records {
            let exact = r.problem == "rosenbrock" && r.optimizer == "sgd"
            #expect(r.targetResolution == (exact ? [1, 1] : [7, 7]), "\(r.problem) \(r.optimizer)")
            #expect(try RunRecord.parse(Substring(r.jsonLine)) == r)
            #expect(r.jsonLine.contains(exact ? "\"target_resolution\":[1,1]" : "\"target_resolution\":[7,7]"))
        }
        let summary = try String(contentsOf: dir.appendingPathComponent("summary.csv"), encoding: .utf8)
        let rows = summary.split(separator: "\n").map { CSV.split(String($0)) }
        #expect(rows[0].last == "steps_to_target_resolution")
        #expect(rows[0].dropLast().elementsEqual(Summary.header.dropLast()))
        for row in rows.dropFirst() {
            #expect(row.last == (row[0] == "rosenbrock" && row[1] == "sgd" ? "1" : "7"), "\(row[0]) \(row[1])")
        }
    }
}
