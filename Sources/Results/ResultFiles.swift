import Run
import Statistics
import Sweep
import Foundation
import Problems

/// A result folder as the gate sees it: sweep.yaml, summary.csv, targets.csv and meta.json
/// (never the raw runs.jsonl, so that a baseline is a few small committed files).
///
/// Read fail-closed: the sweep in sweep.yaml is the plan, and every planned combination (and,
/// in targets.csv, every (combination, target) pair) must have exactly one row, every cell must
/// parse as what it is (a number, not `nan` or text, where a number belongs; the seed counts,
/// the grid's rates and the targets of the plan). Anything else is a `GateError` naming the file,
/// the line and the column, and what was expected. meta.json is checked too; it is needed only
/// by `--fail-on-time` (and `--update`), so its problem is kept in `metaError`.
public struct ResultFiles: Sendable {
    public var directory: URL
    public var config: SweepConfig
    /// Each planned combination's row of summary.csv.
    public var summary: [CombinationKey: SummaryRow]
    /// The planned combinations, in plan order.
    public var combinations: [CombinationKey]
    public var targets: [TargetRow]
    public var meta: SweepMeta?
    /// Why meta.json cannot be used (missing, malformed, no positive reference_seconds); nil when it can.
    public var metaError: GateError?

    public static let files = ["sweep.yaml", "summary.csv", "targets.csv", "meta.json"]

