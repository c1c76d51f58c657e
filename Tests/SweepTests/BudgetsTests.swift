import Foundation
import Testing
import Specs
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
import Schedules

/// `budgets:` (issue 14): one entry and one tuning per budget, budget-relative specs re-resolved
/// per budget, budget-free combinations run once at the largest budget.
private let sweep = """
name: b
budgets: [20, 40]
evaluation_interval: 5
learning_rates: [0.01, 0.1]
seeds: {tuning: [0], evaluation: [1, 2]}
one_shot: [constant]
problems:
  - spec: quadratic(dim=3, cond=10)
    targets: {suboptimality: [1e-1, 1e-2]}
  - spec: rosenbrock(dim=2)
    budget: 30
optimizers: [sgd, dog]
schedules: [constant, "cosine(T_max=budget)"]
"""

private func errors(_ text: String) -> [String] {
    do {
        let config = try SweepConfig(yaml: text, file: "b.yaml")
        try SweepValidation.validate(config, file: "b.yaml")
        return []
    } catch let e as ConfigErrors {
        return e.errors.map(\.description)
    } catch {
        return ["unexpected \(type(of: error)): \(error)"]
    }
}

@Suite struct BudgetsTests {
    @Test func aBudgetsListExpandsIntoOneEntryPerBudget() throws {
        let config = try SweepConfig(yaml: sweep)
        try SweepValidation.validate(config, file: "b.yaml")
        #expect(config.problems.map(\.budget) == [20, 40, 30])
        #expect(config.problems.map(\.fileIndex) == [0, 0, 1])
        #expect(config.problems[0].budgetSeries == [20, 40])
        #expect(config.problems[2].budgetSeries == nil)  // its own budget wins over the top-level list
        #expect(config.problems.map(\.name) == ["quadratic(dim=3, cond=10) @budget=20", "quadratic(dim=3, cond=10) @budget=40", "rosenbrock(dim=2)"])
    }

    @Test func aProblemsOwnBudgetsOverrideTheTopLevelOnes() throws {
        let text = sweep.replacingOccurrences(of: "    budget: 30", with: "    budgets: [10, 50, 70]")
        let config = try SweepConfig(yaml: text)
        #expect(config.problems.map(\.budget) == [20, 40, 10, 50, 70])
        #expect(config.problems.map(\.fileIndex) == [0, 0, 1, 1, 1])
    }

    @Test(arguments: [
        ("budgets: []", "b.yaml:2: budgets: must be a non-empty list of step budgets in ascending order, e.g. [250, 500, 1000]"),
        ("budgets: [40, 20]", "b.yaml:2: budgets[1]: must be in ascending order, got 20 after 40"),
        ("budgets: [20, 20]", "b.yaml:2: budgets[1]: 20 is listed twice; list each budget once"),
        ("budgets: [0, 20]", "b.yaml:2: budgets[0]: must be a whole number in [1, 10000000], got '0'"),
        ("budgets: [-5, 20]", "b.yaml:2: budgets[0]: must be a whole number in [1, 10000000], got '-5'"),
        ("budgets: [20, 2.5]", "b.yaml:2: budgets[1]: must be a whole number in [1, 10000000], got '2.5'"),
        ("budgets: 20", "b.yaml:2: budgets: must be a non-empty list of step budgets in ascending order, e.g. [250, 500, 1000]"),
        ("budgets: [20, 40]\nbudget: 10", "b.yaml:2: budgets: give either budget or budgets, not both"),
    ])
    func badBudgetsAreOneLineNamingTheField(line: String, expected: String) {
        let text = sweep.replacingOccurrences(of: "budgets: [20, 40]", with: line)
        #expect(errors(text) == [expected])
    }

    @Test func aProblemsBadBudgetsNameTheProblem() {
        let text = sweep.replacingOccurrences(of: "    budget: 30", with: "    budgets: [30, 10]")
        #expect(errors(text) == ["b.yaml:11: problems[1].budgets[1]: must be in ascending order, got 10 after 30"])
        let both = sweep.replacingOccurrences(of: "    budget: 30", with: "    budget: 30\n    budgets: [10, 30]")
        #expect(errors(both) == ["b.yaml:12: problems[1].budgets: give either budget or budgets, not both"])
    }

    @Test func budgetRelativeSpecsAreResolvedPerBudget() throws {
        let plan = SweepPlan(config: try SweepConfig(yaml: sweep))
        let cosine = plan.combinations.filter { $0.problem < 2 && $0.schedule == 1 && $0.optimizer == 0 }
        #expect(cosine.map(\.problem) == [0, 1])
        let resolved = try cosine.map { try plan.schedule($0).spec.description }
        #expect(resolved[0].hasPrefix("cosine(T_max=20") && resolved[1].hasPrefix("cosine(T_max=40"))
        // And the runs use it: the schedule's rate at step budget/2 is half the base rate.
        for (c, budget) in zip(cosine, [20, 40]) {
            let controller = try plan.schedule(c).makeController(base: 1)
            #expect(abs(controller.rate(at: budget / 2, elapsedSeconds: 0) - 0.5) < 1e-12)
            #expect(abs(controller.rate(at: budget, elapsedSeconds: 0)) < 1e-12)
        }
        // Each budget is its own tuning: distinct run ids for the same rate and seed.
        let ids = try cosine.map { try plan.plan($0, .tuning, lr: 0.1, seed: 0).id }
        #expect(Set(ids).count == 2)
    }

