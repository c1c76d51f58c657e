import Foundation
import Problems
import Run
import Statistics

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
    package static func finalScore(_ r: RunRecord, _ entry: SweepConfig.ProblemEntry) -> Double {
        guard !r.diverged, let v = r.finalValue else { return .infinity }
        return entry.direction(of: r.primary) == .higher ? -v : v
    }

    package static func stepsScore(_ r: RunRecord, target: String) -> Double {
        guard let k = r.targets.firstIndex(of: target), let s = r.stepsToTarget[k] else { return .infinity }
        return Double(s)
    }

    /// The oracle calls (gradient + loss evaluations) a run spent to reach `target`; +∞ if never.
    package static func oracleCallsScore(_ r: RunRecord, target: String) -> Double {
        guard let k = r.targets.firstIndex(of: target), let calls = r.oracleCalls(toTarget: k) else { return .infinity }
        return Double(calls)
    }

    /// How exact a run's steps to `target` are: its recorded resolution (1: exact to the step),
    /// or the evaluation interval for records that do not say.
    package static func resolution(_ r: RunRecord, target: String) -> Int {
        guard let k = r.targets.firstIndex(of: target), k < r.targetResolution.count else { return r.evaluationInterval }
        return r.targetResolution[k]
    }

    /// The tuning score of one rate from its runs (one per tuning seed); nil while runs are missing.
    package static func score(_ runs: [RunRecord], seeds: Int, rule: TuningRule, entry: SweepConfig.ProblemEntry) -> RateSearch.Score? {
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
    package static func scores(plan: SweepPlan, _ c: Combination, tuning runs: [RunRecord]) -> (rates: [Double], score: (Double) -> RateSearch.Score?) {
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
    package static func tuningRecords(plan: SweepPlan, records: [RunRecord]) -> [Combination: [RunRecord]] {
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
