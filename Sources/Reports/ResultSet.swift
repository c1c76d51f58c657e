import Foundation
import Results
import Run
import Sweep

/// A report's input could not be read: one line, said as it is.
public struct ReportError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One result folder, read and checked: the sweep file, every run record, `meta.json` and
/// `schedules.csv` when present. Nothing here writes; a malformed file is an error, never half-read.
public struct ResultSet: Sendable {
    public var directory: URL
    public var config: SweepConfig
    public var plan: SweepPlan
    /// Nil when the folder has no `meta.json` (the header then says "unknown").
    public var meta: SweepMeta?
    /// Every record that belongs to the sweep's plan, in a fixed order (combination, phase, rate, seed, id).
    public var records: [RunRecord]
    /// The summary recomputed from the records (the same rows as `summary.csv`), in plan order.
    public var rows: [SummaryRow]
    /// Records left out, and why (records of another configuration, duplicates).
    public var excluded: [String]
    /// The schedules as the sweep ran them (`schedules.csv`); nil for a folder without the file
    /// (results of an older lrbench: the report then draws them from today's code).
    public var previews: SchedulePreviews? = nil

    public static func load(_ directory: URL) throws -> ResultSet {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw ReportError("\(directory.path): no such result folder")
        }
        let runsURL = directory.appendingPathComponent("runs.jsonl")
        guard let runsData = fm.contents(atPath: runsURL.path) else {
            throw ReportError("\(runsURL.path): missing (not a sweep result folder?)")
        }
        let yamlURL = directory.appendingPathComponent("sweep.yaml")
        guard let yamlData = fm.contents(atPath: yamlURL.path) else {
            throw ReportError("\(yamlURL.path): missing (the sweep file is kept beside the results)")
        }
        let config: SweepConfig
        do {
            config = try SweepConfig(yaml: String(decoding: yamlData, as: UTF8.self), file: yamlURL.path)
        } catch let e as ConfigErrors {
            throw ReportError(e.errors.first.map(\.description) ?? "\(yamlURL.path): malformed")
        } catch {
            throw ReportError("\(yamlURL.path): \(error)")
        }
        var meta: SweepMeta? = nil
        let metaURL = directory.appendingPathComponent("meta.json")
        if let data = fm.contents(atPath: metaURL.path) {
            do { meta = try JSONDecoder().decode(SweepMeta.self, from: data) } catch {
                throw ReportError("\(metaURL.path): malformed (\(Self.short(error)))")
            }
        }
        let previews: SchedulePreviews?
        do { previews = try SchedulePreviews.read(directory, config: config) } catch let e as SweepError {
            throw ReportError(e.description)
        }
        let parsed = try parseRuns(runsData, path: runsURL.path)
        let plan = SweepPlan(config: config)
        var set = assemble(directory: directory, config: config, plan: plan, meta: meta, parsed: parsed)
        set.previews = previews
        return set
    }

    /// Parses runs.jsonl strictly and read-only (every non-empty line a record of this format).
    static func parseRuns(_ data: Data, path: String) throws -> [RunRecord] {
        do { return try RunRecord.readAll(data, path: path) } catch let e as SweepError {
            throw ReportError(e.description)
        }
    }

    static func short(_ error: Error) -> String { RunRecord.brief(error) }

    static func assemble(directory: URL, config: SweepConfig, plan: SweepPlan, meta: SweepMeta?, parsed: [RunRecord]) -> ResultSet {
        var index: [CombinationKey: Combination] = [:]
        for c in plan.combinations { index[plan.key(c)] = c }
        // The last record of an id wins (as when a sweep resumes).
        var lastOf: [String: Int] = [:]
        for (i, r) in parsed.enumerated() { lastOf[r.id] = i }
        var kept: [(Combination, Int, RunRecord)] = []
        var foreign = 0, duplicates = 0
        for (i, r) in parsed.enumerated() {
            if lastOf[r.id] != i { duplicates += 1; continue }
            guard let c = index[r.key] else { foreign += 1; continue }
            kept.append((c, Phase.allCases.firstIndex(of: r.phase)!, r))
        }
        kept.sort { a, b in
            if a.0 != b.0 { return a.0 < b.0 }
            if a.1 != b.1 { return a.1 < b.1 }
            if a.2.lr != b.2.lr { return a.2.lr < b.2.lr }
            if a.2.seed != b.2.seed { return a.2.seed < b.2.seed }
            return a.2.id < b.2.id
        }
        var excluded: [String] = []
        if duplicates > 0 { excluded.append("\(duplicates) repeated record\(duplicates == 1 ? "" : "s") of the same run (the last one of each id is used)") }
        if foreign > 0 { excluded.append("\(foreign) record\(foreign == 1 ? "" : "s") of a problem, optimizer, schedule or transform not in sweep.yaml") }
        let records = kept.map(\.2)
        return ResultSet(directory: directory, config: config, plan: plan, meta: meta, records: records,
                         rows: Summary.rows(plan: plan, records: records), excluded: excluded)
    }

    static func key(_ p: String, _ o: String, _ s: String, _ t: String) -> CombinationKey {
        CombinationKey(problem: p, optimizer: o, schedule: s, transforms: t)
    }
}
