// Figures from the analysis: data first (curves as numbers), SVG second (Plots).

import Foundation
import Results
import Run
import Statistics
import Sweep
import Plots
import Specs

/// One SVG file of the report.
public struct Figure: Sendable, Equatable {
    /// File name inside `figures/`.
    public var name: String
    public var svg: String
    /// Alt text for the Markdown image.
    public var alt: String
}

/// A median line with a min–max band over runs, aligned on evaluation points.
public struct Curve: Sendable, Equatable {
    public var x: [Double]
    public var median: [Double]
    public var lower: [Double]
    public var upper: [Double]
}

public enum CurveAxis: Sendable { case steps, seconds }

public enum Curves {
    /// The primary measure of a run at each evaluation point: the relative suboptimality
    /// (f − f*)/(f₀ − f*) or the named metric. NaN where unknown.
    public static func primary(_ r: RunRecord) -> [Double] {
        if r.primary == Target.suboptimality {
            guard let opt = r.optimum, let f0 = r.initialLoss, f0 - opt > 0, let losses = r.metrics.first else {
                return r.steps.map { _ in .nan }
            }
            return losses.map { v in v.map { ($0 - opt) / (f0 - opt) } ?? .nan }
        }
        guard let k = r.metricNames.firstIndex(of: r.primary), k < r.metrics.count else { return r.steps.map { _ in .nan } }
        return r.metrics[k].map { $0 ?? .nan }
    }

    /// Median and min–max over runs at each evaluation point. A run that diverged counts as +∞
    /// after its last point (so a median of mostly diverged runs breaks the line); a run stopped
    /// early for another reason holds its last value. x is the median over the runs that reached
    /// the point (steps, or seconds since the start).
    public static func aggregate(_ runs: [RunRecord], axis: CurveAxis) -> Curve {
        let n = runs.map { Swift.min($0.steps.count, $0.metrics.first?.count ?? 0) }.max() ?? 0
        guard n > 0 else { return Curve(x: [], median: [], lower: [], upper: []) }
        let values = runs.map(primary)
        var c = Curve(x: [], median: [], lower: [], upper: [])
        for i in 0..<n {
            var xs: [Double] = [], ys: [Double] = []
            for (k, r) in runs.enumerated() {
                let len = Swift.min(r.steps.count, values[k].count)
                if i < len {
                    switch axis {
                    case .steps: xs.append(Double(r.steps[i]))
                    case .seconds: if i < r.seconds.count, let s = r.seconds[i] { xs.append(s) }
                    }
                    let v = values[k][i]
                    ys.append(v.isNaN && r.diverged ? .infinity : v)
                } else if len > 0 {
                    ys.append(r.diverged ? .infinity : values[k][len - 1])
                }
            }
            let finite = ys.filter { !$0.isNaN }
            c.x.append(xs.isEmpty ? .nan : Stats.median(xs))
            c.median.append(finite.isEmpty ? .nan : Stats.median(finite))
            c.lower.append(finite.min() ?? .nan)
            c.upper.append(finite.max() ?? .nan)
        }
        // Plots breaks a line at non-finite values and marks a trailing break as a divergence.
        c.median = c.median.map { $0.isFinite ? $0 : .nan }
        c.lower = c.lower.map { $0.isFinite ? $0 : .nan }
        c.upper = c.upper.map { $0.isFinite ? $0 : .nan }
        return c
    }

    /// Final value against base rate from the tuning runs: per grid rate, the median over tuning
    /// seeds (a diverged run counts as +∞, drawn as a break). Rates in ascending order.
    public static func sensitivity(_ tuning: [RunRecord]) -> (lr: [Double], value: [Double]) {
        let rates = Set(tuning.map(\.lr)).sorted()
        let values = rates.map { lr -> Double in
            let v = Stats.median(tuning.filter { $0.lr == lr }.map { $0.diverged ? .infinity : ($0.finalValue ?? .nan) })
            return v.isFinite ? v : .nan
        }
        return (rates, values)
    }

