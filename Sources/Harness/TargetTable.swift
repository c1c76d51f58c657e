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
    public var key: String { [problem, optimizer, schedule, transforms].joined(separator: " | ") }
}

public enum TargetTable {
    public static func rows(plan: SweepPlan, records: [RunRecord]) -> [TargetRow] {
        let choices = Tuning.choose(plan: plan, records: records)
        var byKey: [String: [RunRecord]] = [:]
        for r in records where r.phase == Phase.evaluation.rawValue {
            byKey[Tuning.key(r.problem, r.optimizer, r.schedule, r.transforms), default: []].append(r)
        }
        var out: [TargetRow] = []
        for c in plan.combinations {
            let lr = choices[c]!.lr
            let runs = (byKey[Tuning.key(plan.problemName(c), plan.optimizerName(c), plan.scheduleName(c), plan.transformName(c))] ?? [])
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

    /// Reads targets.csv; a malformed line is an error naming the file and line.
    public static func read(_ url: URL) throws -> [TargetRow] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw GateError.missing("\(url.path) is missing")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let head = lines.first, CSV.split(String(head)) == header else {
            throw GateError.malformed("\(url.path):1: not a targets.csv (expected the header \(header.joined(separator: ",")))")
        }
        return try lines.dropFirst().enumerated().map { i, line in
            let f = CSV.split(String(line))
            func bad(_ why: String) -> GateError { .malformed("\(url.path):\(i + 2): \(why)") }
            guard f.count == header.count else { throw bad("expected \(header.count) fields, found \(f.count)") }
            let steps = try f[8].split(separator: ";").map { s -> Double in
                guard let v = Double(s) else { throw bad("steps must be numbers or inf, got '\(s)'") }
                return v
            }
            guard let timeDriven = Bool(f[9]) else { throw bad("time_driven must be true or false, got '\(f[9])'") }
            return TargetRow(problem: f[0], optimizer: f[1], schedule: f[2], transforms: f[3], target: f[4], steps: steps, timeDriven: timeDriven)
        }
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
