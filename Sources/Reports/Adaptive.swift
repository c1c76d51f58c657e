// Compute first: the four measurements of issue 14 on the adaptive and learning-rate-free methods
// (effective step size, knob robustness, the anytime frontier, range-test calibration), as data.
// AdaptiveSection.swift renders them. Every list follows the sweep file's order.

import Foundation
import Results
import Run
import Sweep
import Problems
import Specs
import Statistics

/// The measurements no other benchmark reports, from one result folder (README, "The adaptive
/// sweep"). *Adaptive* optimizers are those whose runs record an applied step size
/// (`effective_rates`: D-Adaptation, Prodigy, DoG, hypergradient, schedule-free, …); the others are
/// the *baselines*, tuned per combination. A problem *series* is one problem of the sweep file with
/// its budgets (one entry when it has a single budget).
public struct AdaptiveAnalysis: Sendable {
    /// One problem of the sweep file: its entries, one per budget, ascending.
    public struct ProblemSeries: Sendable, Equatable {
        public var name: String
        public var entries: [Int]
        public var budgets: [Int]
        public var primary: String
        public var higherIsBetter: Bool
        /// The entry of the largest budget, where the budget-free combinations run.
        public var largest: Int { entries.last! }
    }

    /// (1) The step an adaptive method applied, against the tuned constant rate of its family.
    public struct EffectiveRate: Sendable, Equatable {
        public var series: Int
        public var optimizer: Int
        /// The baseline optimizer whose tuned constant rate is the reference (nil: none in the sweep).
        public var family: Int?
        /// That baseline's tuned rate with the constant schedule at the largest budget.
        public var reference: Double
        /// Per evaluation seed (default-rate runs, constant schedule): the median over the run's
        /// evaluation points of effective rate / reference.
        public var ratios: [Double]
        public var medianRatio: Double
        /// The curve over the run: steps, median over seeds, min and max.
        public var steps: [Double]
        public var median: [Double]
        public var lower: [Double]
        public var upper: [Double]
        /// The multiplier the rate search chose for it (1 is the method's own default for the
        /// learning-rate-free methods).
        public var tunedMultiplier: Double
    }

    /// (2) For one adaptive method (an optimizer name) on one problem: its knob settings.
    public struct Robustness: Sendable, Equatable {
        public var series: Int
        public var method: String
        /// The settings (optimizer indices, file order) and their median steps to the main target
        /// at the default rate and at the tuned rate (evaluation seeds, constant schedule).
        public var settings: [Int]
        public var defaultSteps: [Double]
        public var tunedSteps: [Double]
        /// The tuned baseline: the fastest baseline combination at any budget of the series.
        public var baselineLabel: String
        public var baselineSteps: Double
        public var withinDefault: Int
        public var withinTuned: Int
        /// The multiplier as a knob: the first setting's tuning runs at each rate from a tenth to
        /// ten times its default rate (median steps over the tuning seeds, rates ascending),
        /// against the tuned baseline's steps on the same tuning seeds at its chosen rate.
        public var multipliers: [Double] = []
        public var multiplierSteps: [Double] = []
        public var baselineTuningSteps: Double = .nan
        public var withinMultiplier: Int {
            baselineTuningSteps.isFinite ? multiplierSteps.filter { $0 <= 2 * baselineTuningSteps }.count : 0
        }
        public var fractionDefault: Double { settings.isEmpty || !baselineSteps.isFinite ? .nan : Double(withinDefault) / Double(settings.count) }
        public var fractionTuned: Double { settings.isEmpty || !baselineSteps.isFinite ? .nan : Double(withinTuned) / Double(settings.count) }
    }

    /// (3) One line of the anytime frontier: a combination's best value reached by each budget.
    public struct FrontierLine: Sendable, Equatable {
        public enum Kind: String, Sendable { case anytime, tunedPerBudget = "tuned per budget", constantBaseline = "constant baseline" }
        public var label: String
        public var kind: Kind
        public var optimizer: Int
        /// The schedule, or nil for the best budget-aware schedule at each budget.
        public var schedule: Int?
        /// Per budget (the series' order): the values per evaluation seed (sorted by seed) and their median.
        public var values: [[Double]]
        public var medians: [Double]
        /// Per budget, the schedule chosen (the line's own, or the best budget-aware one).
        public var schedules: [Int?]
        /// The first setting of its method listed in the sweep file (the one drawn and judged;
        /// the others are knob variations, measured in (2)).
        public var firstSetting: Bool = true
    }