    /// The rate multiplier lr_t / lr₀ of a step-driven schedule over the budget, from today's code
    /// (nil when the schedule depends on the run: metric- or time-driven, or it cannot be built).
    public static func multiplier(_ spec: Spec, budget: Int) -> [Double]? {
        SchedulePreviews.multiplier(spec, budget: budget)
    }

    /// The run whose final value is the median of a set (the lower median for an even count).
    public static func medianRun(_ runs: [RunRecord]) -> RunRecord? {
        let sorted = runs.sorted { a, b in
            let x = a.diverged ? Double.infinity : (a.finalValue ?? .infinity)
            let y = b.diverged ? Double.infinity : (b.finalValue ?? .infinity)
            return x != y ? x < y : a.seed < b.seed
        }
        return sorted.isEmpty ? nil : sorted[(sorted.count - 1) / 2]
    }
}

extension Analysis {
    /// Schedule `s`'s rate multiplier over `budget` steps as the sweep ran it: from the folder's
    /// `schedules.csv`, or from today's code for a folder without one (results of an older
    /// lrbench). Nil for a run-dependent schedule.
    public func multiplier(_ s: Int, budget: Int) -> [Double]? {
        if let stored = results.previews { return stored.multiplier(config.schedules[s], budget: budget) }
        return Curves.multiplier(config.schedules[s], budget: budget)
    }
}

/// Every figure of a report, one stored property per figure, drawn before the Markdown: a
/// section links a figure by its property, so a misspelt name is a compile error, not a lost figure.
struct ReportFigures {
    var profileCombinations: Figure
    var profileOptimizers: Figure
    var profileSchedules: Figure
    var ecdfCombinations: Figure
    var ecdfOptimizers: Figure
    /// Nil without a plain `sgd` (no reference for the per-step cost).
    var overhead: Figure?
    /// In problem order.
    var problems: [ProblemFigures]
}

/// The figures of one problem.
struct ProblemFigures {
    var leadingSteps: Figure
    var optimizersSteps: Figure
    var leadingSeconds: Figure
    var optimizersSeconds: Figure
    var sensitivity: Figure
    /// The step-driven schedules over the problem's budget (nil when there is none).
    var schedules: Figure?
    /// The rates the run-dependent schedules used (nil when there is none).
    var driven: Figure?
}

/// Builds every figure of a report.
///
/// Styles are stable across figures: an optimizer keeps its colour and dash (`Palette.style` of
/// its index in the sweep file) and a schedule its marker, in every figure; a figure of schedules
/// alone colours each schedule by its own index. Every figure shows at most
/// `LineChart.maxSeries` series per panel (the chart splits into panels beyond that).
struct FigureBuilder {
    let a: Analysis
    static let leadingCount = 6

    /// The named baseline drawn for comparison in the per-problem convergence figures.
    static let baselineOptimizer = "adam", baselineSchedule = "constant"
    /// Its line: grey, thin, dotted, no marker (a colour outside the palette, so it never
    /// clashes with a series).
    static let baselineStyle = SeriesStyle(color: Color(hex: "#7A7A7A"), dash: .dotted, marker: nil)

    func yAxis(_ pa: ProblemAnalysis) -> Axis {
        let title = pa.primary == Target.suboptimality ? "suboptimality (f − f*)/(f₀ − f*)" : pa.primary
        return pa.higherIsBetter ? .linear(title) : .log(title)
    }

    // MARK: Styles

    func optimizerStyle(_ o: Int) -> SeriesStyle { Palette.style(o) }
    func scheduleStyle(_ s: Int) -> SeriesStyle { Palette.style(s) }
    /// A combination: its optimizer's colour and dash, its schedule's marker.
    func methodStyle(_ m: Method) -> SeriesStyle {
        SeriesStyle(color: Palette.color(m.optimizer), dash: Palette.dash(m.optimizer), marker: Palette.style(m.schedule).marker)
    }

    /// Under every figure whose curves are combinations.
    static let styleNote = "Colour and dash: the optimizer; marker: the schedule (the same in every figure)."

    func isCombination(_ label: String) -> Bool { a.methods.contains { a.label($0) == label } }

