import Run
import Foundation
import LinearAlgebra
import Problems
import Schedules

/// Runs a sweep: builds each problem once per seed, runs the first phase (tuning and one-shot
/// runs) on every worker, chooses each combination's rate, runs the evaluation phase, and
/// writes `runs.jsonl` (appended as runs end) and `meta.json`. The summaries (summary.csv,
/// targets.csv, the schedule previews) are Results' (`SweepResults.run`). The runs of one problem instance
/// advance in groups of up to `groupSize` (`BatchRun`, README "Batched runs").
///
/// Resumable: runs already in `runs.jsonl` (same id) are kept and skipped; a torn last line is
/// dropped with a warning. Results do not depend on the number of workers or the order of runs.
public final class SweepRunner {
    public let plan: SweepPlan
    public let directory: URL
    public let workers: Int
    public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    public var showProgress = true
    /// The most runs of one (problem, seed, phase) that advance in lockstep (`BatchRun`); 1 runs
    /// every run alone (`BatchRun(alone:)`). Records do not depend on it (apart from timings).
    public var groupSize = SweepRunner.defaultGroupSize

    public init(plan: SweepPlan, directory: URL, workers: Int) {
        self.plan = plan
        self.directory = directory
        self.workers = max(1, workers)
    }

    public var runsFile: URL { directory.appendingPathComponent("runs.jsonl") }
    public var configFile: URL { directory.appendingPathComponent("sweep.yaml") }

    /// Problem instances by (problem index, seed), built once and shared read-only by all runs.
    struct Instance {
        let problem: any Problem
        let initialLoss: Double
    }
    var instances: [Int: [UInt64: Instance]] = [:]

    public struct Outcome {
        public var records: [RunRecord]
        public var executed: Int
        public var reused: Int
        public var interrupted: Bool
    }

    /// The command line recorded in meta.json.
    public var command = ""

    /// Everything but the summaries: prepare, resume, run both phases, write meta.json. The
    /// records returned are the plan's (a resumed folder's records of other plans are left out).
    public func run() throws -> Outcome {
        Interrupt.install()  // from the start: a signal while problems are built stops before the first run
        BLASThreads.set(1)
        let started = monotonicSeconds()
        let previous = SweepMeta.read(directory)
        try prepareProblems()
        let lock = try prepareDirectory()
        defer { lock.release() }
        var existing = try RunStore.load(runsFile, log: log)
        let before = Set(existing.keys)
        let store = try RunStore(appendingTo: runsFile)
        var executed = 0, reused = 0

        // Tuning, round by round (grid, extensions, refinements), with the one-shot runs in the
        // first round; then the evaluation runs at the chosen rates.
        var round = 0
        var oneShot = try plan.oneShotRuns()
        while true {
            let pending = try plan.pendingTuningRuns(records: Array(existing.values)) + oneShot
            oneShot = []
            if pending.isEmpty { break }
            let label = round == 0 ? "tuning" : "tuning (search round \(round + 1))"
            let (done, new, interrupted) = try execute(pending, existing: &existing, store: store, label: label)
            if new == 0 && !interrupted && round > 0 {
                throw SweepError("internal error: the rate search asked again for runs it already has (\(pending.count) runs)")
            }
            executed += new
            reused += done
            round += 1
            if interrupted { return Outcome(records: Array(existing.values), executed: executed, reused: reused, interrupted: true) }
        }

        let chosen = Tuning.choose(plan: plan, records: Array(existing.values))
        let second = try plan.secondPhase(chosen: chosen.mapValues(\.lr))
        let (secondDone, secondNew, interrupted2) = try execute(second, existing: &existing, store: store, label: "evaluation")
        executed += secondNew
        reused += secondDone
        try store.close()
        if interrupted2 { return Outcome(records: Array(existing.values), executed: executed, reused: reused, interrupted: true) }

        let planned = Set(try plan.plannedRuns(records: Array(existing.values)).map(\.id))
        reused = planned.intersection(before).count
        let records = existing.values.filter { planned.contains($0.id) }
        let machine = SweepMeta.describeMachine()
        // The wall-clock of every session that built these results: a resumed sweep adds its own.
        let session = monotonicSeconds() - started
        let wall: Double
        if let previous, previous.sweep == plan.config.name, reused > 0 {
            wall = executed > 0 ? previous.wallSeconds + session : previous.wallSeconds
        } else {
            wall = session
        }
        let meta = SweepMeta(sweep: plan.config.name, command: command, workers: workers, shard: plan.shard.description,
                             finished: ISO8601DateFormatter().string(from: Date()), wallSeconds: wall,
                             runs: records.count, cpu: machine.cpu, cores: machine.cores, openblas: machine.openblas,
                             swift: machine.swift, gitCommit: machine.git, referenceSeconds: ReferenceWorkload.seconds())
        // A rerun that ran nothing leaves meta.json as it was (so the report stays byte-identical).
        if executed > 0 || previous == nil { try meta.write(to: directory) }
        return Outcome(records: Array(records), executed: executed, reused: reused, interrupted: false)
    }

