// Render second: §2, per problem — the steps matrix, the ranking with its geometric-mean row,
// and the problem's figures (typed slots of `ProblemFigures`).

import Foundation
import Results
import Run
import Sweep
import Specs

extension ReportWriter {
    mutating func perProblem() {
        line("## 2. Per problem")
        line()
        for pa in a.problems {
            let e = pa.entry
            line("### p\(pa.index + 1). \(Fmt.code(pa.name))")
            line()
            line("Budget \(e.budget) steps, evaluated every \(e.evaluationInterval); targets \(e.targets.map { Fmt.code($0.description) }.joined(separator: ", ")); main target \(Fmt.code(e.mainTarget.description)); measure: \(pa.primary == Target.suboptimality ? "relative suboptimality (f − f*)/(f₀ − f*) of the training loss" : Fmt.code(pa.primary)).")
            line()
            matrix(pa)
            ranking(pa)
            let figs = drawn.problems[pa.index]
            line("**Convergence** (median over evaluation seeds, band min–max):")
            line()
            image(figs.leadingSteps); image(figs.optimizersSteps)
            line("The same against wall-clock seconds (measured; they vary between machines and runs):")
            line()
            image(figs.leadingSeconds); image(figs.optimizersSeconds)
            line("**Learning-rate sensitivity** (tuning runs; each optimizer with its best schedule here):")
            line()
            image(figs.sensitivity)
            line("**The schedules** as run on this problem:")
            line()
            image(figs.schedules)
            image(figs.driven)
        }
    }

    mutating func matrix(_ pa: ProblemAnalysis) {
        line("Median steps to \(Fmt.code(pa.entry.mainTarget.description)) by optimizer (rows) and schedule (columns); **bold**: the problem's best; ∞ with the fraction of seeds that reached it when the median did not; — no runs.")
        line()
        for t in config.transforms.indices {
            if config.transforms.count > 1 { line("Transforms \(Fmt.code(SweepConfig.chainName(config.transforms[t]))):"); line() }
            var table = Table(["optimizer"] + config.schedules.indices.map { Analysis.scheduleLabel(config, $0) },
                              [.left] + config.schedules.map { _ in .right })
            for o in config.optimizers.indices {
                var row = [Fmt.code(config.optimizers[o].description)]
                for s in config.schedules.indices {
                    guard let it = pa.item(Method(optimizer: o, schedule: s, transform: t)), it.hasRuns else { row.append(Fmt.none); continue }
                    if it.steps.isFinite {
                        let text = Fmt.steps(it.steps)
                        row.append(it.rank == 1 ? "**\(text)**" : text)
                    } else {
                        row.append("∞ (\(it.row.successes)/\(it.row.seeds))")
                    }
                }
                table.add(row)
            }
            md += table.markdown
            line()
        }
    }

    func rankingHeader(_ pa: ProblemAnalysis) -> Table {
        Table(["#", "optimizer", "schedule", "lr", "steps (IQR)", "success", "final \(pa.primary)", "time/step", "vs sgd", "rel. to best"],
              [.right, .left, .left, .right, .right, .right, .right, .right, .right, .right])
    }

    /// One combination's row of the ranking.
    func rankingRow(_ pa: ProblemAnalysis, _ it: Item) -> [String] {
        let r = it.row
        guard it.hasRuns else {
            return [String(it.rank), Fmt.code(config.optimizers[it.method.optimizer].description),
                    Fmt.code(config.schedules[it.method.schedule].description) + transformSuffix(it.method),
                    Fmt.none, "no runs", Fmt.none, Fmt.none, Fmt.none, Fmt.none, Fmt.none]
        }
        let lr = Fmt.sig(r.tunedLR) + (r.lrOnGridEdge ? " ⚠" : "")
        let steps = Fmt.steps(it.steps) + " (" + Fmt.steps(r.stepsQ25) + "–" + Fmt.steps(r.stepsQ75) + ")" + oracleCalls(r)
        let success = "\(r.successes)/\(r.seeds)"
        let final = Fmt.sig(r.finalMedian) + (r.diverged > 0 ? " (\(r.diverged) div.)" : "")
        let measurable = r.secondsPerStepMedian >= ReportWriter.timerFloor
        return [it.rank == 0 ? "—" : String(it.rank), Fmt.code(config.optimizers[it.method.optimizer].description),
                Fmt.code(config.schedules[it.method.schedule].description) + transformSuffix(it.method),
                lr, steps, success, final, Fmt.perStep(r.secondsPerStepMedian), measurable ? Fmt.ratio(it.overSGD) : Fmt.none, Fmt.ratio(it.relative)]
    }

    /// The median oracle calls to the main target, after the steps, for methods that spend more
    /// than one call per step (a line search); empty when they equal the steps.
    func oracleCalls(_ r: SummaryRow) -> String {
        r.oracleCallsMedian.isNaN || r.oracleCallsMedian == r.stepsMedian ? "" : "; " + Fmt.steps(r.oracleCallsMedian) + " calls"
    }

    /// The problem's full ranking: the top rows, the rest folded.
    mutating func ranking(_ pa: ProblemAnalysis) {
        line("**Ranking** by median steps to the main target (∞ when fewer than half the seeds reach it), ties by the median final value — an order, not a verdict: the top group above says which differences the seeds support. *lr*: the tuned base rate (⚠ on the edge of the rates searched). *steps (IQR)*: median and interquartile range over the evaluation seeds; *N calls* after them: the median oracle calls (gradient + loss evaluations) to the main target, shown where they differ from the steps (a line search). *vs sgd*: median time per step over plain `sgd`'s with the same schedule (— below 1 µs per step, where a sweep's timings are not resolved; see `results/perf/PERF.md`). Wall-clock-driven schedules are listed last, unranked.")
        line()
        var t = rankingHeader(pa), rest = rankingHeader(pa)
        for (k, it) in pa.ranked.enumerated() {
            if k < Report.topRows { t.add(rankingRow(pa, it)) } else { rest.add(rankingRow(pa, it)) }
        }
        let g = tallies.rankings[pa.index]
        let geo = ["", "**geometric mean**", "\(g.combinations) combinations",
                   Fmt.geo(g.tunedLR, ratio: false), Fmt.geo(g.steps, ratio: false), Fmt.percent(g.success) + " (mean)",
                   Fmt.geo(g.final, ratio: false), Fmt.perStep(g.secondsPerStep.value), Fmt.geo(g.overSGD), Fmt.geo(g.relative)]
        if rest.rows.isEmpty {
            t.add(geo)
            md += t.markdown
            line()
        } else {
            md += t.markdown
            line()
            rest.add(geo)
            details(rest, summary: "Ranks \(Report.topRows + 1)–\(pa.items.count) and the geometric mean")
        }
    }
}
