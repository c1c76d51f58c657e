import Foundation
import GradientTransforms
import Optimizers
import Schedules
import Specs
import Statistics
import Yams

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
            return Target(metric: main.metric, value: Double(String(format: "%.12g", v)) ?? v)
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

extension SweepConfig {
    /// Reads and checks a sweep file. Throws `ConfigErrors` listing every problem found.
    public init(contentsOf path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigErrors(errors: [ConfigError(file: path, line: nil, path: "(file)", message: "cannot read the sweep file")])
        }
        try self.init(yaml: text, file: path)
    }

    public init(yaml text: String, file: String = "<sweep>") throws {
        var d = ConfigDecoder(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigErrors(errors: [ConfigError(file: file, line: 1, path: "(root)", message: "the sweep file is empty")])
            }
            root = node
        } catch let e as ConfigErrors {
            throw e
        } catch {
            throw ConfigErrors(errors: [SweepValidation.yamlError(error, file: file, text: text)])
        }
        self = d.decode(root, source: text)
        if !d.errors.isEmpty { throw ConfigErrors(errors: d.errors) }
    }
}

/// Walks the YAML tree by hand, so that each error carries its path and line.
struct ConfigDecoder {
    let file: String
    var errors: [ConfigError] = []

    init(file: String) { self.file = file }

    mutating func error(_ node: Node?, _ path: String, _ message: String) {
        errors.append(ConfigError(file: file, line: node?.mark?.line, path: path, message: message))
    }

    static let topKeys = ["name", "description", "budget", "budgets", "evaluation_interval", "learning_rates", "seeds",
                          "tuning", "rate_search", "one_shot", "statistics", "relaxations", "stop", "problems",
                          "optimizers", "schedules", "transforms"]
    static let problemKeys = ["spec", "budget", "budgets", "evaluation_interval", "targets", "main_target", "primary",
                              "optimizers", "schedules"]

    mutating func checkKeys(_ map: Node.Mapping, _ allowed: [String], _ path: String) {
        for (k, _) in map {
            let key = k.string ?? "?"
            if !allowed.contains(key) {
                error(k, path.isEmpty ? key : "\(path).\(key)", "unknown key '\(key)'; allowed: \(allowed.joined(separator: ", "))")
            }
        }
    }

    mutating func int(_ node: Node?, _ path: String, min: Int, max: Int = SweepBounds.maxWholeNumber) -> Int? {
        guard let node else { return nil }
        guard let s = node.scalar?.string, let v = Int(s), v >= min, v <= max else {
            error(node, path, "must be a whole number in [\(min), \(max)], got '\(node.string ?? "a non-scalar")'")
            return nil
        }
        return v
    }

    /// A `budgets:` list: non-empty, whole numbers in [1, maxBudget], strictly ascending.
    mutating func budgetList(_ node: Node?, _ path: String) -> [Int]? {
        guard let node else { return nil }
        guard let seq = node.sequence, !seq.isEmpty else {
            error(node, path, "must be a non-empty list of step budgets in ascending order, e.g. [250, 500, 1000]")
            return nil
        }
        var out: [Int] = []
        for (i, item) in seq.enumerated() {
            guard let b = int(item, "\(path)[\(i)]", min: 1, max: SweepBounds.maxBudget) else { return nil }
            if let last = out.last, b <= last {
                error(item, "\(path)[\(i)]", b == last ? "\(b) is listed twice; list each budget once" : "must be in ascending order, got \(b) after \(last)")
                return nil
            }
            out.append(b)
        }
        return out
    }

    mutating func double(_ node: Node?, _ path: String) -> Double? {
        guard let node else { return nil }
        guard let s = node.scalar?.string, let v = Double(s.replacingOccurrences(of: "_", with: "")),
              !v.isInfinite || s.lowercased().contains("inf") else {
            error(node, path, SweepValidation.notANumber(node.string))
            return nil
        }
        return v
    }

