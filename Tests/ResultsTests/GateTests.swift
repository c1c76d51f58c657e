import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
import Optimizers
import Schedules
import Specs

/// Which bias correction a planted Adam forgets.
protocol ForgottenCorrection { static var firstMoment: Bool { get }; static var name: String { get } }
/// The second moment's 1 − β2^t is left out: the first steps are up to 1/√(1 − β2) ≈ 32× too long.
enum SecondMoment: ForgottenCorrection { static let firstMoment = false; static let name = "second" }
/// The first moment's 1 − β1^t is left out: the first steps are up to 1/(1 − β1) = 10× too short.
enum FirstMoment: ForgottenCorrection { static let firstMoment = true; static let name = "first" }

/// Adam with a subtly wrong bias correction (a planted regression), registered as `adam`.
struct PlantedAdam<Bug: ForgottenCorrection>: Optimizer {
    static var catalog: CatalogEntry { CatalogEntry(name: "adam", summary: "test only: Adam without the \(Bug.name) moment's bias correction") }
    let spec = Spec(name: "adam")
    var defaultLearningRate: Double { 1e-3 }
    init(spec: Spec) throws {}
    func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState { State(initialPoint) }

    final class State: OptimizerState {
        /// Allocated once and freed in deinit, like the real states: the points it hands out stay valid.
        let x: UnsafeMutableBufferPointer<Double>
        var m: [Double], v: [Double]
        var t = 0
        init(_ x0: UnsafeBufferPointer<Double>) {
            x = .allocate(capacity: x0.count)
            _ = x.initialize(from: x0)
            m = Array(repeating: 0, count: x0.count)
            v = Array(repeating: 0, count: x0.count)
        }
        deinit { x.deallocate() }
        var gradientPoint: UnsafeBufferPointer<Double> { UnsafeBufferPointer(x) }
        var reportedPoint: UnsafeBufferPointer<Double> { gradientPoint }
        func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
            t += 1
            let b1 = 0.9, b2 = 0.999
            for i in x.indices {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                // The planted bug: one of the two divisions is missing.
                let mHat = Bug.firstMoment ? m[i] : m[i] / (1 - pow(b1, Double(t)))
                let vHat = Bug.firstMoment ? v[i] / (1 - pow(b2, Double(t))) : v[i]
                x[i] -= context.learningRate * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
    }
}

typealias UncorrectedSecondMomentAdam = PlantedAdam<SecondMoment>
typealias UncorrectedFirstMomentAdam = PlantedAdam<FirstMoment>

/// CosineAnnealingLR one step late: the rate of update t is the reference's rate of t − 1.
struct LateCosine: StepSchedule {
    static let catalog = CatalogEntry(name: "cosine", summary: "test only: cosine one step late")
    let spec: Spec
    let tMax: Double
    init(spec: Spec) throws {
        var p = Parameters(spec)
        tMax = Double(try p.int("T_max", .atLeast(1)))
        try p.finish()
        self.spec = spec
    }
    func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 * (1 + cos(Double.pi * Double(max(t - 1, 0)) / tMax)) / 2
    }
}

let gateSweep = """
name: gate
budget: 200
evaluation_interval: 5
learning_rates: {from: 1e-3, to: 1, count: 7}
seeds: {tuning: [0], evaluation: [1, 2]}
tuning: {rule: final_value}
problems:
  - spec: quadratic(dim=10, cond=100)
    targets: {suboptimality: [1e-1, 1e-2, 1e-3, 1e-4, 1e-6]}
  - spec: rosenbrock
    budget: 400
    targets: {suboptimality: [1e-1, 1e-2, 1e-3]}
optimizers: [sgd, "sgd(momentum=0.9)", adam]
schedules: [constant, "cosine(T_max=budget)", time_decay(gamma=1)]
"""

func gateRun(_ name: String, overrides: MethodOverrides = .none, yaml: String = gateSweep) throws -> URL {
    let dir = temporaryDirectory(name)
    try runSweep(yaml, workers: 2, into: dir, overrides: overrides)
    return dir
}

