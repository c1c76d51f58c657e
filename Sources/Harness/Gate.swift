import Foundation
import Problems

/// A failure to compare (exit 2): a missing, malformed, incomplete or incompatible result set.
public enum GateError: Error, CustomStringConvertible {
    case missing(String)
    case malformed(String)
    /// A planned combination (or target) without its row.
    case incomplete(String)
    case incompatible(String)

    public var description: String {
        switch self {
        case .missing(let s): return "missing result set: \(s)"
        case .malformed(let s): return "malformed result set: \(s)"
        case .incomplete(let s): return "incomplete result set: \(s)"
        case .incompatible(let s): return "incompatible baseline: \(s)"
        }
    }

    /// The same error with more said.
    public func appending(_ more: String) -> GateError {
        switch self {
        case .missing(let s): return .missing(s + more)
        case .malformed(let s): return .malformed(s + more)
        case .incomplete(let s): return .incomplete(s + more)
        case .incompatible(let s): return .incompatible(s + more)
        }
    }
}

/// How much worse counts as a regression. The defaults absorb floating-point differences between
/// machines and BLAS builds (which move losses by ~1e-15 relative) but catch a real change.
public struct GateTolerances: Sendable {
    /// Steps to a target may grow by max(stepsAbsolute, stepsRelative × baseline).
    public var stepsAbsolute: Double = 2
    public var stepsRelative: Double = 0.02
    /// The median final value may worsen by max(finalAbsolute, finalRelative × |baseline|).
    public var finalRelative: Double = 0.01
    public var finalAbsolute: Double = 1e-9
    /// Time per step relative to the BLAS reference may grow by this factor (checked only with failOnTime).
    public var timeFactor: Double = 2
    public var failOnTime = false

    public init() {}
}

public struct GateFinding: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case slower, fewerTargets, newlyDiverges, worseFinal, worseTuning
        case faster, moreTargets, betterFinal, fewerDivergences, tuningFlip
    }
    public var kind: Kind
    public var combination: String
    public var what: String
    public var baseline: String
    public var current: String

    public var isRegression: Bool { [.slower, .fewerTargets, .newlyDiverges, .worseFinal, .worseTuning].contains(kind) }
}

public struct GateResult: Sendable {
    public var compared: Int
    public var targetsCompared: Int
    public var skippedTimeDriven: [String]
    public var findings: [GateFinding]
    /// Per problem: median over combinations of (time per step / reference) current ÷ baseline.
    public var timeRatios: [(problem: String, ratio: Double)]
    public var tolerances: GateTolerances

    public var regressions: [GateFinding] { findings.filter(\.isRegression) }
    public var improvements: [GateFinding] { findings.filter { !$0.isRegression } }
    public var slowSteps: [(problem: String, ratio: Double)] { timeRatios.filter { $0.ratio > tolerances.timeFactor } }
    public var failed: Bool { !regressions.isEmpty || (tolerances.failOnTime && !slowSteps.isEmpty) }
}