    mutating func bool(_ node: Node?, _ path: String) -> Bool? {
        guard let node else { return nil }
        switch node.scalar?.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: error(node, path, "must be true or false, got '\(node.string ?? "a non-scalar")'"); return nil
        }
    }

    mutating func spec(_ node: Node, _ path: String) -> Spec? {
        guard let s = node.scalar?.string else { error(node, path, "must be a spec such as adam(eps=1e-8)"); return nil }
        do { return try Spec(parsing: s) } catch let e as SpecError {
            error(node, path, "malformed spec '\(s)' at column \(e.column + 1): \(e.message)")
        } catch { self.error(node, path, "\(error)") }
        return nil
    }

    mutating func list(_ node: Node?, _ path: String) -> [Node]? {
        guard let node else { error(nil, path, "is required"); return nil }
        guard let seq = node.sequence else { error(node, path, "must be a list"); return nil }
        if seq.isEmpty { error(node, path, "must not be empty"); return nil }
        return Array(seq)
    }

    /// A list naming entries of the sweep's `optimizers` or `schedules` (by spec, or by bare name
    /// when only one entry has it), as sorted indices.
    mutating func subset(_ node: Node, _ path: String, _ specs: [Spec], _ what: String) -> [Int]? {
        guard let seq = node.sequence, !seq.isEmpty else { error(node, path, "must be a non-empty list of the sweep's \(what)"); return nil }
        var out: [Int] = []
        for (i, n) in seq.enumerated() {
            let text = n.string ?? ""
            var matches = specs.indices.filter { specs[$0].description == text }
            if matches.isEmpty { matches = specs.indices.filter { specs[$0].name == text } }
            if matches.count == 1 {
                if out.contains(matches[0]) { error(n, "\(path)[\(i)]", "'\(text)' is listed twice") } else { out.append(matches[0]) }
            } else if matches.isEmpty {
                error(n, "\(path)[\(i)]", "'\(text)' is not among the sweep's \(what); allowed: \(specs.map(\.description).joined(separator: ", "))")
            } else {
                error(n, "\(path)[\(i)]", "'\(text)' names \(matches.count) of the sweep's \(what): write the full spec")
            }
        }
        return out.sorted()
    }

    mutating func targets(_ node: Node, _ path: String) -> [Target] {
        guard let map = node.mapping else {
            error(node, path, "must map a metric to values, e.g. {suboptimality: [1e-1, 1e-2]}")
            return []
        }
        var out: [Target] = []
        for (k, v) in map {
            let metric = k.string ?? "?"
            let items = v.sequence.map(Array.init) ?? [v]
            if items.isEmpty { error(v, "\(path).\(metric)", "must list at least one value") }
            for (i, item) in items.enumerated() {
                guard let x = double(item, "\(path).\(metric)[\(i)]") else { continue }
                if !x.isFinite || (metric == Target.suboptimality && x <= 0) {
                    error(item, "\(path).\(metric)[\(i)]", "must be a finite number\(metric == Target.suboptimality ? " > 0" : ""), got \(x)")
                    continue
                }
                out.append(Target(metric: metric, value: x))
            }
        }
        return out
    }

    mutating func decode(_ root: Node, source: String) -> SweepConfig {
        var config = SweepConfig(name: "", description: "", problems: [], optimizers: [], schedules: [], transforms: [[]],
                                 learningRates: [], tuningSeeds: [0], evaluationSeeds: [1, 2, 3], tuningRule: .stepsToTarget,
                                 oneShot: true, stopRule: .standard, stopAtTarget: false, source: source)
        guard let top = root.mapping else {
            error(root, "(root)", "must be a mapping with keys \(Self.topKeys.joined(separator: ", "))")
            return config
        }
        checkKeys(top, Self.topKeys, "")
        if let n = top["name"] {
            let name = n.string ?? ""
            if name.isEmpty || name.contains("/") || name.hasPrefix(".") {
                error(n, "name", "must be a non-empty file-name-safe word, got '\(name)'")
            }
            config.name = name
        } else {
            error(root, "name", "is required (the results go to results/<name>/)")
        }
        config.description = top["description"]?.string ?? ""
        let defaultBudget = int(top["budget"], "budget", min: 1, max: SweepBounds.maxBudget)
        let defaultBudgets = budgetList(top["budgets"], "budgets")
        if top["budget"] != nil && top["budgets"] != nil {
            error(top["budgets"], "budgets", "give either budget or budgets, not both")
        }
        let defaultInterval = int(top["evaluation_interval"], "evaluation_interval", min: 1) ?? 10

        // Learning rates: a list, or a log grid {from, to, count}.
        if let lr = top["learning_rates"] {
            if let seq = lr.sequence {
                if seq.isEmpty { error(lr, "learning_rates", "must not be empty") }
                for (i, item) in seq.enumerated() {
                    if let x = double(item, "learning_rates[\(i)]") {
                        if x.isFinite && x > 0 { config.learningRates.append(x) } else {
                            error(item, "learning_rates[\(i)]", "must be a finite number > 0, got \(x)")
                        }
                    }
                }
            } else if let map = lr.mapping {
                checkKeys(map, ["from", "to", "count"], "learning_rates")
                let from = double(map["from"], "learning_rates.from"), to = double(map["to"], "learning_rates.to")
                let count = int(map["count"], "learning_rates.count", min: 1, max: SweepBounds.maxRates)
                if map["from"] == nil || map["to"] == nil || map["count"] == nil {
                    error(lr, "learning_rates", "a log grid needs from, to and count")
                } else if let from, let to, let count {
                    if !(from > 0 && to >= from && from.isFinite && to.isFinite) {
                        error(lr, "learning_rates", "needs 0 < from <= to, got from \(from), to \(to)")
                    } else {
                        // Log-spaced, each rounded to 12 significant digits so that decades come out
                        // exact (0.01, not 0.009999999999999998).
                        config.learningRates = (0..<count).map { k in
                            let x = count == 1 ? from : from * pow(to / from, Double(k) / Double(count - 1))
                            return Double(String(format: "%.12g", x)) ?? x
                        }
                    }
                }
            } else {
                error(lr, "learning_rates", "must be a list of rates or {from, to, count}")
            }
        } else {
            error(root, "learning_rates", "is required: a list of rates or {from, to, count}")
        }

        if let seeds = top["seeds"] {
            if let map = seeds.mapping {
                checkKeys(map, ["tuning", "evaluation"], "seeds")
                for key in ["tuning", "evaluation"] {
                    guard let node = map[key] else { continue }
                    var values: [UInt64] = []
                    let items = node.sequence.map(Array.init) ?? [node]
                    if items.isEmpty { error(node, "seeds.\(key)", "must list at least one seed") }
                    for (i, item) in items.enumerated() {
                        if let s = item.scalar?.string, let v = UInt64(s) { values.append(v) } else {
                            error(item, "seeds.\(key)[\(i)]", "must be a whole number >= 0, got '\(item.string ?? "?")'")
                        }
                    }
                    if key == "tuning" { config.tuningSeeds = values } else { config.evaluationSeeds = values }
                }
                let shared = Set(config.tuningSeeds).intersection(config.evaluationSeeds)
                if !shared.isEmpty {
                    error(seeds, "seeds", "tuning and evaluation seeds must differ (no choosing and scoring on the same seeds); shared: \(shared.sorted())")
                }
            } else {
                error(seeds, "seeds", "must be {tuning: [..], evaluation: [..]}")
            }
        }

        if let tuning = top["tuning"] {
            if let map = tuning.mapping {
                checkKeys(map, ["rule"], "tuning")
                if let r = map["rule"] {
                    if let rule = TuningRule(rawValue: r.string ?? "") { config.tuningRule = rule } else {
                        error(r, "tuning.rule", "must be one of \(TuningRule.allCases.map(\.rawValue).joined(separator: ", ")), got '\(r.string ?? "?")'")
                    }
                }
            } else {
                error(tuning, "tuning", "must be {rule: final_value | steps_to_target}")
            }
        }
        if let rs = top["rate_search"] {
            if let map = rs.mapping {
                checkKeys(map, ["extend", "refine"], "rate_search")
                if let e = int(map["extend"], "rate_search.extend", min: 0) {
                    if e <= 20 { config.rateSearch.extend = e } else { error(map["extend"], "rate_search.extend", "must be <= 20, got \(e)") }
                }
                if let r = int(map["refine"], "rate_search.refine", min: 0) {
                    if r <= 10 { config.rateSearch.refine = r } else { error(map["refine"], "rate_search.refine", "must be <= 10, got \(r)") }
                }
            } else {
                error(rs, "rate_search", "must be {extend: N, refine: N}")
            }
        }
        var oneShotNames: (Node, [Node])?
        if let o = top["one_shot"] {
            if let seq = o.sequence {
                if seq.isEmpty { error(o, "one_shot", "must be true, false or a non-empty list of schedules") }
                config.oneShot = !seq.isEmpty
                oneShotNames = (o, Array(seq))
            } else if let b = bool(o, "one_shot") {
                config.oneShot = b
            }
        }
        if let st = top["statistics"] {
            if let map = st.mapping {
                checkKeys(map, ["level", "alpha", "resamples", "seed"], "statistics")
                if let l = double(map["level"], "statistics.level") {
                    if l >= 0.5 && l < 1 { config.statistics.level = l } else { error(map["level"], "statistics.level", "must be in [0.5, 1), got \(l)") }
                }
                if let a = double(map["alpha"], "statistics.alpha") {
                    if a > 0 && a <= 0.5 { config.statistics.alpha = a } else { error(map["alpha"], "statistics.alpha", "must be in (0, 0.5], got \(a)") }
                }
                if let r = int(map["resamples"], "statistics.resamples", min: 1000) {
                    if r <= 100_000 { config.statistics.resamples = r } else { error(map["resamples"], "statistics.resamples", "must be <= 100000, got \(r)") }
                }
                if let n = map["seed"] {
                    if let v = n.scalar.flatMap({ UInt64($0.string) }) { config.statistics.seed = v } else {
                        error(n, "statistics.seed", "must be a whole number >= 0, got '\(n.string ?? "?")'")
                    }
                }
            } else {
                error(st, "statistics", "must be {level, alpha, resamples, seed}")
            }
        }
        if let rl = top["relaxations"] {
            if let seq = rl.sequence {
                for (i, item) in seq.enumerated() {
                    guard let x = double(item, "relaxations[\(i)]") else { continue }
                    if x.isFinite && x > 0 && x != 1 { config.relaxations.append(x) } else {
                        error(item, "relaxations[\(i)]", "must be a finite factor > 0 other than 1, got \(x)")
                    }
                }
                if Set(config.relaxations).count != config.relaxations.count { error(rl, "relaxations", "must not repeat a factor") }
            } else {
                error(rl, "relaxations", "must be a list of factors, e.g. [0.1, 10]")
            }
        }

        if let stop = top["stop"] {
            if let map = stop.mapping {
                checkKeys(map, ["divergence_factor", "at_target", "patience"], "stop")
                if let f = double(map["divergence_factor"], "stop.divergence_factor") {
                    if f > 1 && f.isFinite { config.stopRule.divergenceFactor = f } else {
                        error(map["divergence_factor"], "stop.divergence_factor", "must be a finite number > 1, got \(f)")
                    }
                }
                if let b = bool(map["at_target"], "stop.at_target") { config.stopAtTarget = b }
                if let p = int(map["patience"], "stop.patience", min: 1) { config.stopRule.patience = p }
            } else {
                error(stop, "stop", "must be {divergence_factor, at_target, patience}")
            }
        }

        var subsetNodes: [(Int, String, Node?, Node?)] = []
        if let items = list(top["problems"], "problems") {
            for (i, node) in items.enumerated() {
                let path = "problems[\(i)]"
                var specNode = node
                var map: Node.Mapping?
                if let m = node.mapping {
                    checkKeys(m, Self.problemKeys, path)
                    map = m
                    guard let s = m["spec"] else { error(node, path + ".spec", "is required"); continue }
                    specNode = s
                }
                guard let spec = spec(specNode, path + ".spec") else { continue }
                // A `budgets:` list (the problem's own, else the top-level one unless the problem
                // sets its own `budget`): one entry per budget.
                var series: [Int]? = nil
                if map?["budgets"] != nil {
                    if map?["budget"] != nil { error(map?["budgets"], path + ".budgets", "give either budget or budgets, not both") }
                    guard let own = budgetList(map?["budgets"], path + ".budgets") else { continue }
                    series = own
                } else if map?["budget"] == nil, top["budgets"] != nil {
                    guard let shared = defaultBudgets else { continue }  // already reported
                    series = shared
                }
                let budget = series?.last ?? int(map?["budget"], path + ".budget", min: 1, max: SweepBounds.maxBudget) ?? defaultBudget
                guard let budget else {
                    // A missing budget is an error unless the top-level one was given (and already reported as bad).
                    if map?["budget"] == nil && top["budget"] == nil {
                        error(node, path + ".budget", "is required (or give a top-level budget)")
                    }
                    continue
                }
                let interval = int(map?["evaluation_interval"], path + ".evaluation_interval", min: 1) ?? defaultInterval
                var targets = map?["targets"].map { self.targets($0, path + ".targets") } ?? []
                if map?["targets"] == nil { targets = [1e-1, 1e-2, 1e-3, 1e-4, 1e-6].map { Target(metric: Target.suboptimality, value: $0) } }
                var main = targets.isEmpty ? Target(metric: Target.suboptimality, value: 1e-2) : targets[targets.count / 2]
                if let m = map?["main_target"] {
                    let t = self.targets(m, path + ".main_target")
                    if t.count == 1 { main = t[0] } else if !t.isEmpty { error(m, path + ".main_target", "must name exactly one target") }
                }
                for b in series ?? [budget] {
                    var entry = SweepConfig.ProblemEntry(spec: spec, budget: b, evaluationInterval: interval,
                                                         targets: targets, mainTarget: main, primary: map?["primary"]?.string)
                    entry.budgetSeries = series
                    entry.fileIndex = i
                    config.problems.append(entry)
                    if let m = map {
                        subsetNodes.append((config.problems.count - 1, path, m["optimizers"], m["schedules"]))
                    }
                }
            }
        }

        if let items = list(top["optimizers"], "optimizers") {
            for (i, node) in items.enumerated() {
                guard let s = spec(node, "optimizers[\(i)]") else { continue }
                config.optimizers.append(s)
            }
        }
        if let items = list(top["schedules"], "schedules") {
            for (i, node) in items.enumerated() {
                guard let s = spec(node, "schedules[\(i)]") else { continue }
                config.schedules.append(s)
            }
        }
        if let t = top["transforms"] {
            config.transforms = []
            if let items = list(t, "transforms") {
                for (i, node) in items.enumerated() {
                    let parts = node.sequence.map(Array.init) ?? [node]
                    var chain: [Spec] = []
                    for (j, part) in parts.enumerated() {
                        guard let s = spec(part, parts.count > 1 ? "transforms[\(i)][\(j)]" : "transforms[\(i)]") else { continue }
                        if s.name != "none" { chain.append(s) }
                    }
                    config.transforms.append(chain)
                }
            }
        }
        // Target relaxation: each suboptimality main target × each factor is a target too.
        for p in config.problems.indices where config.problems[p].mainTarget.metric == Target.suboptimality {
            for t in config.relaxedTargets(p) where !config.problems[p].targets.contains(t) {
                config.problems[p].targets.append(t)
            }
        }
        for (p, path, o, sc) in subsetNodes {
            if let o { config.problems[p].optimizerSubset = subset(o, path + ".optimizers", config.optimizers, "optimizers") }
            if let sc { config.problems[p].scheduleSubset = subset(sc, path + ".schedules", config.schedules, "schedules") }
        }
        if let (node, names) = oneShotNames.map({ ($0.0, $0.1) }) {
            var chosen: [Int] = []
            for (i, n) in names.enumerated() {
                let text = n.string ?? ""
                let matches = config.schedules.indices.filter { config.schedules[$0].description == text || config.schedules[$0].name == text }
                if matches.isEmpty {
                    error(n, "one_shot[\(i)]", "'\(text)' is not among the schedules; allowed: \(config.schedules.map(\.description).joined(separator: ", "))")
                } else {
                    chosen.append(contentsOf: matches.filter { !chosen.contains($0) })
                }
            }
            if chosen.isEmpty && names.allSatisfy({ $0.string == nil }) { error(node, "one_shot", "names no schedule of the sweep") }
            config.oneShotSchedules = chosen.sorted()
        }
        // A requested confidence level needs enough evaluation seeds (else: no interval, said so).
        if let st = top["statistics"] {
            let n = config.evaluationSeeds.count
            let needed = StatisticsSettings.minimumSeeds(level: config.statistics.level)
            if n < needed {
                error(st, "statistics.level",
                      "\(n) evaluation seeds are too few for \(config.statistics.level) confidence intervals (need at least \(needed)); add seeds or lower the level")
            }
        }
        checkMethods(&config, top)
        return config
    }

    /// Builds every optimizer, schedule (for each problem's budget) and transform once, so that
    /// a bad name or value is reported now, with its place, and not halfway through a sweep.
    mutating func checkMethods(_ config: inout SweepConfig, _ top: Node.Mapping) {
        // Check against every problem's budget; with no valid problem, still check the names.
        let budgets = config.problems.isEmpty ? [1000] : config.problems.map(\.budget)
        let optimizerNodes = top["optimizers"]?.sequence.map(Array.init) ?? []
        for (i, spec) in config.optimizers.enumerated() {
            for budget in budgets {
                do { _ = try OptimizerRegistry.make(try BudgetExpression.resolve(spec, budget: budget)) } catch {
                    self.error(i < optimizerNodes.count ? optimizerNodes[i] : nil, "optimizers[\(i)]", "\(error)")
                    break
                }
            }
        }
        let scheduleNodes = top["schedules"]?.sequence.map(Array.init) ?? []
        for (i, spec) in config.schedules.enumerated() {
            for budget in budgets {
                do { _ = try ScheduleRegistry.make(try BudgetExpression.resolve(spec, budget: budget)) } catch {
                    self.error(i < scheduleNodes.count ? scheduleNodes[i] : nil, "schedules[\(i)]", "\(error)")
                    break
                }
            }
        }
        let transformNodes = top["transforms"]?.sequence.map(Array.init) ?? []
        for (i, chain) in config.transforms.enumerated() {
            do { _ = try TransformRegistry.chain(chain) } catch {
                self.error(i < transformNodes.count ? transformNodes[i] : nil, "transforms[\(i)]", "\(error)")
            }
        }
        let problemNodes = top["problems"]?.sequence.map(Array.init) ?? []
        for (k, p) in config.problems.enumerated() {
            let i = p.fileIndex ?? k
            let node = i < problemNodes.count ? problemNodes[i] : nil
            if let primary = p.primary, primary != Target.suboptimality, primary.isEmpty {
                error(node, "problems[\(i)].primary", "must be suboptimality or a metric name")
            }
        }
    }
}

