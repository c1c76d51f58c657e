import Foundation
import Testing
import Statistics
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
@testable import Reports
import Specs

/// The adaptive section's compute functions on a hand-made result set with known answers, and
/// the section's rendering (issue 14).
enum Synthetic {
    static let yaml = """
    name: syn
    budgets: [20, 40]
    evaluation_interval: 10
    learning_rates: [0.01, 0.1, 1]
    seeds: {tuning: [0], evaluation: [1, 2, 3, 4, 5, 6]}
    one_shot: [constant]
    problems:
      - spec: quadratic(dim=2, cond=10)
        targets: {suboptimality: [1e-1, 1e-2]}
        main_target: {suboptimality: 1e-2}
    optimizers: [sgd, adam, prodigy, "prodigy(d0=1e-4)"]
    schedules: [constant, "cosine(T_max=budget)"]
    """

    static let seeds: [UInt64] = [1, 2, 3, 4, 5, 6]

    static func record(_ phase: String, _ optimizer: String, _ schedule: String, budget: Int, lr: Double, seed: UInt64,
                       losses: [Double], effective: Double? = nil) -> RunRecord {
        let steps = Array(stride(from: 0, through: budget, by: 10))
        precondition(steps.count == losses.count)
        let targets = [0.1, 0.01]
        let reached: [Int?] = targets.map { t in zip(steps, losses).first { $0.1 <= t }?.0 }
        let problem = "quadratic(dim=2, cond=10) @budget=\(budget)"
        return RunRecord(
            format: RunRecord.formatVersion, id: [phase, problem, optimizer, schedule, String(lr), String(seed)].joined(separator: "|"),
            phase: Phase(rawValue: phase)!, problem: problem, optimizer: optimizer, schedule: schedule, transforms: "none",
            lr: lr, seed: seed, budget: budget, evaluationInterval: 10, metricNames: ["loss"], primary: "suboptimality",
            optimum: 0, initialLoss: 1, steps: steps, seconds: steps.map { Double($0) * 1e-6 }, rates: steps.map { _ in lr },
            effectiveRates: effective.map { e in steps.map { $0 == 0 ? nil : e } },
            metrics: [losses.map { $0 }], minibatchLoss: nil, targets: targets.map { "suboptimality<=\($0)" },
            stepsToTarget: reached, secondsToTarget: reached.map { $0.map { Double($0) * 1e-6 } },
            targetResolution: [1, 1], finalValue: losses.last, bestValue: losses.min(), diverged: false,
            divergedAt: nil, stop: .budget, stepsRun: budget, secondsPerStep: 1e-6, totalSeconds: Double(budget) * 1e-6, timeDriven: false)
    }

