import ArgumentParser
import Foundation
import Results
import Run
import Sweep
import Specs

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "The regression gate: compare a result set with a baseline; exit 1 if it converges more slowly.",
        discussion: """
        Per combination: steps to each target (median over evaluation seeds), targets reached, \
        divergences and the final value. Exit 0 when nothing regressed (improvements are listed), \
        1 with a markdown table of what regressed (also written to --report), 2 when either side is \
        missing, malformed, incomplete (a planned combination without its row) or from another \
        sweep, with one line naming the file, line and column. Wall-clock-driven schedules are left out. \
        Time per step is compared as a ratio to a BLAS reference timed in the same run, reported \
        always, failing only with --fail-on-time (which needs both meta.json files). --update accepts \
        CURRENT as the new baseline, if it is complete and well-formed.
        """)

    @Argument(help: "The baseline result folder, e.g. results/baseline.") var baseline: String
    @Argument(help: "The current result folder, e.g. results/quick.") var current: String
    @Option(help: "Also write the markdown here (default: CURRENT/GATE.md).") var report: String?
    @Option(name: .customLong("steps-abs"), help: "Allowed growth of steps to a target, in steps.") var stepsAbs: Double = 2
    @Option(name: .customLong("steps-rel"), help: "Allowed relative growth of steps to a target.") var stepsRel: Double = 0.02
    @Option(name: .customLong("final-rel"), help: "Allowed relative worsening of the median final value.") var finalRel: Double = 0.01
    @Option(name: .customLong("final-abs"), help: "Allowed absolute worsening of the median final value.") var finalAbs: Double = 1e-9
    @Option(name: .customLong("time-factor"), help: "Allowed growth factor of time per step (relative to the BLAS reference).") var timeFactor: Double = 2
    @Flag(name: .customLong("fail-on-time"), help: "Fail when time per step grows beyond --time-factor.") var failOnTime = false
    @Flag(help: "Accept CURRENT as the new baseline (copies its summary files into BASELINE).") var update = false

    func validate() throws {
        for (name, value) in [("--steps-abs", stepsAbs), ("--steps-rel", stepsRel), ("--final-rel", finalRel), ("--final-abs", finalAbs)] {
            guard value.isFinite, value >= 0 else { throw SpecUsageError("\(name) must be a finite number >= 0, got \(value)") }
        }
        guard timeFactor.isFinite, timeFactor >= 1 else { throw SpecUsageError("--time-factor must be >= 1, got \(timeFactor)") }
    }

    func run() throws {
        let base = URL(fileURLWithPath: baseline), cur = URL(fileURLWithPath: current)
        if update {
            try Self.accept(cur, as: base)
            warn("baseline \(baseline) updated from \(current)")
            return
        }
        var t = GateTolerances()
        t.stepsAbsolute = stepsAbs
        t.stepsRelative = stepsRel
        t.finalRelative = finalRel
        t.finalAbsolute = finalAbs
        t.timeFactor = timeFactor
        t.failOnTime = failOnTime
        let result = try Gate.compare(baseline: try ResultFiles(base), current: try ResultFiles(cur), tolerances: t)
        let text = Gate.markdown(result, baseline: baseline, current: current)
        print(text, terminator: "")
        let out = report.map { URL(fileURLWithPath: $0) } ?? cur.appendingPathComponent("GATE.md")
        try AtomicFile.write(text, to: out)
        if result.failed {
            warn("regression gate: FAILED (\(result.regressions.count) regressions\(result.tolerances.failOnTime && !result.slowSteps.isEmpty ? ", slower steps" : "")); see \(out.path)")
            throw ExitCode(1)
        }
        warn("regression gate: passed (\(result.compared) combinations, \(result.improvements.count) improvements)")
    }

    /// Copies the files the gate reads from a result folder into the baseline folder, atomically each.
    static func accept(_ current: URL, as baseline: URL) throws {
        // Only a complete, well-formed result set becomes a baseline, with a usable meta.json.
        if let e = try ResultFiles(current).metaError { throw e }
        try FileManager.default.createDirectory(at: baseline, withIntermediateDirectories: true)
        for name in ResultFiles.files {
            let source = current.appendingPathComponent(name)
            guard let text = try? String(contentsOf: source, encoding: .utf8) else {
                throw GateError.missing("\(source.path) is missing")
            }
            try AtomicFile.write(text, to: baseline.appendingPathComponent(name))
        }
    }
}