@Suite(.serialized) struct GateTests {
    @Test func anIdenticalRerunPasses() throws {
        let a = try gateRun("base"), b = try gateRun("rerun")
        let result = try Gate.compare(baseline: ResultFiles(a), current: ResultFiles(b))
        #expect(!result.failed)
        #expect(result.regressions.isEmpty)
        #expect(result.improvements.isEmpty)
        #expect(result.compared == 2 * 3 * 3)
        // time_decay is driven by the clock: left out of the strict comparison.
        #expect(result.skippedTimeDriven.count == 2 * 3)
        #expect(Gate.markdown(result, baseline: "a", current: "b").contains("**No regression.**"))
    }

    @Test func catchesAnAdamMissingItsSecondMomentBiasCorrection() throws {
        let base = try gateRun("base-adam")
        let broken = try gateRun("broken-adam", overrides: MethodOverrides(optimizers: ["adam": UncorrectedSecondMomentAdam.self]))
        let result = try Gate.compare(baseline: ResultFiles(base), current: ResultFiles(broken))
        #expect(result.failed)
        #expect(!result.regressions.isEmpty)
        #expect(result.regressions.allSatisfy { $0.combination.contains("| adam |") })
        let text = Gate.markdown(result, baseline: "base", current: "broken")
        #expect(text.contains("regression"))
        #expect(text.contains("\\| adam \\|"))  // pipes inside table cells are escaped
    }

    @Test func catchesACosineScheduleOneStepLate() throws {
        let base = try gateRun("base-cos")
        let late = try gateRun("late-cos", overrides: MethodOverrides(schedules: ["cosine": LateCosine.self]))
        let result = try Gate.compare(baseline: ResultFiles(base), current: ResultFiles(late))
        #expect(result.failed)
        #expect(result.regressions.allSatisfy { $0.combination.contains("cosine(T_max=budget)") })
    }

    @Test func missingMalformedAndIncompatibleBaselinesAreErrors() throws {
        let current = try gateRun("current")
        #expect(throws: GateError.self) { _ = try ResultFiles(current.appendingPathComponent("nothing-here")) }
        // A malformed targets.csv names its file and line.
        let broken = try gateRun("malformed")
        let targets = broken.appendingPathComponent("targets.csv")
        var text = try String(contentsOf: targets, encoding: .utf8)
        text = text.replacingOccurrences(of: ",false\n", with: ",maybe\n")
        try text.write(to: targets, atomically: true, encoding: .utf8)
        do {
            _ = try ResultFiles(broken)
            Issue.record("expected a malformed-baseline error")
        } catch let e as GateError {
            #expect(e.description.hasPrefix("malformed result set: \(targets.path):2: time_driven must be true or false, got 'maybe'"))
        }
        // Another sweep (a different grid) is incompatible.
        let other = try gateRun("other", yaml: gateSweep.replacingOccurrences(of: "count: 7", with: "count: 4"))
        #expect(throws: GateError.self) { _ = try Gate.compare(baseline: ResultFiles(other), current: ResultFiles(current)) }
        do {
            _ = try Gate.compare(baseline: ResultFiles(other), current: ResultFiles(current))
        } catch let e as GateError {
            #expect(e.description.hasPrefix("incompatible baseline: the sweeps differ: baseline has learning rates: [0.001, 0.01, 0.1, 1.0]"))
        }
    }

    @Test func aWorseTargetTableIsASlowerRegression() throws {
        // Hand-made: baseline reaches a target at 100 steps on both seeds; current at 110 and never.
        let row = TargetRow(problem: "p", optimizer: "o", schedule: "s", transforms: "none", target: "suboptimality<=0.01",
                            steps: [100, 100], timeDriven: false)
        var slower = row
        slower.steps = [102, 102]
        #expect(TargetTable.csv([row]).contains(",2,2,100.0,100.0;100.0,false"))
        // Within max(2 steps, 2 %): not a regression.
        #expect(abs(slower.median - row.median) <= max(2, 0.02 * row.median))
        slower.steps = [110, .infinity]
        #expect(slower.reached == 1 && slower.median == .infinity)
    }
}
