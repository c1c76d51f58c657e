import Run
import Sweep
import Foundation

/// GATE.md: the gate's result rendered for a CI job summary (computed by `Gate.compare`).
extension Gate {
    /// The markdown table of what regressed (empty string when nothing did), fit for a CI job summary.
    public static func markdown(_ r: GateResult, baseline: String, current: String) -> String {
        var out = "## lrbench regression gate\n\n"
        out += "Compared `\(current)` with the baseline `\(baseline)`: \(r.compared) combinations, \(r.targetsCompared) (combination, target) pairs"
        out += r.skippedTimeDriven.isEmpty ? ".\n\n" : "; \(r.skippedTimeDriven.count) wall-clock-driven combinations left out of the strict comparison.\n\n"
        let tol = r.tolerances
        out += tolerancesLine(tol) + "\n\n"
        let regressions = r.regressions
        if regressions.isEmpty {
            out += "**No regression.**\n\n"
        } else {
            out += "**\(regressions.count) regression\(regressions.count == 1 ? "" : "s"):**\n\n"
            out += table(regressions)
        }
        if !r.improvements.isEmpty {
            out += "\nImprovements (\(r.improvements.count)):\n\n" + table(Array(r.improvements.prefix(30)))
            if r.improvements.count > 30 { out += "\n… and \(r.improvements.count - 30) more.\n" }
        }
        if !r.timeRatios.isEmpty {
            out += "\nTime per step relative to the BLAS reference timed in the same run, current ÷ baseline (median over combinations):\n\n"
            out += "| problem | ratio |\n| --- | --- |\n"
            for (p, x) in r.timeRatios { out += "| `\(p)` | \(String(format: "%.2f", x))\(x > tol.timeFactor ? " **slower**" : "") |\n" }
        }
        return out
    }

    /// The tolerance policy in one sentence (GATE.md and COMPARE.md say it alike).
    public static func tolerancesLine(_ tol: GateTolerances) -> String {
        "Tolerances: steps to target +max(\(fmtTol(tol.stepsAbsolute)) steps, \(fmtTol(tol.stepsRelative * 100)) %); final value +max(\(tol.finalAbsolute), \(fmtTol(tol.finalRelative * 100)) %); time per step ×\(fmtTol(tol.timeFactor))\(tol.failOnTime ? "" : " (reported only)")."
    }

    static func fmtTol(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : x.description }

    static func table(_ findings: [GateFinding]) -> String {
        var out = "| combination (problem \\| optimizer \\| schedule \\| transforms) | what | baseline | current |\n| --- | --- | --- | --- |\n"
        for f in findings {
            let label: String
            switch f.kind {
            case .slower: label = "slower: "
            case .fewerTargets: label = "fewer seeds reach "
            case .newlyDiverges: label = "newly diverges: "
            case .worseFinal: label = "worse "
            case .faster: label = "faster: "
            case .moreTargets: label = "more seeds reach "
            case .betterFinal: label = "better "
            case .fewerDivergences: label = "fewer divergences: "
            case .worseTuning: label = "worse "
            case .tuningFlip: label = "changed "
            }
            out += "| `\(f.combination.replacingOccurrences(of: "|", with: "\\|"))` | \(label)\(f.what) | \(f.baseline) | \(f.current) |\n"
        }
        return out
    }
}
