import Foundation
import Problems

/// Chooses each combination's base rate on the tuning seeds (DeepOBS's protocol, with the rate
/// search of `RateSearch`: grid, extension past an edge, refinement).
public enum Tuning {
    public struct Choice: Sendable, Equatable {
        public var lr: Double
        /// The chosen rate is the smallest or largest rate tried, after every extension allowed:
        /// the search range may be too narrow.
        public var onEdge: Bool
        /// Every rate tried, ascending.
        public var rates: [Double]
        /// The rule's score at each rate in `rates` (median over tuning seeds; lower is better).
        public var scores: [Double]
        /// The rule's score at the chosen rate.
        public var score: Double
        /// Whether every rate the search asked for was scored (false: runs are missing).
        public var complete: Bool
    }

    /// A run's score under the rule: lower is better (a higher-is-better primary metric of
    /// `entry` is negated); a diverged run scores +∞.
    static func finalScore(_ r: RunRecord, _ entry: SweepConfig.ProblemEntry) -> Double {
        guard !r.diverged, let v = r.finalValue else { return .infinity }
        return entry.direction(of: r.primary) == .higher ? -v : v
    }

    static func stepsScore(_ r: RunRecord, target: String) -> Double {
        guard let k = r.targets.firstIndex(of: target), let s = r.stepsToTarget[k] else { return .infinity }
        return Double(s)
    }

    /// The oracle calls (gradient + loss evaluations) a run spent to reach `target`; +∞ if never.
    static func oracleCallsScore(_ r: RunRecord, target: String) -> Double {
        guard let k = r.targets.firstIndex(of: target), let calls = r.oracleCalls(toTarget: k) else { return .infinity }
        return Double(calls)
    }

    /// How exact a run's steps to `target` are: its recorded resolution (1: exact to the step),
    /// or the evaluation interval for records that do not say.
    static func resolution(_ r: RunRecord, target: String) -> Int {
        guard let k = r.targets.firstIndex(of: target), k < r.targetResolution.count else { return r.evaluationInterval }
        return r.targetResolution[k]
    }

    /// The tuning score of one rate from its runs (one per tuning seed); nil while runs are missing.
    static func score(_ runs: [RunRecord], seeds: Int, rule: TuningRule, entry: SweepConfig.ProblemEntry) -> RateSearch.Score? {
        guard runs.count >= seeds, seeds > 0 else { return nil }
        let main = entry.mainTarget.description
        let finals = Stats.median(runs.map { finalScore($0, entry) })
        switch rule {
        case .finalValue: return .init(value: finals, tieBreak: 0)
        case .stepsToTarget: return .init(value: Stats.median(runs.map { stepsScore($0, target: main) }), tieBreak: finals)
        }
    }

    /// The tuning score of each rate of combination `c` that its runs on the tuning seeds cover,
    /// and the rates they ran at.
    static func scores(plan: SweepPlan, _ c: Combination, tuning runs: [RunRecord]) -> (rates: [Double], score: (Double) -> RateSearch.Score?) {
        var byRate: [Double: [RunRecord]] = [:]
        let seeds = Set(plan.config.tuningSeeds)
        for r in runs where seeds.contains(r.seed) { byRate[r.lr, default: []].append(r) }
        let entry = plan.config.problems[c.problem]
        return (byRate.keys.sorted(), { lr in score(byRate[lr] ?? [], seeds: seeds.count, rule: plan.config.tuningRule, entry: entry) })
    }

    /// Replays the rate search of combination `c` over its tuning records.
    public static func search(plan: SweepPlan, _ c: Combination, tuning runs: [RunRecord]) -> RateSearch.State {
        plan.config.rateSearch.replay(grid: plan.config.learningRates, score: scores(plan: plan, c, tuning: runs).score)
    }

    /// The tuning records of each combination of the plan.
    static func tuningRecords(plan: SweepPlan, records: [RunRecord]) -> [Combination: [RunRecord]] {
        var byKey: [CombinationKey: [RunRecord]] = [:]
        for r in records where r.phase == .tuning { byKey[r.key, default: []].append(r) }
        var out: [Combination: [RunRecord]] = [:]
        for c in plan.combinations { out[c] = byKey[plan.key(c)] ?? [] }
        return out
    }

    /// The rates each combination's search still needs scored (empty when every search is done).
    public static func pending(plan: SweepPlan, records: [RunRecord]) -> [Combination: [Double]] {
        var out: [Combination: [Double]] = [:]
        for (c, runs) in tuningRecords(plan: plan, records: records) {
            if case .needs(let rates) = search(plan: plan, c, tuning: runs) { out[c] = rates }
        }
        return out
    }

    /// Each combination's choice. A search with missing runs chooses among the rates scored so far
    /// (`complete` false); with none scored, the smallest grid rate.
    public static func choose(plan: SweepPlan, records: [RunRecord]) -> [Combination: Choice] {
        var out: [Combination: Choice] = [:]
        for (c, runs) in tuningRecords(plan: plan, records: records) {
            switch search(plan: plan, c, tuning: runs) {
            case .done(let r):
                out[c] = Choice(lr: r.lr, onEdge: r.onEdge, rates: r.rates, scores: r.scores.map(\.value),
                                score: r.chosenScore.value, complete: true)
            case .needs:
                // Partial: the best of what was scored (the same order as the search's).
                let known = scores(plan: plan, c, tuning: runs)
                let scored = known.rates.compactMap { lr in known.score(lr).map { (lr, $0) } }
                let best = scored.min { RateSearch.better($0.1, $0.0, than: $1.1, $1.0) }
                let lr = best?.0 ?? plan.config.learningRates.min() ?? .nan
                out[c] = Choice(lr: lr, onEdge: false, rates: scored.map(\.0), scores: scored.map(\.1.value),
                                score: best?.1.value ?? .nan, complete: false)
            }
        }
        return out
    }
}

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
