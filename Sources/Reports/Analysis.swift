// Compute first: everything the report says, as data. Rendering (Markdown.swift, Figures.swift)
// only formats what is here. Every list is in an explicit order: the sweep file's, or a ranking
// with the file's order breaking ties. No dictionary is ever iterated.

import Foundation
import Results
import Run
import Statistics
import Sweep
import Problems
import Specs

/// One combination on one problem: its summary row, its runs, its place.
public struct Item: Sendable {
    public var method: Method
    public var row: SummaryRow
    /// The evaluation runs at the tuned rate, by seed.
    public var evaluation: [RunRecord]
    /// The tuning runs (every rate on the tuning seeds).
    public var tuning: [RunRecord]
    /// Median steps to the main target over the evaluation seeds; +∞ when censored or no runs.
    public var steps: Double
    /// steps / the problem's best steps; +∞ when censored; NaN when no combination reached it.
    public var relative: Double = .nan
    /// Median time per step over that of plain `sgd` with the same schedule (else sgd + constant); NaN without one.
    public var overSGD: Double = .nan
    /// 1-based rank on the problem.
    public var rank: Int = 0
    public var hasRuns: Bool { !evaluation.isEmpty }
}

public struct ProblemAnalysis: Sendable {
    public var index: Int
    public var name: String
    public var entry: SweepConfig.ProblemEntry
    /// In plan order (optimizer, schedule, transform).
    public var items: [Item]
    /// Indices into `items`, best first.
    public var ranking: [Int]
    public var higherIsBetter: Bool
    public var primary: String
    public var bestSteps: Double { ranking.first.map { items[$0].steps } ?? .infinity }
    public var ranked: [Item] { ranking.map { items[$0] } }
    public func item(_ m: Method) -> Item? { items.first { $0.method == m } }
}

/// A method's standing over all problems.
public struct MethodStanding: Sendable {
    public var method: Method
    /// Problems where the median reached the main target.
    public var solved: Int
    /// Problems where it ranked first.
    public var wins: [Int]
    /// Geometric mean over problems of steps relative to the best (failures counted apart).
    public var relative: GeometricMean
    /// Geometric mean over problems of time per step relative to SGD.
    public var overSGD: GeometricMean
    public var profileScore: Double
}

public struct OverheadRow: Sendable {
    public var optimizer: Int
    /// Per problem: the median over schedules (and transforms) of time per step / plain SGD's with the same schedule.
    public var perProblem: [Double]
    public var mean: GeometricMean
}

public struct ScheduleGroupRow: Sendable {
    public enum Group: String, Sendable { case seeds = "seeds'", modern = "modern", baseline = "baseline" }
    public var group: Group
    /// The schedule index, or nil for the schedule-free optimizers with a constant rate.
    public var schedule: Int?
    public var label: String
    /// The best item with this schedule on the problem (nil: no runs).
    public var best: Item?
}

public struct Analysis: Sendable {
    public var results: ResultSet
    public var config: SweepConfig { results.config }
    public var problems: [ProblemAnalysis]
    /// All methods in file order.
    public var methods: [Method]
    public var standings: [MethodStanding]
    /// Indices into `standings`, best first: most problems solved, then the smallest geometric mean
    /// of steps relative to the best, then the file order.
    public var overall: [Int]
    public var sgdIndex: Int?
    public var constantIndex: Int?
    public var profile: PerformanceProfile
    /// Profiles with one solver per optimizer (its best schedule on each problem) and per schedule
    /// (its best optimizer on each problem).
    public var optimizerProfile: PerformanceProfile
    public var scheduleProfile: PerformanceProfile
    public var overhead: [OverheadRow]