/// Lengths written relative to a problem's budget: `T_max=budget`, `total_iters=budget/10`,
/// `steps=0.05*budget`, `milestones=budget/2;3*budget/4`. A word with `budget` is evaluated
/// (+, −, ×, / on numbers and `budget`, left to right with the usual precedence) and rounded to
/// the nearest whole number.
public enum BudgetExpression {
    public static func resolve(_ spec: Spec, budget: Int) throws -> Spec {
        var out = spec
        for i in out.arguments.indices {
            out.arguments[i].value = try resolve(out.arguments[i].value, budget: budget, context: spec.name + "." + out.arguments[i].key)
        }
        return out
    }

    static func resolve(_ value: SpecValue, budget: Int, context: String) throws -> SpecValue {
        switch value {
        case .number: return value
        case .spec(let s): return .spec(try resolve(s, budget: budget))
        case .list(let items): return .list(try items.map { try resolve($0, budget: budget, context: context) })
        case .word(let w):
            guard w.contains("budget") else { return value }
            let x = try evaluate(w, budget: Double(budget), context: context)
            let rounded = x.rounded()
            return .number(rounded, text: abs(rounded) < 1e15 ? String(Int(rounded)) : "\(rounded)")
        }
    }

    /// Evaluates `a op b op c …` with numbers and `budget`; * and / bind tighter than + and −.
    public static func evaluate(_ text: String, budget: Double, context: String) throws -> Double {
        var tokens: [String] = []
        var current = ""
        for c in text {
            if "+-*/".contains(c), !current.isEmpty, !(c == "-" || c == "+") || !(current.last == "e" && Double(String(current.dropLast())) != nil) {
                tokens.append(current)
                tokens.append(String(c))
                current = ""
            } else {
                current.append(c)
            }
        }
        tokens.append(current)
        func operand(_ t: String) throws -> Double {
            if t == "budget" { return budget }
            if let v = Double(t), v.isFinite { return v }
            throw SpecUsageError("\(context): cannot read '\(text)': '\(t)' is neither a number nor budget (write e.g. budget/10 or 0.9*budget)")
        }
        guard tokens.count % 2 == 1 else { throw SpecUsageError("\(context): cannot read '\(text)'") }
        // Fold * and / first, then + and −.
        var terms: [Double] = [try operand(tokens[0])]
        var signs: [Double] = [1]
        var i = 1
        while i < tokens.count {
            let op = tokens[i], rhs = try operand(tokens[i + 1])
            switch op {
            case "*": terms[terms.count - 1] *= rhs
            case "/":
                guard rhs != 0 else { throw SpecUsageError("\(context): division by zero in '\(text)'") }
                terms[terms.count - 1] /= rhs
            case "+": terms.append(rhs); signs.append(1)
            default: terms.append(rhs); signs.append(-1)
            }
            i += 2
        }
        return zip(terms, signs).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