    public init(_ directory: URL) throws {
        self.directory = directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GateError.missing("\(directory.path) does not exist (make baseline creates the baseline)")
        }
        let yaml = directory.appendingPathComponent("sweep.yaml")
        guard let text = try? String(contentsOf: yaml, encoding: .utf8) else { throw GateError.missing("\(yaml.path) is missing") }
        do { config = try SweepConfig(yaml: text, file: yaml.path) } catch {
            throw GateError.malformed("\(error)")
        }
        let plan = PlannedRows(SweepPlan(config: config))
        combinations = plan.keys
        summary = try Self.readSummary(directory.appendingPathComponent("summary.csv"), plan)
        targets = try Self.readTargets(directory.appendingPathComponent("targets.csv"), plan)
        (meta, metaError) = Self.readMeta(directory.appendingPathComponent("meta.json"))
    }

    static func readSummary(_ url: URL, _ plan: PlannedRows) throws -> [CombinationKey: SummaryRow] {
        let config = plan.plan.config
        let table = try CSVFile(url, header: Summary.header, kind: "summary.csv", older: [Summary.headerWithoutOracleCalls])
        var out: [CombinationKey: SummaryRow] = [:]
        var rows = PlannedRows.Tally<CombinationKey>()
        let planned = PlannedRows.counts(plan.keys)
        for row in table.rows {
            let key = row.key
            let c = try plan.combination(key, of: key, in: row, tally: &rows, planned: planned)
            let problem = config.problems[c.problem]
            let seeds = config.evaluationSeeds.count
            try row.equal("tuning_rule", config.tuningRule.rawValue, "the tuning rule of sweep.yaml")
            let lr = try row.number("tuned_lr")
            // With a rate search the chosen rate may lie off the grid; without one it is a grid rate.
            guard config.rateSearch == .gridOnly ? config.learningRates.contains(lr) : (lr.isFinite && lr > 0) else {
                throw row.bad("tuned_lr", config.rateSearch == .gridOnly ? "a rate of the grid in sweep.yaml" : "a rate > 0")
            }
            _ = try row.bool("lr_on_grid_edge")
            try row.equal("main_target", problem.mainTarget.description, "the main target of sweep.yaml")
            _ = try row.count("seeds", in: seeds...seeds, "\(seeds) (the evaluation seeds)")
            _ = try row.number("success_rate", in: 0...1)
            for name in ["steps_to_target_median", "steps_to_target_q25", "steps_to_target_q75", "seconds_to_target_median",
                         "targets_reached_median", "seconds_per_step_median"] {
                _ = try row.number(name, in: 0...Double.infinity)
            }
            _ = try row.count("targets", in: problem.targets.count...problem.targets.count, "\(problem.targets.count) (the problem's targets)")
            guard !row["primary"].isEmpty else { throw row.bad("primary", "a metric name") }
            for name in ["final_value_median", "final_value_min", "final_value_max", "best_value_median", "tuning_score"] {
                _ = try row.number(name)
            }
            _ = try row.count("diverged", in: 0...seeds, "a whole number of seeds from 0 to \(seeds)")
            // The one-shot runs at the optimizer's default rate: absent (nan) when one_shot is false
            // or does not name this combination's schedule.
            let hasDefault = config.oneShot && (config.oneShotSchedules?.contains(c.schedule) ?? true)
            let defaults = [("default_lr", 0...Double.infinity), ("default_success_rate", 0...1),
                            ("default_steps_to_target_median", 0...Double.infinity), ("default_final_value_median", -Double.infinity...Double.infinity)]
            for (name, range) in defaults {
                if hasDefault { _ = try row.number(name, in: range) } else {
                    try row.equal(name, "nan", config.oneShot ? "nan (one_shot does not name this schedule)" : "nan (one_shot is false in sweep.yaml)")
                }
            }
            _ = try row.count("default_diverged", in: 0...(hasDefault ? seeds : 0), "a whole number of seeds from 0 to \(hasDefault ? seeds : 0)")
            _ = try row.bool("time_driven")
            out[key] = summaryRow(row, direction: problem.direction(of: row["primary"]))
        }
        try plan.checkComplete(rows, keys: plan.keys, file: url.path, what: "combinations")
        return out
    }

    /// A checked row of summary.csv as its typed row (an older summary's absent column reads nan).
    static func summaryRow(_ row: CSVFile.Row, direction: MetricDirection) -> SummaryRow {
        func x(_ column: String) -> Double { row.optional(column).flatMap { Double($0) } ?? .nan }
        func n(_ column: String) -> Int { row.optional(column).flatMap { Int($0) } ?? 0 }
        return SummaryRow(
            problem: row["problem"], optimizer: row["optimizer"], schedule: row["schedule"], transforms: row["transforms"],
            tuningRule: row["tuning_rule"], tunedLR: x("tuned_lr"), lrOnGridEdge: row["lr_on_grid_edge"] == "true",
            mainTarget: row["main_target"], seeds: n("seeds"), successRate: x("success_rate"),
            stepsMedian: x("steps_to_target_median"), stepsQ25: x("steps_to_target_q25"), stepsQ75: x("steps_to_target_q75"),
            oracleCallsMedian: x("oracle_calls_to_target_median"), secondsToTargetMedian: x("seconds_to_target_median"),
            targetsReachedMedian: x("targets_reached_median"), targetCount: n("targets"), primary: row["primary"],
            primaryDirection: direction, finalMedian: x("final_value_median"), finalMin: x("final_value_min"),
            finalMax: x("final_value_max"), bestMedian: x("best_value_median"), diverged: n("diverged"),
            secondsPerStepMedian: x("seconds_per_step_median"), defaultLR: x("default_lr"),
            defaultSuccessRate: x("default_success_rate"), defaultStepsMedian: x("default_steps_to_target_median"),
            defaultFinalMedian: x("default_final_value_median"), defaultDiverged: n("default_diverged"),
            timeDriven: row["time_driven"] == "true", tuningScore: x("tuning_score"),
            stepsResolution: n("steps_to_target_resolution"))
    }

    static func readTargets(_ url: URL, _ plan: PlannedRows) throws -> [TargetRow] {
        let config = plan.plan.config
        let table = try CSVFile(url, header: TargetTable.header, kind: "targets.csv")
        var out: [TargetRow] = []
        var rows = PlannedRows.Tally<PlannedRows.TargetKey>()
        let planned = PlannedRows.counts(plan.targetKeys)
        for row in table.rows {
            let key = PlannedRows.TargetKey(combination: row.key, target: row["target"])
            _ = try plan.combination(key, of: key.combination, in: row, tally: &rows, planned: planned)
            let seeds = config.evaluationSeeds.count
            _ = try row.count("seeds", in: seeds...seeds, "\(seeds) (the evaluation seeds)")
            let steps = try row["steps"].split(separator: ";", omittingEmptySubsequences: false).map { s -> Double in
                guard let v = Double(s), !v.isNaN, v >= 0 else { throw row.bad("steps", "numbers (steps, or inf: never reached) separated by ';'") }
                return v
            }
            guard steps.count == seeds else { throw row.bad("steps", "\(seeds) numbers (one per evaluation seed)") }
            let reached = steps.filter(\.isFinite).count
            _ = try row.count("reached", in: reached...reached, "\(reached) (the finite steps)")
            guard try row.number("steps_median", in: 0...Double.infinity) == Stats.median(steps) else {
                throw row.bad("steps_median", "\(Summary.num(Stats.median(steps))) (the median of steps)")
            }
            out.append(TargetRow(problem: row.fields[0], optimizer: row.fields[1], schedule: row.fields[2], transforms: row.fields[3],
                                 target: row["target"], steps: steps, timeDriven: try row.bool("time_driven")))
        }
        try plan.checkComplete(rows, keys: plan.targetKeys, file: url.path, what: "(combination, target) pairs")
        return out
    }

    static func readMeta(_ url: URL) -> (SweepMeta?, GateError?) {
        guard let data = FileManager.default.contents(atPath: url.path) else { return (nil, .missing("\(url.path) is missing")) }
        let meta: SweepMeta
        do { meta = try JSONDecoder().decode(SweepMeta.self, from: data) } catch {
            return (nil, .malformed("\(url.path): not a meta.json (\(RunRecord.brief(error)))"))
        }
        guard meta.referenceSeconds.isFinite, meta.referenceSeconds > 0 else {
            return (nil, .malformed("\(url.path): reference_seconds must be a positive number of seconds, got \(meta.referenceSeconds)"))
        }
        return (meta, nil)
    }
}

