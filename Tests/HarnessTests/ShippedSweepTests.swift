import Foundation
import Testing
@testable import Harness

/// The repository's root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

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
        #expect(config.learningRates.count >= 7)
        #expect(config.evaluationSeeds.count >= 3)
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
