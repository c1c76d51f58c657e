// Render second: the report's first screen and §1's top-group tables, from `Answers`.

import Results
import Foundation
import Run
import Sweep
import Specs
import Statistics

extension Fmt {
    /// `182 [176, 190]`: an estimate with its interval, in steps.
    static func stepsCI(_ ci: ConfidenceInterval?) -> String {
        guard let ci else { return Fmt.none }
        return steps(ci.estimate) + " [" + steps(ci.lower) + ", " + steps(ci.upper) + "]"
    }

    static func valueCI(_ ci: ConfidenceInterval?) -> String {
        guard let ci else { return Fmt.none }
        return sig(ci.estimate) + " [" + sig(ci.lower) + ", " + sig(ci.upper) + "]"
    }

    /// A p-value for reading: `<0.001`, `0.012`, `1`.
    static func p(_ x: Double?) -> String {
        guard let x else { return "best" }
        if x < 0.001 { return "<0.001" }
        if x >= 0.9995 { return "1" }
        return String(format: "%.3f", x)
    }
}

extension ReportWriter {
    /// §1: the top groups, then the order across problems (OrderSection.swift).
    mutating func answer() {
        line("## 1. The answer")
        line()
        topGroups()
        overallTable()
        profiles()
        ecdfs()
    }

    /// `sgd(momentum=0.9) + cosine` with its tuned rate and an edge flag.
    func memberText(_ pa: ProblemAnalysis, _ e: GroupEntry) -> String {
        let it = pa.items[e.item]
        return a.label(it.method) + " (lr " + Fmt.sig(it.row.tunedLR) + (it.row.lrOnGridEdge ? " ⚠edge" : "") + "; " + Fmt.stepsCI(e.steps) + ")"
    }

    /// The first screen: per problem the top group with rates, intervals and edge flags, the
    /// comparison with tuned adam + constant, the default rates, and what is not separated.
    mutating func firstScreen() {
        let s = answers.settings
        line("**The answer** — median steps to each problem's main target over \(config.evaluationSeeds.count) evaluation seeds, [\(Fmt.percent(s.level)) bootstrap interval]. The **top group** is every combination not significantly slower than the best (\(answers.test), family-wise α = \(Fmt.sig(s.alpha))); *first* is the share of seed resamples in which the best stays first. Wall-clock-driven schedules are left out. ⚠edge: the tuned rate is the edge of the rates searched.")
        line()
        var t = Table(["problem", "main target", "top group", "best (tuned lr; steps [CI]), then the next members", "first", "× vs tuned adam + constant"],
                      [.left, .left, .right, .left, .right, .right])
        let at = tallies.answer
        for (ans, tally) in zip(answers.problems, at.problems) {
            let pa = a.problems[ans.problem]
            let target = Fmt.code(pa.entry.mainTarget.description) + (ans.resolution > 1 ? " (±\(ans.resolution))" : "")
            guard let g = ans.group, let tally else {
                t.add([Fmt.code(pa.name), target, Fmt.none, ans.unavailable ?? "no statistics", Fmt.none, Fmt.none])
                continue
            }
            let best = g.bestEntry
            let others = tally.others
            var text = "**" + memberText(pa, best) + "**"
            if !(best.steps?.estimate.isFinite ?? false) { text = "none reaches it (median): " + text }
            for e in others.prefix(2) { text += "; " + memberText(pa, e) }
            if others.count > 2 { text += "; +\(others.count - 2) more (p\(pa.index + 1))" }
            let vs: String
            switch tally.versusBaseline {
            case nil: vs = Fmt.none
            case .ratio(let r, let inGroup): vs = Fmt.ratio(r) + "×" + (inGroup ? " (in the group)" : "")
            case .baselineMisses: vs = "adam + constant misses it"
            }
            t.add([Fmt.code(pa.name), target, "\(g.members.count) of \(g.entries.count)", text, Fmt.percent(best.firstShare), vs])
        }
        md += t.markdown
        line()
        // Optimizers and schedules across problems.
        for ov in at.overall {
            let (what, o, members, next) = (ov.what, ov.answer, ov.members, ov.next)
            line("- **\(what)** across \(o.problems.count) problems (each \(what == "Optimizers" ? "with its schedule" : "with its optimizer") of best tuning score): top group " +
                 members.map { Fmt.code(o.labels[$0]) + " " + Fmt.ratio(o.result.cost[$0]) + "×" }.joined(separator: ", ") +
                 (next.map { "; next " + Fmt.code(o.labels[$0]) + " " + Fmt.ratio(o.result.cost[$0]) + "× (p " + Fmt.p(o.result.adjustedPValue[$0]) + ")" } ?? "") +
                 ". Cost: geometric mean over problems of median steps over each problem's best, a miss counting as 2× budget.")
        }
        // Default rates.
        let ran = at.defaults
        if !ran.isEmpty {
            line("- **At its default rate** (constant schedule, no tuning), each optimizer reaches the main target on: " +
                 ran.map { "\(Fmt.code(config.optimizers[$0.optimizer].description)) \($0.reached)/\($0.ran)" }.joined(separator: ", ") + " problems.")
        }
        if !at.anyBest {
            line("- **No best overall:** no combination reaches a main target on at least half of its evaluation seeds in this result set.")
        }
        // What is not separated.
        let unseparated = at.unseparated.map { "p\($0.problem + 1) (\($0.members))" }
        let separated = at.separated.map { "p\($0 + 1)" }
        line("- **Not significant:** the seeds do not separate the members of each top group — " +
             (unseparated.isEmpty ? "every problem's best is separated from all others." : unseparated.joined(separator: ", ") + " combinations tie with the best") +
             (separated.isEmpty ? "." : "; the best stands alone on " + separated.joined(separator: ", ") + ".") + " Details in §1.")
        line()
    }

