// Compute first: the counts, orders and summary rows the report's sections print, from the
// analysis. The section files (ReportHeader.swift, …Section.swift) only format these values.

import Foundation
import Results
import Run
import Sweep
import Specs
import Statistics

extension SummaryRow {
    /// Evaluation seeds that reached the main target.
    var successes: Int { Int((successRate * Double(seeds)).rounded()) }
}

/// A count per phase, in `Phase.allCases` order.
struct PhaseCounts {
    var counts: [(phase: Phase, count: Int)]
    init(_ records: [RunRecord]) {
        counts = Phase.allCases.map { ph in (ph, records.filter { $0.phase == ph }.count) }
    }
}

/// A performance profile's ρ at fixed τ for each solver, with the order its table prints.
struct ProfileTable {
    var title: String
    var profile: PerformanceProfile
    /// Solver indices, by the area under ρ against log τ (largest first), ties by file order.
    var order: [Int]
    /// ρ(τ) per solver at `taus`.
    var rho: [[Double]]
    static let taus: [Double] = [1, 2, 4, 10, .infinity]

    init(_ title: String, _ p: PerformanceProfile) {
        self.title = title
        profile = p
        let tauMax = Swift.max(p.maxRatio * 1.25, 2)
        order = p.solvers.indices.sorted { x, y in
            let (sx, sy) = (p.score(x, tauMax: tauMax), p.score(y, tauMax: tauMax))
            return sx != sy ? sx > sy : x < y
        }
        rho = p.solvers.indices.map { s in Self.taus.map { p.rho(s, $0) } }
    }
}

/// One curve of the targets-reached ECDF, with the fractions its table prints.
struct ECDFCurve {
    var label: String
    var ecdf: ReachECDF
    /// Reached by 10 %, 25 %, 50 % and 100 % of the budget.
    var fractions: [Double]
    static let at: [Double] = [0.1, 0.25, 0.5, 1]
    init(_ label: String, _ ecdf: ReachECDF) {
        self.label = label
        self.ecdf = ecdf
        fractions = Self.at.map { ecdf.fraction(atOrBelow: $0) }
    }
}

/// The cross-problem order of §1: the combinations' table, the profiles, the ECDFs.
struct OrderTally {
    /// One row per standing in `Analysis.overall` order: its ρ(1), ρ(2), ρ(4).
    var rows: [(standing: MethodStanding, rho: [Double])]
    static let taus: [Double] = [1, 2, 4]
    /// Standings drawn in the combinations' profile (the leading 8).
    var profileLeaders: [Int]
    var optimizers: ProfileTable
    var schedules: ProfileTable
    /// The leading combinations, then each optimizer with its best schedule per problem.
    var leadingCurves: [ECDFCurve]
    var optimizerCurves: [ECDFCurve]

    init(_ a: Analysis) {
        rows = a.overall.map { i in (a.standings[i], Self.taus.map { a.profile.rho(i, $0) }) }
        profileLeaders = Array(a.overall.prefix(8))
        optimizers = ProfileTable("optimizer", a.optimizerProfile)
        schedules = ProfileTable("schedule", a.scheduleProfile)
        let leaders = Array(a.overall.prefix(FigureBuilder.leadingCount)).map { a.standings[$0].method }
        leadingCurves = leaders.map { m in ECDFCurve(a.label(m), Self.triples(a.problems.compactMap { $0.item(m) })) }
        let config = a.config
        optimizerCurves = config.optimizers.indices.map { o in
            ECDFCurve(config.optimizers[o].description,
                      Self.triples(a.problems.compactMap { pa in pa.ranked.first { $0.method.optimizer == o && $0.hasRuns } }))
        }
    }

    /// Each evaluation run's targets, over its budget.
    static func triples(_ items: [Item]) -> ReachECDF {
        ReachECDF(runs: items.flatMap { it in it.evaluation.map { ($0.stepsToTarget, $0.budget) } })
    }
}

