// The sweep file's YAML, walked by hand so that each error carries its path and line: the
// initializers from a file or a string, and `ConfigDecoder`. The model is SweepConfig.swift.

import Run
import Foundation
import Problems
import GradientTransforms
import Optimizers
import Schedules
import Specs
import Statistics
import Yams

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
                    entry.declare(ProblemRegistry.type(named: spec.name)?.metrics(for: spec) ?? [])
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