    /// §1: the top groups in full, the optimizer and schedule groups per problem, the relaxed targets.
    mutating func topGroups() {
        line("### Top groups per problem")
        line()
        line("Every member of each problem's top group, fastest median first: tuned rate (⚠ on the edge of the rates searched), median steps to the main target and final value with \(Fmt.percent(answers.settings.level)) bootstrap intervals over the evaluation seeds, the Holm-adjusted p-value of \"slower than the best\" (exact one-sided Wilcoxon signed-rank on log steps, paired by seed), and the share of seed resamples in which it is first. `rankings.csv` beside this report has every combination.")
        line()
        for (ans, tally) in zip(answers.problems, tallies.answer.problems) {
            let pa = a.problems[ans.problem]
            line("**p\(pa.index + 1). \(Fmt.code(pa.name))** — main target \(Fmt.code(pa.entry.mainTarget.description))" +
                 (ans.resolution > 1 ? ", resolved to \(ans.resolution) steps (the evaluation interval: a difference below it is a tie)" : ", exact to the step"))
            line()
            guard let g = ans.group, let tally else { line(ans.unavailable ?? "No statistics."); line(); continue }
            var t = Table(["combination", "lr", "steps [CI]", "final \(pa.primary) [CI]", "p vs best", "first"],
                          [.left, .right, .right, .right, .right, .right])
            var rest = t
            for (k, e) in tally.members.enumerated() {
                let it = pa.items[e.item]
                let row = [a.label(it.method), Fmt.sig(it.row.tunedLR) + (it.row.lrOnGridEdge ? " ⚠" : ""), Fmt.stepsCI(e.steps) + oracleCalls(it.row),
                           Fmt.valueCI(e.final), Fmt.p(e.adjusted), Fmt.percent(e.firstShare)]
                if k < Report.topRows { t.add(row) } else { rest.add(row) }
            }
            md += t.markdown
            line()
            details(rest, summary: "The other \(rest.rows.count) members")
            line("\(g.members.count) of \(g.entries.count) combinations are in the group; \(ans.excluded.count) left out (wall-clock-driven or incomplete).")
            line()
        }

        line("### Optimizers and schedules per problem")
        line()
        line("Each optimizer is represented on a problem by its schedule with the best tuning score (chosen on the tuning seeds, so the evaluation seeds test it afresh), each schedule by its optimizer with the best tuning score; ● in the problem's top group, ○ significantly slower than its best; — not run.")
        line()
        let cfg = config
        for (what, rows) in tallies.answer.membership {
            let labels = what == "optimizer" ? cfg.optimizers.map(\.description) : cfg.schedules.indices.map { Analysis.scheduleLabel(cfg, $0) }
            var t = Table([what] + answers.problems.map { "p\($0.problem + 1)" } + ["in group"], [.left] + answers.problems.map { _ in .center } + [.right])
            for r in rows {
                t.add([Fmt.code(labels[r.candidate])] + r.cells.map { $0.map { $0 ? "●" : "○" } ?? Fmt.none } + ["\(r.inGroup)/\(r.ran)"])
            }
            md += t.markdown
            line()
        }
        if let c = answers.combinations {
            let members = tallies.answer.combinationMembers
            line("**Combinations across problems** (\(c.problems.map { "p\($0 + 1)" }.joined(separator: ", ")), where all \(c.labels.count) compared ran): cost = geometric mean over problems of median steps over the problem's best, a miss counting as twice the budget; the top group holds every combination not significantly costlier than the best (paired bootstrap over the seeds of every problem, Holm, α = \(Fmt.sig(answers.settings.alpha))).")
            line()
            var t = Table(["combination", "cost [CI]", "p vs best", "first"], [.left, .right, .right, .right])
            var rest = t
            for (k, m) in members.enumerated() {
                let ci = c.result.interval[m]
                let row = [c.labels[m], Fmt.ratio(ci.estimate) + " [" + Fmt.ratio(ci.lower) + ", " + Fmt.ratio(ci.upper) + "]",
                           Fmt.p(c.result.adjustedPValue[m]), Fmt.percent(c.result.firstShare[m])]
                if k < Report.topRows { t.add(row) } else { rest.add(row) }
            }
            md += t.markdown
            line()
            details(rest, summary: "The other \(rest.rows.count) members")
            line("\(members.count) of \(c.labels.count) combinations are in the overall top group.")
            line()
        }

        if !config.relaxations.isEmpty {
            line("### Target relaxation")
            line()
            line("The same runs judged at main targets made harder (× \(config.relaxations.filter { $0 < 1 }.map { Fmt.sig($0) }.joined(separator: ", "))) and easier (× \(config.relaxations.filter { $0 > 1 }.map { Fmt.sig($0) }.joined(separator: ", "))) on suboptimality (AlgoPerf's target relaxation): the size of the top group, its best, and whether the main target's best stays in it.")
            line()
            var t = Table(["problem", "target", "top group", "best", "main best still in it"], [.left, .left, .right, .left, .center])
            for (ans, tally) in zip(answers.problems, tallies.answer.problems) {
                let pa = a.problems[ans.problem]
                guard let main = ans.group, let tally else { continue }
                t.add([Fmt.code(pa.name), Fmt.code(pa.entry.mainTarget.description) + " (main)", "\(main.members.count)", a.label(pa.items[main.bestEntry.item].method), "—"])
                for (r, stays) in zip(ans.relaxed, tally.mainBestStays) {
                    guard let g = r.group, let still = stays else {
                        t.add([Fmt.code(pa.name), r.target.isEmpty ? "×\(Fmt.sig(r.factor)): not a suboptimality target" : Fmt.code(r.target), Fmt.none, Fmt.none, Fmt.none])
                        continue
                    }
                    let best = g.bestEntry.steps?.estimate.isFinite ?? false ? a.label(pa.items[g.bestEntry.item].method) : "none reaches it"
                    t.add([Fmt.code(pa.name), Fmt.code(r.target) + " (×\(Fmt.sig(r.factor)))", "\(g.members.count)", best, still ? "yes" : "no"])
                }
            }
            md += t.markdown
            line()
        }
    }

