import Run
import Statistics
import Sweep
import Foundation
import Problems
import Specs

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

        public var isRegression: Bool { [.slower, .fewerTargets, .newlyDiverges, .worseFinal, .worseTuning].contains(self) }
    }
    public var kind: Kind
    public var key: CombinationKey
    public var what: String
    public var baseline: String
    public var current: String

    /// The combination in its file form (`problem | optimizer | schedule | transforms`).
    public var combination: String { key.description }
    public var isRegression: Bool { kind.isRegression }
}

/// One combination on both sides, with its verdict under the gate's tolerances (what
/// `lrbench report --compare` tabulates).
public struct ComparedCombination: Sendable {
    public enum Verdict: String, Sendable {
        case regressed, improved, unchanged
        /// A tuned rate that changed in a near-tie: its evaluation differences are not counted.
        case nearTie = "changed tuned rate"
        /// Driven by the wall clock: left out of the strict comparison.
        case timeDriven = "time-driven"
    }
    public var key: CombinationKey
    public var baseline: SummaryRow
    public var current: SummaryRow
    public var verdict: Verdict
    /// Current ÷ baseline median steps to the main target (∞ when only the baseline reaches it,
    /// 0 when only the current one does, NaN when neither); steps are counted from 1.
    public var stepsRatio: Double
    /// Current ÷ baseline median final value (1 when equal, NaN when undefined).
    public var finalRatio: Double
    /// Current ÷ baseline median seconds per step (a measurement: shown, never judged).
    public var timeRatio: Double
}

public struct GateResult: Sendable {
    public var compared: Int
    public var targetsCompared: Int
    public var skippedTimeDriven: [CombinationKey]
    public var findings: [GateFinding]
    /// Per problem: median over combinations of (time per step / reference) current ÷ baseline.
    public var timeRatios: [(problem: String, ratio: Double)]
    public var tolerances: GateTolerances
    /// Every combination, in the current sweep's plan order.
    public var combinations: [ComparedCombination] = []

    public var regressions: [GateFinding] { findings.filter(\.isRegression) }
    public var improvements: [GateFinding] { findings.filter { !$0.isRegression } }
    public var slowSteps: [(problem: String, ratio: Double)] { timeRatios.filter { $0.ratio > tolerances.timeFactor } }
    public var failed: Bool { !regressions.isEmpty || (tolerances.failOnTime && !slowSteps.isEmpty) }
}