    /// The stable style of a solver or curve named `label`: a combination's, an optimizer's or a
    /// schedule's label as the analysis writes it; nil for any other label.
    func style(label: String) -> SeriesStyle? {
        if let m = a.methods.first(where: { a.label($0) == label }) { return methodStyle(m) }
        if let o = a.config.optimizers.indices.first(where: { Analysis.optimizerLabel(a.config, $0) == label }) { return optimizerStyle(o) }
        if let s = a.config.schedules.indices.first(where: { Analysis.scheduleLabel(a.config, $0) == label }) { return scheduleStyle(s) }
        return nil
    }

    /// `styles` with clashes resolved, in order: a style already taken in the figure (e.g. two
    /// transform chains of one combination, or schedules 15 apart) moves to the next free dash,
    /// then the next free marker. Unclashed styles stay as they are.
    static func distinct(_ styles: [SeriesStyle]) -> [SeriesStyle] {
        var taken = Set<SeriesStyle>(), out: [SeriesStyle] = []
        for st in styles {
            var chosen = st
            if taken.contains(st) {
                let candidates = LineDash.allCases.map { SeriesStyle(color: st.color, dash: $0, marker: st.marker) }
                    + Palette.identityMarkers.flatMap { m in LineDash.allCases.map { SeriesStyle(color: st.color, dash: $0, marker: m) } }
                chosen = candidates.first { !taken.contains($0) } ?? st
            }
            taken.insert(chosen)
            out.append(chosen)
        }
        return out
    }

    // MARK: Per-problem figures

    func curveSeries(_ items: [Item], axis: CurveAxis) -> [Series] {
        let styles = Self.distinct(items.map { methodStyle($0.method) })
        return items.enumerated().map { i, it in
            let c = Curves.aggregate(it.evaluation, axis: axis)
            return Series(a.label(it.method) + " (lr " + Fmt.sig(it.row.tunedLR) + ")", x: c.x, y: c.median,
                          band: Band(lower: c.lower, upper: c.upper), style: styles[i])
        }
    }

    /// The named baseline (`adam + constant`, no transforms) on a problem, when the sweep has it.
    func baseline(_ pa: ProblemAnalysis) -> Item? {
        pa.items.first { it in
            it.hasRuns && a.config.optimizers[it.method.optimizer].name == Self.baselineOptimizer
                && a.config.optimizers[it.method.optimizer].arguments.isEmpty
                && a.config.schedules[it.method.schedule].name == Self.baselineSchedule
                && SweepConfig.chainName(a.config.transforms[it.method.transform]) == "none"
        }
    }

    /// The main target's value when it is on the plotted measure (nil otherwise).
    func mainTargetValue(_ pa: ProblemAnalysis) -> Double? {
        pa.entry.mainTarget.metric == pa.primary ? pa.entry.mainTarget.value : nil
    }

    /// Taller charts for more series, so that a legend below the plot leaves the plot its height.
    static func height(_ series: Int) -> Double { 400 + 20 * Double(Swift.max(series, 4)) }

    /// Median curves of `items` at their tuned rates, with the main target as a labelled
    /// horizontal line (`target`, in the plotted measure) and, when given and not already among
    /// the items, the `reference` combination as a grey dotted line.
    func convergence(_ pa: ProblemAnalysis, items: [Item], axis: CurveAxis, what: String, file: String,
                     target: Double? = nil, reference: Item? = nil) -> Figure {
        let seeds = items.first?.evaluation.count ?? 0
        var series = curveSeries(items, axis: axis)
        var notes = ["Line: median over \(seeds) evaluation seed\(seeds == 1 ? "" : "s") at the tuned rate; band: min–max.", Self.styleNote]
        if let ref = reference, !items.contains(where: { $0.method == ref.method }) {
            let c = Curves.aggregate(ref.evaluation, axis: axis)
            series.append(Series("reference: " + a.label(ref.method) + " (lr " + Fmt.sig(ref.row.tunedLR) + ")", x: c.x, y: c.median,
                                 style: Self.baselineStyle, lineWidth: 1.6))
            notes.append("Grey dotted: the named baseline \(a.label(ref.method)) at its tuned rate, for comparison.")
        }
        var references: [ReferenceLine] = []
        if let t = target {
            let rel = pa.higherIsBetter ? "≥" : "≤"
            references.append(.y(t, label: "main target: \(pa.primary) \(rel) \(Fmt.sig(t))"))
        }
        let chart = LineChart(
            title: "\(pa.name): \(what)",
            x: axis == .steps ? .linear("step") : .linear("seconds since the start (median over seeds)"),
            y: yAxis(pa), series: series,
            height: Self.height(series.count),
            notes: notes, idPrefix: Fmt.slug(file), references: references)
        return Figure(name: file, svg: chart.svg(), alt: "\(pa.name): \(what), \(axis == .steps ? "against steps" : "against seconds")")
    }

