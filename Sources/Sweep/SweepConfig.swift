import Run
import Foundation
import GradientTransforms
import Optimizers
import Problems
import Schedules
import Specs
import Statistics

/// A sweep file, decoded and checked: problems × optimizers × schedules × transforms × rates × seeds.
///
///     name: quick
///     budget: 300                      # default step budget (a problem may set its own)
///     # or budgets: [250, 500, 1000]   # one entry (one tuning) per budget; budget-free methods run once
///     evaluation_interval: 10
///     learning_rates: {from: 1e-4, to: 1, count: 9}   # a log grid; or a list [1e-3, 1e-2]
///     seeds: {tuning: [0], evaluation: [1, 2, 3]}
///     tuning: {rule: steps_to_target}  # or final_value
///     rate_search: {extend: 3, refine: 2}   # past the grid's edges, then around the best
///     one_shot: [constant]             # default rates: true (every schedule), false, or schedules
///     statistics: {level: 0.95, alpha: 0.05, resamples: 2000, seed: 0}
///     relaxations: [0.1, 10]           # main targets ×0.1 and ×10 on suboptimality (AlgoPerf)
///     stop: {divergence_factor: 1e4, at_target: false}
///     problems:
///       - spec: quadratic(dim=20, cond=100)
///         budget: 500
///         targets: {suboptimality: [1e-1, 1e-2, 1e-3]}
///         main_target: {suboptimality: 1e-2}
///     optimizers: [sgd, adam]          # specs; quote any with a comma inside a [...] flow list
///     schedules: [constant, "cosine(T_max=budget)"]
///     transforms: [none, "clip_norm(max_norm=1)"]
public struct SweepConfig: Sendable {
    public var name: String
    public var description: String
    public var problems: [ProblemEntry]
    public var optimizers: [Spec]
    public var schedules: [Spec]
    /// Each entry is one chain, applied in order; an empty chain is the identity (`none`).
    public var transforms: [[Spec]]
    public var learningRates: [Double]
    public var tuningSeeds: [UInt64]
    public var evaluationSeeds: [UInt64]
    public var tuningRule: TuningRule
    /// How the rate is searched beyond the grid.
    public var rateSearch: RateSearch = .gridOnly
    /// Whether to run each optimizer's default rate on the evaluation seeds too.
    public var oneShot: Bool
    /// The schedules whose combinations get the one-shot default-rate runs (nil: all of them).
    public var oneShotSchedules: [Int]? = nil
    /// Confidence level, test level and resampling of the results' statistics.
    public var statistics: StatisticsSettings = .init()
    /// Factors on the main target's value (suboptimality targets only) for which the report also
    /// states the top groups: 0.1 is ten times harder, 10 ten times easier.
    public var relaxations: [Double] = []
    public var stopRule: StopRule
    /// Stop a run at its tightest suboptimality target.
    public var stopAtTarget: Bool
    /// The file's text, kept beside the results so that `merge` can recompute the summary.
    public var source: String

    public struct ProblemEntry: Sendable {
        public var spec: Spec
        public var budget: Int
        public var evaluationInterval: Int
        public var targets: [Target]
        public var mainTarget: Target
        /// `suboptimality` or a metric name: what the final and best values measure.
        public var primary: String?
        /// The optimizers and schedules (indices into the sweep's lists) run on this problem; nil:
        /// all of them. A costly problem may run a subset.
        public var optimizerSubset: [Int]? = nil
        public var scheduleSubset: [Int]? = nil
        /// The problem's metrics with their directions (`Problem.metrics(for:)` of its spec; empty for
        /// an unknown problem, which validation reports).
        public var metrics: [Metric] = []

        /// Which way `metric` improves: as the problem declares it; lower for suboptimality.
        public func direction(of metric: String) -> MetricDirection {
            metrics.first { $0.name == metric }?.direction ?? .lower
        }

        /// The entry with `metrics` declared and every target given its metric's direction.
        public mutating func declare(_ metrics: [Metric]) {
            self.metrics = metrics
            targets = targets.map { var t = $0; t.direction = direction(of: t.metric); return t }
            mainTarget.direction = direction(of: mainTarget.metric)
        }
        /// The `budgets:` list this entry is one of (ascending; each budget is its own entry, its
        /// own tuning); nil for a problem with one budget.
        public var budgetSeries: [Int]? = nil
        /// The problem's index in the sweep file's `problems` list (a `budgets:` list expands one
        /// item into one entry per budget); nil: its index in `problems` (a config built in code).
        public var fileIndex: Int? = nil

