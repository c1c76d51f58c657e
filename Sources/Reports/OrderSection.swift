// Render second: §1's cross-problem order — the combinations' table, the performance profiles
// and the targets-reached ECDFs — from `OrderTally` and the drawn figures.

import Foundation
import Sweep
import Specs

extension ReportWriter {
    mutating func overallTable() {
        line("### Across problems: the order")
        line()
        line("An order, not a verdict (the top groups above are the verdict). Combinations ordered by the number of problems whose main target they reach (median over seeds), then by the geometric mean of their steps relative to each problem's best (over the problems they solve; failures counted in brackets). *1st*: problems where it ranks first (ties broken by final value); *ρ(τ)*: the share of problems where it needs at most τ times the fastest's steps (ties count for all; see the performance profile).")
        line()
        let P = a.problems.count
        var t = Table(["#", "optimizer", "schedule", "solved", "1st", "rel. to best (geo-mean)", "ρ(1)", "ρ(2)", "ρ(4)", "time/step vs sgd (geo-mean)"],
                      [.right, .left, .left, .right, .right, .right, .right, .right, .right, .right])
        var rest = t
        for (k, r) in tallies.order.rows.enumerated() {
            let s = r.standing
            let row = [String(k + 1), Fmt.code(Analysis.optimizerLabel(config, s.method.optimizer)),
                       Fmt.code(config.schedules[s.method.schedule].description) + transformSuffix(s.method),
                       "\(s.solved)/\(P)", String(s.wins.count), Fmt.geo(s.relative)]
                + r.rho.map { Fmt.fixed($0, 2) } + [Fmt.geo(s.overSGD)]
            if k < Report.topRows { t.add(row) } else { rest.add(row) }
        }
        md += t.markdown
        line()
        line("The other \(rest.rows.count) combinations are in `rankings.csv` (per problem) and below per problem.")
        line()
    }

    mutating func profiles() {
        line("### Performance profiles")
        line()
        line("ρ(τ) is the fraction of problems on which a solver needs at most τ times the steps of the best solver on that problem (Dolan & Moré 2002); the higher and further left, the better. ρ(1) is the share of problems it wins, the right end the share it solves at all.")
        line()
        image(drawn.profileCombinations)
        image(drawn.profileOptimizers)
        image(drawn.profileSchedules)
        for p in [tallies.order.optimizers, tallies.order.schedules] {
            var t = Table([p.title, "ρ(1)", "ρ(2)", "ρ(4)", "ρ(10)", "solved"], [.left, .right, .right, .right, .right, .right])
            for s in p.order {
                t.add([Fmt.code(p.profile.solvers[s])] + p.rho[s].map { Fmt.fixed($0, 2) })
            }
            md += t.markdown
            line()
        }
        line("Rows ordered by the area under ρ against log τ.")
        line()
    }

    mutating func ecdfs() {
        line("### Targets reached against steps (ECDF)")
        line()
        line("For each curve, over every (problem, target, evaluation seed) triple, the fraction whose target was reached by a given step, with steps divided by the problem's budget so that problems of different budgets share one axis (COCO's runtime ECDF with all of each problem's targets, not only the main one).")
        line()
        image(drawn.ecdfCombinations)
        image(drawn.ecdfOptimizers)
        var t = Table(["curve", "triples", "by 10% of budget", "by 25%", "by 50%", "by 100%"], [.left, .right, .right, .right, .right, .right])
        for c in tallies.order.leadingCurves + tallies.order.optimizerCurves {
            t.add([c.label, String(c.ecdf.total)] + c.fractions.map(Fmt.percent))
        }
        md += t.markdown
        line()
    }
}