    /// Final value against base rate (DeepOBS's sensitivity plot): per optimizer with its best
    /// schedule, the median over tuning seeds as a line, each tuning seed's final value as a
    /// small point, and a ring on the chosen (tuned) rate.
    func sensitivity(_ pa: ProblemAnalysis, items: [Item], file: String) -> Figure {
        let tuningSeeds = a.config.tuningSeeds.count
        let styles = Self.distinct(items.map { methodStyle($0.method) })
        var divergedRuns = 0
        let series = items.enumerated().map { i, it -> Series in
            let s = Curves.sensitivity(it.tuning)
            let runs = it.tuning.sorted { ($0.lr, $0.seed) < ($1.lr, $1.seed) }
            divergedRuns += runs.filter(\.diverged).count
            let finals = runs.map { $0.diverged ? Double.nan : ($0.finalValue ?? .nan) }
            return Series(a.label(it.method), x: s.lr, y: s.value, style: styles[i], markerEvery: 1,
                          points: (runs.map(\.lr), finals), emphasized: s.lr.indices.filter { s.lr[$0] == it.row.tunedLR })
        }
        var notes = ["Line: median over \(tuningSeeds) tuning seed\(tuningSeeds == 1 ? "" : "s"); small points: each tuning seed's final value; ring: the chosen (tuned) rate.", Self.styleNote]
        if divergedRuns > 0 { notes.append("\(divergedRuns) tuning run\(divergedRuns == 1 ? "" : "s") diverged (no point); a gap is a rate where the median run diverged.") }
        let chart = LineChart(
            title: "\(pa.name): final \(pa.primary) against base rate", x: .log("base learning rate lr₀"),
            y: yAxis(pa), series: series, height: Self.height(series.count),
            notes: notes, idPrefix: Fmt.slug(file))
        return Figure(name: file, svg: chart.svg(), alt: "\(pa.name): final value against base rate")
    }

    /// Every figure of the report, from the analysis and its tallies.
    func figures(_ t: Tallies) -> ReportFigures {
        let leaders = t.order.profileLeaders
        return ReportFigures(
            profileCombinations: profileFigure(a.profile, solvers: leaders, title: "Performance profile: the \(leaders.count) leading combinations",
                                               file: "profile-combinations.svg",
                                               note: "Ratios to the best of all \(a.methods.count) combinations on each of \(a.problems.count) problems; cost: median steps to the main target."),
            profileOptimizers: profileFigure(a.optimizerProfile, solvers: Array(a.config.optimizers.indices), title: "Performance profile of the optimizers, each with its best schedule per problem",
                                             file: "profile-optimizers.svg", note: "Solver: an optimizer with the schedule that is fastest for it on each problem."),
            profileSchedules: profileFigure(a.scheduleProfile, solvers: Array(a.config.schedules.indices), title: "Performance profile of the schedules, each with its best optimizer per problem",
                                            file: "profile-schedules.svg", note: "Solver: a schedule with the optimizer that is fastest with it on each problem."),
            ecdfCombinations: ecdfFigure(t.order.leadingCurves.map { ($0.label, $0.ecdf) }, title: "Targets reached: the \(t.order.leadingCurves.count) leading combinations",
                                         file: "ecdf-combinations.svg", note: "Each combination over all problems, at its tuned rate per problem."),
            ecdfOptimizers: ecdfFigure(t.order.optimizerCurves.map { ($0.label, $0.ecdf) }, title: "Targets reached: each optimizer with its best schedule per problem",
                                       file: "ecdf-optimizers.svg",
                                       note: "Per problem, the optimizer's best-ranked schedule (the one its line in the per-problem figures shows)."),
            overhead: overheadFigure(),
            problems: a.problems.map(problemFigures))
    }

