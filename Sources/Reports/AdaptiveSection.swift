// Render second: the report section of the adaptive sweep (issue 14) from `AdaptiveAnalysis`.
// Tables in reading precision; figures on log axes with every seed drawn and the reference rates.

import Foundation
import Results
import Run
import Sweep
import Plots
import Specs
import Statistics

extension ReportWriter {
    /// The section on the adaptive and learning-rate-free methods; nothing when the sweep has
    /// neither an adaptive optimizer nor a budgets list.
    mutating func adaptiveSection() {
        let ad = AdaptiveAnalysis(a.results)
        guard ad.hasData else { return }
        var section = AdaptiveSectionWriter(ad: ad, config: config)
        section.render()
        md += section.md
        for f in section.figures where !figures.contains(where: { $0.name == f.name }) { figures.append(f) }
    }
}

/// Writes the section's Markdown and figures; usable alone (tests render a small case).
public struct AdaptiveSectionWriter {
    public let ad: AdaptiveAnalysis
    public let config: SweepConfig
    public var md = ""
    public var figures: [Figure] = []

    public init(ad: AdaptiveAnalysis, config: SweepConfig) {
        self.ad = ad
        self.config = config
    }

    mutating func line(_ s: String = "") { md += s + "\n" }

    mutating func image(_ f: Figure) {
        figures.append(f)
        line("![\(f.alt)](\(Report.figuresFolder)/\(f.name))")
        line()
    }

    func opt(_ o: Int) -> String { Fmt.code(config.optimizers[o].description) }
    func name(_ si: Int) -> String { ad.series[si].name }
    func levelText() -> String { Fmt.percent(ad.level) }

    public mutating func render() {
        line("## Adaptive and learning-rate-free methods")
        line()
        line("Four measurements of the claims these methods make (README, \"The adaptive sweep\"). *Adaptive*: the optimizers whose runs record the step they applied (\(ad.adaptive.map(opt).joined(separator: ", "))); *baselines*: \(ad.baselines.map(opt).joined(separator: ", ")), their rate tuned per combination and budget.")
        line()
        effective()
        robustness()
        frontier()
        calibration()
    }

    // MARK: (1)

    mutating func effective() {
        line("### Effective step size against the tuned constant rate")
        line()
        line("The step each adaptive method applied over the run at its default rate (the one-shot runs: multiplier 1 for the learning-rate-free methods), constant schedule, largest budget, against the grid-tuned constant rate of its family's baseline on the same problem (Adam for the Adam-type methods, plain SGD for the gradient-step ones). *ratio*: per evaluation seed the median over the run of applied step / tuned rate; the median over seeds and its range. 1 means the method found the rate tuning finds. *tuned multiplier*: the rate the search chose for the method itself (far from 1: tuning still mattered).")
        line()
        var t = Table(["problem", "method", "reference (tuned constant)", "median ratio", "seeds' range", "tuned multiplier"],
                      [.left, .left, .left, .right, .right, .right])
        for e in ad.effective {
            let ref = e.family.map { "\(opt($0)) \(Fmt.sig(e.reference))" } ?? Fmt.none
            let finite = e.ratios.filter { !$0.isNaN }
            let range = finite.isEmpty ? Fmt.none : "\(Fmt.sig(finite.min()!))–\(Fmt.sig(finite.max()!))"
            t.add([Fmt.code(name(e.series)), opt(e.optimizer), ref, Fmt.sig(e.medianRatio), range, Fmt.sig(e.tunedMultiplier)])
        }
        if t.rows.isEmpty { line("No default-rate runs of adaptive methods with the constant schedule."); line(); return }
        md += t.markdown
        line()
        for si in ad.series.indices {
            let rows = ad.effective.filter { $0.series == si }
            guard !rows.isEmpty else { continue }
            var seen: Set<String> = []
            let first = rows.filter { seen.insert(config.optimizers[$0.optimizer].name).inserted }.prefix(LineChart.maxSeries)
            let series = first.map { e -> Series in
                let style = Palette.style(e.optimizer)
                return Series(config.optimizers[e.optimizer].description, x: e.steps, y: e.median,
                              band: Band(lower: e.lower, upper: e.upper), style: style)
            }
            var refs: [ReferenceLine] = []
            var families: [Int] = []
            for e in rows { if let f = e.family, !families.contains(f), e.reference.isFinite, e.reference > 0 { families.append(f) } }
            for f in families {
                let r = rows.first { $0.family == f }!.reference
                refs.append(.y(r, label: "tuned \(config.optimizers[f].description) + constant: \(Fmt.sig(r))"))
            }
            let seeds = ad.effective.first { $0.series == si }.map(\.ratios.count) ?? 0
            let chart = LineChart(title: "\(name(si)): applied step size over the run", x: .linear("step"),
                                  y: .log("applied step size (effective rate)"), series: Array(series),
                                  height: FigureBuilder.height(series.count),
                                  notes: ["Line: median over \(seeds) evaluation seeds at the default rate; band: min–max over the seeds (every seed lies inside).",
                                          "Horizontal lines: the grid-tuned constant rate of each family's baseline. The first listed setting of each method is drawn; the table has all."],
                                  idPrefix: "adaptive-eff-\(si + 1)", references: refs)
            image(Figure(name: "adaptive-p\(si + 1)-effective-rate.svg", svg: chart.svg(), alt: "\(name(si)): applied step size against the tuned constant rate"))
        }
    }