    /// Every combination of every problem with its statistics, for `rankings.csv`.
    func rankingsCSV() -> String {
        var out = "problem,optimizer,schedule,transforms,tuned_lr,lr_on_edge,steps_median,steps_ci_low,steps_ci_high,final_median,final_ci_low,final_ci_high,p_vs_best_holm,in_top_group,first_share,time_driven\n"
        func q(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        func n(_ x: Double?) -> String {
            guard let x else { return "" }
            return x.isNaN ? "nan" : x.isInfinite ? (x > 0 ? "inf" : "-inf") : x.description
        }
        for ans in answers.problems {
            let pa = a.problems[ans.problem]
            for (i, it) in pa.items.enumerated() where it.hasRuns {
                let e = ans.group?.entries.first { $0.item == i }
                out += [q(pa.name), q(config.optimizers[it.method.optimizer].description), q(config.schedules[it.method.schedule].description),
                        q(SweepConfig.chainName(config.transforms[it.method.transform])), n(it.row.tunedLR), String(it.row.lrOnGridEdge),
                        n(e?.steps?.estimate ?? it.row.stepsMedian), n(e?.steps?.lower), n(e?.steps?.upper),
                        n(e?.final?.estimate ?? it.row.finalMedian), n(e?.final?.lower), n(e?.final?.upper),
                        n(e?.adjusted), e.map { String($0.inGroup) } ?? "", n(e?.firstShare), String(it.row.timeDriven)].joined(separator: ",") + "\n"
            }
        }
        return out
    }
}
