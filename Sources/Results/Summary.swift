import Run
import Statistics
import Sweep
import Foundation
import Problems

/// One row of `summary.csv`: a combination's tuned rate and its results on the evaluation seeds.
public struct SummaryRow: Sendable, Equatable {
    public var problem, optimizer, schedule, transforms: String
    public var tuningRule: String
    public var tunedLR: Double
    public var lrOnGridEdge: Bool
    public var mainTarget: String
    public var seeds: Int
    /// Fraction of evaluation seeds that reached the main target.
    public var successRate: Double
    /// Steps to the main target over evaluation seeds (censored runs count as +∞).
    public var stepsMedian, stepsQ25, stepsQ75: Double
    /// Oracle calls (gradient + loss-only evaluations) to the main target, median over the
    /// evaluation seeds (censored runs count as +∞): the steps for one-gradient-per-step methods.
    public var oracleCallsMedian: Double = .nan
    public var secondsToTargetMedian: Double
    /// Targets reached (of all the problem's targets), median over seeds.
    public var targetsReachedMedian: Double
    public var targetCount: Int
    public var primary: String
    /// The primary metric's direction, as the problem declares it (not a column of summary.csv).
    public var primaryDirection: MetricDirection = .lower
    public var finalMedian, finalMin, finalMax: Double
    public var bestMedian: Double
    public var diverged: Int
    public var secondsPerStepMedian: Double
    public var defaultLR: Double
    public var defaultSuccessRate: Double
    public var defaultStepsMedian: Double
    public var defaultFinalMedian: Double
    public var defaultDiverged: Int
    /// Driven by wall-clock time: not reproducible bit for bit; left out of strict comparisons.
    public var timeDriven: Bool
    /// The tuning rule's score at the chosen rate (median over tuning seeds; lower is better).
    public var tuningScore: Double
    /// The resolution of the steps to the main target: 1 when exact to the step, else the
    /// evaluation interval (the largest over the evaluation seeds; 0 without runs).
    public var stepsResolution: Int = 0
}

public enum Summary {
    public static func rows(plan: SweepPlan, records: [RunRecord]) -> [SummaryRow] {
        let choices = Tuning.choose(plan: plan, records: records)
        var byKey: [CombinationKey: [Phase: [RunRecord]]] = [:]
        for r in records { byKey[r.key, default: [:]][r.phase, default: []].append(r) }
        return plan.combinations.map { c in
            let runs = byKey[plan.key(c)] ?? [:]
            let choice = choices[c]!
            let eval = (runs[.evaluation] ?? []).filter { $0.lr == choice.lr }.sorted { $0.seed < $1.seed }
            let oneShot = (runs[.oneShot] ?? []).sorted { $0.seed < $1.seed }
            let main = plan.config.problems[c.problem].mainTarget.description
            let steps = eval.map { Tuning.stepsScore($0, target: main) }
            // A diverged run's final value is the worst value: +∞ where lower is better, −∞ where higher is.
            let direction = plan.config.problems[c.problem].direction(of: eval.first?.primary ?? oneShot.first?.primary ?? "")
            let worst = direction == .higher ? -Double.infinity : Double.infinity
            let finals = eval.map { $0.diverged ? worst : ($0.finalValue ?? .nan) }
            let seconds = eval.map { r -> Double in
                guard let i = r.targets.firstIndex(of: main), let s = r.secondsToTarget[i] else { return .infinity }
                return s
            }
            let reached = eval.map { Double($0.stepsToTarget.compactMap { $0 }.count) }
            let dSteps = oneShot.map { Tuning.stepsScore($0, target: main) }
            return SummaryRow(
                problem: plan.problemName(c), optimizer: plan.optimizerName(c), schedule: plan.scheduleName(c),
                transforms: plan.transformName(c), tuningRule: plan.config.tuningRule.rawValue,
                tunedLR: choice.lr, lrOnGridEdge: choice.onEdge, mainTarget: main, seeds: eval.count,
                successRate: rate(steps), stepsMedian: Stats.median(steps), stepsQ25: Stats.quantile(steps, 0.25),
                stepsQ75: Stats.quantile(steps, 0.75),
                oracleCallsMedian: Stats.median(eval.map { Tuning.oracleCallsScore($0, target: main) }),
                secondsToTargetMedian: Stats.median(seconds),
                targetsReachedMedian: Stats.median(reached), targetCount: plan.config.problems[c.problem].targets.count,
                primary: eval.first?.primary ?? "",
                primaryDirection: direction,
                finalMedian: Stats.median(finals),
                finalMin: finals.min() ?? .nan, finalMax: finals.max() ?? .nan,
                bestMedian: Stats.median(eval.map { $0.bestValue ?? .nan }), diverged: eval.filter(\.diverged).count,
                secondsPerStepMedian: Stats.median(eval.map(\.secondsPerStep)),
                defaultLR: oneShot.first?.lr ?? .nan, defaultSuccessRate: rate(dSteps),
                defaultStepsMedian: Stats.median(dSteps),
                defaultFinalMedian: Stats.median(oneShot.map { $0.diverged ? worst : ($0.finalValue ?? .nan) }),
                defaultDiverged: oneShot.filter(\.diverged).count,
                timeDriven: eval.contains(where: \.timeDriven),
                tuningScore: choice.score,
                stepsResolution: eval.map { Tuning.resolution($0, target: main) }.max() ?? 0)
        }
    }