    // MARK: (2)

    mutating func robustness() {
        line("### How free is learning-rate-free: knob robustness")
        line()
        line("Per problem and method: the share of its knob settings listed in the sweep (d0, growth_rate, d_coef, reps_rel, …, at the documented ranges) whose median steps to the main target stay within 2× of the tuned baseline's, the fastest baseline combination of any schedule and budget (named). *at default rate*: each setting at the method's own rate (the one-shot runs); *at tuned rate*: with the multiplier searched as for the baselines. Constant schedule, largest budget, evaluation seeds; a setting that misses the target counts as outside. *multiplier*: the multiplier itself as a knob, from a tenth to ten times the method's default rate, for its first (default) setting: the rates of the search in that range, median steps over the tuning seeds, against the tuned baseline's on the same seeds.")
        line()
        var t = Table(["problem", "method", "settings", "within 2× (default rate)", "within 2× (tuned rate)", "their steps (default rate)", "multiplier within 2× (tuning seeds)", "tuned baseline", "its steps"],
                      [.left, .left, .right, .right, .right, .left, .right, .left, .right])
        for r in ad.robustness {
            let steps = r.defaultSteps.map(Fmt.steps).joined(separator: ", ")
            t.add([Fmt.code(name(r.series)), Fmt.code(r.method), String(r.settings.count),
                   "\(r.withinDefault)/\(r.settings.count) (\(Fmt.percent(r.fractionDefault)))",
                   "\(r.withinTuned)/\(r.settings.count) (\(Fmt.percent(r.fractionTuned)))",
                   steps, r.multipliers.isEmpty ? Fmt.none : "\(r.withinMultiplier)/\(r.multipliers.count) of \(r.multipliers.map { Fmt.sig($0) }.joined(separator: ", ")) (baseline \(Fmt.steps(r.baselineTuningSteps)))",
                   Fmt.code(r.baselineLabel), Fmt.steps(r.baselineSteps)])
        }
        if t.rows.isEmpty { line("No adaptive methods with the constant schedule."); line(); return }
        md += t.markdown
        line()
        line("Settings in file order: " + ad.adaptive.map(opt).joined(separator: ", ") + ".")
        line()
    }

    // MARK: (3)

    mutating func frontier() {
        line("### The anytime frontier")
        line()
        line("Per problem and budget: the best value of the problem's measure reached by that budget (median over evaluation seeds). A budget-aware schedule (cosine, WSD, …) is re-resolved and re-tuned at every budget; a budget-free combination (its resolved specs do not depend on the budget) ran once, at the largest budget, and is read at every budget from its curve. *verdict*: the best anytime adaptive method (first listed setting of each) against the best schedule tuned for that budget, by the paired bootstrap \(levelText()) interval of the ratio of medians over the same seeds: a tie when the interval contains 1.")
        line()
        for f in ad.frontiers {
            let s = ad.series[f.series]
            guard s.budgets.count > 1 || !f.verdicts.isEmpty else { continue }
            line("**\(Fmt.code(s.name))**")
            line()
            var t = Table(["budget", "best anytime", "median", "best tuned for the budget", "median", "ratio [\(levelText()) CI]", "verdict"],
                          [.right, .left, .right, .left, .right, .right, .left])
            for v in f.verdicts {
                let ci = v.ratio.map { "\(Fmt.ratio($0.estimate)) [\(Fmt.ratio($0.lower)), \(Fmt.ratio($0.upper))]" } ?? Fmt.none
                t.add([String(v.budget), Fmt.code(v.anytime), Fmt.sig(v.anytimeMedian), Fmt.code(v.tuned), Fmt.sig(v.tunedMedian), ci, v.outcome.rawValue])
            }
            md += t.markdown
            line()
            line(sentence(f))
            line()
            if s.budgets.count > 1 { image(frontierFigure(f)) }
        }
    }