    /// Curves chosen for known answers:
    /// - adam + cosine at budget 20 reaches 1e-2 at step 10: the fastest baseline (10 steps);
    /// - prodigy (default rate) reaches it at 20 (within 2×), prodigy(d0=1e-4) at 30 (not);
    /// - prodigy + constant, read at budget 20, equals adam + cosine at 20 on every seed (a tie);
    ///   at 40 it is 10× adam + cosine's value on every seed (worse);
    /// - prodigy applies 0.2, prodigy(d0=1e-4) 0.05, against adam's tuned constant rate 0.1.
    static var records: [RunRecord] {
        var out: [RunRecord] = []
        let cos = "cosine(T_max=budget)"
        func v(_ seed: UInt64) -> Double { 1 + Double(seed) / 10 }  // a per-seed factor
        // Tuning (seed 0): the best final value at lr 0.1 for the baselines, 1 for prodigy.
        for budget in [20, 40] {
            let n = budget / 10 + 1
            for (o, best) in [("sgd", 0.1), ("adam", 0.1), ("prodigy", 1.0), ("prodigy(d0=1e-4)", 1.0)] {
                for s in budget == 20 ? [cos] : ["constant", cos] {
                    for lr in [0.01, 0.1, 1] {
                        let end = lr == best ? 1e-3 : 0.5
                        out.append(record("tuning", o, s, budget: budget, lr: lr, seed: 0,
                                          losses: (0..<n).map { $0 == n - 1 ? end : 1 }))
                    }
                }
            }
        }
        for seed in seeds {
            let f = v(seed)
            // adam + cosine: 1e-2 at step 10 (both budgets); final 1e-4·f at 20, 1e-6·f at 40.
            out.append(record("evaluation", "adam", cos, budget: 20, lr: 0.1, seed: seed, losses: [1, 5e-3, 1e-4 * f]))
            out.append(record("evaluation", "adam", cos, budget: 40, lr: 0.1, seed: seed, losses: [1, 5e-3, 1e-3, 1e-5, 1e-6 * f]))
            out.append(record("evaluation", "adam", "constant", budget: 40, lr: 0.1, seed: seed, losses: [1, 0.5, 0.2, 0.05, 0.02]))
            out.append(record("default", "adam", "constant", budget: 40, lr: 0.001, seed: seed, losses: [1, 0.9, 0.8, 0.7, 0.6]))
            // sgd: slower everywhere.
            out.append(record("evaluation", "sgd", cos, budget: 20, lr: 0.1, seed: seed, losses: [1, 0.5, 0.3]))
            out.append(record("evaluation", "sgd", cos, budget: 40, lr: 0.1, seed: seed, losses: [1, 0.5, 0.3, 0.2, 0.1]))
            out.append(record("evaluation", "sgd", "constant", budget: 40, lr: 0.1, seed: seed, losses: [1, 0.5, 0.3, 0.2, 0.1]))
            out.append(record("default", "sgd", "constant", budget: 40, lr: 0.001, seed: seed, losses: [1, 0.9, 0.8, 0.7, 0.6]))
            // prodigy + constant: at step ≤ 20 the best is 1e-4·f (adam + cosine's at 20); at 40, 1e-5·f.
            out.append(record("evaluation", "prodigy", "constant", budget: 40, lr: 1, seed: seed, losses: [1, 5e-3, 1e-4 * f, 5e-5, 1e-5 * f], effective: 0.2))
            out.append(record("default", "prodigy", "constant", budget: 40, lr: 1, seed: seed, losses: [1, 0.5, 5e-3, 1e-3, 1e-4], effective: 0.2))
            out.append(record("evaluation", "prodigy(d0=1e-4)", "constant", budget: 40, lr: 1, seed: seed, losses: [1, 0.5, 0.3, 0.2, 5e-3], effective: 0.05))
            out.append(record("default", "prodigy(d0=1e-4)", "constant", budget: 40, lr: 1, seed: seed, losses: [1, 0.5, 0.3, 5e-3, 1e-3], effective: 0.05))
            for o in ["prodigy", "prodigy(d0=1e-4)"] {
                out.append(record("evaluation", o, cos, budget: 20, lr: 1, seed: seed, losses: [1, 0.5, 0.1], effective: 0.1))
                out.append(record("evaluation", o, cos, budget: 40, lr: 1, seed: seed, losses: [1, 0.5, 0.1, 0.05, 0.01], effective: 0.1))
            }
        }
        return out
    }

    static func results() throws -> ResultSet {
        let config = try SweepConfig(yaml: yaml)
        return ResultSet.assemble(directory: URL(fileURLWithPath: "/nonexistent"), config: config, plan: SweepPlan(config: config),
                                  meta: nil, parsed: records)
    }
}

@Suite struct AdaptiveTests {
    @Test func theSyntheticSetIsComplete() throws {
        let r = try Synthetic.results()
        #expect(r.excluded.isEmpty)
        #expect(r.rows.allSatisfy { $0.seeds == 6 })
        let ad = AdaptiveAnalysis(r, rangeTests: false)
        #expect(ad.series.count == 1 && ad.series[0].budgets == [20, 40])
        #expect(ad.adaptive == [2, 3] && ad.baselines == [0, 1])
    }

