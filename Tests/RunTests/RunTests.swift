import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
import GradientTransforms
import Optimizers
import Problems
import Schedules
import Specs
import Statistics

/// Collects everything a run reports.
struct Log: RunObserver {
    var evaluations: [(Int, Double)] = []
    var updates: [(Int, Double, Double?)] = []
    mutating func evaluated(step t: Int, metrics: UnsafeBufferPointer<Double>, seconds: Double) { evaluations.append((t, metrics[0])) }
    mutating func updated(step t: Int, lr: Double, momentum: Double?, loss: Double) { updates.append((t, lr, momentum)) }
}

func setup(_ problem: String, _ optimizer: String, _ schedule: String = "constant", lr: Double, steps: Int,
           interval: Int = 1, stop: StopRule = .standard, transforms: [String] = []) throws -> RunSetup {
    RunSetup(problem: try Methods.problem(problem, seed: 0), optimizer: try Methods.optimizer(optimizer),
             schedule: try Methods.schedule(schedule), transforms: try Methods.transforms(transforms),
             learningRate: lr, steps: steps, evaluationInterval: interval, stopRule: stop)
}

@Suite struct RunLoopTests {
    @Test func gradientDescentOnADiagonalQuadraticFollowsTheClosedForm() throws {
        // x_{t+1} = (1 − ηλ) x_t from x₀ = 1: f(x_t) = ½ Σ λ_i (1 − ηλ_i)^{2t}, λ = 1, 10.
        let s = try setup("quadratic(dim=2, cond=10, rotated=false, instance=classic)", "sgd", lr: 0.05, steps: 20, interval: 5)
        var log = Log()
        let outcome = RunWorkspace(s).execute(observer: &log)
        #expect(outcome.reason == .budget)
        #expect(outcome.steps == 20)
        #expect(log.evaluations.map(\.0) == [0, 5, 10, 15, 20])
        for (t, f) in log.evaluations {
            let expected = 0.5 * (pow(0.95, Double(2 * t)) + 10 * pow(0.5, Double(2 * t)))
            #expect(abs(f - expected) <= 1e-14 * expected)
        }
        #expect(log.updates.count == 20)
        #expect(log.updates.allSatisfy { $0.1 == 0.05 && $0.2 == nil })
    }

    @Test func scheduleRatesReachTheOptimizerInOrder() throws {
        let s = try setup("rosenbrock", "sgd", "step(step_size=3, gamma=0.5)", lr: 1e-4, steps: 7)
        var log = Log()
        _ = RunWorkspace(s).execute(observer: &log)
        #expect(log.updates.map(\.1) == [1e-4, 1e-4, 1e-4, 5e-5, 5e-5, 5e-5, 2.5e-5])
    }

    @Test func aDivergingRunIsRecordedNotACrash() throws {
        // η λ_max = 3 > 2: |1 − ηλ| = 2 per step, the loss grows 4× a step.
        let s = try setup("quadratic(dim=2, cond=10, rotated=false, instance=classic)", "sgd", lr: 0.3, steps: 1000)
        var log = Log()
        let outcome = RunWorkspace(s).execute(observer: &log)
        #expect(outcome.reason == .diverged)
        // ½·10·4^t exceeds 10⁴ × the initial gap 5.5 once 4^t > 5500: t = 7.
        #expect(outcome.divergedAt == 7)
        #expect(outcome.steps == 7)
    }

    @Test func nonFiniteLossStopsTheRun() throws {
        let s = try setup("rosenbrock", "sgd", lr: 1, steps: 100, stop: StopRule(divergenceFactor: .infinity))
        var log = Log()
        let outcome = RunWorkspace(s).execute(observer: &log)
        #expect(outcome.reason == .diverged)
        #expect(outcome.steps < 100)
    }

    @Test func stopsAtTheTargetAndOnAPlateau() throws {
        let s = try setup("quadratic(dim=2, cond=10, rotated=false, instance=classic)", "sgd", lr: 0.05, steps: 1000, interval: 10,
                          stop: StopRule(targetGap: 1e-3))
        var log = Log()
        let outcome = RunWorkspace(s).execute(observer: &log)
        #expect(outcome.reason == .target)
        // ½ (0.95^{2t} + 10·0.5^{2t}) ≤ 1e-3 first at t ≈ 61: the evaluation at 70.
        #expect(outcome.steps == 70)
        #expect(log.evaluations.last!.1 <= 1e-3)
        // A zero rate never improves: a plateau after `patience` evaluations without progress.
        let p = try setup("rosenbrock", "sgd", lr: 0, steps: 1000, interval: 10, stop: StopRule(patience: 3))
        var log2 = Log()
        let plateau = RunWorkspace(p).execute(observer: &log2)
        #expect(plateau.reason == .plateau)
        #expect(plateau.steps == 30)
    }