public enum Gate {
    public static func compare(baseline: ResultFiles, current: ResultFiles, tolerances: GateTolerances = GateTolerances()) throws -> GateResult {
        try checkCompatible(baseline.config, current.config)
        // Time per step is compared through each side's reference timing: without it, failing on
        // time would be silently off.
        if tolerances.failOnTime {
            for side in [baseline, current] {
                if let e = side.metaError { throw e.appending("; --fail-on-time needs its reference_seconds") }
            }
        }
        var findings: [GateFinding] = []
        var skipped: [String] = []
        let t = tolerances
        func fmt(_ x: Double) -> String { x.isInfinite ? "never" : (x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : x.description) }

        // Steps to each target, and targets reached.
        let baseTargets = Dictionary(baseline.targets.map { ($0.key + " @ " + $0.target, $0) }, uniquingKeysWith: { a, _ in a })
        var targetsCompared = 0
        for row in current.targets {
            guard let base = baseTargets[row.key + " @ " + row.target] else {
                throw GateError.incompatible("\(row.key) @ \(row.target) is not in the baseline")
            }
            if row.timeDriven || base.timeDriven { continue }
            targetsCompared += 1
            let b = base.median, c = row.median
            let allowance = max(t.stepsAbsolute, t.stepsRelative * (b.isFinite ? b : 0))
            if row.reached < base.reached {
                findings.append(GateFinding(kind: .fewerTargets, combination: row.key, what: row.target,
                                            baseline: "\(base.reached)/\(base.steps.count) seeds", current: "\(row.reached)/\(row.steps.count) seeds"))
            } else if row.reached > base.reached {
                findings.append(GateFinding(kind: .moreTargets, combination: row.key, what: row.target,
                                            baseline: "\(base.reached)/\(base.steps.count) seeds", current: "\(row.reached)/\(row.steps.count) seeds"))
            }
            if c > b + allowance, b.isFinite {
                findings.append(GateFinding(kind: .slower, combination: row.key, what: "median steps to \(row.target)",
                                            baseline: fmt(b), current: fmt(c)))
            } else if c.isFinite, c < b - max(t.stepsAbsolute, t.stepsRelative * c) {
                findings.append(GateFinding(kind: .faster, combination: row.key, what: "median steps to \(row.target)",
                                            baseline: fmt(b), current: fmt(c)))
            }
        }

        // Divergences and final values.
        var ratiosByProblem: [String: [Double]] = [:]
        let baseRef = baseline.meta?.referenceSeconds, curRef = current.meta?.referenceSeconds
        for (key, cur) in current.summary.sorted(by: { $0.key < $1.key }) {
            guard let base = baseline.summary[key] else { throw GateError.incompatible("\(key) is not in the baseline") }
            if cur["time_driven"] == "true" || base["time_driven"] == "true" { skipped.append(key); continue }
            let bd = Int(base["diverged"] ?? "") ?? 0, cd = Int(cur["diverged"] ?? "") ?? 0
            if cd > bd {
                findings.append(GateFinding(kind: .newlyDiverges, combination: key, what: "diverged evaluation runs", baseline: "\(bd)", current: "\(cd)"))
            } else if cd < bd {
                findings.append(GateFinding(kind: .fewerDivergences, combination: key, what: "diverged evaluation runs", baseline: "\(bd)", current: "\(cd)"))
            }
            let bf = Double(base["final_value_median"] ?? "") ?? .nan, cf = Double(cur["final_value_median"] ?? "") ?? .nan
            let entry = current.config.problems.first { $0.spec.description == cur["problem"] }
            let higherIsBetter = entry?.direction(of: cur["primary"] ?? "") == .higher
            let allowance = max(t.finalAbsolute, t.finalRelative * (bf.isFinite ? abs(bf) : 0))
            let worse = higherIsBetter ? cf < bf - allowance || (cf.isNaN && !bf.isNaN) : cf > bf + allowance || (cf.isNaN && !bf.isNaN)
            let better = higherIsBetter ? cf > bf + allowance : (cf < bf - allowance && cf.isFinite)
            if worse && !(bf.isInfinite && cf.isInfinite) {
                findings.append(GateFinding(kind: .worseFinal, combination: key, what: "median final \(cur["primary"] ?? "value")",
                                            baseline: base["final_value_median"] ?? "", current: cur["final_value_median"] ?? ""))
            } else if better {
                findings.append(GateFinding(kind: .betterFinal, combination: key, what: "median final \(cur["primary"] ?? "value")",
                                            baseline: base["final_value_median"] ?? "", current: cur["final_value_median"] ?? ""))
            }
            if let baseRef, let curRef, let bs = Double(base["seconds_per_step_median"] ?? ""),
               let cs = Double(cur["seconds_per_step_median"] ?? ""), bs > 0, cs > 0 {
                ratiosByProblem[cur["problem"] ?? "", default: []].append((cs / curRef) / (bs / baseRef))
            }
        }
        // A tuned rate that changed while the tuning score stayed within tolerance is a near-tie
        // decided differently by last-bit differences: the evaluation runs then compare two
        // different rates, so their differences are reported but not counted as regressions.
        for (key, cur) in current.summary {
            guard let base = baseline.summary[key], cur["tuned_lr"] != base["tuned_lr"],
                  cur["time_driven"] != "true", base["time_driven"] != "true" else { continue }
            let bs = Double(base["tuning_score"] ?? "") ?? .nan, cs = Double(cur["tuning_score"] ?? "") ?? .nan
            let allowance = current.config.tuningRule == .stepsToTarget
                ? max(t.stepsAbsolute, t.stepsRelative * (bs.isFinite ? bs : 0))
                : max(t.finalAbsolute, t.finalRelative * (bs.isFinite ? abs(bs) : 0))
            if cs <= bs + allowance || (bs.isInfinite && cs.isInfinite) {
                findings = findings.map { f in
                    guard f.combination == key, f.isRegression else { return f }
                    var g = f
                    g.what += " (at a different tuned rate)"
                    return g
                }.filter { !($0.combination == key && $0.isRegression) }
                findings.append(GateFinding(kind: .tuningFlip, combination: key, what: "tuned rate (near-tie: tuning score \(Summary.num(cs)) vs \(Summary.num(bs)))",
                                            baseline: base["tuned_lr"] ?? "", current: cur["tuned_lr"] ?? ""))
            } else {
                findings.append(GateFinding(kind: .worseTuning, combination: key, what: "tuning score at the chosen rate (rate \(base["tuned_lr"] ?? "") → \(cur["tuned_lr"] ?? ""))",
                                            baseline: Summary.num(bs), current: Summary.num(cs)))
            }
        }
        let order = current.config.problems.map(\.spec.description)
        let ratios = ratiosByProblem.map { (problem: $0.key, ratio: Stats.median($0.value)) }
            .sorted { (order.firstIndex(of: $0.problem) ?? 0) < (order.firstIndex(of: $1.problem) ?? 0) }
        let rank: (GateFinding) -> Int = { $0.isRegression ? 0 : 1 }
        findings.sort { (rank($0), $0.combination, $0.what) < (rank($1), $1.combination, $1.what) }
        return GateResult(compared: current.summary.count, targetsCompared: targetsCompared, skippedTimeDriven: skipped,
                          findings: findings, timeRatios: ratios, tolerances: tolerances)
    }