    @Test func effectiveStepAgainstTheTunedConstantRate() throws {
        let ad = AdaptiveAnalysis(try Synthetic.results(), rangeTests: false)
        #expect(ad.effective.map(\.optimizer) == [2, 3])
        #expect(ad.effective.allSatisfy { $0.family == 1 && $0.reference == 0.1 })  // adam's tuned constant rate
        #expect(ad.effective.map(\.medianRatio) == [0.2 / 0.1, 0.05 / 0.1])
        #expect(ad.effective[0].ratios.count == 6)
        #expect(ad.effective[0].median.dropFirst().allSatisfy { $0 == 0.2 })
        #expect(ad.effective[0].median.first!.isNaN)  // no step applied before the first update
        #expect(ad.effective.map(\.tunedMultiplier) == [1, 1])
    }

    @Test func familiesFollowTheMethodsStep() throws {
        let config = try SweepConfig(yaml: Synthetic.yaml)
        func family(_ text: String) throws -> Int? { AdaptiveAnalysis.family(try Spec(parsing: text), baselines: [0, 1], config: config) }
        #expect(try family("prodigy") == 1)
        #expect(try family("dadapt_adam") == 1)
        #expect(try family("dog") == 0)
        #expect(try family("mechanic") == 0)
        #expect(try family("mechanic(base=adam)") == 1)
    }

    @Test func knobRobustnessCountsSettingsWithinTwiceTheTunedBaseline() throws {
        let ad = AdaptiveAnalysis(try Synthetic.results(), rangeTests: false)
        #expect(ad.robustness.count == 1)
        let r = ad.robustness[0]
        #expect(r.method == "prodigy" && r.settings == [2, 3])
        #expect(r.baselineSteps == 10)
        #expect(r.baselineLabel == "adam + cosine(T_max=budget) at budget 20")
        #expect(r.defaultSteps == [20, 30])
        #expect(r.tunedSteps == [10, 40])
        #expect(r.withinDefault == 1 && r.fractionDefault == 0.5)
        #expect(r.withinTuned == 1 && r.fractionTuned == 0.5)
        // The multiplier as a knob (tuning seed 0): prodigy's default rate 1, so rates 0.1 and 1
        // of the grid; at 1 it reaches 1e-2 at step 40, at 0.1 never; the baseline (adam +
        // cosine at budget 20, its tuned rate 0.1) reaches it at 20.
        #expect(r.multipliers == [0.1, 1])
        #expect(r.multiplierSteps == [.infinity, 40])
        #expect(r.baselineTuningSteps == 20)
        #expect(r.withinMultiplier == 1)
    }

    @Test func aBudgetFreeRunIsReadAtEveryBudget() throws {
        let ad = AdaptiveAnalysis(try Synthetic.results(), rangeTests: false)
        let f = ad.frontiers[0]
        let prodigy = try #require(f.lines.first { $0.label == "prodigy + constant" })
        #expect(prodigy.kind == .anytime && prodigy.firstSetting)
        // One run per seed (budget 40), read at step 20 and at step 40.
        #expect(prodigy.values[0] == Synthetic.seeds.map { 1e-4 * (1 + Double($0) / 10) })
        #expect(prodigy.values[1] == Synthetic.seeds.map { 1e-5 * (1 + Double($0) / 10) })
        let other = try #require(f.lines.first { $0.label == "prodigy(d0=1e-4) + constant" })
        #expect(!other.firstSetting)
        let tuned = try #require(f.lines.first { $0.label == "adam + best budget-aware schedule" })
        #expect(tuned.kind == .tunedPerBudget && tuned.schedules == [1, 1])
        #expect(tuned.values[1] == Synthetic.seeds.map { 1e-6 * (1 + Double($0) / 10) })
        #expect(f.lines.contains { $0.label == "sgd + constant" && $0.kind == .constantBaseline })
    }