    public init(_ results: ResultSet) {
        self.results = results
        let config = results.config
        let plan = results.plan
        sgdIndex = config.optimizers.firstIndex { $0.name == "sgd" && $0.arguments.isEmpty }
        constantIndex = config.schedules.firstIndex { $0.name == "constant" }

        // Group records by combination and phase (records are sorted by combination already).
        var byCombo: [Combination: (tuning: [RunRecord], evaluation: [RunRecord])] = [:]
        var comboOf: [CombinationKey: Combination] = [:]
        for c in plan.combinations {
            comboOf[ResultSet.key(plan.problemName(c), plan.optimizerName(c), plan.scheduleName(c), plan.transformName(c))] = c
        }
        for r in results.records {
            guard let c = comboOf[ResultSet.key(r.problem, r.optimizer, r.schedule, r.transforms)] else { continue }
            var v = byCombo[c] ?? ([], [])
            if r.phase == .tuning { v.tuning.append(r) }
            if r.phase == .evaluation { v.evaluation.append(r) }
            byCombo[c] = v
        }

        var problems: [ProblemAnalysis] = []
        for (p, entry) in config.problems.enumerated() {
            var items: [Item] = []
            for (k, c) in plan.combinations.enumerated() where c.problem == p {
                let row = results.rows[k]
                let runs = byCombo[c] ?? ([], [])
                let eval = runs.evaluation.filter { $0.lr == row.tunedLR }.sorted { ($0.seed, $0.id) < ($1.seed, $1.id) }
                let steps = eval.isEmpty || row.stepsMedian.isNaN ? Double.infinity : row.stepsMedian
                items.append(Item(method: c.method,
                                  row: row, evaluation: eval, tuning: runs.tuning, steps: steps))
            }
            let primary = items.first(where: \.hasRuns)?.row.primary ?? entry.primary ?? Target.suboptimality
            let higher = entry.direction(of: primary) == .higher
            // Wall-clock-driven schedules are not reproducible: listed last, unranked (rank 0).
            let order = Ranking.order(steps: items.map(\.steps), finals: items.map { $0.hasRuns ? $0.row.finalMedian : .nan },
                                      higherIsBetter: higher)
            let ranking = order.filter { !items[$0].row.timeDriven } + order.filter { items[$0].row.timeDriven }
            for (r, i) in ranking.enumerated() { items[i].rank = items[i].row.timeDriven ? 0 : r + 1 }
            let best = ranking.first.map { items[$0].steps } ?? .infinity
            for i in items.indices {
                items[i].relative = best.isFinite ? (items[i].steps.isFinite ? Swift.max(items[i].steps, 1) / Swift.max(best, 1) : .infinity) : .nan
            }
            // Time per step over plain SGD's with the same schedule and transforms (else sgd + constant).
            if let sgd = sgdIndex {
                for i in items.indices {
                    let m = items[i].method
                    let ref = items.first { $0.method == Method(optimizer: sgd, schedule: m.schedule, transform: m.transform) && $0.hasRuns }
                        ?? constantIndex.flatMap { ci in items.first { $0.method == Method(optimizer: sgd, schedule: ci, transform: m.transform) && $0.hasRuns } }
                    if let ref, items[i].hasRuns, ref.row.secondsPerStepMedian > 0 {
                        items[i].overSGD = items[i].row.secondsPerStepMedian / ref.row.secondsPerStepMedian
                    }
                }
            }
            problems.append(ProblemAnalysis(index: p, name: entry.name, entry: entry, items: items,
                                            ranking: ranking, higherIsBetter: higher, primary: primary))
        }
        self.problems = problems

        var methods: [Method] = []
        for o in config.optimizers.indices {
            for s in config.schedules.indices {
                for t in config.transforms.indices { methods.append(Method(optimizer: o, schedule: s, transform: t)) }
            }
        }
        self.methods = methods

        // Performance profile over all methods.
        let costs = problems.map { pa in methods.map { m in pa.item(m)?.steps ?? .infinity } }
        profile = PerformanceProfile(solvers: methods.map { Self.label(config, $0) }, costs: costs)
        let tauMax = Swift.max(profile.maxRatio * 1.25, 2)
        var standings: [MethodStanding] = []
        for (s, m) in methods.enumerated() {
            let its = problems.compactMap { $0.item(m) }
            standings.append(MethodStanding(
                method: m, solved: its.filter { $0.steps.isFinite }.count,
                wins: problems.filter { pa in pa.ranking.first.map { pa.items[$0].method == m && pa.items[$0].steps.isFinite } ?? false }.map(\.index),
                relative: GeometricMean(its.map(\.relative)), overSGD: GeometricMean(its.map(\.overSGD)),
                profileScore: profile.score(s, tauMax: tauMax)))
        }
        self.standings = standings
        let timeDriven = Set(problems.flatMap { $0.items.filter(\.row.timeDriven).map(\.method.schedule) })
        overall = standings.indices.sorted { a, b in
            let x = standings[a], y = standings[b]
            let (ta, tb) = (timeDriven.contains(x.method.schedule), timeDriven.contains(y.method.schedule))
            if ta != tb { return tb }
            if x.solved != y.solved { return x.solved > y.solved }
            let gx = x.relative.value.isNaN ? Double.infinity : x.relative.value
            let gy = y.relative.value.isNaN ? Double.infinity : y.relative.value
            if gx != gy { return gx < gy }
            return a < b
        }

        // Profiles per optimizer (best schedule per problem) and per schedule (best optimizer per problem).
        optimizerProfile = PerformanceProfile(
            solvers: config.optimizers.map(\.description),
            costs: problems.map { pa in config.optimizers.indices.map { o in pa.items.filter { $0.method.optimizer == o }.map(\.steps).min() ?? .infinity } })
        scheduleProfile = PerformanceProfile(
            solvers: config.schedules.indices.map { Self.scheduleLabel(config, $0) },
            costs: problems.map { pa in config.schedules.indices.map { s in pa.items.filter { $0.method.schedule == s }.map(\.steps).min() ?? .infinity } })

        // Per-step cost of each optimizer relative to plain SGD, paired by schedule and transforms.
        var overhead: [OverheadRow] = []
        if let sgd = sgdIndex {
            for o in config.optimizers.indices where o != sgd {
                let per = problems.map { pa -> Double in
                    let ratios = pa.items.filter { $0.method.optimizer == o }.compactMap { it -> Double? in
                        guard let ref = pa.item(Method(optimizer: sgd, schedule: it.method.schedule, transform: it.method.transform)),
                              ref.hasRuns, it.hasRuns, ref.row.secondsPerStepMedian > 0 else { return nil }
                        let x = it.row.secondsPerStepMedian / ref.row.secondsPerStepMedian
                        return x.isFinite ? x : nil
                    }
                    return Stats.median(ratios)
                }
                overhead.append(OverheadRow(optimizer: o, perProblem: per, mean: GeometricMean(per)))
            }
        }
        self.overhead = overhead
    }

