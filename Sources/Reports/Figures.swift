// Figures from the analysis: data first (curves as numbers), SVG second (Plots).

import Foundation
import Harness
import Plots
import Schedules
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

    /// The rate multiplier lr_t / lr₀ of a step-driven schedule over the budget (nil when the
    /// schedule depends on the run: metric- or time-driven, or it cannot be built).
    public static func multiplier(_ spec: Spec, budget: Int) -> [Double]? {
        guard let resolved = try? BudgetExpression.resolve(spec, budget: budget),
              let schedule = try? ScheduleRegistry.make(resolved), schedule.drive == .step else { return nil }
        let controller = schedule.makeController(base: 1)
        return (0..<Swift.max(budget, 1)).map { controller.rate(at: $0, elapsedSeconds: 0) }
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

/// Builds every figure of a report.
struct FigureBuilder {
    let a: Analysis
    static let leadingCount = 6

    func yAxis(_ pa: ProblemAnalysis) -> Axis {
        let title = pa.primary == Target.suboptimality ? "suboptimality (f − f*)/(f₀ − f*)" : pa.primary
        return pa.higherIsBetter ? .linear(title) : .log(title)
    }

    func curveSeries(_ items: [Item], axis: CurveAxis) -> [Series] {
        items.enumerated().map { i, it in
            let c = Curves.aggregate(it.evaluation, axis: axis)
            return Series(a.label(it.method) + " (lr " + Fmt.sig(it.row.tunedLR) + ")", x: c.x, y: c.median,
                          band: Band(lower: c.lower, upper: c.upper), color: Palette.color(i), dash: Palette.dash(i),
                          marker: Palette.marker(i))
        }
    }

    /// Taller charts for more series, so that a legend below the plot leaves the plot its height.
    static func height(_ series: Int) -> Double { 400 + 20 * Double(Swift.max(series, 4)) }

    func convergence(_ pa: ProblemAnalysis, items: [Item], axis: CurveAxis, what: String, file: String) -> Figure {
        let seeds = items.first?.evaluation.count ?? 0
        let chart = LineChart(
            title: "\(pa.name): \(what)",
            x: axis == .steps ? .linear("step") : .linear("seconds since the start (median over seeds)"),
            y: yAxis(pa), series: curveSeries(items, axis: axis),
            height: Self.height(items.count),
            notes: ["Line: median over \(seeds) evaluation seed\(seeds == 1 ? "" : "s") at the tuned rate; band: min–max."],
            idPrefix: Fmt.slug(file))
        return Figure(name: file, svg: chart.svg(), alt: "\(pa.name): \(what), \(axis == .steps ? "against steps" : "against seconds")")
    }

    func problemFigures(_ pa: ProblemAnalysis) -> [String: Figure] {
        let p = "p\(pa.index + 1)"
        var out: [String: Figure] = [:]
        let leading = a.leading(pa, count: Self.leadingCount)
        let perOpt = a.bestPerOptimizer(pa)
        out["leading-steps"] = convergence(pa, items: leading, axis: .steps, what: "the \(leading.count) leading combinations", file: "\(p)-leading-steps.svg")
        out["optimizers-steps"] = convergence(pa, items: perOpt, axis: .steps, what: "each optimizer with its best schedule", file: "\(p)-optimizers-steps.svg")
        out["leading-seconds"] = convergence(pa, items: leading, axis: .seconds, what: "the \(leading.count) leading combinations", file: "\(p)-leading-seconds.svg")
        out["optimizers-seconds"] = convergence(pa, items: perOpt, axis: .seconds, what: "each optimizer with its best schedule", file: "\(p)-optimizers-seconds.svg")

        // Learning-rate sensitivity: each optimizer with its best schedule, tuning runs.
        let tuningSeeds = a.config.tuningSeeds.count
        let sens = perOpt.enumerated().map { i, it -> Series in
            let s = Curves.sensitivity(it.tuning)
            return Series(a.label(it.method), x: s.lr, y: s.value, color: Palette.color(i), dash: Palette.dash(i),
                          marker: Palette.marker(i), markerEvery: 1)
        }
        let sensChart = LineChart(
            title: "\(pa.name): final \(pa.primary) against base rate", x: .log("base learning rate lr₀"),
            y: yAxis(pa), series: sens, height: Self.height(sens.count),
            notes: ["Median over \(tuningSeeds) tuning seed\(tuningSeeds == 1 ? "" : "s"); a gap is a rate where the median run diverged."],
            idPrefix: "\(p)-sensitivity")
        out["sensitivity"] = Figure(name: "\(p)-sensitivity.svg", svg: sensChart.svg(), alt: "\(pa.name): final value against base rate")

        // Rates actually used by the run-dependent schedules (metric- or time-driven).
        var driven: [Series] = []
        for s in a.config.schedules.indices where Curves.multiplier(a.config.schedules[s], budget: pa.entry.budget) == nil {
            guard let it = pa.ranked.first(where: { $0.method.schedule == s && $0.hasRuns }),
                  let run = Curves.medianRun(it.evaluation) else { continue }
            var xs: [Double] = [], ys: [Double] = []
            for (i, r) in run.rates.enumerated() where i < run.steps.count {
                guard let r else { continue }
                xs.append(Double(run.steps[i])); ys.append(r / run.lr)
            }
            let k = driven.count
            driven.append(Series("\(Analysis.scheduleLabel(a.config, s)) (\(a.config.optimizers[it.method.optimizer].description), seed \(run.seed))",
                                 x: xs, y: ys, color: Palette.color(k), dash: Palette.dash(k)))
        }
        if !driven.isEmpty {
            let chart = LineChart(title: "\(pa.name): rates of the run-dependent schedules", x: .linear("step"),
                                  y: .log("rate multiplier lr_t / lr₀"), series: driven,
                                  notes: ["The median evaluation run (by final value) of each schedule's best optimizer."],
                                  idPrefix: "\(p)-driven")
            out["driven"] = Figure(name: "\(p)-driven-rates.svg", svg: chart.svg(), alt: "\(pa.name): rates used by metric- and time-driven schedules")
        }
        return out
    }

    /// The step-driven schedules over one budget, at lr₀ = 1.
    func scheduleFigure(budget: Int) -> Figure? {
        var series: [Series] = []
        for s in a.config.schedules.indices {
            guard let m = Curves.multiplier(a.config.schedules[s], budget: budget) else { continue }
            let k = series.count
            series.append(Series(Analysis.scheduleLabel(a.config, s), x: (0..<m.count).map(Double.init), y: m,
                                 color: Palette.color(k), dash: Palette.dash(k)))
        }
        guard !series.isEmpty else { return nil }
        let chart = LineChart(title: "The step-driven schedules over a budget of \(budget) steps (lr₀ = 1)",
                              x: .linear("step"), y: .linear("rate multiplier lr_t / lr₀"), series: series,
                              idPrefix: "schedules-\(budget)")
        return Figure(name: "schedules-budget-\(budget).svg", svg: chart.svg(), alt: "schedules over \(budget) steps")
    }

    func profileFigure(_ profile: PerformanceProfile, solvers: [Int], title: String, file: String, note: String) -> Figure {
        let tauMax = Swift.max(profile.maxRatio * 1.25, 2)
        let series = solvers.enumerated().map { i, s -> Series in
            let c = profile.curve(s, tauMax: tauMax)
            return Series(profile.solvers[s], x: c.x, y: c.y, color: Palette.color(i), dash: Palette.dash(i),
                          marker: Palette.marker(i), markerEvery: 1, interpolation: .steps)
        }
        let chart = LineChart(title: title, x: .log("τ: steps to the main target / the best's", lower: 1, upper: tauMax),
                              y: .linear("fraction of problems with ratio ≤ τ", lower: 0, upper: 1), series: series,
                              notes: [note], idPrefix: Fmt.slug(file))
        return Figure(name: file, svg: chart.svg(), alt: title)
    }

    func ecdfFigure(_ curves: [(label: String, ecdf: ReachECDF)], title: String, file: String, note: String) -> Figure {
        let series = curves.enumerated().map { i, c -> Series in
            let xy = c.ecdf.curve(end: 1)
            return Series(c.label, x: xy.x, y: xy.y, color: Palette.color(i), dash: Palette.dash(i), interpolation: .steps)
        }
        let chart = LineChart(title: title, x: .linear("steps / the problem's budget", lower: 0, upper: 1),
                              y: .linear("fraction of (problem, target, seed) reached", lower: 0, upper: 1),
                              series: series, notes: [note], idPrefix: Fmt.slug(file))
        return Figure(name: file, svg: chart.svg(), alt: title)
    }

    func overheadFigure() -> Figure? {
        guard let sgd = a.sgdIndex, !a.overhead.isEmpty else { return nil }
        let bars = a.overhead.map { Bar(a.config.optimizers[$0.optimizer].description, $0.mean.value) }
        let chart = BarChart(title: "Time per step relative to \(a.config.optimizers[sgd].description) (geometric mean over problems)",
                             axis: .log("time per step / sgd's"), bars: bars, reference: 1, referenceLabel: "sgd",
                             valueSuffix: "×",
                             notes: ["Per problem: the median over schedules of the ratio of median seconds per step, paired by schedule."])
        return Figure(name: "overhead.svg", svg: chart.svg(), alt: "time per step relative to SGD")
    }
}
