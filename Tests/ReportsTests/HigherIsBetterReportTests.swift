import Foundation
import Testing
@testable import Results
@testable import Run
@testable import Sweep
import Problems
@testable import Reports

/// The report ranks by what the problem declares: a higher-is-better metric whose name does not
/// end in "accuracy" (`fit`) is maximised.
@Suite struct HigherIsBetterReportTests {
    /// HandMade's runs with `fit` as the primary, no target reached (the ranking falls to the
    /// final value), no divergence, and a final fit per method (the tuning's 0.1 fits best).
    static func results(declared: Bool) throws -> ResultSet {
        var config = try SweepConfig(yaml: HandMade.yaml)
        if declared { config.problems[0].declare([Metric("loss"), Metric("fit", .higher)]) }
        config.problems[0].primary = "fit"
        let fit = ["sgd constant": 0.3, "sgd cosine(T_max=budget)": 0.9, "adam constant": 0.5, "adam cosine(T_max=budget)": 0.1]
        let records = HandMade.records.map { r -> RunRecord in
            var r = r
            r.primary = "fit"
            r.diverged = false
            r.stop = .budget
            r.stepsToTarget = r.stepsToTarget.map { _ in nil }
            r.finalValue = fit["\(r.optimizer) \(r.schedule)"]! * (r.lr == 0.1 ? 1 : 0.5)
            return r
        }
        return ResultSet.assemble(directory: URL(fileURLWithPath: "/nonexistent"), config: config, plan: SweepPlan(config: config),
                                  meta: nil, parsed: records)
    }

    @Test func aDeclaredHigherIsBetterMetricIsMaximisedByTheReport() throws {
        let declared = try Self.results(declared: true)
        #expect(declared.rows.allSatisfy { $0.primaryDirection == .higher && $0.tunedLR == 0.1 })
        let pa = try #require(Analysis(declared).problems.first)
        #expect(pa.higherIsBetter)
        #expect(pa.ranking.map { "\(pa.items[$0].row.optimizer) \(pa.items[$0].row.schedule)" }
                == ["sgd cosine(T_max=budget)", "adam constant", "sgd constant", "adam cosine(T_max=budget)"])
        // (The comparison of two result sets is the gate's: MetricDirectionTests checks its direction.)
        // Undeclared, fit is a loss: minimised, the order reversed.
        let undeclared = try Self.results(declared: false)
        #expect(undeclared.rows.allSatisfy { $0.primaryDirection == .lower })
        #expect(Analysis(undeclared).problems.first?.higherIsBetter == false)
    }
}