    // MARK: Names

    /// A spec's short name among its siblings: the bare name when no other spec shares it, else the full spec.
    static func shortName(_ specs: [Spec], _ i: Int) -> String {
        let s = specs[i]
        return specs.filter { $0.name == s.name }.count == 1 ? s.name : s.description
    }

    public static func optimizerLabel(_ c: SweepConfig, _ o: Int) -> String { c.optimizers[o].description }
    public static func scheduleLabel(_ c: SweepConfig, _ s: Int) -> String { shortName(c.schedules, s) }

    /// `adam + cosine`, with the transform chain in brackets when it is not `none`.
    public static func label(_ c: SweepConfig, _ m: Method) -> String {
        let t = SweepConfig.chainName(c.transforms[m.transform])
        return optimizerLabel(c, m.optimizer) + " + " + scheduleLabel(c, m.schedule) + (t == "none" ? "" : " [\(t)]")
    }
    public func label(_ m: Method) -> String { Self.label(config, m) }

    // MARK: Derived views

    /// The best item of each optimizer on a problem (its best schedule), in file order of optimizers.
    public func bestPerOptimizer(_ pa: ProblemAnalysis) -> [Item] {
        config.optimizers.indices.compactMap { o in pa.ranked.first { $0.method.optimizer == o && $0.hasRuns } }
    }

    /// The leading items of a problem: its top `count` by rank, with runs.
    public func leading(_ pa: ProblemAnalysis, count: Int) -> [Item] {
        Array(pa.ranked.filter(\.hasRuns).prefix(count))
    }

    /// The seeds' schedules, the modern ones and the rest, by spec name.
    public static let seedsSchedules: Set<String> = ["loss_adaptive", "time_decay", "inverse_time", "inverse_sqrt", "linear", "step", "interleave"]
    public static let modernSchedules: Set<String> = ["cosine", "onecycle", "warmup", "wsd", "cosine_restarts"]

    public func isScheduleFree(_ o: Int) -> Bool { config.optimizers[o].name.contains("schedulefree") }

    /// Per problem, the best optimizer for each schedule, grouped: the seeds' schedules, then the
    /// modern ones (with the schedule-free optimizers at a constant rate as one more row), then the
    /// baselines. Schedule-free optimizers count only in their own row.
    public func scheduleGroups(_ pa: ProblemAnalysis) -> [ScheduleGroupRow] {
        var out: [ScheduleGroupRow] = []
        func best(_ filter: (Item) -> Bool) -> Item? { pa.ranked.first { $0.hasRuns && filter($0) } }
        for group in [ScheduleGroupRow.Group.seeds, .modern, .baseline] {
            for s in config.schedules.indices {
                let name = config.schedules[s].name
                let g: ScheduleGroupRow.Group = Self.seedsSchedules.contains(name) ? .seeds : Self.modernSchedules.contains(name) ? .modern : .baseline
                guard g == group else { continue }
                out.append(ScheduleGroupRow(group: g, schedule: s, label: Self.scheduleLabel(config, s),
                                            best: best { $0.method.schedule == s && !isScheduleFree($0.method.optimizer) }))
            }
            if group == .modern, let ci = constantIndex, config.optimizers.indices.contains(where: { isScheduleFree($0) }) {
                out.append(ScheduleGroupRow(group: .modern, schedule: nil, label: "schedule-free + constant",
                                            best: best { $0.method.schedule == ci && isScheduleFree($0.method.optimizer) }))
            }
        }
        return out
    }

    /// For the seeds' question: per problem, the best of the seeds' group and the best of the modern group.
    public func seedsVersusModern(_ pa: ProblemAnalysis) -> (seeds: ScheduleGroupRow?, modern: ScheduleGroupRow?) {
        let rows = scheduleGroups(pa)
        func top(_ g: ScheduleGroupRow.Group) -> ScheduleGroupRow? {
            rows.filter { $0.group == g && $0.best != nil }.min { $0.best!.rank < $1.best!.rank }
        }
        return (top(.seeds), top(.modern))
    }
}