    func problemFigures(_ pa: ProblemAnalysis) -> ProblemFigures {
        let p = "p\(pa.index + 1)"
        let leading = a.leading(pa, count: Self.leadingCount)
        let perOpt = a.bestPerOptimizer(pa)
        let target = mainTargetValue(pa), ref = baseline(pa)
        return ProblemFigures(
            leadingSteps: convergence(pa, items: leading, axis: .steps, what: "the \(leading.count) leading combinations",
                                      file: "\(p)-leading-steps.svg", target: target, reference: ref),
            optimizersSteps: convergence(pa, items: perOpt, axis: .steps, what: "each optimizer with its best schedule",
                                         file: "\(p)-optimizers-steps.svg", target: target, reference: ref),
            leadingSeconds: convergence(pa, items: leading, axis: .seconds, what: "the \(leading.count) leading combinations",
                                        file: "\(p)-leading-seconds.svg", target: target, reference: ref),
            optimizersSeconds: convergence(pa, items: perOpt, axis: .seconds, what: "each optimizer with its best schedule",
                                           file: "\(p)-optimizers-seconds.svg", target: target, reference: ref),
            sensitivity: sensitivity(pa, items: perOpt, file: "\(p)-sensitivity.svg"),
            schedules: scheduleFigure(budget: pa.entry.budget),
            driven: drivenFigure(pa))
    }

    /// The rates actually used by the run-dependent schedules (metric- or time-driven) on a
    /// problem: the median evaluation run of each one's best optimizer.
    func drivenFigure(_ pa: ProblemAnalysis) -> Figure? {
        let p = "p\(pa.index + 1)"
        // Rates actually used by the run-dependent schedules (metric- or time-driven).
        var driven: [Series] = []
        for s in a.config.schedules.indices where a.multiplier(s, budget: pa.entry.budget) == nil {
            guard let it = pa.ranked.first(where: { $0.method.schedule == s && $0.hasRuns }),
                  let run = Curves.medianRun(it.evaluation) else { continue }
            var xs: [Double] = [], ys: [Double] = []
            for (i, r) in run.rates.enumerated() where i < run.steps.count {
                guard let r else { continue }
                xs.append(Double(run.steps[i])); ys.append(r / run.lr)
            }
            driven.append(Series("\(Analysis.scheduleLabel(a.config, s)) (\(a.config.optimizers[it.method.optimizer].description), seed \(run.seed))",
                                 x: xs, y: ys, style: scheduleStyle(s)))
        }
        if !driven.isEmpty {
            let chart = LineChart(title: "\(pa.name): rates of the run-dependent schedules", x: .linear("step"),
                                  y: .log("rate multiplier lr_t / lr₀"), series: driven,
                                  notes: ["The median evaluation run (by final value) of each schedule's best optimizer."],
                                  idPrefix: "\(p)-driven")
            return Figure(name: "\(p)-driven-rates.svg", svg: chart.svg(), alt: "\(pa.name): rates used by metric- and time-driven schedules")
        }
        return nil
    }

    /// The step-driven schedules over one budget, at lr₀ = 1, each in its own style.
    func scheduleFigure(budget: Int) -> Figure? {
        var series: [Series] = []
        for s in a.config.schedules.indices {
            guard let m = a.multiplier(s, budget: budget) else { continue }
            series.append(Series(Analysis.scheduleLabel(a.config, s), x: (0..<m.count).map(Double.init), y: m,
                                 style: scheduleStyle(s), markerEvery: Swift.max(1, m.count / 12)))
        }
        guard !series.isEmpty else { return nil }
        let chart = LineChart(title: "The step-driven schedules over a budget of \(budget) steps (lr₀ = 1)",
                              x: .linear("step"), y: .linear("rate multiplier lr_t / lr₀"), series: series,
                              idPrefix: "schedules-\(budget)")
        return Figure(name: "schedules-budget-\(budget).svg", svg: chart.svg(), alt: "schedules over \(budget) steps")
    }