    /// Builds every problem for every seed the plan needs (in parallel), so that a bad problem
    /// spec is reported before anything is written.
    public func prepareProblems() throws {
        let seeds = Array(Set(plan.config.tuningSeeds + plan.config.evaluationSeeds)).sorted()
        let needed = Set(plan.combinations.map(\.problem)).sorted()
        var jobs: [(Int, UInt64)] = []
        for p in needed { for s in seeds { jobs.append((p, s)) } }
        var built = [Instance?](repeating: nil, count: jobs.count)
        var errors = [String?](repeating: nil, count: jobs.count)
        let lock = NSLock()
        WorkerPool.run(count: jobs.count, workers: workers) { i in
            let (p, seed) = jobs[i]
            do {
                let problem = try ProblemRegistry.make(self.plan.config.problems[p].spec, seed: seed)
                let f0 = problem.initialPoint.withUnsafeBufferPointer { problem.makeObjective().loss(at: $0) }
                lock.lock(); built[i] = Instance(problem: problem, initialLoss: f0); lock.unlock()
            } catch {
                lock.lock(); errors[i] = "\(error)"; lock.unlock()
            }
        }
        var messages: [ConfigError] = []
        for (i, e) in errors.enumerated() {
            guard let e else { continue }
            let path = "problems[\(jobs[i].0)].spec"
            if !messages.contains(where: { $0.path == path }) {
                messages.append(ConfigError(file: "sweep \(plan.config.name)", line: nil, path: path, message: e))
            }
        }
        if !messages.isEmpty { throw ConfigErrors(errors: messages) }
        for (i, job) in jobs.enumerated() { instances[job.0, default: [:]][job.1] = built[i]! }
    }

    /// Creates the folder and takes its lock (`ResultsLock`, held by `run()` to its end) before
    /// anything in it is read for resuming or written.
    func prepareDirectory() throws -> ResultsLock {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SweepError("cannot create the results folder \(directory.path): \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: directory.path) else {
            throw SweepError("the results folder \(directory.path) is not writable")
        }
        let lock = try ResultsLock(directory)
        if let old = try? String(contentsOf: configFile, encoding: .utf8), old != plan.config.source {
            log("note: \(configFile.path) differs from this sweep file; runs whose configuration changed will run again")
        }
        try AtomicFile.write(plan.config.source, to: configFile)
        return lock
    }

    /// Runs what is not done yet; returns (already done, newly run, interrupted).
    func execute(_ runs: [PlannedRun], existing: inout [String: RunRecord], store: RunStore, label: String) throws -> (Int, Int, Bool) {
        let todo = runs.filter { existing[$0.id] == nil }
        let done = runs.count - todo.count
        if todo.isEmpty { return (done, 0, false) }
        let progress = Progress(runs: todo, budgets: plan.config.problems.map(\.budget), label: label, enabled: showProgress, log: log)
        // Batchable or not is a property of the combination (schedule and optimizer): asked once each.
        var batchable: [Combination: Bool] = [:]
        for run in todo where groupSize > 1 && batchable[run.combination] == nil { batchable[run.combination] = prepare(run).setup.isBatchable }
        let groups = Self.groups(todo, size: max(1, groupSize)) { batchable[$0.combination] ?? false }
        let lock = NSLock()
        var fresh: [RunRecord] = []
        var failure: Error?
        Interrupt.install()
        // `failure` is shared with the workers: read and written only under `lock`.
        let stop = { Interrupt.requested || lock.withLock { failure != nil } }
        WorkerPool.run(count: groups.count, workers: workers, stop: stop) { i in
            let group = groups[i]
            // A group's records are appended when the group ends, in slot order; a group cut short
            // by an interrupt keeps the records of the members that had ended. A group of one runs
            // alone, to its end.
            let records = zip(group, self.execute(group: group, abandon: group.count == 1 ? { false } : stop))
                .compactMap { run, record in record.map { (run, $0) } }
            lock.lock()
            defer { lock.unlock() }
            for (run, record) in records where failure == nil {
                do {
                    try store.append(record)
                    fresh.append(record)
                    progress.tick(run, seconds: record.totalSeconds)
                } catch {
                    failure = error
                }
            }
        }
        progress.finish()
        for r in fresh { existing[r.id] = r }
        if let failure { throw failure }
        return (done, fresh.count, Interrupt.requested)
    }