    /// Same problems, methods, grid, seeds, budgets and targets; else comparing is meaningless.
    static func checkCompatible(_ a: SweepConfig, _ b: SweepConfig) throws {
        func describe(_ c: SweepConfig) -> [String] {
            ["learning rates: \(c.learningRates)", "tuning seeds: \(c.tuningSeeds)", "evaluation seeds: \(c.evaluationSeeds)",
             "tuning rule: \(c.tuningRule.rawValue)", "optimizers: \(c.optimizers.map(\.description))",
             "schedules: \(c.schedules.map(\.description))", "transforms: \(c.transformNames)"]
                + c.problems.map { "problem \($0.spec): budget \($0.budget), interval \($0.evaluationInterval), targets \($0.targets.map(\.description)), main \($0.mainTarget)" }
        }
        let da = describe(a), db = describe(b)
        if da != db {
            let first = zip(da, db).first { $0 != $1 }
            throw GateError.incompatible(first.map { "the sweeps differ: baseline has \($0.0), current has \($0.1)" }
                ?? "the sweeps have different numbers of problems (\(a.problems.count) and \(b.problems.count)); run make baseline to accept the new sweep")
        }
    }

    /// The markdown table of what regressed (empty string when nothing did), fit for a CI job summary.
    public static func markdown(_ r: GateResult, baseline: String, current: String) -> String {
        var out = "## lrbench regression gate\n\n"
        out += "Compared `\(current)` with the baseline `\(baseline)`: \(r.compared) combinations, \(r.targetsCompared) (combination, target) pairs"
        out += r.skippedTimeDriven.isEmpty ? ".\n\n" : "; \(r.skippedTimeDriven.count) wall-clock-driven combinations left out of the strict comparison.\n\n"
        let tol = r.tolerances
        out += "Tolerances: steps to target +max(\(fmtTol(tol.stepsAbsolute)) steps, \(fmtTol(tol.stepsRelative * 100)) %); final value +max(\(tol.finalAbsolute), \(fmtTol(tol.finalRelative * 100)) %); time per step ×\(fmtTol(tol.timeFactor))\(tol.failOnTime ? "" : " (reported only)").\n\n"
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