/// A problem's ranking summarised over the combinations with runs (the ranking's last row).
struct RankingSummary {
    var combinations: Int
    var tunedLR: GeometricMean
    var steps: GeometricMean
    /// Mean success rate (NaN without runs).
    var success: Double
    var final: GeometricMean
    var secondsPerStep: GeometricMean
    var overSGD: GeometricMean
    var relative: GeometricMean

    init(_ pa: ProblemAnalysis) {
        let withRuns = pa.items.filter(\.hasRuns)
        combinations = withRuns.count
        tunedLR = GeometricMean(withRuns.map(\.row.tunedLR))
        steps = GeometricMean(withRuns.map(\.steps))
        success = withRuns.isEmpty ? .nan : withRuns.map(\.row.successRate).reduce(0, +) / Double(withRuns.count)
        final = GeometricMean(withRuns.map { $0.row.finalMedian })
        secondsPerStep = GeometricMean(withRuns.map(\.row.secondsPerStepMedian))
        overSGD = GeometricMean(withRuns.map(\.overSGD))
        relative = GeometricMean(withRuns.map(\.relative))
    }
}

/// §3: the seeds' schedules against the modern ones, and the per-step cost of plain SGD.
struct SeedsTally {
    enum Winner { case seeds, modern }
    enum Verdict {
        /// The better-ranked group's best wins; `byFinalValue` when the steps tie.
        case won(Winner, byFinalValue: Bool)
        case neitherReachesIt
    }
    struct Row {
        var problem: Int
        var seeds: ScheduleGroupRow?
        var modern: ScheduleGroupRow?
        /// Nil when a group has no runs on the problem.
        var verdict: Verdict?
    }
    /// Schedule indices of the seeds' and the modern group, in file order.
    var seedsSchedules: [Int]
    var modernSchedules: [Int]
    var hasScheduleFree: Bool
    var rows: [Row]
    var seedsWins = 0, modernWins = 0, ties = 0
    /// Per problem, every schedule with its best optimizer, grouped.
    var groups: [[ScheduleGroupRow]]
    /// Per problem, sgd's median over schedules of its median seconds per step (empty without sgd).
    var sgdSecondsPerStep: [Double]

    init(_ a: Analysis) {
        let config = a.config
        seedsSchedules = config.schedules.indices.filter { Analysis.seedsSchedules.contains(config.schedules[$0].name) }
        modernSchedules = config.schedules.indices.filter { Analysis.modernSchedules.contains(config.schedules[$0].name) }
        hasScheduleFree = config.optimizers.indices.contains { a.isScheduleFree($0) }
        rows = []
        for pa in a.problems {
            let (s, m) = a.seedsVersusModern(pa)
            var row = Row(problem: pa.index, seeds: s, modern: m, verdict: nil)
            if let sb = s?.best, let mb = m?.best {
                if sb.steps.isFinite || mb.steps.isFinite {
                    // The ranking decides: fewer steps, then the better final value.
                    let same = sb.steps == mb.steps
                    if sb.rank < mb.rank { row.verdict = .won(.seeds, byFinalValue: same); seedsWins += 1 } else {
                        row.verdict = .won(.modern, byFinalValue: same); modernWins += 1
                    }
                    if same { ties += 1 }
                } else { row.verdict = .neitherReachesIt }
            }
            rows.append(row)
        }
        groups = a.problems.map { a.scheduleGroups($0) }
        sgdSecondsPerStep = a.sgdIndex.map { sgd in
            a.problems.map { pa in
                Stats.median(pa.items.filter { $0.method.optimizer == sgd && $0.hasRuns }.map(\.row.secondsPerStepMedian))
            }
        } ?? []
    }
}

/// §4: rates on the edge of the search, run-dependent schedules, divergences, incomplete combinations.
struct NotesTally {
    /// The grid's ends.
    var lowest: Double, highest: Double
    /// Combinations with runs, and those whose tuned rate is an edge of the search.
    var combinations: Int
    var onEdge: Int, atLowest: Int, atHighest: Int
    /// Per optimizer with edge choices (file order): choices at the lowest and the highest rate.
    var edgePerOptimizer: [(optimizer: Int, lowest: Int, highest: Int)]
    /// Schedules driven by elapsed time in some evaluation run; the other run-dependent (metric-driven) ones.
    var timeDriven: [Int]
    var metricDriven: [Int]
    var runs: Int
    var diverged: Int
    var divergedPerPhase: PhaseCounts
    /// Diverged runs per optimizer and per schedule of the sweep file, by phase.
    var divergedPerOptimizer: [PhaseCounts]
    var divergedPerSchedule: [PhaseCounts]
    /// Combinations without evaluation runs.
    var missing: Int

