import Foundation
import Run
import Sweep

/// A sweep's result folder made whole: the runner's runs (`SweepRunner.run`: runs.jsonl and
/// meta.json), then what Results computes from them once: summary.csv, targets.csv and the
/// schedule previews. `Merge` writes the same three files from its shards' runs.
public enum SweepResults {
    public struct Outcome {
        /// The plan's records (all of them once the sweep has finished).
        public var records: [RunRecord]
        /// summary.csv's rows; empty when the sweep was interrupted (no summary is written then).
        public var rows: [SummaryRow]
        public var executed: Int
        public var reused: Int
        public var interrupted: Bool
    }

    /// Runs `runner`'s sweep and, unless it was interrupted, writes its summaries.
    public static func run(_ runner: SweepRunner) throws -> Outcome {
        let ran = try runner.run()
        var out = Outcome(records: ran.records, rows: [], executed: ran.executed, reused: ran.reused, interrupted: ran.interrupted)
        if !ran.interrupted {
            out.rows = try write(plan: runner.plan, records: ran.records, to: runner.directory, ranRuns: ran.executed > 0)
        }
        return out
    }

    /// Writes summary.csv, targets.csv and (when runs were run, or the folder has none) the
    /// schedule previews of `plan`'s `records` into `directory`; returns summary.csv's rows.
    @discardableResult
    public static func write(plan: SweepPlan, records: [RunRecord], to directory: URL, ranRuns: Bool) throws -> [SummaryRow] {
        let rows = Summary.rows(plan: plan, records: records)
        try AtomicFile.write(Summary.csv(rows), to: directory.appendingPathComponent(summaryFileName))
        try AtomicFile.write(TargetTable.csv(TargetTable.rows(plan: plan, records: records)), to: directory.appendingPathComponent(targetsFileName))
        // The previews are a function of the sweep file: the report draws from the folder, not
        // from today's code.
        try SchedulePreviews.write(plan.config, to: directory, ranRuns: ranRuns)
        return rows
    }

    public static let summaryFileName = "summary.csv"
    public static let targetsFileName = "targets.csv"
}
