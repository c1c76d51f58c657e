// The schedules as the sweep's code ran them: each step-driven schedule's rate multiplier over
// each problem budget, written beside the results (`schedules.csv`), so that a report draws the
// schedules from the folder rather than from the code of the day it is generated.

import Run
import Sweep
import Foundation
import Schedules
import Specs

/// Every step-driven schedule of a sweep over every budget of its problems: lr_t / lr₀ for
/// t = 0 ..< budget, at lr₀ = 1. Metric- and time-driven schedules have no preview (their rates
/// depend on the run).
public struct SchedulePreviews: Sendable, Equatable {
    public static let fileName = "schedules.csv"
    public static let header = ["schedule", "budget", "step", "factor"]

    struct Key: Hashable, Sendable {
        var schedule: String
        var budget: Int
    }
    /// Curves in file order (the sweep file's schedules, then the problems' budgets in order).
    var keys: [Key] = []
    var curves: [Key: [Double]] = [:]

    /// The previews of a sweep, from today's code.
    public init(config: SweepConfig) {
        var budgets: [Int] = []
        for p in config.problems where !budgets.contains(p.budget) { budgets.append(p.budget) }
        for s in config.schedules {
            for b in budgets {
                guard let m = Self.multiplier(s, budget: b) else { continue }
                let k = Key(schedule: s.description, budget: b)
                keys.append(k)
                curves[k] = m
            }
        }
    }

    init() {}

    /// The stored multiplier of `spec` (as written in the sweep file) over `budget` steps; nil
    /// when the file has none (a run-dependent schedule).
    public func multiplier(_ spec: Spec, budget: Int) -> [Double]? {
        curves[Key(schedule: spec.description, budget: budget)]
    }

    /// The rate multiplier lr_t / lr₀ of a step-driven schedule over the budget, from today's
    /// code (nil when the schedule depends on the run, metric- or time-driven, or cannot be built).
    public static func multiplier(_ spec: Spec, budget: Int) -> [Double]? {
        guard let resolved = try? BudgetExpression.resolve(spec, budget: budget),
              let schedule = try? ScheduleRegistry.make(resolved), schedule.drive == .step else { return nil }
        let controller = schedule.makeController(base: 1)
        return (0..<Swift.max(budget, 1)).map { controller.rate(at: $0, elapsedSeconds: 0) }
    }

    /// One row per schedule, budget and step; factors exact (shortest round trip).
    public var csv: String {
        var out = Self.header.joined(separator: ",") + "\n"
        for k in keys {
            let schedule = Summary.quote(k.schedule), budget = String(k.budget)
            for (t, f) in curves[k]!.enumerated() {
                out += schedule + "," + budget + "," + String(t) + "," + Summary.num(f) + "\n"
            }
        }
        return out
    }

    /// Writes `schedules.csv` at the end of a sweep when it ran something or the folder has none
    /// yet (as meta.json: a rerun that ran nothing leaves the folder as it was).
    public static func write(_ config: SweepConfig, to directory: URL, ranRuns: Bool) throws {
        let url = directory.appendingPathComponent(fileName)
        guard ranRuns || !FileManager.default.fileExists(atPath: url.path) else { return }
        try AtomicFile.write(SchedulePreviews(config: config).csv, to: url)
    }

    /// Reads a folder's `schedules.csv` fail-closed; nil when the folder has none (results of an
    /// older lrbench). Every schedule must be one of `config`'s, every curve whole (steps 0, 1, …,
    /// budget − 1 in order).
    public static func read(_ directory: URL, config: SweepConfig) throws -> SchedulePreviews? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let table: CSVFile
        do { table = try CSVFile(url, header: header, kind: fileName) } catch let e as GateError {
            throw SweepError(Self.detail(e))
        }
        let known = Set(config.schedules.map(\.description))
        var out = SchedulePreviews()
        for row in table.rows {
            let at = "\(row.path):\(row.line)"
            guard known.contains(row["schedule"]) else {
                throw SweepError("\(at): schedule must be one of sweep.yaml's, got '\(row["schedule"])'")
            }
            guard let budget = Int(row["budget"]), budget >= 1 else {
                throw SweepError("\(at): budget must be a whole number >= 1, got '\(row["budget"])'")
            }
            let k = Key(schedule: row["schedule"], budget: budget)
            if out.curves[k] == nil {
                out.keys.append(k)
                out.curves[k] = []
            } else if out.keys.last != k {
                throw SweepError("\(at): the rows of \(row["schedule"]) over \(budget) steps must be consecutive")
            }
            let expected = out.curves[k]!.count
            guard let step = Int(row["step"]), step == expected else {
                throw SweepError("\(at): step must be \(expected) (the steps of a curve in order), got '\(row["step"])'")
            }
            guard let factor = Double(row["factor"]) else {
                throw SweepError("\(at): factor must be a number, got '\(row["factor"])'")
            }
            out.curves[k]!.append(factor)
        }
        for k in out.keys where out.curves[k]!.count != k.budget {
            throw SweepError("\(url.path): \(k.schedule) over \(k.budget) steps has \(out.curves[k]!.count) rows, expected \(k.budget)")
        }
        return out
    }

    static func detail(_ e: GateError) -> String {
        switch e {
        case .missing(let s), .malformed(let s), .incomplete(let s), .incompatible(let s): return s
        }
    }
}