    init(_ a: Analysis) {
        let config = a.config
        let all = a.problems.flatMap(\.items)
        let edge = all.filter { $0.hasRuns && $0.row.lrOnGridEdge }
        let lo = config.learningRates.min() ?? .nan, hi = config.learningRates.max() ?? .nan
        lowest = lo
        highest = hi
        combinations = all.filter(\.hasRuns).count
        onEdge = edge.count
        atLowest = edge.filter { $0.row.tunedLR <= lo }.count
        atHighest = edge.filter { $0.row.tunedLR >= hi }.count
        edgePerOptimizer = config.optimizers.indices.compactMap { o in
            let e = edge.filter { $0.method.optimizer == o }
            return e.isEmpty ? nil : (o, e.filter { $0.row.tunedLR <= lo }.count, e.filter { $0.row.tunedLR >= hi }.count)
        }
        let timeDriven = config.schedules.indices.filter { s in all.contains { $0.method.schedule == s && $0.row.timeDriven } }
        self.timeDriven = timeDriven
        let budget = config.problems.first?.budget ?? 1
        metricDriven = config.schedules.indices.filter { a.multiplier($0, budget: budget) == nil && !timeDriven.contains($0) }
        let records = a.results.records
        let diverged = records.filter(\.diverged)
        runs = records.count
        self.diverged = diverged.count
        divergedPerPhase = PhaseCounts(diverged)
        divergedPerOptimizer = config.optimizers.map { o in PhaseCounts(diverged.filter { $0.optimizer == o.description }) }
        divergedPerSchedule = config.schedules.map { s in PhaseCounts(diverged.filter { $0.schedule == s.description }) }
        missing = all.filter { !$0.hasRuns }.count
    }
}

/// Everything the sections count, computed once before any Markdown is written.
struct Tallies {
    var runs: PhaseCounts
    var order: OrderTally
    /// Per problem, in problem order.
    var rankings: [RankingSummary]
    var seeds: SeedsTally
    var notes: NotesTally
    var answer: AnswerTally

    init(_ a: Analysis, _ answers: Answers) {
        runs = PhaseCounts(a.results.records)
        order = OrderTally(a)
        rankings = a.problems.map(RankingSummary.init)
        seeds = SeedsTally(a)
        notes = NotesTally(a)
        answer = AnswerTally(a, answers)
    }
}

/// The first screen's and §1's top-group tables: orders, comparisons and counts from `Answers`.
struct AnswerTally {
    /// The best of a problem's group against tuned adam + constant.
    enum VersusBaseline {
        /// best steps / the baseline's, both finite; whether the baseline is in the group.
        case ratio(Double, baselineInGroup: Bool)
        /// The best reaches the main target, the baseline does not.
        case baselineMisses
    }
    struct Problem {
        /// The group's members, fastest median first (ties: item order); those other than the best.
        var members: [GroupEntry]
        var others: [GroupEntry]
        /// Nil when the two cannot be compared (no baseline, no intervals, neither reaches it).
        var versusBaseline: VersusBaseline?
        /// Per relaxed target (`ProblemAnswer.relaxed` order): whether the main target's best is in
        /// its top group; nil where it has none.
        var mainBestStays: [Bool?]
    }
    /// The optimizers' or the schedules' top group across problems.
    struct Overall {
        var what: String
        var answer: OverallAnswer
        /// Members by cost (ties: index), and the cheapest candidate outside the group.
        var members: [Int]
        var next: Int?
    }
    /// An optimizer's or a schedule's row of the per-problem membership table.
    struct MembershipRow {
        var candidate: Int
        /// Per problem: in the top group, significantly slower, or nil (not run).
        var cells: [Bool?]
        var inGroup: Int
        var ran: Int
    }

