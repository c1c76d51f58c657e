import Run
import Sweep
import Foundation

/// Combines the result folders of the shards of one sweep into one result set, identical (but
/// for measured times and line order) to what an unsharded sweep writes.
public enum Merge {
    /// `log` gets the warnings (duplicate run ids, collapsed).
    public static func merge(_ directories: [URL], into out: URL,
                             log: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) throws -> (records: Int, rows: [SummaryRow]) {
        guard !directories.isEmpty else { throw SweepError("merge needs at least one result folder") }
        var source: String?
        var records: [String: RunRecord] = [:]
        var repeated = 0
        for dir in directories {
            let yaml = dir.appendingPathComponent("sweep.yaml")
            guard let text = try? String(contentsOf: yaml, encoding: .utf8) else {
                throw SweepError("\(dir.path) has no sweep.yaml: not a result folder of lrbench sweep")
            }
            if let source, source != text {
                throw SweepError("\(dir.path)/sweep.yaml differs from \(directories[0].path)/sweep.yaml: these are not shards of one sweep")
            }
            source = text
            // Read-only: merging never repairs or otherwise changes a shard's files.
            let runs = dir.appendingPathComponent("runs.jsonl")
            guard let data = FileManager.default.contents(atPath: runs.path) else {
                throw SweepError("\(runs.path) is missing: is the shard unfinished?")
            }
            for r in try RunRecord.readAll(data, path: runs.path, warn: { log("warning: " + $0) }) {
                if records[r.id] == nil { records[r.id] = r } else { repeated += 1 }
            }
        }
        if repeated > 0 {
            log("warning: \(repeated) run\(repeated == 1 ? "" : "s") found in more than one shard folder; keeping the first folder's")
        }
        let config = try SweepConfig(yaml: source!, file: directories[0].appendingPathComponent("sweep.yaml").path)
        let plan = SweepPlan(config: config)
        // Every planned run must be there (every rate search finished): a missing shard is an
        // error, not a silent gap.
        let all = Array(records.values)
        let planned = try plan.plannedRuns(records: all)
        let missing = try plan.pendingTuningRuns(records: all) + planned.filter { records[$0.id] == nil }
        if !missing.isEmpty {
            throw SweepError("\(missing.count) of \(planned.count) planned runs are missing (e.g. \(plan.problemName(missing[0].combination)) × \(plan.optimizerName(missing[0].combination)) × \(plan.scheduleName(missing[0].combination))): is a shard absent or unfinished?")
        }
        let order = Dictionary(uniqueKeysWithValues: planned.enumerated().map { ($0.element.id, $0.offset) })
        let kept = records.values.filter { order[$0.id] != nil }.sorted { order[$0.id]! < order[$1.id]! }
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let lock = try ResultsLock(out)
        defer { lock.release() }
        try AtomicFile.write(kept.map { $0.jsonLine + "\n" }.joined(), to: out.appendingPathComponent("runs.jsonl"))
        try AtomicFile.write(source!, to: out.appendingPathComponent("sweep.yaml"))
        let rows = try SweepResults.write(plan: plan, records: kept, to: out, ranRuns: true)
        // The shards' metadata: summed wall-clock, the first shard's machine.
        let metas = directories.compactMap(SweepMeta.read)
        if var meta = metas.first {
            meta.wallSeconds = metas.map(\.wallSeconds).reduce(0, +)
            meta.runs = kept.count
            meta.shard = "merged from \(directories.count) shards"
            meta.command = "lrbench merge " + directories.map(\.path).joined(separator: " ") + " --out " + out.path
            try meta.write(to: out)
        }
        return (kept.count, rows)
    }
}