    /// One run, start to end, alone.
    public func execute(_ run: PlannedRun) -> RunRecord {
        execute(group: [run])[0]!
    }

    /// Runs of one problem instance in lockstep (`BatchRun`), in the order given; one run alone
    /// (`BatchRun(alone:)`, on the problem's lone objective), more on its batch objective. Each
    /// record equals, apart from timings, `execute(run)`'s; nil for the runs still going when
    /// `abandon()` said to stop (checked every 64 steps).
    public func execute(group runs: [PlannedRun], abandon: () -> Bool = { false }) -> [RunRecord?] {
        let prepared = runs.map(prepare)
        var recorders = prepared.map(\.recorder)
        let batch = runs.count == 1 ? BatchRun(alone: prepared[0].setup) : BatchRun(prepared.map(\.setup))
        let outcomes = batch.execute(observers: &recorders, abandon: abandon)
        return prepared.indices.map { i in outcomes[i].map { record(prepared[i], recorder: recorders[i], outcome: $0) } }
    }

    /// The default for `groupSize`.
    public static let defaultGroupSize = 64

    /// The units of work of `runs`, in a deterministic order. With `size` 1, each run alone in the
    /// order given (the one-run-at-a-time path). Otherwise the runs `batchable` accepts are keyed by
    /// (problem index, seed, phase), each key's runs sorted by id and cut into groups of at most
    /// `size`, keys in ascending order; the others (`RunSetup.isBatchable`: wall-clock-driven
    /// schedules, line searches) follow, one each, by id.
    public static func groups(_ runs: [PlannedRun], size: Int, batchable: (PlannedRun) -> Bool) -> [[PlannedRun]] {
        guard size > 1 else { return runs.map { [$0] } }
        struct Key: Hashable, Comparable {
            var problem: Int, seed: UInt64, phase: String
            static func < (a: Key, b: Key) -> Bool { (a.problem, a.seed, a.phase) < (b.problem, b.seed, b.phase) }
        }
        var keyed: [Key: [PlannedRun]] = [:]
        var alone: [[PlannedRun]] = []
        for run in runs {
            if batchable(run) {
                keyed[Key(problem: run.combination.problem, seed: run.seed, phase: run.phase.rawValue), default: []].append(run)
            } else {
                alone.append([run])
            }
        }
        var groups: [[PlannedRun]] = []
        for key in keyed.keys.sorted() {
            let members = keyed[key]!.sorted { $0.id < $1.id }
            for start in stride(from: 0, to: members.count, by: size) {
                groups.append(Array(members[start..<min(start + size, members.count)]))
            }
        }
        return groups + alone.sorted { $0[0].id < $1[0].id }
    }
}

/// A sweep-level failure (unwritable folder, full disk): one line.
public struct SweepError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Runs `body(i)` for i in 0..<count on `workers` threads, each taking the next index.
enum WorkerPool {
    static func run(count: Int, workers: Int, stop: @escaping () -> Bool = { false }, _ body: @escaping (Int) -> Void) {
        if count == 0 { return }
        let lock = NSLock()
        var next = 0
        func take() -> Int? {
            lock.lock(); defer { lock.unlock() }
            if next >= count || stop() { return nil }
            next += 1
            return next - 1
        }
        let threads = min(workers, count)
        if threads == 1 {
            while let i = take() { body(i) }
            return
        }
        // Several threads call `take`, `stop` and `body` at once: `take` locks, and callers lock
        // what their `stop` and `body` share, which a closure type cannot state (Swift 6 mode).
        nonisolated(unsafe) let take = take, body = body
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while let i = take() { body(i) }
        }
    }
}

/// Writes a whole file or nothing: a temporary beside it, then a rename.
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws {
        let tmp = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".tmp")
        do {
            try Data(text.utf8).write(to: tmp)
            // rename(2) replaces the target atomically.
            if rename(tmp.path, url.path) != 0 {
                throw SweepError(String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw SweepError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