    @Test func theFrontierVerdictIsATieOrADifferenceWithItsInterval() throws {
        let ad = AdaptiveAnalysis(try Synthetic.results(), rangeTests: false)
        let v = ad.frontiers[0].verdicts
        #expect(v.map(\.budget) == [20, 40])
        #expect(v[0].outcome == .tie)
        #expect(v[0].anytime == "prodigy + constant" && v[0].tuned == "adam + cosine(T_max=budget)")
        #expect(abs(v[0].ratio!.estimate - 1) < 1e-12)
        #expect(v[1].outcome == .anytimeWorse)
        #expect(abs(v[1].ratio!.estimate - 10) < 1e-9 && abs(v[1].ratio!.lower - 10) < 1e-9)
    }

    @Test func rangeTestFactorsAreInGridSteps() throws {
        #expect(abs(AdaptiveAnalysis.gridStep([0.01, 0.1, 1]) - 10) < 1e-12)
        #expect(abs(AdaptiveAnalysis.gridStep([1e-4, 1e-3, 1e-2, 1e-1, 1, 10]) - 10) < 1e-12)
        #expect(AdaptiveAnalysis.gridStep([0.1]).isNaN)
        #expect(abs(AdaptiveAnalysis.gridFactor(0.01, tuned: 0.1, step: 10) + 1) < 1e-12)
        #expect(abs(AdaptiveAnalysis.gridFactor(0.1 * 10.0.squareRoot(), tuned: 0.1, step: 10) - 0.5) < 1e-12)
        // The range tests themselves: one per baseline and evaluation seed, on the real problem.
        let ad = AdaptiveAnalysis(try Synthetic.results(), rangeTests: true)
        #expect(ad.calibration.map(\.optimizer) == [0, 1])
        for c in ad.calibration {
            #expect(c.steepest.count == 6 && c.tuned == 0.1)
            let st = c.steepest.compactMap { $0 }
            #expect(!st.isEmpty)
            let expected = Stats.median(st.map { AdaptiveAnalysis.gridFactor($0, tuned: 0.1, step: 10) })
            #expect(c.steepestFactor == expected)
        }
        // Deterministic: the same numbers again.
        #expect(AdaptiveAnalysis(try Synthetic.results(), rangeTests: true).calibration == ad.calibration)
    }