    @Test func budgetFreeCombinationsAreRunOnceAtTheLargestBudget() throws {
        let config = try SweepConfig(yaml: sweep)
        #expect(config.isBudgetFree(problem: 0, optimizer: 1, schedule: 0))   // dog + constant
        #expect(config.isBudgetFree(problem: 0, optimizer: 0, schedule: 0))   // sgd + constant: its specs do not change
        #expect(!config.isBudgetFree(problem: 0, optimizer: 1, schedule: 1))  // cosine(T_max=budget)
        #expect(!config.isBudgetFree(problem: 2, optimizer: 1, schedule: 0))  // a single budget: no series
        let plan = SweepPlan(config: config)
        let onQuadratic = plan.combinations.filter { $0.problem < 2 }
        #expect(onQuadratic.filter { $0.schedule == 0 }.map(\.problem) == [1, 1])      // constant: at 40 only
        #expect(onQuadratic.filter { $0.schedule == 1 }.map(\.problem) == [0, 0, 1, 1])  // cosine: at both

        let dir = temporaryDirectory("budgets")
        let outcome = try runSweep(sweep, workers: 2, into: dir)
        let quad = outcome.records.filter { $0.problem.hasPrefix("quadratic") }
        #expect(Set(quad.filter { $0.schedule == "constant" }.map(\.budget)) == [40])
        #expect(Set(quad.filter { $0.schedule != "constant" }.map(\.budget)) == [20, 40])
        #expect(Set(quad.map(\.problem)) == ["quadratic(dim=3, cond=10) @budget=20", "quadratic(dim=3, cond=10) @budget=40"])
        #expect(outcome.rows.count == plan.combinations.count)

        // Resumable and order-free: a second process over the same folder runs nothing, and the
        // same sweep on one worker gives the same records.
        let again = try runSweep(sweep, workers: 1, into: dir)
        #expect(again.executed == 0)
        let other = temporaryDirectory("budgets-1")
        let single = try runSweep(sweep, workers: 1, into: other)
        func strip(_ r: RunRecord) -> RunRecord {
            var r = r
            r.seconds = []; r.secondsToTarget = []; r.secondsPerStep = 0; r.totalSeconds = 0
            return r
        }
        #expect(single.records.sorted { $0.id < $1.id }.map(strip) == outcome.records.sorted { $0.id < $1.id }.map(strip))
    }

    @Test func theAdaptiveSweepIsValidAndCoversWhatTheIssueAsks() throws {
        let config = try SweepConfig(contentsOf: repositoryRoot.appendingPathComponent("Benchmarks/sweeps/adaptive.yaml").path)
        try SweepValidation.validate(config, file: "adaptive.yaml")
        #expect(config.name == "adaptive")
        #expect(Set(config.problems.compactMap(\.budgetSeries)) == [[250, 500, 1000, 2000], [125, 250, 500, 1000]])
        #expect(config.evaluationSeeds.count >= StatisticsSettings.minimumSeeds(level: 0.95))
        let names = Set(config.optimizers.map(\.name))
        #expect(names.isSuperset(of: ["sgd", "adam", "prodigy", "dadapt_adam", "dadapt_sgd", "dog", "ldog", "dowg", "cocob",
                                      "mechanic", "radam_schedulefree", "sgd_hd", "adam_hd"]))
        #expect(config.optimizers.contains { $0.name == "sgd" && $0["momentum"] != nil })
        // Knobs varied: more than one setting of each learning-rate-free method but L-DoG.
        for name in ["prodigy", "dadapt_adam", "dadapt_sgd", "dog", "dowg", "cocob", "mechanic"] {
            #expect(config.optimizers.filter { $0.name == name }.count >= 3, "\(name)")
        }
        #expect(Set(config.schedules.map(\.name)).isSuperset(of: ["constant", "cosine", "wsd"]))
        let plan = SweepPlan(config: config)
        for c in plan.combinations.prefix(3000) { _ = try plan.optimizer(c); _ = try plan.schedule(c) }
        // Constant-rate combinations run once per problem, at 2000 steps.
        let constant = config.schedules.firstIndex { $0.name == "constant" }!
        #expect(plan.combinations.filter { $0.schedule == constant }.allSatisfy { config.problems[$0.problem].budget == config.problems[$0.problem].budgetSeries!.last! })
    }

    @Test func shardsOfABudgetsSweepMergeIntoTheWholeSweep() throws {
        let whole = try runSweep(sweep, workers: 2, into: temporaryDirectory("budgets-whole"))
        var dirs: [URL] = []
        for k in 1...3 {
            let dir = temporaryDirectory("budgets-shard-\(k)")
            try runSweep(sweep, workers: 1, into: dir, shard: SweepPlan.Shard(index: k, count: 3))
            dirs.append(dir)
        }
        let merged = try Merge.merge(dirs, into: temporaryDirectory("budgets-merged"), log: { _ in })
        #expect(merged.records == whole.records.count)
        func untimed(_ r: SummaryRow) -> SummaryRow {
            var r = r
            r.secondsToTargetMedian = 0; r.secondsPerStepMedian = 0
            return r
        }
        // Compared as summary.csv text (NaN cells compare equal there).
        #expect(Summary.csv(merged.rows.map(untimed)) == Summary.csv(whole.rows.map(untimed)))
    }
}
