import Run
import Foundation
import GradientTransforms
import Optimizers
import Problems
import Schedules
import Specs
import Yams

/// Upper bounds of a sweep file's whole numbers, checked while the file is read (README: sweep
/// files). Larger values are refused with one line before anything is converted or allocated.
public enum SweepBounds {
    /// Any whole number without a bound of its own (`evaluation_interval`, `stop.patience`, and
    /// every spec parameter: lengths, milestones, dimensions).
    public static let maxWholeNumber = Parameters.maxWholeNumber
    /// A problem's step budget.
    public static let maxBudget = 10_000_000
    /// Evaluations a run records (budget / evaluation_interval): each is a point of its curve.
    public static let maxEvaluations = 100_000
    /// Rates in the grid (`learning_rates.count`, or the length of the list).
    public static let maxRates = 1_000
    /// A seed (a 32-bit unsigned number, as NumPy's).
    public static let maxSeed: UInt64 = 4_294_967_295
}

/// A sweep-level failure reads as its own text wherever it is printed
/// (`localizedDescription` included), never as "(Sweep.SweepError error 1.)".
extension SweepError: LocalizedError {
    public var errorDescription: String? { description }
}

/// The checks of a sweep file that need more than one field or a built problem: bounds that
/// depend on two values, repeated seeds and methods, targets against the problem's metrics.
/// Run after `SweepConfig` decoded the file and before anything is written.
public enum SweepValidation {
    /// Throws `ConfigErrors` listing every problem found, each with the file, line and path.
    public static func validate(_ config: SweepConfig, file: String) throws {
        var v = Validator(config: config, file: file)
        v.run()
        if !v.errors.isEmpty { throw ConfigErrors(errors: v.errors) }
    }

    /// A YAML syntax error as one line with its line number: the parser's problem, then its context.
    static func yamlError(_ error: Error, file: String, text: String) -> ConfigError {
        func place(_ c: YamlError.Context?) -> String {
            c.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
        }
        func config(_ line: Int?, _ message: String) -> ConfigError {
            ConfigError(file: file, line: line, path: "(yaml)", message: message)
        }
        guard let e = error as? YamlError else { return config(nil, "malformed YAML: " + firstLine("\(error)")) }
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return config(mark.line, "malformed YAML: \(problem) at line \(mark.line), column \(mark.column)\(place(context))")
        case .reader(let problem, _, _, _):
            return config(nil, "malformed YAML: " + problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // The mark is the key's first occurrence; point at the repeat, the next line below
            // with the same indentation and key.
            let key = duplicates.first ?? "?"
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let first = context.mark.line
            let indent = first >= 1 && first <= lines.count ? lines[first - 1].prefix(while: { $0 == " " }) : ""
            let repeat_ = lines.indices.first { $0 >= first && lines[$0].hasPrefix(indent + key + ":") }.map { $0 + 1 }
            return config(repeat_ ?? first, "the key '\(key)' is repeated (first on line \(first)); give each key once")
        default:
            return config(nil, "malformed YAML: " + firstLine("\(error)"))
        }
    }

    static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? text
    }

    /// What a scalar that is not a (finite) number gets: "out of range" for 1e400.
    static func notANumber(_ text: String?) -> String {
        guard let text else { return "must be a number, got a non-scalar" }
        if let x = Double(text.replacingOccurrences(of: "_", with: "")), x.isInfinite {
            return "the number '\(text)' is out of range (a double holds magnitudes up to 1.7976931348623157e308)"
        }
        return "must be a number, got '\(text)'"
    }
}

/// One pass over a decoded sweep, with the YAML tree for line numbers.
private struct Validator {
    let config: SweepConfig
    let file: String
    let top: Node.Mapping?
    var errors: [ConfigError] = []

    init(config: SweepConfig, file: String) {
        self.config = config
        self.file = file
        top = (try? Yams.compose(yaml: config.source))?.mapping
    }

    mutating func error(_ node: Node?, _ path: String, _ message: String) {
        errors.append(ConfigError(file: file, line: node?.mark?.line, path: path, message: message))
    }

    func items(_ key: String) -> [Node] { top?[key]?.sequence.map(Array.init) ?? [] }
    func item(_ key: String, _ i: Int) -> Node? { i < items(key).count ? items(key)[i] : nil }

    mutating func run() {
        checkRates()
        checkSeeds()
        checkProblems()
        let budgets = config.problems.map(\.budget)
        checkRepeats("optimizers", config.optimizers.map { spec in
            try? budgets.map { try OptimizerRegistry.make(BudgetExpression.resolve(spec, budget: $0)).spec.description }
        })
        checkRepeats("schedules", config.schedules.map { spec in
            try? budgets.map { try ScheduleRegistry.make(BudgetExpression.resolve(spec, budget: $0)).spec.description }
        })
        checkRepeats("transforms", config.transforms.map { chain in (try? TransformRegistry.chain(chain)).map { [$0.description] } })
    }