    static func rate(_ steps: [Double]) -> Double {
        steps.isEmpty ? .nan : Double(steps.filter(\.isFinite).count) / Double(steps.count)
    }

    /// The header of summaries written before `oracle_calls_to_target_median`: still readable.
    public static var headerWithoutOracleCalls: [String] { header.filter { $0 != "oracle_calls_to_target_median" } }

    public static let header = [
        "problem", "optimizer", "schedule", "transforms", "tuning_rule", "tuned_lr", "lr_on_grid_edge", "main_target",
        "seeds", "success_rate", "steps_to_target_median", "steps_to_target_q25", "steps_to_target_q75",
        "oracle_calls_to_target_median", "seconds_to_target_median", "targets_reached_median", "targets", "primary", "final_value_median",
        "final_value_min", "final_value_max", "best_value_median", "diverged", "seconds_per_step_median",
        "default_lr", "default_success_rate", "default_steps_to_target_median", "default_final_value_median",
        "default_diverged", "time_driven", "tuning_score", "steps_to_target_resolution",
    ]

    /// The summary as CSV, numbers exact (`inf` for a censored median, `nan` for none).
    public static func csv(_ rows: [SummaryRow]) -> String {
        var out = header.joined(separator: ",") + "\n"
        for r in rows {
            let fields: [String] = [
                quote(r.problem), quote(r.optimizer), quote(r.schedule), quote(r.transforms), r.tuningRule,
                num(r.tunedLR), String(r.lrOnGridEdge), quote(r.mainTarget), String(r.seeds), num(r.successRate),
                num(r.stepsMedian), num(r.stepsQ25), num(r.stepsQ75), num(r.oracleCallsMedian), num(r.secondsToTargetMedian),
                num(r.targetsReachedMedian), String(r.targetCount), r.primary, num(r.finalMedian), num(r.finalMin),
                num(r.finalMax), num(r.bestMedian), String(r.diverged), num(r.secondsPerStepMedian), num(r.defaultLR),
                num(r.defaultSuccessRate), num(r.defaultStepsMedian), num(r.defaultFinalMedian),
                String(r.defaultDiverged), String(r.timeDriven), num(r.tuningScore), String(r.stepsResolution),
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    static func num(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return x.description
    }

    /// RFC 4180 quoting: specs contain commas.
    static func quote(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

extension SummaryRow {
    public var key: CombinationKey { CombinationKey(problem: problem, optimizer: optimizer, schedule: schedule, transforms: transforms) }
}
