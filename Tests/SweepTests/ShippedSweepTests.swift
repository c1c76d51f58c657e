import Foundation
import Testing
import Specs
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep

@Suite struct ShippedSweepTests {
    @Test(arguments: ["quick", "standard", "full"])
    func shippedSweepsAreValid(name: String) throws {
        let config = try SweepConfig(contentsOf: repositoryRoot.appendingPathComponent("Benchmarks/sweeps/\(name).yaml").path)
        #expect(config.name == name)
        try SweepValidation.validate(config, file: name + ".yaml")  // builds each problem once
        let plan = SweepPlan(config: config)
        // Every optimizer and schedule resolves for every problem's budget.
        for c in plan.combinations.prefix(2000) {
            _ = try plan.optimizer(c)
            _ = try plan.schedule(c)
            _ = try plan.transforms(c)
        }
        #expect(Set(config.tuningSeeds).isDisjoint(with: config.evaluationSeeds))
    }

    @Test func standardCoversWhatTheIssueAsks() throws {
        let config = try SweepConfig(contentsOf: repositoryRoot.appendingPathComponent("Benchmarks/sweeps/standard.yaml").path)
        let families = Set(config.problems.map { $0.spec.name })
        #expect(families.isSuperset(of: ["quadratic", "rosenbrock", "linreg", "classify"]))
        #expect(config.problems.contains { $0.spec.name == "quadratic" && $0.spec["noise"] != nil })
        #expect(config.optimizers.count >= 8)
        let optimizers = Set(config.optimizers.map(\.name))
        #expect(optimizers.isSuperset(of: ["sgd", "adagrad", "rmsprop", "adam"]))
        #expect(config.optimizers.contains { $0.name == "sgd" && $0["momentum"] != nil })
        #expect(config.schedules.count >= 10)
        let schedules = Set(config.schedules.map(\.name))
        #expect(schedules.isSuperset(of: ["constant", "step", "exponential", "linear", "inverse_time", "inverse_sqrt",
                                          "time_decay", "loss_adaptive", "plateau", "warmup", "interleave"]))
        // The protocol (issue 11): ≥ 3 tuning seeds, ≥ 10 evaluation seeds, a rate search beyond the
        // grid, tuned on what is ranked, default rates, the MLP, intervals the seeds support.
        #expect(config.learningRates.count >= 5)
        #expect(config.rateSearch.refine >= 1 && config.rateSearch.extend >= 1)
        #expect(config.tuningSeeds.count >= 3)
        #expect(config.evaluationSeeds.count >= 10)
        #expect(config.tuningRule == .stepsToTarget)
        #expect(config.oneShot)
        #expect(config.statistics.supportsIntervals(seeds: config.evaluationSeeds.count))
        #expect(config.problems.contains { $0.spec.name == "classify" && $0.spec["model"]?.description == "mlp" })
        #expect(config.relaxations.contains(0.1) && config.relaxations.contains(10))
    }

    @Test func subsetsAndRelaxationsShapeThePlan() throws {
        let config = try SweepConfig(yaml: """
            name: s
            budget: 50
            learning_rates: [0.1]
            relaxations: [0.1, 10]
            problems:
              - spec: quadratic
                targets: {suboptimality: [1e-2, 1e-3]}
                main_target: {suboptimality: 1e-3}
              - spec: rosenbrock
                optimizers: [adam]
                schedules: ["cosine(T_max=budget)"]
            optimizers: [sgd, adam]
            schedules: [constant, "cosine(T_max=budget)"]
            """)
        #expect(SweepPlan(config: config).combinations.count == 4 + 1)
        #expect(config.problems[0].targets.map(\.description) == ["suboptimality<=0.01", "suboptimality<=0.001",
                                                                  "suboptimality<=0.0001"])
        #expect(config.relaxedTargets(0).map(\.value) == [1e-4, 1e-2])
    }

    @Test(arguments: [
        ("problems:\n  - spec: quadratic\n    optimizers: [lion]", "problems[0].optimizers[0]: 'lion' is not among the sweep's optimizers"),
        ("one_shot: [cosine]", "one_shot[0]: 'cosine' is not among the schedules"),
        ("rate_search: {extend: -1}", "rate_search.extend: must be a whole number in [0, 1000000000], got '-1'"),
        ("statistics: {level: 0.95}", "1 evaluation seeds are too few for 0.95 confidence intervals (need at least 6)"),
        ("relaxations: [1]", "relaxations[0]: must be a finite factor > 0 other than 1"),
    ])
    func badProtocolFieldsAreOneLineErrors(extra: String, message: String) throws {
        var yaml = "name: s\nbudget: 50\nlearning_rates: [0.1]\nseeds: {tuning: [0], evaluation: [1]}\noptimizers: [sgd]\nschedules: [constant]\n"
        if !extra.hasPrefix("problems") { yaml += "problems: [quadratic]\n" }
        yaml += extra + "\n"
        do {
            _ = try SweepConfig(yaml: yaml, file: "p.yaml")
            Issue.record("expected an error for \(extra)")
        } catch let e as ConfigErrors {
            #expect(e.errors.count == 1)
            #expect(e.description.contains(message), "\(e.description)")
        }
    }

    @Test func anUnwritableResultsFolderIsAClearError() throws {
        // A folder under a regular file cannot be created, even by root.
        let file = temporaryDirectory("blocker").appendingPathComponent("file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try runSweep(workers: 1, into: file.appendingPathComponent("results"))
            Issue.record("expected an error")
        } catch let e as SweepError {
            #expect(e.description.hasPrefix("cannot create the results folder \(file.path)/results"))
        }
    }
}