    @Test func theSectionRenders() throws {
        let r = try Synthetic.results()
        var w = AdaptiveSectionWriter(ad: AdaptiveAnalysis(r, rangeTests: false), config: r.config)
        w.render()
        if w.md != adaptiveSectionSnapshot { try? w.md.write(toFile: "/tmp/adaptive-section-actual.md", atomically: true, encoding: .utf8) }
        #expect(w.md == adaptiveSectionSnapshot)
        #expect(w.figures.map(\.name) == ["adaptive-p1-effective-rate.svg", "adaptive-p1-frontier.svg"])
        for f in w.figures { #expect(isWellFormedXML(f.svg)) }
        // The report includes it.
        let full = Report.generate(r)
        #expect(full.markdown.contains("## Adaptive and learning-rate-free methods"))
        #expect(full.figures.contains { $0.name == "adaptive-p1-frontier.svg" })
    }

    @Test func aSweepWithoutAdaptiveMethodsOrBudgetsHasNoSection() throws {
        let out = Report.generate(try ResultSet.load(try HandMade.folder()))
        #expect(!out.markdown.contains("## Adaptive and learning-rate-free methods"))
    }
}

let adaptiveSectionSnapshot = #"""
## Adaptive and learning-rate-free methods

Four measurements of the claims these methods make (README, "The adaptive sweep"). *Adaptive*: the optimizers whose runs record the step they applied (`prodigy`, `prodigy(d0=1e-4)`); *baselines*: `sgd`, `adam`, their rate tuned per combination and budget.

### Effective step size against the tuned constant rate

The step each adaptive method applied over the run at its default rate (the one-shot runs: multiplier 1 for the learning-rate-free methods), constant schedule, largest budget, against the grid-tuned constant rate of its family's baseline on the same problem (Adam for the Adam-type methods, plain SGD for the gradient-step ones). *ratio*: per evaluation seed the median over the run of applied step / tuned rate; the median over seeds and its range. 1 means the method found the rate tuning finds. *tuned multiplier*: the rate the search chose for the method itself (far from 1: tuning still mattered).

| problem | method | reference (tuned constant) | median ratio | seeds' range | tuned multiplier |
|:---|:---|:---|---:|---:|---:|
| `quadratic(dim=2, cond=10)` | `prodigy` | `adam` 0.1 | 2 | 2–2 | 1 |
| `quadratic(dim=2, cond=10)` | `prodigy(d0=1e-4)` | `adam` 0.1 | 0.5 | 0.5–0.5 | 1 |

![quadratic(dim=2, cond=10): applied step size against the tuned constant rate](figures/adaptive-p1-effective-rate.svg)

### How free is learning-rate-free: knob robustness

Per problem and method: the share of its knob settings listed in the sweep (d0, growth_rate, d_coef, reps_rel, …, at the documented ranges) whose median steps to the main target stay within 2× of the tuned baseline's, the fastest baseline combination of any schedule and budget (named). *at default rate*: each setting at the method's own rate (the one-shot runs); *at tuned rate*: with the multiplier searched as for the baselines. Constant schedule, largest budget, evaluation seeds; a setting that misses the target counts as outside. *multiplier*: the multiplier itself as a knob, from a tenth to ten times the method's default rate, for its first (default) setting: the rates of the search in that range, median steps over the tuning seeds, against the tuned baseline's on the same seeds.

| problem | method | settings | within 2× (default rate) | within 2× (tuned rate) | their steps (default rate) | multiplier within 2× (tuning seeds) | tuned baseline | its steps |
|:---|:---|---:|---:|---:|:---|---:|:---|---:|
| `quadratic(dim=2, cond=10)` | `prodigy` | 2 | 1/2 (50%) | 1/2 (50%) | 20, 30 | 1/2 of 0.1, 1 (baseline 20) | `adam + cosine(T_max=budget) at budget 20` | 10 |

Settings in file order: `prodigy`, `prodigy(d0=1e-4)`.

### The anytime frontier

Per problem and budget: the best value of the problem's measure reached by that budget (median over evaluation seeds). A budget-aware schedule (cosine, WSD, …) is re-resolved and re-tuned at every budget; a budget-free combination (its resolved specs do not depend on the budget) ran once, at the largest budget, and is read at every budget from its curve. *verdict*: the best anytime adaptive method (first listed setting of each) against the best schedule tuned for that budget, by the paired bootstrap 95% interval of the ratio of medians over the same seeds: a tie when the interval contains 1.

**`quadratic(dim=2, cond=10)`**

| budget | best anytime | median | best tuned for the budget | median | ratio [95% CI] | verdict |
|---:|:---|---:|:---|---:|---:|:---|
| 20 | `prodigy + constant` | 1.35e-4 | `adam + cosine(T_max=budget)` | 1.35e-4 | 1.00 [1.00, 1.00] | tie |
| 40 | `prodigy + constant` | 1.35e-5 | `adam + cosine(T_max=budget)` | 1.35e-6 | 10 [10, 10] | anytime worse |

Here the best anytime method ties the best per-budget-tuned schedule at budget 20; it is worse at 40.

![quadratic(dim=2, cond=10): best value reached against the budget](figures/adaptive-p1-frontier.svg)

### Range-test calibration

For each problem and baseline optimizer: the range test (README, "Learning-rate range test"; ramp 1e-8 → 10 over 100 updates) on each evaluation seed's instance, computed by the report, against the rate tuned with the constant schedule at the largest budget, in grid steps: log(suggestion / tuned) / log(10), the sweep grid's ratio. 0 is the tuned rate; −1 one grid step too small. Median over the seeds with a suggestion; *none*: seeds where the rule gave none.

No range tests (no baseline optimizer with the constant schedule).


"""#