        /// How records, summaries and reports name the problem: its spec, with `@budget=B` when
        /// the entry is one of a `budgets:` series (so that each budget is its own row).
        public var name: String { budgetSeries == nil ? spec.description : "\(spec.description) @budget=\(budget)" }

        /// Whether the problem runs optimizer `o` with schedule `s`.
        public func runs(optimizer o: Int, schedule s: Int) -> Bool {
            (optimizerSubset?.contains(o) ?? true) && (scheduleSubset?.contains(s) ?? true)
        }
    }

    public var transformNames: [String] { transforms.map { Self.chainName($0) } }

    /// Problem p's main target relaxed by each factor of `relaxations` (suboptimality targets
    /// only; empty otherwise), in the order of `relaxations`.
    public func relaxedTargets(_ p: Int) -> [Target] {
        let main = problems[p].mainTarget
        guard main.metric == Target.suboptimality else { return [] }
        return relaxations.map { f in
            let v = main.value * f
            return Target(metric: main.metric, value: Double(String(format: "%.12g", v)) ?? v, direction: main.direction)
        }
    }

    /// Whether optimizer `o` with schedule `s` on problem `p` is budget-free: `p` is one of a
    /// `budgets:` series and the resolved specs (budget expressions evaluated, defaults written
    /// out) are the same at every budget of the series. Such a combination is run once, at the
    /// series' largest budget, and read at every budget (its curve at step b).
    public func isBudgetFree(problem p: Int, optimizer o: Int, schedule s: Int) -> Bool {
        guard let series = problems[p].budgetSeries, series.count > 1 else { return false }
        func canonical(_ b: Int) -> [String]? {
            guard let opt = try? OptimizerRegistry.make(BudgetExpression.resolve(optimizers[o], budget: b)),
                  let sched = try? ScheduleRegistry.make(BudgetExpression.resolve(schedules[s], budget: b)) else { return nil }
            return [opt.spec.description, sched.spec.description]
        }
        guard let first = canonical(series[0]) else { return false }
        return series.dropFirst().allSatisfy { canonical($0) == first }
    }

    /// Whether the plan runs optimizer `o` with schedule `s` on problem entry `p`: its subsets
    /// allow it, and a budget-free combination only at its series' largest budget.
    public func plans(problem p: Int, optimizer o: Int, schedule s: Int) -> Bool {
        guard problems[p].runs(optimizer: o, schedule: s) else { return false }
        if let series = problems[p].budgetSeries, problems[p].budget != series.last!,
           isBudgetFree(problem: p, optimizer: o, schedule: s) { return false }
        return true
    }

    public static func chainName(_ chain: [Spec]) -> String {
        chain.isEmpty ? "none" : chain.map(\.description).joined(separator: ";")
    }
}

/// The uncertainty settings of a sweep's results (`statistics:` in a sweep file).
public struct StatisticsSettings: Sendable, Equatable {
    /// Confidence level of the bootstrap intervals.
    public var level: Double = 0.95
    /// Family-wise error rate of the top groups (Holm over the comparisons with the best).
    public var alpha: Double = 0.05
    /// Bootstrap resamples (at least 1000).
    public var resamples: Int = 2000
    /// Seed of the resampling streams: the same seed gives byte-identical intervals.
    public var seed: UInt64 = 0
    public init() {}

    /// The fewest seeds for which an interval for the median at `level` can be meaningful
    /// (`Bootstrap.minimumCount`: 6 for 95 %, 5 for 90 %).
    public static func minimumSeeds(level: Double) -> Int { Bootstrap.minimumCount(level: level) }

    /// Whether `seeds` evaluation seeds support intervals at this level.
    public func supportsIntervals(seeds: Int) -> Bool { seeds >= Self.minimumSeeds(level: level) }
}

/// How the base rate is chosen on the tuning seeds.
public enum TuningRule: String, Sendable, CaseIterable {
    /// The best median final value (DeepOBS's default).
    case finalValue = "final_value"
    /// The fewest median steps to the problem's main target (censored runs count as infinite),
    /// ties broken by the median final value.
    case stepsToTarget = "steps_to_target"
}

/// A configuration error: its YAML path and line, and what is allowed.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var path: String
    public var message: String

    public var description: String {
        "\(file):\(line.map(String.init) ?? "?"): \(path): \(message)"
    }
}

/// All configuration errors at once (nothing runs, nothing is written).
public struct ConfigErrors: Error, CustomStringConvertible {
    public var errors: [ConfigError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