    /// Where the anytime methods match the per-budget-tuned schedules, and where not.
    func sentence(_ f: AdaptiveAnalysis.Frontier) -> String {
        func list(_ o: AdaptiveAnalysis.FrontierVerdict.Outcome) -> [Int] { f.verdicts.filter { $0.outcome == o }.map(\.budget) }
        let tie = list(.tie), better = list(.anytimeBetter), worse = list(.anytimeWorse), unknown = list(.unknown)
        func b(_ xs: [Int]) -> String { xs.map(String.init).joined(separator: ", ") }
        var parts: [String] = []
        if !tie.isEmpty { parts.append("the best anytime method ties the best per-budget-tuned schedule at budget\(tie.count == 1 ? "" : "s") \(b(tie))") }
        if !better.isEmpty { parts.append("it is better at \(b(better))") }
        if !worse.isEmpty { parts.append("it is worse at \(b(worse))") }
        if !unknown.isEmpty { parts.append("no verdict at \(b(unknown)) (too few seeds for an interval, or a value of exactly 0)") }
        return parts.isEmpty ? "No verdict: a side has no runs." : "Here " + parts.joined(separator: "; ") + "."
    }

    func frontierFigure(_ f: AdaptiveAnalysis.Frontier) -> Figure {
        let s = ad.series[f.series]
        let x = s.budgets.map(Double.init)
        let drawn = f.lines.filter { $0.firstSetting }.prefix(LineChart.maxSeries)
        let styles = FigureBuilder.distinct(drawn.map { l -> SeriesStyle in
            let style = Palette.style(l.optimizer)
            switch l.kind {
            case .tunedPerBudget: return SeriesStyle(color: style.color, dash: .solid, marker: .square)
            case .constantBaseline: return SeriesStyle(color: style.color, dash: .dotted, marker: .openCircle)
            case .anytime: return SeriesStyle(color: style.color, dash: style.dash, marker: .circle)
            }
        })
        let series = drawn.enumerated().map { i, l -> Series in
            let style = styles[i]
            var px: [Double] = [], py: [Double] = []
            for (k, vals) in l.values.enumerated() { for v in vals where v.isFinite { px.append(x[k]); py.append(v) } }
            return Series(l.label + (l.kind == .anytime ? " (one run)" : ""), x: x, y: l.medians.map { $0.isFinite ? $0 : .nan },
                          style: style, markerEvery: 1, points: (px, py))
        }
        let title = s.primary == Target.suboptimality ? "best suboptimality reached" : "best \(s.primary) reached"
        let chart = LineChart(title: "\(s.name): the anytime frontier", x: .log("budget (steps)"),
                              y: s.higherIsBetter ? .linear(title) : .log(title), series: Array(drawn.isEmpty ? [] : series),
                              height: FigureBuilder.height(series.count),
                              notes: ["Line: median over the evaluation seeds; small points: every seed. Squares: the best budget-aware schedule re-tuned at each budget; dotted: the baseline at a constant rate; the rest ran once at the largest budget (anytime)."],
                              idPrefix: "adaptive-frontier-\(f.series + 1)")
        return Figure(name: "adaptive-p\(f.series + 1)-frontier.svg", svg: chart.svg(), alt: "\(s.name): best value reached against the budget")
    }

    // MARK: (4)

    mutating func calibration() {
        line("### Range-test calibration")
        line()
        line("For each problem and baseline optimizer: the range test (README, \"Learning-rate range test\"; ramp 1e-8 → 10 over 100 updates) on each evaluation seed's instance, computed by the report, against the rate tuned with the constant schedule at the largest budget, in grid steps: log(suggestion / tuned) / log(\(Fmt.sig(ad.gridStep))), the sweep grid's ratio. 0 is the tuned rate; −1 one grid step too small. Median over the seeds with a suggestion; *none*: seeds where the rule gave none.")
        line()
        var t = Table(["problem", "optimizer", "tuned", "steepest (guarded)", "Lightning's steepest", "minimum/10", "none (guarded)"],
                      [.left, .left, .right, .right, .right, .right, .right])
        for c in ad.calibration {
            func cell(_ xs: [Double?], _ f: Double) -> String {
                let got = xs.compactMap { $0 }
                return got.isEmpty ? Fmt.none : "\(Fmt.fixed(f, 1)) (\(Fmt.sig(AdaptiveAnalysis.median(got))))"
            }
            t.add([Fmt.code(name(c.series)), opt(c.optimizer), Fmt.sig(c.tuned), cell(c.steepest, c.steepestFactor),
                   cell(c.lightning, c.lightningFactor), cell(c.minimumOverTen, c.minimumFactor),
                   "\(c.steepest.filter { $0 == nil }.count)/\(c.steepest.count)"])
        }
        if t.rows.isEmpty { line("No range tests (no baseline optimizer with the constant schedule)."); line(); return }
        md += t.markdown
        line()
        line("Cells: grid steps from the tuned rate (the median suggested rate in brackets).")
        line()
    }
}