    /// The verdict at one budget: the best anytime adaptive method against the best schedule tuned for it.
    public struct FrontierVerdict: Sendable, Equatable {
        public enum Outcome: String, Sendable { case tie, anytimeBetter = "anytime better", anytimeWorse = "anytime worse", unknown }
        public var budget: Int
        public var anytime: String
        public var tuned: String
        public var anytimeMedian: Double
        public var tunedMedian: Double
        /// median(anytime) / median(tuned) and its paired bootstrap interval (lower is better for
        /// the anytime method; for accuracies the difference on the raw scale instead).
        public var ratio: ConfidenceInterval?
        public var outcome: Outcome
    }

    public struct Frontier: Sendable, Equatable {
        public var series: Int
        public var lines: [FrontierLine]
        public var verdicts: [FrontierVerdict]
    }

    /// (4) A range test's suggestions against the tuned constant rate, in grid steps.
    public struct Calibration: Sendable, Equatable {
        public var series: Int
        public var optimizer: Int
        public var tuned: Double
        /// Per evaluation seed (nil: the rule gave no suggestion).
        public var steepest: [Double?]
        public var lightning: [Double?]
        public var minimumOverTen: [Double?]
        /// log(suggestion / tuned) / log(grid step), per seed; the median over seeds with a suggestion.
        public var steepestFactor: Double
        public var lightningFactor: Double
        public var minimumFactor: Double
    }

    public var series: [ProblemSeries]
    public var adaptive: [Int]
    public var baselines: [Int]
    public var constantSchedule: Int?
    public var effective: [EffectiveRate]
    public var robustness: [Robustness]
    public var frontiers: [Frontier]
    public var calibration: [Calibration]
    public var gridStep: Double
    public var level: Double

    /// Whether the sweep has anything for the section: an adaptive optimizer, or a budgets series.
    public var hasData: Bool { !adaptive.isEmpty || series.contains { $0.budgets.count > 1 } }
}

extension AdaptiveAnalysis {
    /// Computes the four measurements. `rangeTests` runs the range test of (4) (100 updates per
    /// baseline optimizer, problem and evaluation seed); off, the calibration is empty.
    public init(_ results: ResultSet, rangeTests: Bool = true) {
        let config = results.config
        let plan = results.plan
        let index = Lookup(results)
        level = config.statistics.level
        gridStep = Self.gridStep(config.learningRates)

        // Problem series, in file order.
        var byFile: [Int: [Int]] = [:]
        var order: [Int] = []
        for (p, e) in config.problems.enumerated() {
            let f = e.fileIndex ?? p
            if byFile[f] == nil { order.append(f) }
            byFile[f, default: []].append(p)
        }
        series = order.map { f in
            let entries = byFile[f]!.sorted { config.problems[$0].budget < config.problems[$1].budget }
            let e = config.problems[entries[0]]
            let primary = index.records.first { $0.problem == e.name }?.primary ?? e.primary ?? Target.suboptimality
            return ProblemSeries(name: e.spec.description, entries: entries, budgets: entries.map { config.problems[$0].budget },
                                 primary: primary, higherIsBetter: e.direction(of: primary) == .higher)
        }
        let withRates = Set(index.records.filter { $0.effectiveRates != nil }.map(\.optimizer))
        adaptive = config.optimizers.indices.filter { withRates.contains(config.optimizers[$0].description) }
        baselines = config.optimizers.indices.filter { !withRates.contains(config.optimizers[$0].description) }
        constantSchedule = config.schedules.firstIndex { $0.name == "constant" && $0.arguments.isEmpty }
        _ = plan

        var effective: [EffectiveRate] = [], robustness: [Robustness] = [], frontiers: [Frontier] = [], calibration: [Calibration] = []
        for (si, s) in series.enumerated() {
            effective += Self.effectiveRates(si, s, config: config, index: index, adaptive: adaptive, baselines: baselines, constant: constantSchedule)
            robustness += Self.robustness(si, s, config: config, index: index, adaptive: adaptive, baselines: baselines, constant: constantSchedule)
            frontiers.append(Self.frontier(si, s, config: config, index: index, adaptive: adaptive, baselines: baselines, constant: constantSchedule))
            if rangeTests {
                calibration += Self.calibration(si, s, config: config, index: index, baselines: baselines, constant: constantSchedule, gridStep: gridStep)
            }
        }
        self.effective = effective
        self.robustness = robustness
        self.frontiers = frontiers
        self.calibration = calibration
    }

