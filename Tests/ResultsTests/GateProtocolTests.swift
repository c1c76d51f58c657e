import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep

/// The gate under the full protocol: instances per seed, a rate search beyond the grid, tuning on
/// steps to the main target, six evaluation seeds, default rates with the constant schedule only
/// (the other rows' `default_*` cells are nan, and the fail-closed reader accepts exactly that).
let gateProtocolSweep = """
name: gateprotocol
budget: 200
evaluation_interval: 5
learning_rates: {from: 1e-3, to: 1, count: 4}
rate_search: {extend: 2, refine: 1}
seeds: {tuning: [0, 1], evaluation: [2, 3, 4, 5, 6, 7]}
tuning: {rule: steps_to_target}
one_shot: [constant]
problems:
  - spec: quadratic(dim=10, cond=100)
    targets: {suboptimality: [1e-1, 1e-2, 1e-3, 1e-4, 1e-6]}
    main_target: {suboptimality: 1e-4}
  - spec: rosenbrock
    budget: 400
    targets: {suboptimality: [1e-1, 1e-2, 1e-3]}
    main_target: {suboptimality: 1e-3}
optimizers: [sgd, "sgd(momentum=0.9)", adam]
schedules: [constant, "cosine(T_max=budget)"]
"""

@Suite(.serialized) struct GateProtocolTests {
    @Test func anAdamMissingItsFirstMomentBiasCorrectionIsCaughtUnderTheFullProtocol() throws {
        let base = try gateRun("p-base", yaml: gateProtocolSweep)
        let again = try gateRun("p-again", yaml: gateProtocolSweep)
        let same = try Gate.compare(baseline: ResultFiles(base), current: ResultFiles(again))
        #expect(!same.failed && same.findings.isEmpty)
        let slow = try gateRun("p-slow-adam", overrides: MethodOverrides(optimizers: ["adam": UncorrectedFirstMomentAdam.self]),
                               yaml: gateProtocolSweep)
        let result = try Gate.compare(baseline: ResultFiles(base), current: ResultFiles(slow))
        #expect(result.failed)
        #expect(!result.regressions.isEmpty)
        #expect(result.regressions.allSatisfy { $0.combination.contains("| adam |") })
    }

    /// A cosine one step late changes each rate by a hair: with steps exact to the step it moves
    /// no target by more than the gate's tolerance, so it is not a regression, but the gate lists
    /// the changed final values and says nothing about other schedules.
    @Test func aCosineOneStepLateIsListedUnderTheFullProtocol() throws {
        let base = try gateRun("p-base-cos", yaml: gateProtocolSweep)
        let late = try gateRun("p-late", overrides: MethodOverrides(schedules: ["cosine": LateCosine.self]), yaml: gateProtocolSweep)
        let result = try Gate.compare(baseline: ResultFiles(base), current: ResultFiles(late))
        #expect(!result.findings.isEmpty)
        #expect(result.findings.allSatisfy { $0.combination.contains("cosine(T_max=budget)") })
    }

    /// Adam without its second-moment bias correction takes longer first steps: here it reaches the
    /// targets sooner, so a speed gate rightly calls it no regression, but it must not be silent:
    /// every changed adam combination is listed (faster, or a tuned rate that moved).
    @Test func aChangedAdamIsReportedUnderTheFullProtocol() throws {
        let base = try gateRun("p-base-adam", yaml: gateProtocolSweep)
        let broken = try gateRun("p-broken-adam", overrides: MethodOverrides(optimizers: ["adam": UncorrectedSecondMomentAdam.self]),
                                 yaml: gateProtocolSweep)
        let result = try Gate.compare(baseline: ResultFiles(base), current: ResultFiles(broken))
        #expect(!result.findings.isEmpty)
        #expect(result.findings.allSatisfy { $0.combination.contains("| adam |") })
    }
}
