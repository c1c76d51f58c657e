// Render second: §4, the notes — rates on the edge of the search, run-dependent schedules,
// divergences, exclusions — from `NotesTally`.

import Foundation
import Run
import Sweep
import Specs

extension ReportWriter {
    mutating func notes() {
        line("## 4. Notes")
        line()
        let n = tallies.notes
        // Grid edges.
        let (lo, hi) = (n.lowest, n.highest)
        let extended = config.rateSearch.extend > 0 ? " after extending the grid (\(Fmt.sig(lo)) … \(Fmt.sig(hi))) by up to \(config.rateSearch.extend) rate\(config.rateSearch.extend == 1 ? "" : "s") per side" : " of the grid (\(Fmt.sig(lo)) … \(Fmt.sig(hi)))"
        line("- **Rates on the edge of the search:** \(n.onEdge) of \(n.combinations) combinations chose the smallest or largest rate tried\(extended), so their best rate may lie outside it (\(n.atLowest) at the lower edge, \(n.atHighest) at the upper).")
        if n.onEdge > 0 {
            var t = Table(["optimizer", "at smallest", "at largest"], [.left, .right, .right])
            for e in n.edgePerOptimizer {
                t.add([Fmt.code(config.optimizers[e.optimizer].description), String(e.lowest), String(e.highest)])
            }
            line()
            details(t, summary: "Edge choices per optimizer")
        }
        // Run-dependent schedules.
        if n.timeDriven.isEmpty {
            line("- **Wall-clock-driven schedules:** none of the evaluation runs used a schedule driven by elapsed time; every other number except the timings is reproducible bit for bit.")
        } else {
            line("- **Wall-clock-driven schedules:** \(n.timeDriven.map { Fmt.code(config.schedules[$0].description) }.joined(separator: ", ")) change the rate with elapsed seconds, so their results depend on the machine and its load and are not reproducible bit for bit.")
        }
        if !n.metricDriven.isEmpty {
            line("- **Metric-driven schedules:** \(n.metricDriven.map { Fmt.code(config.schedules[$0].description) }.joined(separator: ", ")) depend on the losses a run observes; their drawn rates are those of one run.")
        }
        // Divergences.
        func counts(_ c: PhaseCounts) -> [String] { c.counts.map { String($0.count) } }
        line("- **Divergences:** \(n.diverged) of \(n.runs) runs diverged (\(n.divergedPerPhase.counts.map { "\($0.count) \($0.phase.rawValue)" }.joined(separator: ", "))). Tuning runs diverge by design at the top of the grid; a diverged evaluation run counts as not reaching any target.")
        if n.diverged > 0 {
            var t = Table(["optimizer"] + Phase.allCases.map(\.rawValue), [.left, .right, .right, .right])
            for (o, c) in zip(config.optimizers, n.divergedPerOptimizer) { t.add([Fmt.code(o.description)] + counts(c)) }
            var s = Table(["schedule"] + Phase.allCases.map(\.rawValue), [.left, .right, .right, .right])
            for (sc, c) in zip(config.schedules, n.divergedPerSchedule) { s.add([Fmt.code(sc.description)] + counts(c)) }
            line()
            line("<details><summary>Diverged runs per optimizer and per schedule</summary>")
            line()
            md += t.markdown
            line()
            md += s.markdown
            line()
            line("</details>")
            line()
        }
        // Exclusions.
        if n.missing > 0 {
            line("- **Incomplete:** \(n.missing) combination\(n.missing == 1 ? " has" : "s have") no evaluation runs (an unfinished or partial sweep); they rank last as \"no runs\".")
        }
        for e in a.results.excluded { line("- **Excluded:** \(e).") }
        if a.results.excluded.isEmpty { line("- **Excluded:** nothing; every record in `runs.jsonl` belongs to this sweep.") }
        line("- The `default` runs (each optimizer's default rate, no tuning) are counted above but not ranked; `summary.csv` has their results.")
        line()
    }
}