    /// The records and summary rows of a result set by combination.
    struct Lookup {
        var records: [RunRecord]
        /// Keyed by (problem entry, optimizer, schedule) of the first transform chain.
        var rows: [Key: SummaryRow] = [:]
        var runs: [Key: [Phase: [RunRecord]]] = [:]
        let config: SweepConfig

        init(_ results: ResultSet) {
            config = results.config
            records = results.records
            var comboOf: [CombinationKey: Key] = [:]
            for (k, c) in results.plan.combinations.enumerated() where c.transform == 0 {
                let key = Key(p: c.problem, o: c.optimizer, s: c.schedule)
                comboOf[ResultSet.key(results.plan.problemName(c), results.plan.optimizerName(c), results.plan.scheduleName(c), results.plan.transformName(c))] = key
                if k < results.rows.count { rows[key] = results.rows[k] }
            }
            for r in results.records {
                guard let c = comboOf[ResultSet.key(r.problem, r.optimizer, r.schedule, r.transforms)] else { continue }
                runs[c, default: [:]][r.phase, default: []].append(r)
            }
        }

        struct Key: Hashable { var p, o, s: Int }
        func combination(_ p: Int, _ o: Int, _ s: Int) -> Key { Key(p: p, o: o, s: s) }
        func row(_ p: Int, _ o: Int, _ s: Int) -> SummaryRow? { rows[combination(p, o, s)] }

        /// Evaluation runs at the tuned rate, or default-rate runs, sorted by seed.
        func runs(_ p: Int, _ o: Int, _ s: Int, _ phase: Phase) -> [RunRecord] {
            var out = runs[combination(p, o, s)]?[phase] ?? []
            if phase == .evaluation, let lr = row(p, o, s)?.tunedLR { out = out.filter { $0.lr == lr } }
            return out.sorted { ($0.seed, $0.id) < ($1.seed, $1.id) }
        }
    }

    /// The ratio of neighbouring rates of the grid: (max/min)^(1/(n−1)) for a log grid; for a
    /// list, the geometric mean of the ratios of neighbours. NaN with fewer than two rates.
    public static func gridStep(_ rates: [Double]) -> Double {
        let r = Array(Set(rates)).sorted()
        guard r.count >= 2 else { return .nan }
        return Foundation.exp(Foundation.log(r.last! / r.first!) / Double(r.count - 1))
    }

    /// How many grid steps `suggested` lies from `tuned`: log(suggested/tuned)/log(step).
    public static func gridFactor(_ suggested: Double, tuned: Double, step: Double) -> Double {
        Foundation.log(suggested / tuned) / Foundation.log(step)
    }

    /// The baseline optimizer whose tuned constant rate an adaptive method's step is compared
    /// with: Adam for the Adam-type methods (D-Adapt Adam, Prodigy, Adam-HD, schedule-free RAdam,
    /// Mechanic on an Adam base), plain SGD for the gradient-step methods (D-Adapt SGD, DoG, L-DoG,
    /// DoWG, COCOB, SGD-HD, Polyak, Mechanic on an SGD base). nil when the sweep has no such baseline.
    public static func family(_ spec: Spec, baselines: [Int], config: SweepConfig) -> Int? {
        var name = spec.name
        if name == "mechanic" {
            switch spec.arguments.first(where: { $0.key == "base" })?.value {
            case .spec(let base)?: name = base.name
            case .word(let base)?: name = base
            default: name = "sgd"
            }
        }
        let adamLike: Set<String> = ["dadapt_adam", "prodigy", "adam_hd", "radam_schedulefree", "adam", "adamw", "radam", "nadam", "adamax"]
        let target = adamLike.contains(name) ? "adam" : "sgd"
        return baselines.first { config.optimizers[$0].name == target && config.optimizers[$0].arguments.isEmpty }
            ?? baselines.first { config.optimizers[$0].name == target }
    }

    static func median(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : Stats.median(xs) }

    // MARK: (1) Effective step size