/// The rows a result folder must have: one per planned combination (`keys`), and one per
/// (combination, target) pair (`targetKeys`).
struct PlannedRows {
    /// A row of targets.csv: a combination and one of its targets.
    struct TargetKey: Hashable, CustomStringConvertible {
        var combination: CombinationKey
        var target: String
        var description: String { "\(combination) @ \(target)" }
    }

    let plan: SweepPlan
    /// In plan order.
    let keys: [CombinationKey]
    let targetKeys: [TargetKey]
    let combinations: [CombinationKey: Combination]

    init(_ plan: SweepPlan) {
        self.plan = plan
        var keys: [CombinationKey] = [], targetKeys: [TargetKey] = [], combinations: [CombinationKey: Combination] = [:]
        for c in plan.combinations {
            let key = plan.key(c)
            keys.append(key)
            combinations[key] = c
            for t in plan.config.problems[c.problem].targets { targetKeys.append(TargetKey(combination: key, target: t.description)) }
        }
        self.keys = keys
        self.targetKeys = targetKeys
        self.combinations = combinations
    }

    /// How many rows each key had so far.
    typealias Tally<Key: Hashable> = [Key: Int]

    /// The planned combination of a row; a row outside the plan, or one more than planned, is an error.
    /// `combination`: the combination `key` names; `planned`: how many rows each key should have.
    func combination<Key: Hashable & CustomStringConvertible>(_ key: Key, of combination: CombinationKey, in row: CSVFile.Row,
                                                              tally: inout Tally<Key>, planned: Tally<Key>) throws -> Combination {
        guard let c = combinations[combination], let count = planned[key] else {
            throw GateError.malformed("\(row.path):\(row.line): \(key) is not in the sweep of sweep.yaml")
        }
        tally[key, default: 0] += 1
        if tally[key]! > count {
            throw GateError.malformed("\(row.path):\(row.line): a second row for \(key)")
        }
        return c
    }

