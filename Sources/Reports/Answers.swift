// Compute first: the answer with its uncertainty. Top groups per problem (combinations,
// optimizers, schedules), at the main target and at relaxed ones, rank stability, bootstrap
// intervals, and the top groups across problems. Rendering (Report.swift) only formats these.

import Results
import Foundation
import Run
import Sweep
import Specs
import Statistics

/// One candidate of a top group: an item of the problem (a combination), or an optimizer or a
/// schedule represented by one of its items.
public struct GroupEntry: Sendable {
    /// Index into the problem's `items`.
    public var item: Int
    /// Median steps over the evaluation seeds with its bootstrap interval (nil: too few seeds).
    public var steps: ConfidenceInterval?
    /// Median final value (primary measure) with its interval.
    public var final: ConfidenceInterval?
    /// One-sided p of "slower than the best", raw and Holm-adjusted (nil for the best).
    public var p: Double?
    public var adjusted: Double?
    public var inGroup: Bool
    /// Share of bootstrap resamples of the seeds in which it is first.
    public var firstShare: Double
}

/// A top group over some candidates of one problem.
public struct GroupResult: Sendable {
    /// Candidates in input order; `best` indexes this array.
    public var entries: [GroupEntry]
    public var best: Int
    public var members: [GroupEntry] { entries.filter(\.inGroup) }
    public var bestEntry: GroupEntry { entries[best] }
}

public struct ProblemAnswer: Sendable {
    public var problem: Int
    /// Items compared (complete, not wall-clock-driven), as indices into the problem's items.
    public var candidates: [Int]
    /// Items left out, and why.
    public var excluded: [(item: Int, why: String)]
    public var seeds: Int
    /// Why no statistics could be computed (too few seeds, no candidates); nil when they were.
    public var unavailable: String?
    /// Combinations at the main target.
    public var group: GroupResult?
    /// Optimizers, each with its schedule of best tuning score; schedules, each with its optimizer of best tuning score.
    public var optimizers: GroupResult?
    public var schedules: GroupResult?
    /// The combination top group at each relaxed target (factor, target, group).
    public var relaxed: [(factor: Double, target: String, group: GroupResult?)]
    /// The named baseline's item (tuned adam + constant), when the sweep has it.
    public var baseline: Int?
    /// The steps-to-target resolution of the best's main target: 1 when exact, else the evaluation interval.
    public var resolution: Int
}

/// A top group across problems (OverallTopGroup) with the names of its candidates.
public struct OverallAnswer: Sendable {
    public var labels: [String]
    public var result: OverallTopGroup.Result
    /// The problems it is computed over (every candidate ran on each).
    public var problems: [Int]
}

public struct Answers: Sendable {
    public var problems: [ProblemAnswer]
    public var optimizers: OverallAnswer?
    public var schedules: OverallAnswer?
    public var combinations: OverallAnswer?
    /// Per optimizer (sweep order): problems where its default rate with the constant schedule
    /// reached the main target (median over the evaluation seeds), and problems where it ran.
    public var defaults: [(optimizer: Int, reached: Int, ran: Int)]
    public var settings: StatisticsSettings
    public var test: String { "exact Wilcoxon signed-rank test on log steps, paired by seed, Holm-corrected" }

    public init(_ a: Analysis) {
        settings = a.config.statistics
        let config = a.config
        let adam = config.optimizers.firstIndex { $0.name == "adam" && $0.arguments.isEmpty }
        let constant = config.schedules.firstIndex { $0.name == "constant" }
        problems = a.problems.map { pa in
            Self.problem(pa, a: a, baseline: adam.flatMap { o in constant.flatMap { s in pa.items.firstIndex { $0.method.optimizer == o && $0.method.schedule == s && $0.method.transform == 0 } } })
        }
        defaults = config.optimizers.indices.map { o in
            let rows = a.problems.compactMap { pa in pa.items.first { $0.method.optimizer == o && $0.method.schedule == constant && $0.method.transform == 0 } }
                .filter { !$0.row.defaultStepsMedian.isNaN }
            return (o, rows.filter { $0.row.defaultStepsMedian.isFinite }.count, rows.count)
        }
        optimizers = Self.overall(a, problems, labels: config.optimizers.map(\.description), level: "optimizer") { $0.optimizers }
        schedules = Self.overall(a, problems, labels: config.schedules.indices.map { Analysis.scheduleLabel(config, $0) }, level: "schedule") { $0.schedules }
        combinations = Self.overallCombinations(a, problems)
    }

