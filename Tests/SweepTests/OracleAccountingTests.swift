import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
import Optimizers
import Problems
import Specs

/// A problem that counts its objective's calls: sampled gradients, sample losses, metric
/// evaluations (a wrapper around a registered problem, whose numbers it returns unchanged).
final class CountingProblem: Problem {
    static let catalog = CatalogEntry(name: "counting", summary: "a registered problem whose objective counts its calls",
                                      parameters: [], reference: "test double")
    let inner: any Problem
    init(spec: Spec, seed: UInt64) throws { inner = try ProblemRegistry.make(spec, seed: seed) }
    var spec: Spec { inner.spec }
    var dimension: Int { inner.dimension }
    var initialPoint: [Double] { inner.initialPoint }
    var optimumValue: Double? { inner.optimumValue }
    var isStochastic: Bool { inner.isStochastic }
    var metricNames: [String] { inner.metricNames }
    func makeObjective() -> any Objective { CountingObjective(inner.makeObjective()) }
}

final class CountingObjective: Objective {
    let inner: any Objective
    var gradients = 0, sampleLosses = 0, evaluations = 0
    init(_ inner: any Objective) { self.inner = inner }
    func loss(at x: UnsafeBufferPointer<Double>) -> Double { inner.loss(at: x) }
    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        inner.lossAndGradient(at: x, into: g)
    }
    func sampleLossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        gradients += 1
        return inner.sampleLossAndGradient(at: x, into: g)
    }
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double {
        sampleLosses += 1
        return inner.sampleLoss(at: x)
    }
    func evaluate(at x: UnsafeBufferPointer<Double>, into metrics: UnsafeMutableBufferPointer<Double>) {
        evaluations += 1
        inner.evaluate(at: x, into: metrics)
    }
}

/// Counts the trial losses each update reports, in order, to check the observer calls.
struct TrialLog: RunObserver {
    var perUpdate: [Int] = []
    mutating func evaluated(step t: Int, metrics: UnsafeBufferPointer<Double>, seconds: Double) {}
    mutating func updated(step t: Int, lr: Double, momentum: Double?, loss: Double) { perUpdate.append(0) }
    mutating func evaluatedLoss(count: Int) { perUpdate[perUpdate.count - 1] += count }
}