    /// Every planned key has its rows; else one line naming the first missing one.
    /// How many rows each key should have (a key planned twice: two).
    static func counts<Key: Hashable>(_ keys: [Key]) -> Tally<Key> {
        var counts: Tally<Key> = [:]
        for k in keys { counts[k, default: 0] += 1 }
        return counts
    }

    func checkComplete<Key: Hashable & CustomStringConvertible>(_ tally: Tally<Key>, keys: [Key], file: String, what: String) throws {
        let counts = Self.counts(keys)
        let missing = keys.filter { tally[$0, default: 0] < counts[$0]! }
        if let first = missing.first {
            throw GateError.incomplete("\(file): no row for \(first) (\(missing.count) of the \(keys.count) planned \(what) missing)")
        }
    }
}

/// A CSV file of a result folder, read fail-closed: LF or CRLF line ends, valid UTF-8, the
/// expected header, the same number of fields on every line.
struct CSVFile {
    struct Row {
        let path: String
        let line: Int
        let header: [String]
        let fields: [String]

        subscript(_ column: String) -> String { fields[header.firstIndex(of: column)!] }

        /// The cell of a column this file's header may lack (an older summary).
        func optional(_ column: String) -> String? { header.firstIndex(of: column).map { fields[$0] } }

        /// The combination the row's first four cells name.
        var key: CombinationKey { CombinationKey(problem: fields[0], optimizer: fields[1], schedule: fields[2], transforms: fields[3]) }

        func bad(_ column: String, _ expected: String) -> GateError {
            .malformed("\(path):\(line): \(column) must be \(expected), got '\(self[column])'")
        }

        /// A number, never nan; ±inf only when `range` allows it.
        func number(_ column: String, in range: ClosedRange<Double> = -Double.infinity...Double.infinity) throws -> Double {
            guard let x = Double(self[column]), !x.isNaN, range.contains(x) else {
                let bounds = range.lowerBound == -.infinity && range.upperBound == .infinity ? ""
                    : range.upperBound == .infinity ? " >= \(Gate.fmtTol(range.lowerBound))"
                    : " from \(Gate.fmtTol(range.lowerBound)) to \(Gate.fmtTol(range.upperBound))"
                throw bad(column, "a number\(bounds) (not nan)")
            }
            return x
        }

        func count(_ column: String, in range: ClosedRange<Int>, _ expected: String) throws -> Int {
            guard let n = Int(self[column]), range.contains(n) else { throw bad(column, expected) }
            return n
        }

        func bool(_ column: String) throws -> Bool {
            guard let b = Bool(self[column]) else { throw bad(column, "true or false") }
            return b
        }

        func equal(_ column: String, _ value: String, _ what: String) throws {
            guard self[column] == value else { throw bad(column, "\(value) (\(what))") }
        }
    }

    let rows: [Row]

    /// `older`: earlier headers still accepted (rows are then read by their own header's names).
    init(_ url: URL, header: [String], kind: String, older: [[String]] = []) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw GateError.missing("\(url.path) is missing") }
        var rows: [Row] = []
        var sawHeader = false
        var header = header
        for line in ByteLines(data).lines where !line.isEmpty {
            let text: String
            do { text = try line.utf8(path: url.path) } catch { throw GateError.malformed("\(error)") }
            let fields = CSV.split(text)
            if !sawHeader {
                if older.contains(fields) { header = fields }
                guard fields == header else {
                    throw GateError.malformed("\(url.path):\(line.number): not a \(kind) (expected the header \(header.joined(separator: ",")))")
                }
                sawHeader = true
                continue
            }
            guard fields.count == header.count else {
                throw GateError.malformed("\(url.path):\(line.number): expected \(header.count) fields, found \(fields.count)")
            }
            rows.append(Row(path: url.path, line: line.number, header: header, fields: fields))
        }
        guard sawHeader else { throw GateError.malformed("\(url.path): empty: not a \(kind)") }
        self.rows = rows
    }
}
