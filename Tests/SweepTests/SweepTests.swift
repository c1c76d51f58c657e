import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep

let tinySweep = """
name: tiny
budget: 60
evaluation_interval: 5
learning_rates: {from: 1e-3, to: 1, count: 4}
seeds: {tuning: [0], evaluation: [1, 2]}
problems:
  - spec: quadratic(dim=6, cond=50)
    targets: {suboptimality: [1e-1, 1e-2, 1e-3]}
  - spec: linreg(n=80, d=6, batch=16)
  - spec: rosenbrock
    budget: 100
optimizers:
  - sgd(momentum=0.9)
  - adam
schedules:
  - constant
  - "warmup(steps=budget/10, then=cosine(T_max=0.9*budget))"
"""

/// TestSupport's `runSweep` on the tiny sweep.
@discardableResult
func runSweep(workers: Int, into dir: URL, shard: SweepPlan.Shard = .whole) throws -> SweepResults.Outcome {
    try runSweep(tinySweep, workers: workers, into: dir, shard: shard)
}

func loadRecords(_ dir: URL) throws -> [String: RunRecord] {
    try RunStore.load(dir.appendingPathComponent("runs.jsonl"), log: { _ in })
}

/// Records compared on everything but measured times.
func sameResults(_ a: [String: RunRecord], _ b: [String: RunRecord]) -> Bool {
    a.count == b.count && a.allSatisfy { id, r in b[id]?.withoutTimings == r.withoutTimings }
}

func summaryWithoutTimings(_ dir: URL) throws -> String {
    let text = try String(contentsOf: dir.appendingPathComponent("summary.csv"), encoding: .utf8)
    // seconds_to_target_median and seconds_per_step_median are measurements (found by name).
    let timed = ["seconds_to_target_median", "seconds_per_step_median"].compactMap(Summary.header.firstIndex(of:))
    return text.split(separator: "\n").map { line -> String in
        var fields = CSV.split(String(line))
        for i in timed where i < fields.count && fields[0] != "problem" { fields[i] = "-" }
        return fields.joined(separator: ",")
    }.joined(separator: "\n")
}


@Suite(.serialized) struct SweepTests {
    @Test func resultsAreIdenticalForOneAndTwoWorkers() throws {
        let one = temporaryDirectory("w1"), two = temporaryDirectory("w2")
        let a = try runSweep(workers: 1, into: one)
        let b = try runSweep(workers: 2, into: two)
        // 3 problems × 2 optimizers × 2 schedules = 12 combinations; each: 4 rates × 1 tuning seed
        // + 2 one-shot + 2 evaluation runs.
        #expect(a.rows.count == 12)
        #expect(a.executed == 12 * (4 + 2 + 2))
        #expect(b.executed == a.executed)
        #expect(sameResults(try loadRecords(one), try loadRecords(two)))
        #expect(try summaryWithoutTimings(one) == summaryWithoutTimings(two))
    }