    static func effectiveRates(_ si: Int, _ s: ProblemSeries, config: SweepConfig, index: Lookup, adaptive: [Int], baselines: [Int], constant: Int?) -> [EffectiveRate] {
        guard let constant else { return [] }
        let p = s.largest
        var out: [EffectiveRate] = []
        for o in adaptive {
            let runs = index.runs(p, o, constant, .oneShot)
            guard !runs.isEmpty else { continue }
            let family = Self.family(config.optimizers[o], baselines: baselines, config: config)
            let reference = family.flatMap { index.row(p, $0, constant)?.tunedLR } ?? .nan
            let ratios = runs.map { r -> Double in
                let rates = (r.effectiveRates ?? []).compactMap { $0 }.filter { $0.isFinite }
                return rates.isEmpty ? .nan : median(rates) / reference
            }
            let n = runs.map { $0.steps.count }.max() ?? 0
            var steps: [Double] = [], med: [Double] = [], lo: [Double] = [], hi: [Double] = []
            for i in 0..<n {
                var xs: [Double] = []
                var x = Double.nan
                for r in runs where i < r.steps.count {
                    x = Double(r.steps[i])
                    if let e = r.effectiveRates, i < e.count, let v = e[i], v.isFinite, v > 0 { xs.append(v) }
                }
                steps.append(x)
                med.append(xs.isEmpty ? .nan : median(xs))
                lo.append(xs.min() ?? .nan)
                hi.append(xs.max() ?? .nan)
            }
            // The final evaluation has no next step (no applied rate): drop the empty tail, so
            // the figure does not read it as a divergence.
            while let last = med.last, last.isNaN, med.count > 1 { steps.removeLast(); med.removeLast(); lo.removeLast(); hi.removeLast() }
            let finiteRatios = ratios.filter { !$0.isNaN }
            out.append(EffectiveRate(series: si, optimizer: o, family: family, reference: reference, ratios: ratios,
                                     medianRatio: median(finiteRatios), steps: steps, median: med, lower: lo, upper: hi,
                                     tunedMultiplier: index.row(p, o, constant)?.tunedLR ?? .nan))
        }
        return out
    }

    // MARK: (2) Knob robustness

    /// The fastest baseline combination over every budget of the series: its label and median steps.
    static func bestBaseline(_ s: ProblemSeries, config: SweepConfig, index: Lookup, baselines: [Int]) -> (String, Double, Lookup.Key?) {
        var best: (String, Double, Lookup.Key?) = ("none", .infinity, nil)
        for p in s.entries {
            for o in baselines {
                for sc in config.schedules.indices {
                    guard let row = index.row(p, o, sc), row.seeds > 0 else { continue }
                    let steps = row.stepsMedian.isNaN ? Double.infinity : row.stepsMedian
                    if steps < best.1 {
                        best = ("\(config.optimizers[o].description) + \(config.schedules[sc].description) at budget \(config.problems[p].budget)", steps, index.combination(p, o, sc))
                    }
                }
            }
        }
        return best
    }

    static func robustness(_ si: Int, _ s: ProblemSeries, config: SweepConfig, index: Lookup, adaptive: [Int], baselines: [Int], constant: Int?) -> [Robustness] {
        guard let constant else { return [] }
        let p = s.largest
        let (label, base, baseKey) = bestBaseline(s, config: config, index: index, baselines: baselines)
        let main = config.problems[p].mainTarget.description
        func stepsTo(_ r: RunRecord) -> Double {
            guard let k = r.targets.firstIndex(of: main), let v = r.stepsToTarget[k] else { return .infinity }
            return Double(v)
        }
        let tuningSeeds = Set(config.tuningSeeds)
        func tuning(_ key: Lookup.Key) -> [RunRecord] { (index.runs[key]?[Phase.tuning] ?? []).filter { tuningSeeds.contains($0.seed) } }
        let baselineTuning: Double = baseKey.flatMap { key in
            index.rows[key].map { row in median(tuning(key).filter { $0.lr == row.tunedLR }.map(stepsTo)) }
        } ?? .nan
        var names: [String] = []
        for o in adaptive where !names.contains(config.optimizers[o].name) { names.append(config.optimizers[o].name) }
        var out: [Robustness] = []
        for name in names {
            let settings = adaptive.filter { config.optimizers[$0].name == name && index.row(p, $0, constant) != nil }
            guard !settings.isEmpty else { continue }
            func steps(_ x: Double?) -> Double { x.map { $0.isNaN ? .infinity : $0 } ?? .infinity }
            let d = settings.map { steps(index.row(p, $0, constant)?.defaultStepsMedian) }
            let t = settings.map { steps(index.row(p, $0, constant)?.stepsMedian) }
            let limit = 2 * base
            var row = Robustness(series: si, method: name, settings: settings, defaultSteps: d, tunedSteps: t,
                                 baselineLabel: label, baselineSteps: base,
                                 withinDefault: base.isFinite ? d.filter { $0 <= limit }.count : 0,
                                 withinTuned: base.isFinite ? t.filter { $0 <= limit }.count : 0)
            let first = index.combination(p, settings[0], constant)
            if let lr0 = index.rows[first]?.defaultLR, lr0.isFinite, lr0 > 0 {
                let runs = tuning(first)
                let rates = Array(Set(runs.map(\.lr))).sorted().filter { $0 >= lr0 / 10 * (1 - 1e-9) && $0 <= lr0 * 10 * (1 + 1e-9) }
                row.multipliers = rates.map { $0 / lr0 }
                row.multiplierSteps = rates.map { lr in median(runs.filter { $0.lr == lr }.map(stepsTo)) }
            }
            row.baselineTuningSteps = baselineTuning
            out.append(row)
        }
        return out
    }

