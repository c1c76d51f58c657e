// Render second: "How to read this report", the definitions behind every measure the report prints.

extension ReportWriter {
    mutating func definitions() {
        line("## How to read this report")
        line()
        line("- **Steps to target**: the first evaluation step at which a run's measure reaches the target (evaluations every few steps, so steps are multiples of the interval). A run that never reaches it is *censored* and counts as ∞; the median over seeds is ∞ when fewer than half reach it, and quartiles likewise.")
        line("- **Ranking**: median steps to the main target (∞ last), ties by median final value, then the sweep file's order.")
        line("- **Relative to best**: a combination's median steps divided by the problem's best; 1.00 is the winner.")
        line("- **Geometric mean**: over the finite values only, with the number of ∞ (failures) in brackets — `1.52 (2 ∞)`. Ratios average geometrically so that 2× slower and 2× faster cancel.")
        line("- **Performance profile** (Dolan & Moré 2002): for solver s and problem p, r = t(p,s) / min over solvers of t(p,·) with t the median steps to the main target (∞ when not reached, and for everyone on a problem nobody solves); ρ_s(τ) is the fraction of problems with r ≤ τ, drawn against log τ as a step function.")
        line("- **ECDF of targets reached** (as in COCO): over all (problem, target, evaluation seed) triples, the fraction reached by step k, with k divided by the problem's budget. An optimizer's line uses its best schedule on each problem.")
        line("- **Time per step relative to SGD**: median seconds per step of a combination over that of plain `sgd` with the same schedule (sgd + constant when that is missing). Timings are measured, so they vary between sweeps; everything else is a pure function of the configuration and seeds.")
        line("- **Determinism**: this report is a pure function of the files in this folder — the same `runs.jsonl`, `sweep.yaml` and `meta.json` give byte-identical Markdown and SVG. Compare two result sets with `lrbench report --compare A B`.")
        line()
    }
}
