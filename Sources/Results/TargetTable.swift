import Run
import Statistics
import Sweep
import Foundation

/// `targets.csv`: per combination and target, the steps each evaluation seed needed (the data
/// the regression gate compares, small enough to commit as a baseline).
public struct TargetRow: Sendable, Equatable {
    public var problem, optimizer, schedule, transforms: String
    public var target: String
    /// Steps to the target per evaluation seed, in seed order (+∞: never reached).
    public var steps: [Double]
    public var timeDriven: Bool

    public var reached: Int { steps.filter(\.isFinite).count }
    public var median: Double { Stats.median(steps) }
    public var key: CombinationKey { CombinationKey(problem: problem, optimizer: optimizer, schedule: schedule, transforms: transforms) }
}

public enum TargetTable {
    public static func rows(plan: SweepPlan, records: [RunRecord]) -> [TargetRow] {
        let choices = Tuning.choose(plan: plan, records: records)
        var byKey: [CombinationKey: [RunRecord]] = [:]
        for r in records where r.phase == .evaluation { byKey[r.key, default: []].append(r) }
        var out: [TargetRow] = []
        for c in plan.combinations {
            let lr = choices[c]!.lr
            let runs = (byKey[plan.key(c)] ?? [])
                .filter { $0.lr == lr }.sorted { $0.seed < $1.seed }
            for target in plan.config.problems[c.problem].targets.map(\.description) {
                out.append(TargetRow(problem: plan.problemName(c), optimizer: plan.optimizerName(c), schedule: plan.scheduleName(c),
                                     transforms: plan.transformName(c), target: target,
                                     steps: runs.map { Tuning.stepsScore($0, target: target) },
                                     timeDriven: runs.contains(where: \.timeDriven)))
            }
        }
        return out
    }

    public static let header = ["problem", "optimizer", "schedule", "transforms", "target", "seeds", "reached", "steps_median", "steps", "time_driven"]

    public static func csv(_ rows: [TargetRow]) -> String {
        var out = header.joined(separator: ",") + "\n"
        for r in rows {
            out += [Summary.quote(r.problem), Summary.quote(r.optimizer), Summary.quote(r.schedule), Summary.quote(r.transforms),
                    Summary.quote(r.target), String(r.steps.count), String(r.reached), Summary.num(r.median),
                    r.steps.map(Summary.num).joined(separator: ";"), String(r.timeDriven)].joined(separator: ",") + "\n"
        }
        return out
    }
}

/// RFC 4180 fields (the specs contain commas, so they are quoted).
enum CSV {
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}