    /// Steps to `target` on each evaluation seed (ordered by seed), counted from 1; +∞ when not reached.
    static func steps(_ it: Item, target: String) -> [Double] {
        it.evaluation.map { r in
            guard let k = r.targets.firstIndex(of: target), let s = r.stepsToTarget[k] else { return .infinity }
            return Double(Swift.max(s, 1))
        }
    }

    static func finals(_ it: Item, higherIsBetter: Bool) -> [Double] {
        it.evaluation.map { r in
            guard !r.diverged, let v = r.finalValue else { return .infinity }
            return higherIsBetter ? -v : v
        }
    }

    static func seed(_ s: StatisticsSettings, _ p: Int, _ what: UInt64) -> UInt64 {
        s.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(p) &* 1000 &+ what
    }

    static func problem(_ pa: ProblemAnalysis, a: Analysis, baseline: Int?) -> ProblemAnswer {
        let s = a.config.statistics
        let seeds = a.config.evaluationSeeds.count
        var candidates: [Int] = []
        var excluded: [(Int, String)] = []
        for (i, it) in pa.items.enumerated() {
            if it.row.timeDriven { excluded.append((i, "driven by wall-clock time: not reproducible")); continue }
            if it.evaluation.count != seeds || Set(it.evaluation.map(\.seed)) != Set(a.config.evaluationSeeds) {
                excluded.append((i, "incomplete: \(it.evaluation.count) of \(seeds) evaluation runs")); continue
            }
            candidates.append(i)
        }
        let main = pa.entry.mainTarget.description
        let resolution = candidates.map { pa.items[$0].row.stepsResolution }.max() ?? pa.entry.evaluationInterval
        var answer = ProblemAnswer(problem: pa.index, candidates: candidates, excluded: excluded, seeds: seeds, unavailable: nil,
                                   group: nil, optimizers: nil, schedules: nil, relaxed: [],
                                   baseline: baseline.flatMap { candidates.contains($0) ? $0 : nil }, resolution: resolution)
        if candidates.isEmpty { answer.unavailable = "no complete combination"; return answer }
        guard s.supportsIntervals(seeds: seeds) else {
            answer.unavailable = "\(seeds) evaluation seed\(seeds == 1 ? "" : "s"): at least \(StatisticsSettings.minimumSeeds(level: s.level)) are needed for \(Fmt.percent(s.level)) intervals and paired tests"
            return answer
        }
        func group(_ items: [Int], target: String, what: UInt64) -> GroupResult? {
            guard !items.isEmpty else { return nil }
            let values = items.map { Self.steps(pa.items[$0], target: target) }
            let finalValues = items.map { Self.finals(pa.items[$0], higherIsBetter: pa.higherIsBetter) }
            do {
                let g = try TopGroup.find(values, alpha: s.alpha, test: .wilcoxon, scale: .log, level: s.level,
                                          resamples: s.resamples, seed: seed(s, pa.index, what))
                let shares = try RankStability.firstPlaceShares(values, resamples: s.resamples, seed: seed(s, pa.index, what + 1))
                var entries: [GroupEntry] = []
                for (k, c) in g.candidates.enumerated() {
                    let f = try? Bootstrap.interval(finalValues[k], level: s.level, resamples: s.resamples, seed: seed(s, pa.index, what + 2))
                    entries.append(GroupEntry(item: items[k], steps: c.median,
                                              final: f.map { pa.higherIsBetter ? ConfidenceInterval(estimate: -$0.estimate, lower: -$0.upper, upper: -$0.lower, level: $0.level) : $0 },
                                              p: c.pValue, adjusted: c.adjustedPValue, inGroup: c.inGroup, firstShare: shares[k]))
                }
                return GroupResult(entries: entries, best: g.best)
            } catch {
                return nil
            }
        }
        answer.group = group(candidates, target: main, what: 10)
        // The resolution that matters is the best's: exact on a deterministic problem, even when
        // some other candidates (the schedule-free ones) are resolved to the interval.
        if let g = answer.group { answer.resolution = pa.items[g.bestEntry.item].row.stepsResolution }
        // Optimizers (schedules): each represented by its schedule (optimizer) with the best tuning
        // score — chosen on the tuning seeds, so the evaluation seeds test it without selection bias.
        func representative(_ key: (Item) -> Int, _ count: Int) -> [Int] {
            (0..<count).compactMap { k in
                candidates.filter { key(pa.items[$0]) == k && pa.items[$0].method.transform == 0 }
                    .min { x, y in
                        let (a, b) = (pa.items[x].row, pa.items[y].row)
                        return (a.tuningScore.isNaN ? .infinity : a.tuningScore, a.finalMedian.isNaN ? .infinity : a.finalMedian, x)
                            < (b.tuningScore.isNaN ? .infinity : b.tuningScore, b.finalMedian.isNaN ? .infinity : b.finalMedian, y)
                    }
            }
        }
        answer.optimizers = group(representative({ $0.method.optimizer }, a.config.optimizers.count), target: main, what: 20)
        answer.schedules = group(representative({ $0.method.schedule }, a.config.schedules.count), target: main, what: 30)
        answer.relaxed = a.config.relaxations.enumerated().map { k, f in
            let targets = a.config.relaxedTargets(pa.index)
            guard k < targets.count else { return (f, "", nil) }
            return (f, targets[k].description, group(candidates, target: targets[k].description, what: UInt64(40 + 10 * k)))
        }
        return answer
    }