    // MARK: Cross-problem figures

    /// Stable styles for labelled curves (`style(label:)`, else the curve's position), clashes resolved.
    func styles(_ labels: [String]) -> [SeriesStyle] {
        Self.distinct(labels.enumerated().map { i, l in style(label: l) ?? Palette.style(i) })
    }

    func profileFigure(_ profile: PerformanceProfile, solvers: [Int], title: String, file: String, note: String) -> Figure {
        let tauMax = Swift.max(profile.maxRatio * 1.25, 2)
        let st = styles(solvers.map { profile.solvers[$0] })
        let series = solvers.enumerated().map { i, s -> Series in
            let c = profile.curve(s, tauMax: tauMax)
            return Series(profile.solvers[s], x: c.x, y: c.y, style: st[i], markerEvery: 1, interpolation: .steps)
        }
        let chart = LineChart(title: title, x: .log("τ: steps to the main target / the best's", lower: 1, upper: tauMax),
                              y: .linear("fraction of problems with ratio ≤ τ", lower: 0, upper: 1), series: series,
                              notes: [note] + (solvers.contains { isCombination(profile.solvers[$0]) } ? [Self.styleNote] : []),
                              idPrefix: Fmt.slug(file))
        return Figure(name: file, svg: chart.svg(), alt: title)
    }

    /// The left end of a log ECDF axis: the power of ten at or below the smallest positive hit
    /// (1e-3 without one).
    static func ecdfLower(_ curves: [ReachECDF]) -> Double {
        guard let m = curves.flatMap(\.hits).filter({ $0 > 0 }).min() else { return 1e-3 }
        return Foundation.pow(10, (Foundation.log10(m)).rounded(.down))
    }

    /// Runtime ECDFs on a log x axis (COCO): steps / budget from `lower` (default `ecdfLower`) to 1.
    /// A target reached at step 0 is drawn at the left edge.
    func ecdfFigure(_ curves: [(label: String, ecdf: ReachECDF)], title: String, file: String, note: String,
                    lower: Double? = nil) -> Figure {
        let lo = lower ?? Self.ecdfLower(curves.map(\.ecdf))
        let st = styles(curves.map(\.label))
        let series = curves.enumerated().map { i, c -> Series in
            let xy = c.ecdf.curve(end: 1)
            return Series(c.label, x: xy.x.map { Swift.max($0, lo) }, y: xy.y, style: st[i], interpolation: .steps)
        }
        let chart = LineChart(title: title, x: .log("steps / the problem's budget (log)", lower: lo, upper: 1),
                              y: .linear("fraction of (problem, target, seed) reached", lower: 0, upper: 1),
                              series: series,
                              notes: [note] + (curves.contains { isCombination($0.label) } ? [Self.styleNote] : [])
                                  + (curves.contains { $0.ecdf.fraction(atOrBelow: 0) > 0 } ? ["Targets reached at step 0 are drawn from the left edge."] : []),
                              idPrefix: Fmt.slug(file))
        return Figure(name: file, svg: chart.svg(), alt: title)
    }

    func overheadFigure() -> Figure? {
        guard let sgd = a.sgdIndex, !a.overhead.isEmpty else { return nil }
        let bars = a.overhead.map { Bar(a.config.optimizers[$0.optimizer].description, $0.mean.value, color: optimizerStyle($0.optimizer).color) }
        let chart = BarChart(title: "Time per step relative to \(a.config.optimizers[sgd].description) (geometric mean over problems)",
                             axis: .log("time per step / sgd's"), bars: bars, reference: 1, referenceLabel: "sgd",
                             valueSuffix: "×",
                             notes: ["Per problem: the median over schedules of the ratio of median seconds per step, paired by schedule.",
                                     "Bars in each optimizer's colour, as in the other figures."])
        return Figure(name: "overhead.svg", svg: chart.svg(), alt: "time per step relative to SGD")
    }
}