/// The one comparison engine: two result sets (summary.csv and targets.csv, typed) and one
/// tolerance policy give a `GateResult`; `lrbench compare` and `lrbench report --compare` render it.
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
        var skipped: [CombinationKey] = []
        let t = tolerances
        func fmt(_ x: Double) -> String { x.isInfinite ? "never" : (x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : x.description) }

        // Steps to each target, and targets reached.
        let baseTargets = Dictionary(baseline.targets.map { (PlannedRows.TargetKey(combination: $0.key, target: $0.target), $0) },
                                     uniquingKeysWith: { a, _ in a })
        var targetsCompared = 0
        for row in current.targets {
            guard let base = baseTargets[PlannedRows.TargetKey(combination: row.key, target: row.target)] else {
                throw GateError.incompatible("\(row.key) @ \(row.target) is not in the baseline")
            }
            if row.timeDriven || base.timeDriven { continue }
            targetsCompared += 1
            let b = base.median, c = row.median
            let allowance = max(t.stepsAbsolute, t.stepsRelative * (b.isFinite ? b : 0))
            if row.reached < base.reached {
                findings.append(GateFinding(kind: .fewerTargets, key: row.key, what: row.target,
                                            baseline: "\(base.reached)/\(base.steps.count) seeds", current: "\(row.reached)/\(row.steps.count) seeds"))
            } else if row.reached > base.reached {
                findings.append(GateFinding(kind: .moreTargets, key: row.key, what: row.target,
                                            baseline: "\(base.reached)/\(base.steps.count) seeds", current: "\(row.reached)/\(row.steps.count) seeds"))
            }
            if c > b + allowance, b.isFinite {
                findings.append(GateFinding(kind: .slower, key: row.key, what: "median steps to \(row.target)",
                                            baseline: fmt(b), current: fmt(c)))
            } else if c.isFinite, c < b - max(t.stepsAbsolute, t.stepsRelative * c) {
                findings.append(GateFinding(kind: .faster, key: row.key, what: "median steps to \(row.target)",
                                            baseline: fmt(b), current: fmt(c)))
            }
        }

        // Divergences and final values.
        var ratiosByProblem: [String: [Double]] = [:]
        let baseRef = baseline.meta?.referenceSeconds, curRef = current.meta?.referenceSeconds
        for (key, cur) in current.summary.sorted(by: { $0.key < $1.key }) {
            guard let base = baseline.summary[key] else { throw GateError.incompatible("\(key) is not in the baseline") }
            if cur.timeDriven || base.timeDriven { skipped.append(key); continue }
            let bd = base.diverged, cd = cur.diverged
            if cd > bd {
                findings.append(GateFinding(kind: .newlyDiverges, key: key, what: "diverged evaluation runs", baseline: "\(bd)", current: "\(cd)"))
            } else if cd < bd {
                findings.append(GateFinding(kind: .fewerDivergences, key: key, what: "diverged evaluation runs", baseline: "\(bd)", current: "\(cd)"))
            }
            let bf = base.finalMedian, cf = cur.finalMedian
            let entry = current.config.problems.first { $0.spec.description == cur.problem }
            let higherIsBetter = entry?.direction(of: cur.primary) == .higher
            let allowance = max(t.finalAbsolute, t.finalRelative * (bf.isFinite ? abs(bf) : 0))
            let worse = higherIsBetter ? cf < bf - allowance || (cf.isNaN && !bf.isNaN) : cf > bf + allowance || (cf.isNaN && !bf.isNaN)
            let better = higherIsBetter ? cf > bf + allowance : (cf < bf - allowance && cf.isFinite)
            if worse && !(bf.isInfinite && cf.isInfinite) {
                findings.append(GateFinding(kind: .worseFinal, key: key, what: "median final \(cur.primary)",
                                            baseline: Summary.num(bf), current: Summary.num(cf)))
            } else if better {
                findings.append(GateFinding(kind: .betterFinal, key: key, what: "median final \(cur.primary)",
                                            baseline: Summary.num(bf), current: Summary.num(cf)))
            }
            if let baseRef, let curRef, base.secondsPerStepMedian > 0, cur.secondsPerStepMedian > 0 {
                ratiosByProblem[cur.problem, default: []].append((cur.secondsPerStepMedian / curRef) / (base.secondsPerStepMedian / baseRef))
            }
        }
        // A tuned rate that changed while the tuning score stayed within tolerance is a near-tie
        // decided differently by last-bit differences: the evaluation runs then compare two
        // different rates, so their differences are reported but not counted as regressions.
        for (key, cur) in current.summary {
            guard let base = baseline.summary[key], cur.tunedLR != base.tunedLR, !cur.timeDriven, !base.timeDriven else { continue }
            let bs = base.tuningScore, cs = cur.tuningScore
            let allowance = current.config.tuningRule == .stepsToTarget
                ? max(t.stepsAbsolute, t.stepsRelative * (bs.isFinite ? bs : 0))
                : max(t.finalAbsolute, t.finalRelative * (bs.isFinite ? abs(bs) : 0))
            if cs <= bs + allowance || (bs.isInfinite && cs.isInfinite) {
                findings = findings.map { f in
                    guard f.key == key, f.isRegression else { return f }
                    var g = f
                    g.what += " (at a different tuned rate)"
                    return g
                }.filter { !($0.key == key && $0.isRegression) }
                findings.append(GateFinding(kind: .tuningFlip, key: key, what: "tuned rate (near-tie: tuning score \(Summary.num(cs)) vs \(Summary.num(bs)))",
                                            baseline: Summary.num(base.tunedLR), current: Summary.num(cur.tunedLR)))
            } else {
                findings.append(GateFinding(kind: .worseTuning, key: key, what: "tuning score at the chosen rate (rate \(Summary.num(base.tunedLR)) → \(Summary.num(cur.tunedLR)))",
                                            baseline: Summary.num(bs), current: Summary.num(cs)))
            }
        }
        let order = current.config.problems.map(\.spec.description)
        let ratios = ratiosByProblem.map { (problem: $0.key, ratio: Stats.median($0.value)) }
            .sorted { (order.firstIndex(of: $0.problem) ?? 0) < (order.firstIndex(of: $1.problem) ?? 0) }
        let rank: (GateFinding) -> Int = { $0.isRegression ? 0 : 1 }
        findings.sort { (rank($0), $0.combination, $0.what) < (rank($1), $1.combination, $1.what) }
        return GateResult(compared: current.summary.count, targetsCompared: targetsCompared, skippedTimeDriven: skipped,
                          findings: findings, timeRatios: ratios, tolerances: tolerances,
                          combinations: paired(baseline, current, findings: findings, skipped: Set(skipped)))
    }

    /// Each combination of the current sweep, in plan order, with its verdict from the findings.
    static func paired(_ baseline: ResultFiles, _ current: ResultFiles, findings: [GateFinding], skipped: Set<CombinationKey>) -> [ComparedCombination] {
        var kinds: [CombinationKey: [GateFinding.Kind]] = [:]
        for f in findings { kinds[f.key, default: []].append(f.kind) }
        return current.combinations.compactMap { key in
            guard let b = baseline.summary[key], let c = current.summary[key] else { return nil }
            let k = kinds[key] ?? []
            let verdict: ComparedCombination.Verdict = skipped.contains(key) ? .timeDriven
                : k.contains(where: \.isRegression) ? .regressed
                : k.contains(.tuningFlip) ? .nearTie : k.isEmpty ? .unchanged : .improved
            func steps(_ r: SummaryRow) -> Double { r.seeds == 0 || r.stepsMedian.isNaN ? .infinity : max(r.stepsMedian, 1) }
            let sb = steps(b), sc = steps(c)
            let stepsRatio = sb.isFinite && sc.isFinite ? sc / sb : sb.isFinite ? .infinity : sc.isFinite ? 0 : .nan
            let fb = b.finalMedian, fc = c.finalMedian
            let finalRatio = fb == fc ? 1 : fb != 0 && fb.isFinite && fc.isFinite ? fc / fb : fc.isInfinite && fb.isFinite ? .infinity : .nan
            let timeRatio = b.secondsPerStepMedian > 0 ? c.secondsPerStepMedian / b.secondsPerStepMedian : .nan
            return ComparedCombination(key: key, baseline: b, current: c, verdict: verdict,
                                       stepsRatio: stepsRatio, finalRatio: finalRatio, timeRatio: timeRatio)
        }
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
}