    @Test func aChainOfTransformsIsAppliedInOrder() throws {
        // clip_value then normalize: every update has length exactly lr.
        let s = try setup("rosenbrock", "sgd", lr: 0.01, steps: 5, transforms: ["clip_value(clip_value=0.5)", "normalize"])
        let ws = RunWorkspace(s)
        var previous = Array(ws.reportedPoint)
        var log = Log()
        _ = ws.execute(observer: &log)
        let end = Array(ws.reportedPoint)
        let moved = sqrt(zip(end, previous).map { ($0 - $1) * ($0 - $1) }.reduce(0, +))
        #expect(moved <= 0.05 + 1e-12 && moved > 0)
        previous = end
    }
}

@Suite struct RangeTestTests {
    @Test func rampRunsFromMinToMaxExactlyAndStopsOnDivergence() throws {
        let test = RangeTest(minLR: 1e-6, maxLR: 10, steps: 50)
        #expect(test.rate(at: 0) == 1e-6)
        #expect(abs(test.rate(at: 49) - 10) < 1e-12)
        let r = test.run(problem: try Methods.problem("quadratic(dim=5, cond=10, rotated=false)", seed: 0),
                         optimizer: try Methods.optimizer("sgd"))
        // SGD diverges on λ_max = 10 once η > 0.2: the test stops before the end of the ramp.
        #expect(r.stoppedEarly)
        #expect(r.points.count < 50)
        #expect(r.points.last!.lr > 0.2)
        let steepest = try #require(r.steepest)
        #expect(steepest > 1e-3 && steepest < 0.5)
        let minTen = try #require(r.minimumOverTen)
        #expect(minTen < 0.2)
    }

    @Test func suggestionsOnAHandMadeCurve() {
        // Smoothed losses: the steepest fall after the 10 skipped points is at index 11.
        let losses: [Double] = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 9, 8, 4.5, 4, 3.5, 3.4, 6]
        let points = losses.enumerated().map { RangeTest.Point(lr: Double($0.offset), loss: $0.element, smoothedLoss: $0.element) }
        // Kept: indices 10…15; differences −1 (one-sided), −2.25, −2, −0.5, −0.3, −0.1 → index 11.
        #expect(RangeTest.steepest(points) == 11)
        #expect(RangeTest.minimumOverTen(points) == 1.5)
    }
}

@Suite struct StatisticsTests {
    @Test func quantilesInterpolateAndRespectCensoring() {
        #expect(Stats.median([3, 1, 2]) == 2)
        #expect(Stats.median([1, 2, 3, 4]) == 2.5)
        #expect(Stats.quantile([1, 2, 3, 4], 0.25) == 1.75)
        #expect(Stats.median([1, .infinity, .infinity]) == .infinity)
        #expect(Stats.median([1, 2, .infinity]) == 2)
        #expect(Stats.quantile([1, 2, .infinity, .infinity], 0.5) == .infinity)
        #expect(Stats.median([]).isNaN)
    }

    @Test func budgetExpressions() throws {
        #expect(try BudgetExpression.evaluate("budget", budget: 1000, context: "x") == 1000)
        #expect(try BudgetExpression.evaluate("budget/10", budget: 1000, context: "x") == 100)
        #expect(try BudgetExpression.evaluate("0.9*budget", budget: 1000, context: "x") == 900)
        #expect(try BudgetExpression.evaluate("budget-100+5*2", budget: 1000, context: "x") == 910)
        #expect(try BudgetExpression.evaluate("1e-1*budget", budget: 1000, context: "x") == 100)
        let spec = try BudgetExpression.resolve(Spec(parsing: "warmup(steps=budget/3, then=cosine(T_max=2*budget/3))"), budget: 100)
        #expect(spec.description == "warmup(steps=33, then=cosine(T_max=67))")
        #expect(throws: SpecUsageError("c.T_max: cannot read 'budgt/2': 'budgt' is neither a number nor budget (write e.g. budget/10 or 0.9*budget)")) {
            _ = try BudgetExpression.evaluate("budgt/2", budget: 10, context: "c.T_max")
        }
    }
}