    // MARK: (3) The anytime frontier

    /// The best value of the primary measure a run reached at an evaluation point at or before
    /// step `budget` (the lowest, or the highest for accuracies); +∞ (−∞) when none is finite.
    public static func best(_ r: RunRecord, by budget: Int, higherIsBetter: Bool) -> Double {
        let v = Curves.primary(r)
        var out = higherIsBetter ? -Double.infinity : Double.infinity
        for (i, step) in r.steps.enumerated() where step <= budget && i < v.count && v[i].isFinite {
            out = higherIsBetter ? Swift.max(out, v[i]) : Swift.min(out, v[i])
        }
        return out
    }

    static func frontier(_ si: Int, _ s: ProblemSeries, config: SweepConfig, index: Lookup, adaptive: [Int], baselines: [Int], constant: Int?) -> Frontier {
        let higher = s.higherIsBetter
        /// The values of combination (o, sc) at each budget: its own entry's runs when it ran
        /// there, else (budget-free) the largest entry's runs read at step b.
        func values(_ o: Int, _ sc: Int) -> [[Double]]? {
            var out: [[Double]] = []
            for (k, b) in s.budgets.enumerated() {
                let own = index.runs(s.entries[k], o, sc, .evaluation)
                let runs = own.isEmpty ? index.runs(s.largest, o, sc, .evaluation) : own
                if runs.isEmpty { return nil }
                out.append(runs.map { best($0, by: b, higherIsBetter: higher) })
            }
            return out
        }
        func budgetFree(_ o: Int, _ sc: Int) -> Bool {
            s.entries.count > 1 && config.isBudgetFree(problem: s.largest, optimizer: o, schedule: sc)
        }
        func better(_ a: Double, _ b: Double) -> Bool { higher ? a > b : a < b }
        var lines: [FrontierLine] = []
        // Anytime: every adaptive optimizer with a budget-free schedule (the constant one first).
        let freeSchedules = config.schedules.indices.filter { sc in s.entries.count == 1 ? sc == constant : true }
        for o in adaptive {
            for sc in freeSchedules where s.entries.count == 1 || budgetFree(o, sc) {
                guard let v = values(o, sc) else { continue }
                let first = adaptive.first { config.optimizers[$0].name == config.optimizers[o].name } == o
                lines.append(FrontierLine(label: "\(config.optimizers[o].description) + \(config.schedules[sc].description)", kind: .anytime,
                                          optimizer: o, schedule: sc, values: v, medians: v.map(median), schedules: v.map { _ in sc },
                                          firstSetting: first))
            }
        }
        // Baselines: with the constant schedule, and with their best budget-aware schedule per budget.
        for o in baselines {
            if let c = constant, let v = values(o, c) {
                lines.append(FrontierLine(label: "\(config.optimizers[o].description) + \(config.schedules[c].description)", kind: .constantBaseline,
                                          optimizer: o, schedule: c, values: v, medians: v.map(median), schedules: v.map { _ in c }))
            }
            let aware = config.schedules.indices.filter { $0 != constant && !budgetFree(o, $0) }
            var v: [[Double]] = [], chosen: [Int?] = []
            for k in s.budgets.indices {
                var bestSc: Int? = nil, bestVals: [Double] = [], bestMed = higher ? -Double.infinity : Double.infinity
                for sc in aware {
                    let runs = index.runs(s.entries[k], o, sc, .evaluation)
                    guard !runs.isEmpty else { continue }
                    let vals = runs.map { best($0, by: s.budgets[k], higherIsBetter: higher) }
                    let m = median(vals)
                    if bestSc == nil || better(m, bestMed) { bestSc = sc; bestVals = vals; bestMed = m }
                }
                v.append(bestVals)
                chosen.append(bestSc)
            }
            if chosen.contains(where: { $0 != nil }) {
                lines.append(FrontierLine(label: "\(config.optimizers[o].description) + best budget-aware schedule", kind: .tunedPerBudget,
                                          optimizer: o, schedule: nil, values: v, medians: v.map(median), schedules: chosen))
            }
        }
        // Verdicts: the best anytime adaptive line against the best tuned-per-budget line, per budget.
        var verdicts: [FrontierVerdict] = []
        for (k, b) in s.budgets.enumerated() {
            let any = lines.filter { $0.kind == .anytime && $0.firstSetting && !$0.values[k].isEmpty }
            let tuned = lines.filter { $0.kind == .tunedPerBudget && !$0.values[k].isEmpty }
            guard let a = any.min(by: { better($0.medians[k], $1.medians[k]) }),
                  let t = tuned.min(by: { better($0.medians[k], $1.medians[k]) }) else { continue }
            let tunedName = t.schedules[k].map { "\(config.optimizers[t.optimizer].description) + \(config.schedules[$0].description)" } ?? t.label
            var verdict = FrontierVerdict(budget: b, anytime: a.label, tuned: tunedName, anytimeMedian: a.medians[k],
                                          tunedMedian: t.medians[k], ratio: nil, outcome: .unknown)
            let (x, y) = (t.values[k], a.values[k])
            // On the log scale a value of 0 (the optimum met exactly) has no ratio: no verdict.
            if x.count == y.count, x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite), higher || (x + y).allSatisfy({ $0 > 0 }),
               Bootstrap.minimumCount(level: config.statistics.level) <= x.count {
                let scale: Statistics.Scale = higher ? .raw : .log
                if let ci = try? PairedBootstrap.differenceInterval(a: x, b: y, scale: scale, level: config.statistics.level,
                                                                    resamples: config.statistics.resamples, seed: config.statistics.seed) {
                    let r = higher ? ci : ConfidenceInterval(estimate: Foundation.exp(ci.estimate), lower: Foundation.exp(ci.lower),
                                                             upper: Foundation.exp(ci.upper), level: ci.level)
                    verdict.ratio = r
                    let (lo, hi, one) = (r.lower, r.upper, higher ? 0.0 : 1.0)
                    if lo <= one && one <= hi { verdict.outcome = .tie } else if higher ? lo > 0 : hi < 1 {
                        verdict.outcome = .anytimeBetter
                    } else {
                        verdict.outcome = .anytimeWorse
                    }
                }
            }
            verdicts.append(verdict)
        }
        return Frontier(series: si, lines: lines, verdicts: verdicts)
    }

    // MARK: (4) Range-test calibration

    /// The range test of README "Learning-rate range test" with a ramp from 1e-8 to 10 (the
    /// sweeps' grids reach 10) over 100 updates, on each evaluation seed's instance.
    public static let rangeTest = RangeTest(minLR: 1e-8, maxLR: 10, steps: 100)

    static func calibration(_ si: Int, _ s: ProblemSeries, config: SweepConfig, index: Lookup, baselines: [Int], constant: Int?, gridStep: Double) -> [Calibration] {
        guard let constant else { return [] }
        let p = s.largest
        let entry = config.problems[p]
        var out: [Calibration] = []
        for o in baselines {
            guard let tuned = index.row(p, o, constant)?.tunedLR, tuned.isFinite, tuned > 0 else { continue }
            var st: [Double?] = [], li: [Double?] = [], mi: [Double?] = []
            for seed in config.evaluationSeeds {
                guard let problem = try? Methods.problem(entry.spec.description, seed: seed),
                      let opt = try? Methods.optimizer(BudgetExpression.resolve(config.optimizers[o], budget: entry.budget).description) else {
                    st.append(nil); li.append(nil); mi.append(nil); continue
                }
                let r = rangeTest.run(problem: problem, optimizer: opt)
                st.append(r.steepest); li.append(r.lightningSteepest); mi.append(r.minimumOverTen)
            }
            func factor(_ xs: [Double?]) -> Double { median(xs.compactMap { $0 }.map { gridFactor($0, tuned: tuned, step: gridStep) }) }
            out.append(Calibration(series: si, optimizer: o, tuned: tuned, steepest: st, lightning: li, minimumOverTen: mi,
                                   steepestFactor: factor(st), lightningFactor: factor(li), minimumFactor: factor(mi)))
        }
        return out
    }
}