    /// The top group across problems of optimizers (or schedules), each represented on a problem by
    /// the item its problem-level group used; over the problems where every one of them ran.
    static func overall(_ a: Analysis, _ answers: [ProblemAnswer], labels: [String], level: String,
                        _ pick: (ProblemAnswer) -> GroupResult?) -> OverallAnswer? {
        let s = a.config.statistics
        var common: [Int] = []
        var costs: [[[Double]]] = []
        var penalty: [Double] = []
        var keys: [Int]? = nil
        for ans in answers {
            guard let g = pick(ans) else { continue }
            let pa = a.problems[ans.problem]
            let ks = g.entries.map { level == "optimizer" ? pa.items[$0.item].method.optimizer : pa.items[$0.item].method.schedule }
            if keys == nil { keys = ks }
            guard ks == keys else { continue }  // a problem that lacks some of them is left out
            common.append(ans.problem)
            costs.append(g.entries.map { steps(pa.items[$0.item], target: pa.entry.mainTarget.description) })
            penalty.append(2 * Double(pa.entry.budget))
        }
        guard let keys, !common.isEmpty, keys.count > 1 else { return nil }
        let resamples = Swift.max(s.resamples, OverallTopGroup.minimumResamples(methods: keys.count, alpha: s.alpha))
        guard let r = try? OverallTopGroup.find(costs, penalty: penalty, alpha: s.alpha, level: s.level, resamples: resamples,
                                                seed: seed(s, 999, level == "optimizer" ? 1 : 2)) else { return nil }
        return OverallAnswer(labels: keys.map { labels[$0] }, result: r, problems: common)
    }

    /// The top group of combinations across the problems on which every compared combination ran.
    static func overallCombinations(_ a: Analysis, _ answers: [ProblemAnswer]) -> OverallAnswer? {
        let s = a.config.statistics
        let usable = answers.filter { $0.group != nil }
        guard !usable.isEmpty else { return nil }
        // The methods that are candidates on every usable problem with the most methods.
        func methods(_ ans: ProblemAnswer) -> [Method] { ans.candidates.map { a.problems[ans.problem].items[$0].method } }
        let widest = usable.map { methods($0).count }.max()!
        let chosen = usable.filter { methods($0).count == widest }
        let shared = chosen.dropFirst().reduce(Set(methods(chosen[0]))) { $0.intersection(methods($1)) }
        let list = a.methods.filter { shared.contains($0) }
        guard list.count > 1 else { return nil }
        var costs: [[[Double]]] = [], penalty: [Double] = [], common: [Int] = []
        for ans in chosen {
            let pa = a.problems[ans.problem]
            costs.append(list.map { m in steps(pa.items.first { $0.method == m }!, target: pa.entry.mainTarget.description) })
            penalty.append(2 * Double(pa.entry.budget))
            common.append(ans.problem)
        }
        let resamples = Swift.max(s.resamples, OverallTopGroup.minimumResamples(methods: list.count, alpha: s.alpha))
        guard let r = try? OverallTopGroup.find(costs, penalty: penalty, alpha: s.alpha, level: s.level, resamples: resamples,
                                                seed: seed(s, 999, 3)) else { return nil }
        return OverallAnswer(labels: list.map { a.label($0) }, result: r, problems: common)
    }
}