    @Test func resumingAfterAnInterruptionGivesTheSameResults() throws {
        let full = temporaryDirectory("full")
        _ = try runSweep(workers: 2, into: full)
        let reference = try loadRecords(full)
        let lines = try String(contentsOf: full.appendingPathComponent("runs.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        // Cut the file at several points, the last line torn mid-record, and resume.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3 {
            let keep = Int.random(in: 1..<(lines.count - 1), using: &rng)
            let torn = lines[keep].prefix(Int.random(in: 1..<lines[keep].count, using: &rng))
            let dir = temporaryDirectory("resume")
            try (lines.prefix(keep).joined(separator: "\n") + "\n" + torn).write(
                to: dir.appendingPathComponent("runs.jsonl"), atomically: true, encoding: .utf8)
            let outcome = try runSweep(workers: 2, into: dir)
            #expect(outcome.reused == keep)
            #expect(outcome.executed == lines.count - keep)
            #expect(sameResults(try loadRecords(dir), reference))
            #expect(try summaryWithoutTimings(dir) == summaryWithoutTimings(full))
        }
    }

    @Test func aCompleteRerunDoesNothing() throws {
        let dir = temporaryDirectory("rerun")
        let first = try runSweep(workers: 2, into: dir)
        let second = try runSweep(workers: 2, into: dir)
        #expect(second.executed == 0)
        #expect(second.reused == first.executed)
    }

    @Test func shardsMergeIntoTheUnshardedResult() throws {
        let whole = temporaryDirectory("whole")
        _ = try runSweep(workers: 2, into: whole)
        let parts = (1...3).map { temporaryDirectory("shard\($0)") }
        var total = 0
        for (k, dir) in parts.enumerated() {
            total += try runSweep(workers: 1, into: dir, shard: SweepPlan.Shard(index: k + 1, count: 3)).executed
        }
        #expect(total == 12 * 8)
        let merged = temporaryDirectory("merged")
        _ = try Merge.merge(parts, into: merged)
        #expect(sameResults(try loadRecords(merged), try loadRecords(whole)))
        #expect(try summaryWithoutTimings(merged) == summaryWithoutTimings(whole))
        // The stored schedule previews too, so the merged folder's report draws from the folder.
        let previews = { (d: URL) in try String(contentsOf: d.appendingPathComponent("schedules.csv"), encoding: .utf8) }
        #expect(try previews(merged) == previews(whole))
        // A missing shard is an error, not a silent gap.
        #expect(throws: SweepError.self) { _ = try Merge.merge(Array(parts.prefix(2)), into: temporaryDirectory("m2")) }
    }

    @Test func mergeNeverChangesItsInputs() throws {
        // A shard whose last line is torn (an interrupted sweep) is an error for merge, and its
        // file is left exactly as it was: only rerunning the shard repairs it.
        let parts = (1...2).map { temporaryDirectory("torn\($0)") }
        for (k, dir) in parts.enumerated() {
            _ = try runSweep(workers: 1, into: dir, shard: SweepPlan.Shard(index: k + 1, count: 2))
        }
        let runs = parts[1].appendingPathComponent("runs.jsonl")
        let whole = try Data(contentsOf: runs)
        let torn = whole.prefix(whole.count - 40)
        try torn.write(to: runs)
        do {
            _ = try Merge.merge(parts, into: temporaryDirectory("torn-merged"))
            Issue.record("expected an error for the torn shard")
        } catch let e as SweepError {
            #expect(e.description.hasPrefix("\(runs.path):"))
            #expect(e.description.contains("not a run record"))
        }
        #expect(try Data(contentsOf: runs) == torn)
    }

    @Test func runsRecordWhatTheyShould() throws {
        let dir = temporaryDirectory("records")
        let outcome = try runSweep(workers: 2, into: dir)
        let records = Array(try loadRecords(dir).values)
        for r in records {
            #expect(r.steps.first == 0)
            #expect(r.steps.count == r.metrics[0].count && r.steps.count == r.seconds.count && r.steps.count == r.rates.count)
            #expect(r.diverged == (r.stop == .diverged))
            if !r.diverged { #expect(r.steps.last == r.budget && r.stepsRun == r.budget) }
            #expect(r.targets.count == r.stepsToTarget.count)
            // Targets are reached in order of difficulty.
            let reached = r.stepsToTarget.map { $0 ?? Int.max }
            #expect(reached == reached.sorted())
        }
        // Stochastic problems record the minibatch loss; the others do not.
        #expect(records.filter { $0.problem.hasPrefix("linreg") }.allSatisfy { $0.minibatchLoss != nil })
        #expect(records.filter { $0.problem.hasPrefix("rosenbrock") }.allSatisfy { $0.minibatchLoss == nil })
        // Common random numbers: on one seed, every method starts from the same loss.
        let starts = Set(records.filter { $0.problem.hasPrefix("linreg") && $0.seed == 1 }.map { $0.initialLoss })
        #expect(starts.count == 1)
        #expect(outcome.rows.allSatisfy { $0.seeds == 2 })
    }

    @Test func aRecordRoundTripsThroughJSONExactly() throws {
        let dir = temporaryDirectory("json")
        _ = try runSweep(workers: 2, into: dir)
        for r in try loadRecords(dir).values {
            #expect(try RunRecord.parse(Substring(r.jsonLine)) == r)
        }
    }
}

@Suite struct TuningTests {
    /// A hand-made set of tuning records with a known best rate.
    func record(lr: Double, seed: UInt64, final: Double?, steps: Int?, diverged: Bool = false, phase: Phase = .tuning) -> RunRecord {
        RunRecord(format: 1, id: "\(lr)-\(seed)-\(phase.rawValue)", phase: phase, problem: "quadratic(dim=6, cond=50)", optimizer: "adam",
                  schedule: "constant", transforms: "none", lr: lr, seed: seed, budget: 10, evaluationInterval: 1,
                  metricNames: ["loss"], primary: "suboptimality", optimum: 0, initialLoss: 1, steps: [0], seconds: [0],
                  rates: [nil], metrics: [[1]], minibatchLoss: nil, targets: ["suboptimality<=0.01"],
                  stepsToTarget: [steps], secondsToTarget: [steps.map(Double.init)], finalValue: final, bestValue: final,
                  diverged: diverged, divergedAt: nil, stop: diverged ? .diverged : .budget, stepsRun: 10,
                  secondsPerStep: 0, totalSeconds: 0, timeDriven: false)
    }

    func plan(rule: String) throws -> SweepPlan {
        SweepPlan(config: try SweepConfig(yaml: """
        name: t
        budget: 10
        learning_rates: [0.001, 0.01, 0.1, 1]
        seeds: {tuning: [0, 1, 2], evaluation: [3]}
        tuning: {rule: \(rule)}
        problems:
          - spec: quadratic(dim=6, cond=50)
            targets: {suboptimality: [1e-2]}
        optimizers: [adam]
        schedules: [constant]
        """))
    }

    @Test func bestMedianFinalValueWins() throws {
        // Medians of the final value: 0.5, 0.1, 0.2 (one seed diverged), ∞ (all diverged).
        let records = [
            record(lr: 0.001, seed: 0, final: 0.5, steps: nil), record(lr: 0.001, seed: 1, final: 0.4, steps: nil),
            record(lr: 0.001, seed: 2, final: 0.6, steps: nil),
            record(lr: 0.01, seed: 0, final: 0.1, steps: 9), record(lr: 0.01, seed: 1, final: 0.3, steps: 8),
            record(lr: 0.01, seed: 2, final: 0.05, steps: 9),
            record(lr: 0.1, seed: 0, final: 0.2, steps: 3), record(lr: 0.1, seed: 1, final: 0.001, steps: 2),
            record(lr: 0.1, seed: 2, final: nil, steps: nil, diverged: true),
            record(lr: 1, seed: 0, final: nil, steps: nil, diverged: true), record(lr: 1, seed: 1, final: nil, steps: nil, diverged: true),
            record(lr: 1, seed: 2, final: nil, steps: nil, diverged: true),
        ]
        let p = try plan(rule: "final_value")
        let choice = try #require(Tuning.choose(plan: p, records: records).values.first)
        #expect(choice.lr == 0.01)
        #expect(choice.scores == [0.5, 0.1, 0.2, .infinity])
        #expect(!choice.onEdge)
        // Fewest median steps: 0.1 (steps 3, 2, ∞ → median 3) beats 0.01 (median 9).
        let q = try plan(rule: "steps_to_target")
        let fastest = try #require(Tuning.choose(plan: q, records: records).values.first)
        #expect(fastest.lr == 0.1)
        #expect(fastest.scores == [.infinity, 9, 3, .infinity])
    }

    @Test func aChoiceOnTheGridEdgeIsFlagged() throws {
        let records = [0.001, 0.01, 0.1, 1].flatMap { lr in (0..<3).map { record(lr: lr, seed: UInt64($0), final: lr, steps: nil) } }
        let choice = try #require(Tuning.choose(plan: try plan(rule: "final_value"), records: records).values.first)
        #expect(choice.lr == 0.001)
        #expect(choice.onEdge)
    }
}

@Suite struct SweepConfigErrorTests {
    @Test func everyErrorIsReportedTogetherWithItsPathAndLine() throws {
        let yaml = """
        name: bad
        budget: 0
        learning_rates: [0.1, -1, nan]
        seeds: {tuning: [0, 1], evaluation: [1]}
        problems:
          - spec: quadratic(dim=0)
            budget: 10
          - spec: rosenbrok
            budget: 10
        optimizers:
          - adam(betas=0.9)
          - sgd(momentum=0.9
        schedules:
          - cosine(T_max=budget)
          - step(gama=0.1, step_size=2)
        colour: red
        """
        do {
            _ = try SweepPlan(config: SweepConfig(yaml: yaml, file: "bad.yaml"))
            Issue.record("expected configuration errors")
        } catch let e as ConfigErrors {
            let text = e.errors.map(\.description)
            #expect(text.contains("bad.yaml:16: colour: unknown key 'colour'; allowed: name, description, budget, budgets, evaluation_interval, learning_rates, seeds, tuning, rate_search, one_shot, statistics, relaxations, stop, problems, optimizers, schedules, transforms"))
            #expect(text.contains("bad.yaml:2: budget: must be a whole number in [1, 10000000], got '0'"))
            #expect(text.contains("bad.yaml:3: learning_rates[1]: must be a finite number > 0, got -1.0"))
            #expect(text.contains("bad.yaml:3: learning_rates[2]: must be a finite number > 0, got nan"))
            #expect(text.contains("bad.yaml:4: seeds: tuning and evaluation seeds must differ (no choosing and scoring on the same seeds); shared: [1]"))
            #expect(text.contains("bad.yaml:11: optimizers[0]: adam: parameter 'betas' must have 2 values separated by ';', got '0.9'"))
            #expect(text.contains("bad.yaml:12: optimizers[1]: malformed spec 'sgd(momentum=0.9' at column 17: missing ')' to close 'sgd('"))
            #expect(text.contains { $0.hasPrefix("bad.yaml:15: schedules[1]: step: unknown parameter 'gama'") })
            #expect(e.errors.count == 8)
        }
    }

    @Test func problemSpecErrorsStopTheSweepBeforeAnythingIsWritten() throws {
        let yaml = """
        name: badproblem
        budget: 10
        learning_rates: [0.1]
        problems: [quadratic(dim=0), rosenbrok]
        optimizers: [sgd]
        schedules: [constant]
        """
        let dir = temporaryDirectory("badproblem").appendingPathComponent("out")
        #expect(throws: ConfigErrors.self) { _ = try runSweep(yaml, workers: 2, into: dir) }
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }

    @Test func missingRequiredKeysAndEmptyLists() {
        #expect(throws: ConfigErrors.self) { _ = try SweepConfig(yaml: "name: x\nlearning_rates: []\nproblems: []\noptimizers: [sgd]\nschedules: [constant]") }
        do {
            _ = try SweepConfig(yaml: "name: x\nlearning_rates: []\nproblems: []\noptimizers: [sgd]\nschedules: [constant]", file: "f")
        } catch let e as ConfigErrors {
            #expect(e.errors.map(\.description) == ["f:2: learning_rates: must not be empty", "f:3: problems: must not be empty"])
        } catch { Issue.record("\(error)") }
        do {
            _ = try SweepConfig(yaml: "name: [x", file: "f")
        } catch let e as ConfigErrors {
            #expect(e.errors.count == 1 && e.errors[0].path == "(yaml)")
        } catch { Issue.record("\(error)") }
    }
}
