import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
import Problems

/// Issue 13's invariant: a run's numbers do not depend on which runs it advances with (`BatchRun`),
/// in which slot, how many, on the number of workers, nor on interruption and resume. The runs go
/// through each problem's own `makeBatchObjective`, so a problem's shared kernel is covered too.

/// Every observer call of a run, numbers as bit patterns (timings left out): what a run alone and
/// the same run in a group must share exactly.
struct Trace: RunObserver, Equatable {
    var events: [UInt64] = []
    mutating func began(evaluationInterval: Int, stepLossIsTrainingLoss: Bool) {
        events += [0, UInt64(evaluationInterval), stepLossIsTrainingLoss ? 1 : 0]
    }
    mutating func evaluated(step t: Int, metrics: UnsafeBufferPointer<Double>, seconds: Double) {
        events += [1, UInt64(t)] + metrics.map(\.bitPattern)
    }
    mutating func updated(step t: Int, lr: Double, momentum: Double?, loss: Double) {
        events += [2, UInt64(t), lr.bitPattern, momentum?.bitPattern ?? 0xDEAD_BEEF, loss.bitPattern]
    }
    mutating func applied(step t: Int, effectiveRate: Double) { events += [3, UInt64(t), effectiveRate.bitPattern] }
    mutating func ended(step t: Int, seconds: Double) { events += [4, UInt64(t)] }
}

/// The outcome without its timings.
struct Ending: Equatable {
    var steps: Int, reason: StopReason, divergedAt: Int?
    init(_ o: RunOutcome) { steps = o.steps; reason = o.reason; divergedAt = o.divergedAt }
}

/// A problem of the suite, with rates that make its runs end in different ways.
struct GroupingCase: CustomStringConvertible, Sendable {
    var spec: String
    /// A stable SGD rate, one that diverges, and an Adam rate.
    var sgd: Double, huge: Double, adam: Double
    var description: String { spec }

    static let all = [
        GroupingCase(spec: "quadratic(dim=10, cond=100)", sgd: 0.01, huge: 0.05, adam: 0.05),
        GroupingCase(spec: "quadratic(dim=10, cond=100, noise=1, batch=4)", sgd: 0.01, huge: 0.05, adam: 0.05),
        GroupingCase(spec: "rosenbrock(dim=2)", sgd: 1e-3, huge: 0.05, adam: 0.02),
        GroupingCase(spec: "rosenbrock(dim=5)", sgd: 1e-3, huge: 0.05, adam: 0.02),
        GroupingCase(spec: "linreg(n=100, d=8, batch=16)", sgd: 0.05, huge: 50, adam: 0.05),
        GroupingCase(spec: "linreg(n=60, d=5, batch=60)", sgd: 0.05, huge: 50, adam: 0.05),
        GroupingCase(spec: "classify(model=softmax, n_train=60, n_test=30, batch=10)", sgd: 0.05, huge: 1e6, adam: 0.01),
        // float32 end to end: sgd, adam and schedule-free in Float, prodigy in Double, in one group.
        GroupingCase(spec: "classify(model=softmax, n_train=60, n_test=30, batch=10, precision=f32)", sgd: 0.05, huge: 1e6, adam: 0.01),
        GroupingCase(spec: "classify(model=mlp, hidden=6, n_train=60, n_test=30, batch=7, precision=f32)", sgd: 0.05, huge: 1e6, adam: 0.01),
    ]

