import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
@testable import Reports

/// A result set whose answer is known: on 8 seeds, momentum SGD + cosine and Adam + cosine tie
/// (seed-to-seed noise of a few steps), plain SGD + constant is 3× slower on every seed, and the
/// others never reach the target.
enum Replicates {
    static let seeds: [UInt64] = Array(10...17)
    static let yaml = """
    name: replicates
    budget: 400
    evaluation_interval: 1
    learning_rates: [0.1]
    seeds: {tuning: [0], evaluation: [10, 11, 12, 13, 14, 15, 16, 17]}
    one_shot: [constant]
    problems:
      - spec: quadratic(dim=2, cond=10)
        targets: {suboptimality: [1e-3]}
        main_target: {suboptimality: 1e-3}
    optimizers: [sgd, "sgd(momentum=0.9)", adam]
    schedules: [constant, "cosine(T_max=budget)"]
    """

    static let steps: [String: [Int?]] = [
        "sgd(momentum=0.9)|cosine(T_max=budget)": [100, 102, 98, 101, 99, 103, 97, 100],
        "adam|cosine(T_max=budget)": [101, 99, 100, 102, 98, 101, 99, 100],
        "sgd|constant": [300, 310, 290, 305, 295, 300, 302, 298],
    ]

    static func record(_ phase: Phase, _ o: String, _ s: String, lr: Double, seed: UInt64, reached: Int?) -> RunRecord {
        let final = reached == nil ? 0.5 : 1e-4
        return RunRecord(
            format: RunRecord.formatVersion, id: [phase.rawValue, o, s, String(lr), String(seed)].joined(separator: "-"),
            phase: phase, problem: "quadratic(dim=2, cond=10)", optimizer: o, schedule: s, transforms: "none",
            lr: lr, seed: seed, budget: 400, evaluationInterval: 1, metricNames: ["loss"], primary: "suboptimality",
            optimum: 0, initialLoss: 1, steps: [0, 400], seconds: [0, 0.001], rates: [lr, nil],
            metrics: [[1, final]], minibatchLoss: nil, targets: ["suboptimality<=0.001"],
            stepsToTarget: [reached], secondsToTarget: [reached.map { Double($0) * 1e-6 }],
            finalValue: final, bestValue: final, diverged: false, divergedAt: nil, stop: .budget, stepsRun: 400,
            secondsPerStep: 1e-6, totalSeconds: 0.001, timeDriven: false)
    }

    static var records: [RunRecord] {
        var out: [RunRecord] = []
        for o in ["sgd", "sgd(momentum=0.9)", "adam"] {
            for s in ["constant", "cosine(T_max=budget)"] {
                let st = steps["\(o)|\(s)"] ?? Array(repeating: nil, count: seeds.count)
                out.append(record(.tuning, o, s, lr: 0.1, seed: 0, reached: st[0]))
                for (k, seed) in seeds.enumerated() {
                    out.append(record(.evaluation, o, s, lr: 0.1, seed: seed, reached: st[k]))
                    if s == "constant" {
                        let lr = o == "adam" ? 0.001 : 0.001
                        out.append(record(.oneShot, o, s, lr: lr, seed: seed, reached: o == "sgd(momentum=0.9)" ? 350 : nil))
                    }
                }
            }
        }
        return out
    }

    static func folder() throws -> URL {
        let dir = temporaryDirectory("replicates")
        try yaml.write(to: dir.appendingPathComponent("sweep.yaml"), atomically: true, encoding: .utf8)
        try records.map { $0.jsonLine + "\n" }.joined().write(to: dir.appendingPathComponent("runs.jsonl"), atomically: true, encoding: .utf8)
        return dir
    }
}

@Suite struct FirstScreenTests {
    @Test func theTopGroupHoldsTheTiesAndLeavesOutTheSlowerCombination() throws {
        let dir = try Replicates.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = Analysis(try ResultSet.load(dir))
        let answers = Answers(a)
        let ans = try #require(answers.problems.first)
        let g = try #require(ans.group)
        let pa = a.problems[0]
        let members = Set(g.members.map { a.label(pa.items[$0.item].method) })
        #expect(members == ["sgd(momentum=0.9) + cosine", "adam + cosine"])
        #expect(a.label(pa.items[g.bestEntry.item].method) == "sgd(momentum=0.9) + cosine")
        // sgd + constant is slower on all 8 seeds: exact one-sided Wilcoxon p = 2⁻⁸, × 5 by Holm.
        let slow = try #require(g.entries.first { a.label(pa.items[$0.item].method) == "sgd + constant" })
        #expect(slow.p == 1.0 / 256)
        #expect(slow.adjusted == 5.0 / 256)
        #expect(!slow.inGroup)
        // The tie's p-value is far from significant and the best is not always first.
        let tie = try #require(g.entries.first { a.label(pa.items[$0.item].method) == "adam + cosine" })
        #expect(tie.adjusted! > 0.5)
        #expect(g.bestEntry.firstShare < 0.9 && tie.firstShare > 0.1)
        #expect(ans.baseline != nil)
        #expect(answers.defaults.map(\.reached) == [0, 1, 0])
    }

    /// The first screen, exactly: the answer within the first lines.
    @Test func snapshotOfTheFirstScreen() throws {
        let dir = try Replicates.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let md = try Report.generate(dir).markdown
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let expected = [
            "# lrbench report: replicates",
            "",
            "**The answer** — median steps to each problem's main target over 8 evaluation seeds, [95% bootstrap interval]. The **top group** is every combination not significantly slower than the best (exact Wilcoxon signed-rank test on log steps, paired by seed, Holm-corrected, family-wise α = 0.05); *first* is the share of seed resamples in which the best stays first. Wall-clock-driven schedules are left out. ⚠edge: the tuned rate is the edge of the rates searched.",
            "",
            "| problem | main target | top group | best (tuned lr; steps [CI]), then the next members | first | × vs tuned adam + constant |",
            "|:---|:---|---:|:---|---:|---:|",
            "| `quadratic(dim=2, cond=10)` | `suboptimality<=0.001` | 2 of 6 | **sgd(momentum=0.9) + cosine (lr 0.1; 100 [98, 102])**; adam + cosine (lr 0.1; 100 [99, 101]) | 55% | adam + constant misses it |",
            "",
        ]
        #expect(Array(lines.prefix(expected.count)) == expected)
        #expect(lines.contains { $0.hasPrefix("- **At its default rate** (constant schedule, no tuning), each optimizer reaches the main target on: `sgd` 0/1, `sgd(momentum=0.9)` 1/1, `adam` 0/1 problems.") })
        #expect(lines.contains("- **Not significant:** the seeds do not separate the members of each top group — p1 (2) combinations tie with the best. Details in §1."))
        let csv = try #require(Report.generate(dir).files.first { $0.name == "rankings.csv" })
        #expect(csv.text.split(separator: "\n").count == 1 + 6)
    }
}
