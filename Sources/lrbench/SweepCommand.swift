import ArgumentParser
import Foundation
import Results
import Run
import Sweep
import Specs

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a sweep file: every problem × optimizer × schedule × transform × rate × seed.",
        discussion: """
        Writes results/<name>/runs.jsonl (one record per run, appended as runs end) and summary.csv \
        (one row per combination). Stop it at any time (Ctrl-C) and run the same command again: the \
        finished runs are kept. --shard k/N runs the k-th of N parts; `lrbench merge` joins them. \
        The runs of one problem and seed advance in lockstep groups of --group-size (same results).
        """)

    @Argument(help: "The sweep file (YAML), e.g. Benchmarks/sweeps/quick.yaml.") var file: String
    @Option(help: "Parallel runs (default: the number of cores).") var workers: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Results folder (default: results/<sweep name>, or results/<name>-shard-k-of-N).") var out: String?
    @Option(help: "Run only part k of N (1 ≤ k ≤ N), e.g. 2/4.") var shard: String?
    @Option(help: "Runs of one problem and seed advanced in lockstep (default: $LRBENCH_GROUP_SIZE, else \(SweepRunner.defaultGroupSize)); 1 runs each run alone. Results do not depend on it.")
    var groupSize: Int?
    @Flag(help: "No progress output.") var quiet = false

    /// `--group-size`, else `LRBENCH_GROUP_SIZE`, else the default; at least 1.
    static func groupSize(option: Int?, environment: [String: String]) throws -> Int {
        if let option {
            guard option >= 1 else {
                throw SpecUsageError("--group-size must be a whole number >= 1 (1 runs every run alone), got \(option)")
            }
            return option
        }
        guard let text = environment["LRBENCH_GROUP_SIZE"] else { return SweepRunner.defaultGroupSize }
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= 1 else {
            throw SpecUsageError("LRBENCH_GROUP_SIZE must be a whole number >= 1 (1 runs every run alone), got '\(text)'")
        }
        return n
    }

    /// The part of the sweep to run: `--shard k/N`, else all of it (`validate()` has checked the text).
    var part: SweepPlan.Shard { shard.flatMap(SweepPlan.Shard.init(parsing:)) ?? .whole }

    func validate() throws {
        _ = try Self.groupSize(option: groupSize, environment: ProcessInfo.processInfo.environment)
        guard (1...CommandLineInput.maxWorkers).contains(workers) else {
            throw SpecUsageError("--workers must be a whole number in [1, \(CommandLineInput.maxWorkers)], got \(workers)")
        }
        if let shard, SweepPlan.Shard(parsing: shard) == nil {
            throw SpecUsageError("--shard must be k/N with 1 <= k <= N, got '\(shard)'")
        }
    }

    func run() throws {
        // Catch Ctrl-C and SIGTERM from the start: a signal while the sweep file is read or the
        // problems are set up then ends the sweep cleanly (130 / 143) instead of killing the process.
        Interrupt.install()
        let part = self.part
        let config = try SweepConfig(contentsOf: file)
        try SweepValidation.validate(config, file: file)
        let folder = out ?? "results/" + config.name + (part == .whole ? "" : "-shard-\(part.index)-of-\(part.count)")
        try CommandLineInput.checkOutputFolder(folder, option: out == nil ? "the results folder" : "--out")
        let plan = SweepPlan(config: config, shard: part)
        let runner = SweepRunner(plan: plan, directory: URL(fileURLWithPath: folder), workers: workers)
        runner.showProgress = !quiet
        runner.groupSize = try Self.groupSize(option: groupSize, environment: ProcessInfo.processInfo.environment)
        runner.command = (["lrbench"] + CommandLine.arguments.dropFirst()).map { $0.contains(where: { " ();,".contains($0) }) ? "'\($0)'" : $0 }.joined(separator: " ")
        let start = Date()
        let outcome = try SweepResults.run(runner)
        let seconds = Date().timeIntervalSince(start)
        if outcome.interrupted {
            warn("interrupted: \(outcome.executed) runs finished in this session are kept in \(runner.runsFile.path); run the same command again to resume")
            throw ExitCode(Interrupt.exitStatus)  // 130 for Ctrl-C (SIGINT), 143 for SIGTERM
        }
        let diverged = outcome.records.filter(\.diverged).count
        warn("sweep \(config.name)\(part == .whole ? "" : " shard \(part)"): \(plan.combinations.count) combinations, \(outcome.executed) runs done, \(outcome.reused) reused, \(diverged) diverged, \(String(format: "%.1f", seconds)) s on \(workers) workers")
        warn("results: \(runner.directory.appendingPathComponent(SweepResults.summaryFileName).path)")
        if !config.oneShot {
            warn("note: one_shot is false, so no run used the default rates: the default_* columns of summary.csv read nan")
        }
    }
}