@Suite struct OracleAccountingTests {
    func run(_ problem: any Problem, _ optimizer: String, lr: Double, steps: Int, interval: Int, targets: [Target] = [])
        throws -> (CurveRecorder, RunOutcome, CountingObjective) {
        let s = RunSetup(problem: problem, optimizer: try Methods.optimizer(optimizer), schedule: try Methods.schedule("constant"),
                         learningRate: lr, steps: steps, evaluationInterval: interval, stopRule: StopRule(divergenceFactor: .infinity))
        let f0 = problem.initialPoint.withUnsafeBufferPointer { problem.makeObjective().loss(at: $0) }
        let ws = RunWorkspace(s)
        var recorder = CurveRecorder(metricNames: problem.metricNames, targets: targets, optimum: problem.optimumValue,
                                     initialLoss: f0, capacity: steps / interval + 2)
        let outcome = ws.execute(observer: &recorder)
        return (recorder, outcome, try #require(ws.objective as? CountingObjective))
    }

    /// SGD: one gradient per step, no loss evaluations, oracle calls = steps everywhere.
    @Test(arguments: ["quadratic(dim=5, cond=10)", "linreg(n=60, d=5, batch=8)"])
    func sgdCountsOneGradientPerStep(spec: String) throws {
        let problem = try CountingProblem(spec: Spec(parsing: spec), seed: 3)
        let targets = [Target(metric: Target.suboptimality, value: 0.5), Target(metric: Target.suboptimality, value: 1e-30)]
        let (r, outcome, counted) = try run(problem, "sgd", lr: 0.05, steps: 40, interval: 5, targets: targets)
        #expect(outcome.steps == 40)
        #expect(r.gradientEvaluations == 40 && counted.gradients == 40)
        #expect(r.lossEvaluations == 0 && counted.sampleLosses == 0)
        #expect(r.oracleCalls == r.steps)
        #expect(r.stepsToTarget[0] != nil)
        #expect(r.oracleCallsToTarget == r.stepsToTarget)
        #expect(counted.evaluations == expectedEvaluations(problem, r), "the metric evaluations happened, and are not counted")
    }

    /// SLS: 1 gradient + its trial losses per step, each trial one `sampleLoss` of the objective.
    @Test(arguments: [("rosenbrock", "sls"), ("linreg(n=60, d=5, batch=8)", "sls(init_step_size=10)"),
                      ("quadratic(dim=6, cond=50, noise=1, batch=2)", "sls(line_search_fn=goldstein)")])
    func slsCountsItsTrialLosses(spec: String, optimizer: String) throws {
        let problem = try CountingProblem(spec: Spec(parsing: spec), seed: 3)
        let targets = [Target(metric: Target.suboptimality, value: 0.5)]
        let (r, outcome, counted) = try run(problem, optimizer, lr: 1, steps: 30, interval: 4, targets: targets)
        #expect(outcome.steps == 30 && outcome.reason == .budget)
        #expect(r.gradientEvaluations == 30 && counted.gradients == 30)
        #expect(r.lossEvaluations == counted.sampleLosses)
        #expect(r.lossEvaluations > 30, "every step tried at least once, and some backtracked")
        // Calls before each evaluation point: the gradients and trials of the updates before it.
        let log = try trialLog(problem, optimizer, steps: 30)
        #expect(log.reduce(0, +) == r.lossEvaluations)
        for (i, t) in r.steps.enumerated() {
            #expect(r.oracleCalls[i] == t + log.prefix(t).reduce(0, +), "evaluation at step \(t)")
        }
        let reached = try #require(r.stepsToTarget[0])
        #expect(r.oracleCallsToTarget[0] == reached + log.prefix(reached).reduce(0, +))
        #expect(counted.evaluations == expectedEvaluations(problem, r))
    }

    /// The metric evaluations a budget run computes: one per evaluation point, but where the only
    /// metric is the deterministic training loss the evaluations before updates are the step
    /// losses (README, "What is evaluated when"), so only the final one is computed.
    func expectedEvaluations(_ problem: any Problem, _ r: CurveRecorder) -> Int {
        !problem.isStochastic && problem.metricNames.count == 1 ? 1 : r.steps.count
    }

    /// Trial losses per update, from a second identical run (deterministic).
    func trialLog(_ problem: any Problem, _ optimizer: String, steps: Int) throws -> [Int] {
        let s = RunSetup(problem: problem, optimizer: try Methods.optimizer(optimizer), schedule: try Methods.schedule("constant"),
                         learningRate: 1, steps: steps, evaluationInterval: steps, stopRule: StopRule(divergenceFactor: .infinity))
        var log = TrialLog()
        _ = RunWorkspace(s).execute(observer: &log)
        return log.perUpdate
    }

    /// The trial losses are the loss of the minibatch the gradient came from: an SLS run in the
    /// harness is the optimizer driven by hand with `sampleLoss`, bit for bit.
    @Test func slsInTheHarnessSearchesTheSameMinibatch() throws {
        let problem = try Methods.problem("linreg(n=60, d=5, batch=8)", seed: 5)
        let s = RunSetup(problem: problem, optimizer: try Methods.optimizer("sls"), schedule: try Methods.schedule("constant"),
                         learningRate: 1, steps: 25, evaluationInterval: 25)
        let ws = RunWorkspace(s)
        var null = NullObserver()
        _ = ws.execute(observer: &null)

        let objective = problem.makeObjective()
        let state = try #require(problem.initialPoint.withUnsafeBufferPointer { try Methods.optimizer("sls").makeState(initialPoint: $0) } as? any LossOracleState)
        var g = [Double](repeating: 0, count: problem.dimension)
        for t in 0..<25 {
            let f = g.withUnsafeMutableBufferPointer { objective.sampleLossAndGradient(at: state.gradientPoint, into: $0) }
            g.withUnsafeBufferPointer {
                state.update(gradient: $0, context: StepContext(step: t, learningRate: 1, loss: f, optimumValue: problem.optimumValue)) {
                    objective.sampleLoss(at: $0)
                }
            }
        }
        #expect(Array(ws.reportedPoint) == Array(state.reportedPoint))
    }

    /// The range test drives a line search with its trial losses too (it does not stop the process).
    @Test func theRangeTestRunsALineSearch() throws {
        let r = RangeTest(minLR: 1e-4, maxLR: 10, steps: 40).run(problem: try Methods.problem("linreg(n=60, d=5, batch=8)", seed: 0),
                                                                 optimizer: try Methods.optimizer("sls"))
        #expect(r.points.count >= 20)
        #expect(r.points.allSatisfy { $0.loss.isFinite })
    }

    /// Records carry the counts; records written before them read as gradients = steps, losses = 0.
    @Test func recordsCarryTheCountsAndOldRecordsStayReadable() throws {
        let dir = temporaryDirectory("oracle")
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = """
        name: oracle
        budget: 40
        evaluation_interval: 5
        learning_rates: [0.1, 1]
        seeds: {tuning: [0], evaluation: [1, 2]}
        problems:
          - spec: quadratic(dim=4, cond=10)
            targets: {suboptimality: [1e-1, 1e-3]}
            main_target: {suboptimality: 1e-1}
        optimizers: [sgd, sls]
        schedules: [constant]
        """
        _ = try runSweep(yaml, workers: 1, into: dir)
        let records = Array(try loadRecords(dir).values)
        #expect(records.count == 12)   // 2 optimizers × (2 tuning rates + 2 evaluation seeds + 2 default-rate seeds)
        for r in records {
            let line = r.jsonLine
            #expect(try RunRecord.parse(Substring(line)) == r)
            let gradients = try #require(r.gradientEvals), losses = try #require(r.lossEvals)
            #expect(gradients == r.stepsRun)
            #expect(r.oracleCalls?.count == r.steps.count && r.oracleCallsToTarget?.count == r.targets.count)
            if r.optimizer.hasPrefix("sgd") {
                #expect(losses == 0 && r.oracleCalls == r.steps && r.oracleCallsToTarget == r.stepsToTarget)
            } else {
                #expect(losses > 0 && r.oracleCalls!.last! == gradients + losses)
                if let s = r.stepsToTarget[0] { #expect(r.oracleCalls(toTarget: 0)! > s) }
            }
            // The same record as written before the counts existed: the fields absent.
            var old = r
            old.gradientEvals = nil; old.lossEvals = nil; old.oracleCalls = nil; old.oracleCallsToTarget = nil
            let oldLine = old.jsonLine
            #expect(!oldLine.contains("gradient_evals") && !oldLine.contains("oracle_calls"))
            #expect(line.hasPrefix(String(oldLine.dropLast())), "the counts are appended; every other field is unchanged")
            let parsed = try RunRecord.parse(Substring(oldLine))
            #expect(parsed.gradientEvaluations == r.stepsRun && parsed.lossEvaluations == 0)
            #expect(parsed.oracleCalls(toTarget: 0) == r.stepsToTarget[0])
        }
        // The summary's oracle-call column: the steps for SGD, more for SLS.
        let rows = Summary.rows(plan: SweepPlan(config: try SweepConfig(yaml: yaml)), records: records)
        for row in rows {
            if row.optimizer.hasPrefix("sgd") { #expect(row.oracleCallsMedian == row.stepsMedian) }
            else if row.stepsMedian.isFinite { #expect(row.oracleCallsMedian > row.stepsMedian) }
        }
        let csv = try String(contentsOf: dir.appendingPathComponent("summary.csv"), encoding: .utf8)
        let header = CSV.split(String(csv.split(separator: "\n")[0]))
        let k = try #require(header.firstIndex(of: "oracle_calls_to_target_median"))
        #expect(header[k - 1] == "steps_to_target_q75")
    }

    /// A summary written before the oracle-call column is still read by the gate.
    @Test func theGateReadsSummariesWithoutTheOracleColumn() throws {
        let dir = temporaryDirectory("oracle-gate")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try runSweep("""
        name: oracle-gate
        budget: 20
        evaluation_interval: 5
        learning_rates: [0.1]
        seeds: {tuning: [0], evaluation: [1]}
        problems:
          - spec: quadratic(dim=4, cond=10)
            targets: {suboptimality: [1e-1]}
            main_target: {suboptimality: 1e-1}
        optimizers: [sgd]
        schedules: [constant]
        """, workers: 1, into: dir)
        let url = dir.appendingPathComponent("summary.csv")
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { CSV.split(String($0)) }
        let k = rows[0].firstIndex(of: "oracle_calls_to_target_median")!
        let old = rows.map { row in var r = row; r.remove(at: k); return r.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") }
        try (old.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let files = try ResultFiles(dir)
        #expect(files.summary.count == 1)
        let row = try #require(files.summary.values.first)
        #expect(row.oracleCallsMedian.isNaN && !row.secondsToTargetMedian.isNaN)
        #expect(row.tunedLR == 0.1)
    }
}
