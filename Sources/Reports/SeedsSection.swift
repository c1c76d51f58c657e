// Render second: §3, the seeds' questions — their schedules against the modern ones, and the
// per-step cost of adaptivity against plain SGD — from `SeedsTally` and the analysis.

import Foundation
import Results
import Run
import Sweep
import Specs

extension ReportWriter {
    mutating func seedsQuestions() {
        line("## 3. The seeds' questions")
        line()
        line("### The seeds' schedules against the modern ones")
        line()
        let st = tallies.seeds
        let seedsNames = st.seedsSchedules.map { Fmt.code(config.schedules[$0].name) }
        let modernNames = st.modernSchedules.map { Fmt.code(config.schedules[$0].name) }
        line("The seeds' schedules in this sweep: \(seedsNames.isEmpty ? "none" : seedsNames.joined(separator: ", ")). The modern ones: \(modernNames.isEmpty ? "none" : modernNames.joined(separator: ", "))\(st.hasScheduleFree ? ", and the schedule-free optimizers at a constant rate" : ""). Each schedule is paired with its best optimizer on the problem.")
        line()
        var summary = Table(["problem", "best seeds' schedule", "steps", "final", "best modern", "steps", "final", "winner"],
                            [.left, .left, .right, .right, .left, .right, .right, .left])
        func desc(_ g: ScheduleGroupRow?) -> [String] {
            guard let g, let b = g.best else { return [Fmt.none, Fmt.none, Fmt.none] }
            return [g.label + " (" + config.optimizers[b.method.optimizer].description + ")", Fmt.steps(b.steps), Fmt.sig(b.row.finalMedian)]
        }
        for r in st.rows {
            let verdict: String
            switch r.verdict {
            case nil: verdict = Fmt.none
            case .neitherReachesIt: verdict = "neither reaches it"
            case .won(let w, let byFinal): verdict = (w == .seeds ? "seeds'" : "modern") + (byFinal ? " (same steps, better final value)" : "")
            }
            summary.add([Fmt.code(a.problems[r.problem].name)] + desc(r.seeds) + desc(r.modern) + [verdict])
        }
        md += summary.markdown
        line()
        line("**Summary:** the seeds' schedules win on \(st.seedsWins), the modern ones on \(st.modernWins) of \(a.problems.count) problem\(a.problems.count == 1 ? "" : "s") (fewer median steps to the main target; \(st.ties) of these decided by the final value because the steps tie).")
        line()
        var detail = ""
        for pa in a.problems {
            var t = Table(["group", "schedule", "best optimizer", "lr", "steps", "success", "final", "rank"],
                          [.left, .left, .left, .right, .right, .right, .right, .right])
            for g in st.groups[pa.index] {
                guard let b = g.best else { t.add([g.group.rawValue, Fmt.code(g.label), "no runs", "", "", "", "", ""]); continue }
                t.add([g.group.rawValue, Fmt.code(g.label), Fmt.code(config.optimizers[b.method.optimizer].description), Fmt.sig(b.row.tunedLR),
                       Fmt.steps(b.steps), "\(b.row.successes)/\(b.row.seeds)", Fmt.sig(b.row.finalMedian), String(b.rank)])
            }
            detail += "\n**p\(pa.index + 1). \(Fmt.code(pa.name))**\n\n" + t.markdown
        }
        line("<details><summary>Every schedule with its best optimizer, per problem</summary>")
        md += detail
        line()
        line("</details>")
        line()

        line("### The cost of adaptivity: time per step relative to SGD")
        line()
        guard let sgd = a.sgdIndex else {
            line("The sweep has no plain `sgd` optimizer, so there is no reference for the per-step cost.")
            line()
            return
        }
        line("The seeds name computational overhead as the adaptive methods' drawback. Per problem: the median, over schedules, of an optimizer's median seconds per step divided by that of \(Fmt.code(config.optimizers[sgd].description)) with the same schedule; the last column is the geometric mean over problems. These are measurements: they vary between runs and machines, and on small problems the optimizer's own arithmetic is a large share of a step.")
        line()
        var t = Table(["optimizer"] + a.problems.map { "p\($0.index + 1)" } + ["geo-mean"], [.left] + a.problems.map { _ in .right } + [.right])
        t.add([Fmt.code(config.optimizers[sgd].description)] + st.sgdSecondsPerStep.map(Fmt.perStep) + ["1 (reference)"])
        for r in a.overhead {
            t.add([Fmt.code(config.optimizers[r.optimizer].description)] + r.perProblem.map { Fmt.ratio($0) } + [Fmt.geo(r.mean)])
        }
        md += t.markdown
        line()
        line("The first row gives sgd's own median time per step (over schedules) on each problem; the others are ratios to it.")
        line()
        image(drawn.overhead)
    }
}