    /// Aligned with `Answers.problems`; nil where a problem has no group.
    var problems: [Problem?]
    var overall: [Overall]
    /// "optimizer" then "schedule", each with the rows of the candidates that ran somewhere.
    var membership: [(what: String, rows: [MembershipRow])]
    /// The combinations' top group across problems, by cost (ties: index).
    var combinationMembers: [Int]
    /// Optimizers whose default rate ran on some problem.
    var defaults: [(optimizer: Int, reached: Int, ran: Int)]
    /// Whether some problem's best reaches its main target.
    var anyBest: Bool
    /// Problems whose group has more than one member (with the count), and those whose best stands alone.
    var unseparated: [(problem: Int, members: Int)]
    var separated: [Int]

    static func fastestFirst(_ entries: [GroupEntry]) -> [GroupEntry] {
        entries.sorted { ($0.steps?.estimate ?? .infinity, $0.item) < ($1.steps?.estimate ?? .infinity, $1.item) }
    }

    static func byCost(_ r: OverallTopGroup.Result, _ indices: [Int]) -> [Int] {
        indices.sorted { (r.cost[$0], $0) < (r.cost[$1], $1) }
    }

    init(_ a: Analysis, _ answers: Answers) {
        problems = answers.problems.map { ans -> Problem? in
            guard let g = ans.group else { return nil }
            let best = g.bestEntry
            let members = Self.fastestFirst(g.members)
            var vs: VersusBaseline? = nil
            if let b = ans.baseline, let be = g.entries.first(where: { $0.item == b }), let bs = be.steps, let bestSteps = best.steps {
                if bs.estimate.isFinite && bestSteps.estimate.isFinite {
                    vs = .ratio(bestSteps.estimate / bs.estimate, baselineInGroup: be.inGroup)
                } else if bestSteps.estimate.isFinite {
                    vs = .baselineMisses
                }
            }
            let stays = ans.relaxed.map { r in r.group.map { rg in rg.entries.first { $0.item == best.item }?.inGroup ?? false } }
            return Problem(members: members, others: members.filter { $0.item != best.item }, versusBaseline: vs, mainBestStays: stays)
        }
        overall = [("Optimizers", answers.optimizers), ("Schedules", answers.schedules)].compactMap { what, o -> Overall? in
            guard let o else { return nil }
            let r = o.result
            let outside = r.inGroup.indices.filter { !r.inGroup[$0] }
            return Overall(what: what, answer: o, members: Self.byCost(r, r.members),
                           next: outside.min { (r.cost[$0], $0) < (r.cost[$1], $1) })
        }
        let config = a.config
        membership = [("optimizer", config.optimizers.count), ("schedule", config.schedules.count)].map { what, count in
            let rows = (0..<count).compactMap { k -> MembershipRow? in
                var row = MembershipRow(candidate: k, cells: [], inGroup: 0, ran: 0)
                for ans in answers.problems {
                    let pa = a.problems[ans.problem]
                    guard let g = what == "optimizer" ? ans.optimizers : ans.schedules, let e = g.entries.first(where: {
                        (what == "optimizer" ? pa.items[$0.item].method.optimizer : pa.items[$0.item].method.schedule) == k
                    }) else { row.cells.append(nil); continue }
                    row.ran += 1
                    if e.inGroup { row.inGroup += 1 }
                    row.cells.append(e.inGroup)
                }
                return row.ran == 0 ? nil : row
            }
            return (what, rows)
        }
        combinationMembers = answers.combinations.map { Self.byCost($0.result, $0.result.members) } ?? []
        defaults = answers.defaults.filter { $0.ran > 0 }
        anyBest = answers.problems.contains { $0.group?.bestEntry.steps?.estimate.isFinite ?? false }
        unseparated = answers.problems.compactMap { ans in
            guard let g = ans.group, g.members.count > 1 else { return nil }
            return (ans.problem, g.members.count)
        }
        separated = answers.problems.filter { $0.group?.members.count == 1 }.map(\.problem)
    }
}