    mutating func checkRates() {
        if config.learningRates.count > SweepBounds.maxRates {
            error(top?["learning_rates"], "learning_rates", "at most \(SweepBounds.maxRates) rates, got \(config.learningRates.count)")
        }
        var seen: Set<Double> = []
        for (i, lr) in config.learningRates.enumerated() where !seen.insert(lr).inserted {
            error(item("learning_rates", i) ?? top?["learning_rates"], "learning_rates[\(i)]", "\(lr) is listed twice; list each rate once")
        }
    }

    mutating func checkSeeds() {
        let seeds = top?["seeds"]?.mapping
        for (key, values) in [("tuning", config.tuningSeeds), ("evaluation", config.evaluationSeeds)] {
            let nodes = seeds?[key]?.sequence.map(Array.init) ?? []
            var seen: Set<UInt64> = []
            for (i, s) in values.enumerated() {
                let node = i < nodes.count ? nodes[i] : seeds?[key]
                if s > SweepBounds.maxSeed {
                    error(node, "seeds.\(key)[\(i)]", "must be a whole number in [0, \(SweepBounds.maxSeed)], got \(s)")
                }
                if !seen.insert(s).inserted {
                    error(node, "seeds.\(key)[\(i)]", "seed \(s) is listed twice; each seed is run once")
                }
            }
        }
    }

    /// Each problem: its evaluations, a build (spec errors with their line, memory refused before
    /// allocating), its targets and primary against the metrics it has, and no problem twice.
    mutating func checkProblems() {
        var canonical: [String: Int] = [:]
        let seed = config.tuningSeeds.first ?? 0
        var checked: Set<Int> = []
        for (k, p) in config.problems.enumerated() {
            // A `budgets:` list expands one item of the file into one entry per budget: check the
            // item once (at its largest budget, the last entry).
            if let series = p.budgetSeries, p.budget != series.last! { continue }
            let i = p.fileIndex ?? k
            guard checked.insert(i).inserted else { continue }
            let path = "problems[\(i)]"
            let node = item("problems", i)
            let map = node?.mapping
            let evaluations = p.budget / p.evaluationInterval
            if evaluations > SweepBounds.maxEvaluations {
                error(map?["evaluation_interval"] ?? map?["budgets"] ?? map?["budget"] ?? node, path + ".evaluation_interval",
                      "budget / evaluation_interval = \(evaluations) evaluations per run; at most \(SweepBounds.maxEvaluations) (raise evaluation_interval to >= \(p.budget / SweepBounds.maxEvaluations + 1))")
            }
            let problem: any Problem
            do { problem = try ProblemRegistry.make(p.spec, seed: seed) } catch {
                self.error(map?["spec"] ?? node, path + ".spec", "\(error)")
                continue
            }
            let name = problem.spec.description
            if let first = canonical[name] {
                error(map?["spec"] ?? node, path + ".spec", "the same problem as problems[\(first)] (\(name)); list each problem once")
            } else {
                canonical[name] = i
            }
            let metrics = (problem.optimumValue != nil ? [Target.suboptimality] : []) + problem.metricNames
            let allowed = "allowed: \(metrics.joined(separator: ", "))"
            let targets = map?["targets"]
            if let t = targets?.mapping {
                if t.isEmpty { error(targets, path + ".targets", "must name at least one target, e.g. {\(metrics[0]): [0.1]}; \(allowed)") }
                for (k, _) in t where !metrics.contains(k.string ?? "") {
                    error(k, path + ".targets.\(k.string ?? "?")", "unknown metric '\(k.string ?? "?")'; \(allowed)")
                }
            } else if targets == nil, problem.optimumValue == nil {
                error(node, path + ".targets", "is required: \(p.spec.name) has no known optimum, so the default suboptimality targets do not apply; \(allowed)")
            }
            if let m = map?["main_target"] {
                if m.mapping?.isEmpty == true {
                    error(m, path + ".main_target", "must name exactly one target, e.g. {\(p.mainTarget.metric): \(p.mainTarget.value)}")
                } else if !metrics.contains(p.mainTarget.metric) {
                    error(m, path + ".main_target", "unknown metric '\(p.mainTarget.metric)'; \(allowed)")
                } else if !p.targets.contains(p.mainTarget) {
                    error(m, path + ".main_target", "\(p.mainTarget) is not among the targets; allowed: \(p.targets.map(\.description).joined(separator: ", "))")
                }
            }
            if let primary = p.primary, !metrics.contains(primary) {
                error(map?["primary"], path + ".primary", "unknown metric '\(primary)'; \(allowed)")
            }
        }
    }

    /// Two entries of `key` whose canonical specs (defaults written out, budget expressions
    /// resolved for every problem) are equal would run every run twice.
    mutating func checkRepeats(_ key: String, _ canonical: [[String]?]) {
        var seen: [[String]: Int] = [:]
        for (i, c) in canonical.enumerated() {
            guard let c, !c.isEmpty else { continue }  // a bad entry: already reported by the decoder
            if let first = seen[c] {
                error(item(key, i), "\(key)[\(i)]", "the same as \(key)[\(first)] (\(c[0])); list each once")
            } else {
                seen[c] = i
            }
        }
    }
}