    /// Runs ending on the budget, a divergence, a target and a plateau; schedule-free, LR-free
    /// (effective rates), cycled momentum, a metric-driven schedule and a transform.
    func setups(seed: UInt64 = 3, steps: Int = 40, interval: Int = 5, on instance: (any Problem)? = nil) throws -> [RunSetup] {
        let problem = try instance ?? Methods.problem(spec, seed: seed)
        let f0 = problem.initialPoint.withUnsafeBufferPointer { problem.makeObjective().loss(at: $0) }
        let gap = f0 - (problem.optimumValue ?? 0)
        func s(_ o: String, _ sch: String = "constant", lr: Double, stop: StopRule = .standard, transforms: [String] = []) throws -> RunSetup {
            RunSetup(problem: problem, optimizer: try Methods.optimizer(o), schedule: try Methods.schedule(sch),
                     transforms: try Methods.transforms(transforms), learningRate: lr, steps: steps,
                     evaluationInterval: interval, stopRule: stop)
        }
        return [
            try s("sgd", lr: sgd),
            try s("sgd(momentum=0.9)", "cosine(T_max=\(steps))", lr: sgd, transforms: ["clip_norm(max_norm=1)"]),
            try s("sgd", lr: huge),
            try s("adam", lr: adam, stop: StopRule(targetGap: 0.7 * gap)),
            try s("adam", lr: adam * 1e-4, stop: StopRule(patience: 2, minRelativeImprovement: 0.5)),
            try s("adamw_schedulefree", lr: adam),
            try s("prodigy", lr: 1),
            try s("sgd(momentum=0.9)", "onecycle(total_steps=\(steps))", lr: sgd),
            try s("adam", "plateau(factor=0.5, patience=2)", lr: adam),
        ]
    }
}

/// Each run alone through `RunWorkspace`.
func alone(_ setups: [RunSetup]) -> [(Trace, Ending)] {
    setups.map { s in
        var trace = Trace()
        let outcome = RunWorkspace(s).execute(observer: &trace)
        return (trace, Ending(outcome))
    }
}

/// The runs in one group (its problem's batch objective unless given).
func grouped(_ setups: [RunSetup], objective: (any BatchObjective)? = nil, abandon: () -> Bool = { false }) -> [(Trace, Ending)?] {
    var traces = setups.map { _ in Trace() }
    let outcomes = BatchRun(setups, objective: objective).execute(observers: &traces, abandon: abandon)
    return setups.indices.map { i in outcomes[i].map { (traces[i], Ending($0)) } }
}

func same(_ a: (Trace, Ending)?, _ b: (Trace, Ending)) -> Bool { a.map { $0.0 == b.0 && $0.1 == b.1 } ?? false }

