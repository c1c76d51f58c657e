import Foundation
import Testing
import Specs
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
import Problems

/// A problem's metrics where the second, `fit` (an R²-like score), is declared higher-is-better:
/// its name says nothing of its direction.
let fitMetrics = [Metric("loss"), Metric("fit", .higher)]

/// The direction of a metric is what its problem declares for its spec (`Problem.metrics(for:)`), never its name.
@Suite struct MetricDirectionTests {
    @Test func problemsDeclareTheirDirectionsAndTargetsCarryThem() throws {
        let classify = try Spec(parsing: "classify(model=softmax, n_train=100, n_test=100, batch=10)")
        #expect(ClassificationProblem.metrics(for: classify).map(\.direction) == [.lower, .lower, .higher])
        #expect(try ProblemRegistry.all.allSatisfy { $0.metrics(for: try Spec(parsing: $0.catalog.name)).first?.direction == .lower })
        // A built instance's metrics are its spec's, as its type declares them before building.
        let built = try ClassificationProblem(spec: classify, seed: 0)
        #expect(built.metrics == ClassificationProblem.metrics(for: classify))
        #expect(built.metricNames == ["train_loss", "test_loss", "test_accuracy"])
        // A sweep file's targets get the direction of their metric from the problem's type.
        let config = try SweepConfig(yaml: """
        name: d
        budget: 20
        learning_rates: [0.1]
        problems:
          - spec: classify(model=softmax, n_train=100, n_test=100, batch=10)
            targets: {train_loss: [0.5], test_accuracy: [0.8]}
        optimizers: [sgd]
        schedules: [constant]
        """)
        #expect(config.problems[0].targets.map(\.description) == ["test_accuracy>=0.8", "train_loss<=0.5"]
                || config.problems[0].targets.map(\.description) == ["train_loss<=0.5", "test_accuracy>=0.8"])
        // A declared higher-is-better metric with another name is reached from below.
        var entry = config.problems[0]
        entry.targets = [Target(metric: "fit", value: 0.8)]
        entry.mainTarget = entry.targets[0]
        #expect(!entry.targets[0].isReached(by: 0.9))
        entry.declare(fitMetrics)
        #expect(entry.direction(of: "fit") == .higher && entry.direction(of: Target.suboptimality) == .lower)
        #expect(entry.targets[0].isReached(by: 0.9) && !entry.targets[0].isReached(by: 0.7))
        #expect(entry.targets[0].description == "fit>=0.8" && entry.mainTarget.higherIsBetter)
    }

    @Test func theTuningMaximisesADeclaredHigherIsBetterMetric() throws {
        let t = TuningTests()
        // Final fit at each rate (the same on the three tuning seeds): 0.01 fits best.
        let fits: [(Double, Double)] = [(0.001, 0.2), (0.01, 0.9), (0.1, 0.5), (1, 0.1)]
        let records = fits.flatMap { lr, v in
            (0..<3).map { s -> RunRecord in
                var r = t.record(lr: lr, seed: UInt64(s), final: v, steps: nil)
                r.primary = "fit"
                return r
            }
        }
        let undeclared = try t.plan(rule: "final_value")
        var config = undeclared.config
        config.problems[0].declare(fitMetrics)
        config.problems[0].primary = "fit"
        let choice = try #require(Tuning.choose(plan: SweepPlan(config: config), records: records).values.first)
        #expect(choice.lr == 0.01)
        #expect(choice.scores == [-0.2, -0.9, -0.5, -0.1])
        // Without the declaration the same records are minimised: the direction is what decides.
        #expect(Tuning.choose(plan: undeclared, records: records).values.first?.lr == 1)
        // The summary row carries the direction to the reports.
        let eval = records.map { r -> RunRecord in var e = r; e.phase = .evaluation; e.seed = 3; e.id += "-e"; return e }
        let rows = Summary.rows(plan: SweepPlan(config: config), records: records + eval)
        #expect(rows.map(\.primaryDirection) == [.higher])
        #expect(Summary.rows(plan: undeclared, records: records + eval).map(\.primaryDirection) == [.lower])
        // A diverged evaluation run counts as the worst value: −∞ where higher is better, +∞ where lower is.
        let chosen = eval.filter { $0.lr == 0.01 }
        let diverged = chosen.map { r -> RunRecord in var d = r; d.diverged = true; d.stop = .diverged; d.seed = 4; d.id += "-d"; return d }
        let three = (0..<3).map { k -> RunRecord in var d = diverged[0]; d.seed = UInt64(5 + k); d.id += "-\(k)"; return d }
        let higher = Summary.rows(plan: SweepPlan(config: config), records: records + chosen + three)[0]
        #expect(higher.finalMedian == -.infinity && higher.finalMax == 0.9 && higher.finalMin == -.infinity)
        let lower = Summary.rows(plan: undeclared, records: records + eval.filter { $0.lr == 1 } + three.map { var d = $0; d.lr = 1; return d })[0]
        #expect(lower.finalMedian == .infinity && lower.finalMin == 0.1)
    }

    @Test func theGateMaximisesADeclaredHigherIsBetterMetric() throws {
        let baseline = try ResultFiles(repositoryRoot.appendingPathComponent("results/baseline"))
        let (key, row) = try #require(baseline.summary.sorted { $0.key < $1.key }.first {
            !$0.value.timeDriven && $0.value.finalMedian > 0.01 && $0.value.finalMedian.isFinite
        })
        let problem = try #require(baseline.config.problems.firstIndex { $0.spec.description == row.problem })
        let bf = row.finalMedian
        /// The baseline with `key`'s final value moved to `final`, its problem's primary named
        /// `fit` and (if `declared`) declared higher-is-better.
        func current(final: Double, declared: Bool) -> ResultFiles {
            var files = baseline
            for (k, r) in files.summary where r.problem == row.problem { files.summary[k]!.primary = "fit" }
            files.summary[key]!.finalMedian = final
            if declared { files.config.problems[problem].declare(files.config.problems[problem].metrics + [Metric("fit", .higher)]) }
            return files
        }
        func kinds(_ files: ResultFiles) throws -> [GateFinding.Kind] {
            try Gate.compare(baseline: baseline, current: files).findings.filter { $0.key == key }.map(\.kind)
        }
        #expect(try kinds(current(final: bf * 2, declared: true)) == [.betterFinal])
        #expect(try kinds(current(final: bf / 2, declared: true)) == [.worseFinal])
        // Undeclared, the same changes read the other way.
        #expect(try kinds(current(final: bf * 2, declared: false)) == [.worseFinal])
        #expect(try kinds(current(final: bf / 2, declared: false)) == [.betterFinal])
    }
}