@Suite struct GroupingInvarianceTests {
    @Test(arguments: GroupingCase.all)
    func aRunsNumbersDoNotDependOnItsGroup(_ c: GroupingCase) throws {
        let setups = try c.setups()
        let reference = alone(setups)
        // The suite's runs end in different ways (the stop reasons differ), and some evaluations
        // are the step loss (deterministic, gradient point = reported point, one metric).
        let reasons = Set(reference.map(\.1.reason))
        #expect(reasons.count >= 3, "\(c): \(reasons)")
        #expect(reasons.contains(.budget))
        let lossOnly = setups[0].problem.metricNames.count == 1 && !setups[0].problem.isStochastic
        #expect(RunWorkspace(setups[0]).evaluationIsStepLoss == lossOnly)
        #expect(!RunWorkspace(setups[5]).evaluationIsStepLoss)  // schedule-free: gradients at y, reports x

        // All together, in order and reversed (every run in another slot).
        let together = grouped(setups)
        for i in setups.indices { #expect(same(together[i], reference[i]), "\(c): run \(i) in a group of \(setups.count)") }
        let reversed = grouped(setups.reversed())
        for i in setups.indices { #expect(same(reversed[setups.count - 1 - i], reference[i]), "\(c): run \(i) reversed") }

        // Groups of 3, on an objective with spare slots.
        for start in stride(from: 0, to: setups.count, by: 3) {
            let part = Array(setups[start..<min(start + 3, setups.count)])
            let three = grouped(part, objective: setups[0].problem.makeBatchObjective(capacity: 5))
            for i in part.indices { #expect(same(three[i], reference[start + i]), "\(c): run \(start + i) in a group of 3") }
        }

        // A group of 64: the suite's runs spread over the slots, among other runs.
        let fillers = try GroupingCase(spec: c.spec, sgd: c.sgd * 0.5, huge: c.huge * 3, adam: c.adam * 2).setups(on: setups[0].problem)
        var big: [RunSetup] = []
        var slotOf: [Int: Int] = [:]
        var next = 0
        for slot in 0..<64 {
            if slot % 7 == 3 && next < setups.count {
                slotOf[next] = slot
                big.append(setups[next])
                next += 1
            } else {
                big.append(fillers[slot % fillers.count])
            }
        }
        #expect(slotOf.count == setups.count)
        let sixtyFour = grouped(big)
        for (i, slot) in slotOf { #expect(same(sixtyFour[slot], reference[i]), "\(c): run \(i) in slot \(slot) of 64") }
        // The fillers too: their copies in the group agree with each other and with a lone run.
        let fillerReference = alone(fillers)
        for slot in 0..<64 where !slotOf.values.contains(slot) {
            #expect(same(sixtyFour[slot], fillerReference[slot % fillers.count]), "\(c): filler in slot \(slot)")
        }
    }

    /// A run alone is a group of one (one loop): through `RunWorkspace`, `BatchRun(alone:)` and a
    /// group of one on the problem's batch objective, its observer calls and outcome are the same.
    @Test(arguments: GroupingCase.all)
    func aRunAloneIsAGroupOfOneOnEitherObjective(_ c: GroupingCase) throws {
        let setups = try c.setups()
        let reference = alone(setups)
        for (i, s) in setups.enumerated() {
            var traces = [Trace()]
            let outcome = try #require(BatchRun(alone: s).execute(observers: &traces)[0])
            #expect(same((traces[0], Ending(outcome)), reference[i]), "\(c): run \(i) through BatchRun(alone:)")
            #expect(same(grouped([s], objective: s.problem.makeBatchObjective(capacity: 1))[0], reference[i]),
                    "\(c): run \(i) in a group of one on the batch objective")
        }
    }

    @Test func theSuiteEndsInEveryWay() throws {
        var reasons: Set<StopReason> = []
        for c in GroupingCase.all { reasons.formUnion(alone(try c.setups()).map(\.1.reason)) }
        #expect(reasons == Set(StopReason.allCases))
    }

    @Test func membersLeaveWithoutDisturbingTheOthersAndAnAbandonedGroupKeepsWhatEnded() throws {
        let c = GroupingCase.all[0]
        let setups = try c.setups(steps: 300, interval: 10)
        let reference = alone(setups)
        // Stops before step 64 (divergence, target, plateau) and runs to 300.
        #expect(reference.contains { $0.1.steps < 64 } && reference.contains { $0.1.steps == 300 })
        var asked = 0
        let cut = grouped(setups) { asked += 1; return asked > 1 }  // stop at the check of step 64
        for i in setups.indices {
            if reference[i].1.steps < 64 {
                #expect(same(cut[i], reference[i]), "run \(i) ended before the cut")
            } else {
                #expect(cut[i] == nil, "run \(i) was still going")
            }
        }
    }

    @Test func groupsAreKeyedByProblemSeedAndPhaseSortedByIdAndCut() throws {
        let plan = SweepPlan(config: try SweepConfig(yaml: groupingSweep))
        let runs = try plan.pendingTuningRuns(records: []) + plan.oneShotRuns()
        let timeDriven = { (r: PlannedRun) in plan.scheduleName(r.combination).hasPrefix("time_decay") }
        #expect(!groupingSweepReproducible.contains("time_decay") && runs.contains(where: timeDriven))
        let groups = SweepRunner.groups(runs, size: 5) { !timeDriven($0) }
        #expect(groups.flatMap { $0 }.map(\.id).sorted() == runs.map(\.id).sorted())
        #expect(groups.allSatisfy { !$0.isEmpty && $0.count <= 5 })
        for g in groups where g.count > 1 {
            #expect(Set(g.map { "\($0.combination.problem)/\($0.seed)/\($0.phase)" }).count == 1)
            #expect(g.map(\.id) == g.map(\.id).sorted())
            #expect(!g.contains(where: timeDriven))
        }
        #expect(groups.filter { $0.contains(where: timeDriven) }.allSatisfy { $0.count == 1 })
        #expect(groups.contains { $0.count == 5 })
        // Deterministic: the same runs in another order give the same groups.
        #expect(SweepRunner.groups(runs.reversed(), size: 5) { !timeDriven($0) }.map { $0.map(\.id) } == groups.map { $0.map(\.id) })
        // Size 1: every run alone, in the order given.
        #expect(SweepRunner.groups(runs, size: 1) { _ in true }.map { $0.map(\.id) } == runs.map { [$0.id] })
    }
}

/// A sweep over the suite's problem families, with schedule-free, LR-free and plateau-stopped runs.
let groupingSweep = """
name: grouping
budget: 40
evaluation_interval: 5
learning_rates: {from: 1e-3, to: 1, count: 3}
rate_search: {extend: 1, refine: 0}
seeds: {tuning: [0, 1], evaluation: [7]}
stop: {patience: 3}
problems:
  - spec: quadratic(dim=6, cond=50)
    targets: {suboptimality: [1e-1, 1e-2, 1e-3]}
  - spec: quadratic(dim=6, cond=50, noise=1, batch=4)
  - spec: rosenbrock
  - spec: linreg(n=80, d=6, batch=16)
  - spec: classify(model=softmax, n_train=60, n_test=30, batch=10)
    budget: 30
    targets: {train_loss: [1, 0.5]}
optimizers:
  - sgd(momentum=0.9)
  - adam
  - adamw_schedulefree
  - prodigy
  - sls
schedules:
  - constant
  - cosine(T_max=budget)
  - time_decay(gamma=100)
"""

/// The grouping sweep without its wall-clock-driven schedule (whose rates, and so whose chosen
/// rates and evaluation runs, depend on timing by design).
let groupingSweepReproducible = groupingSweep.replacingOccurrences(of: "\n  - time_decay(gamma=100)", with: "")

@Suite(.serialized) struct GroupedSweepTests {
    func sweep(into dir: URL, group: Int, workers: Int, yaml: String = groupingSweepReproducible) throws -> SweepResults.Outcome {
        let runner = SweepRunner(plan: SweepPlan(config: try SweepConfig(yaml: yaml)), directory: dir, workers: workers)
        runner.showProgress = false
        runner.log = { _ in }
        runner.groupSize = group
        return try SweepResults.run(runner)
    }

    @Test func recordsAreTheSameForEveryGroupSizeWorkerCountAndResume() throws {
        let lone = temporaryDirectory("g1")
        let reference = try sweep(into: lone, group: 1, workers: 1)
        #expect(reference.executed > 100)
        let records = try loadRecords(lone)
        #expect(Set(records.values.map(\.stop)).isSuperset(of: [StopReason.budget, .plateau]))
        for (group, workers) in [(64, 1), (64, 2), (3, 2)] {
            let dir = temporaryDirectory("g\(group)w\(workers)")
            let outcome = try sweep(into: dir, group: group, workers: workers)
            #expect(outcome.executed == reference.executed)
            #expect(sameResults(try loadRecords(dir), records), "group \(group), \(workers) workers")
            #expect(try summaryWithoutTimings(dir) == summaryWithoutTimings(lone))
        }
        // Interrupted half-way (the file cut after half its records, the last line torn), resumed
        // with another group size.
        let full = temporaryDirectory("g64")
        _ = try sweep(into: full, group: 64, workers: 2)
        let lines = try String(contentsOf: full.appendingPathComponent("runs.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let keep = lines.count / 2
        let dir = temporaryDirectory("g-resume")
        try (lines.prefix(keep).joined(separator: "\n") + "\n" + lines[keep].prefix(lines[keep].count / 2)).write(
            to: dir.appendingPathComponent("runs.jsonl"), atomically: true, encoding: .utf8)
        let resumed = try sweep(into: dir, group: 5, workers: 2)
        #expect(resumed.reused == keep)
        #expect(resumed.executed == lines.count - keep)
        #expect(sameResults(try loadRecords(dir), records))
        #expect(try summaryWithoutTimings(dir) == summaryWithoutTimings(lone))
    }

    @Test func aGroupCutShortKeepsTheRecordsOfTheRunsThatEnded() throws {
        let yaml = groupingSweepReproducible.replacingOccurrences(of: "budget: 40\n", with: "budget: 200\n")
        let runner = SweepRunner(plan: SweepPlan(config: try SweepConfig(yaml: yaml)), directory: temporaryDirectory("cut"), workers: 1)
        try runner.prepareProblems()
        let runs = try runner.plan.pendingTuningRuns(records: [])
            .filter { $0.combination.problem == 0 && $0.seed == 0 && runner.prepare($0).setup.isBatchable }
        #expect(runs.count >= 12)
        let lone = runs.map { runner.execute($0).withoutTimings }
        #expect(runner.execute(group: runs).map { $0?.withoutTimings } == lone)
        // Cut at the first check after step 0: only runs that stopped before step 64 are kept.
        var asked = 0
        let cut = runner.execute(group: runs) { asked += 1; return asked > 1 }
        #expect(lone.contains { $0.stepsRun < 64 } && lone.contains { $0.stepsRun == 200 })
        for (record, reference) in zip(cut, lone) {
            if reference.stepsRun < 64 {
                #expect(record?.withoutTimings == reference)
            } else {
                #expect(record == nil)
            }
        }
    }

    @Test func wallClockDrivenRunsAndLineSearchesRunAloneInAGroupedSweep() throws {
        // BatchRun refuses them (a precondition), so the sweep finishing shows they ran alone.
        let dir = temporaryDirectory("alone")
        let outcome = try sweep(into: dir, group: 64, workers: 2, yaml: groupingSweep)
        let records = try loadRecords(dir).values
        let timed = records.filter(\.timeDriven)
        #expect(!timed.isEmpty)
        #expect(timed.allSatisfy { $0.schedule.hasPrefix("time_decay") })
        #expect(records.contains { $0.optimizer.hasPrefix("sls") && $0.lossEvaluations > 0 })
        #expect(outcome.rows.count == 5 * 5 * 3)
    }

    @Test func whatMayJoinAGroup() throws {
        func batchable(_ optimizer: String, _ schedule: String) throws -> Bool {
            RunSetup(problem: try Methods.problem("quadratic(dim=3)", seed: 0), optimizer: try Methods.optimizer(optimizer),
                     schedule: try Methods.schedule(schedule), learningRate: 0.1, steps: 10).isBatchable
        }
        #expect(try batchable("adam", "cosine(T_max=10)"))
        #expect(try batchable("adamw_schedulefree", "plateau"))
        #expect(try batchable("prodigy", "loss_adaptive"))
        #expect(try !batchable("adam", "time_decay(gamma=100)"))
        #expect(try !batchable("sls", "constant"))
    }
}

/// README, "What is evaluated when": the evaluations that reuse the step loss leave the records of
/// the quadratic and Rosenbrock unchanged, because their step loss is computed exactly as
/// `loss(at:)` computes it.
@Suite struct ReusedStepLossTests {
    @Test(arguments: ["quadratic(dim=50, cond=1000)", "quadratic(dim=20, rotated=false)", "rosenbrock(dim=2)", "rosenbrock(dim=20)"])
    func theStepLossIsTheEvaluatedLossBitForBit(_ spec: String) throws {
        let problem = try Methods.problem(spec, seed: 0)
        let objective = problem.makeObjective()
        var g = [Double](repeating: 0, count: problem.dimension)
        for i in 0..<200 {
            // Points around the start, spread over several scales.
            let x = problem.initialPoint.enumerated().map { j, v in v * (1 + 0.3 * sin(Double(7 * i + 3 * j))) * pow(10, Double(i % 5 - 2)) }
            let evaluated = x.withUnsafeBufferPointer { objective.loss(at: $0) }
            let step = x.withUnsafeBufferPointer { xb in g.withUnsafeMutableBufferPointer { objective.sampleLossAndGradient(at: xb, into: $0) } }
            #expect(step.bitPattern == evaluated.bitPattern, "\(spec), point \(i)")
        }
    }
}
