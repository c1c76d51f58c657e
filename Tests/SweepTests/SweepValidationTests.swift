import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
import Problems
import Specs

/// A valid one-problem sweep; each test replaces one line of it.
private let base = """
name: v
budget: 20
learning_rates: [0.1]
seeds: {tuning: [0], evaluation: [1]}
problems:
  - spec: quadratic(dim=2)
    targets: {suboptimality: [1e-1, 1e-2]}
optimizers: [sgd]
schedules: [constant]
"""

/// The errors `text` gets from reading and validating, as `file:line: path: message` lines.
private func errors(_ text: String) -> [String] {
    do {
        let config = try SweepConfig(yaml: text, file: "v.yaml")
        try SweepValidation.validate(config, file: "v.yaml")
        return []
    } catch let e as ConfigErrors {
        return e.errors.map(\.description)
    } catch {
        return ["unexpected \(type(of: error)): \(error)"]
    }
}

private func replacing(_ old: String, _ new: String) -> String {
    precondition(base.contains(old))
    return base.replacingOccurrences(of: old, with: new)
}

@Suite struct SweepValidationTests {
    @Test func theBaseSweepIsValid() {
        #expect(errors(base) == [])
    }

    /// Issue 15, defect 4: each of these trapped (integer conversion) or failed to allocate.
    @Test(arguments: [
        ("schedules: [constant]", #"schedules: ["multistep(milestones=1e300)"]"#,
         "v.yaml:9: schedules[0]: multistep: parameter 'milestones' must be a whole number in [0, 1000000000], got 1e+300"),
        ("schedules: [constant]", #"schedules: ["multistep(milestones=1e19)"]"#,
         "v.yaml:9: schedules[0]: multistep: parameter 'milestones' must be a whole number in [0, 1000000000], got 1e+19"),
        ("schedules: [constant]", #"schedules: ["cosine(T_max=budget*1e300)"]"#,
         "v.yaml:9: schedules[0]: cosine: parameter 'T_max' must be a whole number in [1, 1000000000], got 2e+301"),
        ("schedules: [constant]", #"schedules: ["warmup(steps=budget*1e300*1e300, then=constant)"]"#,
         "v.yaml:9: schedules[0]: warmup: parameter 'steps' must be a whole number in [0, 1000000000], got 'inf'"),
        ("schedules: [constant]", #"schedules: ["sequential(schedules=constant;constant, milestones=1e19)"]"#,
         "v.yaml:9: schedules[0]: sequential: parameter 'milestones' must be a whole number in [1, 1000000000], got 1e+19"),
        ("optimizers: [sgd]", #"optimizers: ["sgd_schedulefree(warmup_steps=1e300)"]"#,
         "v.yaml:8: optimizers[0]: sgd_schedulefree: parameter 'warmup_steps' must be a whole number in [0, 1000000000], got 1e+300"),
        ("budget: 20", "budget: 1000000000000000000",
         "v.yaml:2: budget: must be a whole number in [1, 10000000], got '1000000000000000000'"),
        ("learning_rates: [0.1]", "learning_rates: {from: 0.1, to: 1, count: 1000000000000000000}",
         "v.yaml:3: learning_rates.count: must be a whole number in [1, 1000], got '1000000000000000000'"),
        ("budget: 20", "budget: 20\nevaluation_interval: 100000000000",
         "v.yaml:3: evaluation_interval: must be a whole number in [1, 1000000000], got '100000000000'"),
        ("budget: 20", "budget: 10000000\nevaluation_interval: 1",
         "v.yaml:7: problems[0].evaluation_interval: budget / evaluation_interval = 10000000 evaluations per run; at most 100000 (raise evaluation_interval to >= 101)"),
        ("budget: 20", "budget: 20\nstop: {patience: 1000000000000}",
         "v.yaml:3: stop.patience: must be a whole number in [1, 1000000000], got '1000000000000'"),
        ("seeds: {tuning: [0], evaluation: [1]}", "seeds: {tuning: [0], evaluation: [18446744073709551615]}",
         "v.yaml:4: seeds.evaluation[0]: must be a whole number in [0, 4294967295], got 18446744073709551615"),
        ("quadratic(dim=2)", "quadratic(dim=100000000)",
         "v.yaml:6: problems[0].spec: quadratic: dim=100000000 with rotated=true (dense dim × dim matrices) needs about 372529042 GiB of memory; the limit is 2 GiB per problem instance"),
        ("quadratic(dim=2)", "rosenbrock(dim=1000000000000)",
         "v.yaml:6: problems[0].spec: rosenbrock: parameter 'dim' must be a whole number in [2, 1000000000], got 1000000000000"),
        ("quadratic(dim=2)", "rosenbrock(dim=100000000)",
         "v.yaml:6: problems[0].spec: rosenbrock: dim=100000000 needs about 12 GiB of memory; the limit is 2 GiB per problem instance"),
        ("quadratic(dim=2)", "linreg(n=1000000, d=1000)",
         "v.yaml:6: problems[0].spec: linreg: n=1000000, d=1000 (an n × d data matrix) needs about 30 GiB of memory; the limit is 2 GiB per problem instance"),
        ("quadratic(dim=2)", "rastrigin(dim=1e9)",
         "v.yaml:6: problems[0].spec: rastrigin: dim=1000000000 needs about 119 GiB of memory; the limit is 2 GiB per problem instance"),
    ])
    func crashInputsAreOneLineErrors(old: String, new: String, message: String) {
        #expect(errors(replacing(old, new)) == [message])
    }

    /// Issue 15, defect 5: configurations that were accepted and gave wrong answers.
    @Test(arguments: [
        ("    targets: {suboptimality: [1e-1, 1e-2]}", "    targets: {suboptimality: [1e-1, 1e-2]}\n    main_target: {suboptimality: 1e-3}",
         ["v.yaml:8: problems[0].main_target: suboptimality<=0.001 is not among the targets; allowed: suboptimality<=0.1, suboptimality<=0.01"]),
        ("    targets: {suboptimality: [1e-1, 1e-2]}", "    targets: {loss: [1], accuracy: [0.5]}",
         ["v.yaml:7: problems[0].targets.accuracy: unknown metric 'accuracy'; allowed: suboptimality, loss"]),
        ("    targets: {suboptimality: [1e-1, 1e-2]}", "    targets: {suboptimality: [1e-1, 1e-2]}\n    main_target: {test_accuracy: 0.5}",
         ["v.yaml:8: problems[0].main_target: unknown metric 'test_accuracy'; allowed: suboptimality, loss"]),
        ("    targets: {suboptimality: [1e-1, 1e-2]}", "    targets: {suboptimality: [1e-1, 1e-2]}\n    primary: train_loss",
         ["v.yaml:8: problems[0].primary: unknown metric 'train_loss'; allowed: suboptimality, loss"]),
        ("    targets: {suboptimality: [1e-1, 1e-2]}", "    targets: {}",
         ["v.yaml:7: problems[0].targets: must name at least one target, e.g. {suboptimality: [0.1]}; allowed: suboptimality, loss"]),
        ("  - spec: quadratic(dim=2)\n    targets: {suboptimality: [1e-1, 1e-2]}", "  - spec: classify(n_train=20, n_test=10, batch=5)",
         ["v.yaml:6: problems[0].targets: is required: classify has no known optimum, so the default suboptimality targets do not apply; allowed: train_loss, test_loss, test_accuracy"]),
        ("seeds: {tuning: [0], evaluation: [1]}", "seeds: {tuning: [0], evaluation: [1, 1]}",
         ["v.yaml:4: seeds.evaluation[1]: seed 1 is listed twice; each seed is run once"]),
        ("learning_rates: [0.1]", "learning_rates: [0.1, 1e-1]",
         ["v.yaml:3: learning_rates[1]: 0.1 is listed twice; list each rate once"]),
        ("optimizers: [sgd]", "optimizers: [sgd, \"sgd(momentum=0)\"]",
         ["v.yaml:8: optimizers[1]: the same as optimizers[0] (sgd(momentum=0, dampening=0, nesterov=false, weight_decay=0, maximize=false)); list each once"]),
        ("schedules: [constant]", "schedules: [\"cosine(T_max=budget)\", \"cosine(T_max=20)\"]",
         ["v.yaml:9: schedules[1]: the same as schedules[0] (cosine(T_max=20)); list each once"]),
        ("schedules: [constant]", "schedules: [constant]\ntransforms: [none, \"clip_norm(max_norm=1)\", \"clip_norm(max_norm=1.0)\"]",
         ["v.yaml:10: transforms[2]: the same as transforms[1] (clip_norm(max_norm=1.0)); list each once"]),
        ("    targets: {suboptimality: [1e-1, 1e-2]}", "    targets: {suboptimality: [1e-1, 1e-2]}\n  - spec: quadratic(dim=2, cond=100)",
         ["v.yaml:8: problems[1].spec: the same problem as problems[0] (quadratic(dim=2, cond=100.0, rotated=true, noise=0.0, batch=1)); list each problem once"]),
        ("budget: 20", "budget: 20\nbudget: 30",
         ["v.yaml:3: (yaml): the key 'budget' is repeated (first on line 2); give each key once"]),
    ])
    func acceptedMistakesAreErrors(old: String, new: String, messages: [String]) {
        #expect(errors(replacing(old, new)) == messages)
    }

    /// Issue 15, defect 6: YAML syntax errors keep the parser's cause; out-of-range numbers say so.
    @Test(arguments: [
        ("budget: 20", "\tbudget: 20", "v.yaml:2: (yaml): malformed YAML: found a tab character that violates indentation at line 2, column 1 (while scanning a plain scalar at line 1, column 7)"),
        ("optimizers: [sgd]", "optimizers: [sgd", "v.yaml:9: (yaml): malformed YAML: did not find expected ',' or ']' at line 9, column 10 (while parsing a flow sequence at line 8, column 13)"),
        ("name: v", "name: \"v", "v.yaml:9: (yaml): malformed YAML: found unexpected end of stream at line 9, column 22 (while scanning a quoted scalar at line 1, column 7)"),
        ("learning_rates: [0.1]", "learning_rates: [1e400]", "v.yaml:3: learning_rates[0]: the number '1e400' is out of range (a double holds magnitudes up to 1.7976931348623157e308)"),
        ("optimizers: [sgd]", "optimizers: [\"sgd(momentum=1e400)\"]", "v.yaml:8: optimizers[0]: malformed spec 'sgd(momentum=1e400)' at column 14: the number '1e400' is out of range (a double holds magnitudes up to 1.7976931348623157e308)"),
    ])
    func syntaxErrorsKeepTheirCause(old: String, new: String, message: String) {
        #expect(errors(replacing(old, new)) == [message])
    }

    @Test func sweepErrorsDescribeThemselvesThroughFoundation() {
        let error: Error = SweepError("cannot write x: Is a directory")
        #expect(error.localizedDescription == "cannot write x: Is a directory")
    }
}

@Suite struct ProgressTests {
    /// Two problems: A (budget 100) is timed at 1 s per run, B (budget 1000) at 20 s per run.
    /// Left: 2 runs of A and 3 of B = 2·1 + 3·20 = 62 run-seconds; finished so far: 21 run-seconds
    /// in 10.5 s of wall-clock (2 workers), so the ETA is 62 / 2 = 31 s. The mean rate over runs
    /// (2 runs in 10.5 s) would say 5 runs × 5.25 s = 26.25 s, and 0:05 when A's runs come first.
    @Test func etaWeighsRunsByTheirProblemsMeasuredCostPerStep() {
        var e = ETAEstimate(problems: [0, 0, 0, 1, 1, 1, 1], budgets: [100, 1000])
        #expect(e.remainingSeconds(elapsed: 1).seconds == nil)
        e.finished(problem: 0, seconds: 1)
        // B is not timed yet: costed at A's rate per step (0.01 s): 2·1 + 4·10 = 42 run-seconds
        // at 1 run-second per second; a lower bound, flagged as such.
        let early = e.remainingSeconds(elapsed: 1)
        #expect(early.seconds == 42 && early.untimed == 1)
        e.finished(problem: 1, seconds: 20)
        let later = e.remainingSeconds(elapsed: 10.5)
        #expect(later.seconds == 31 && later.untimed == 0)
    }

    @Test func clockAndRateNeverTrap() {
        #expect(Progress.clock(.infinity) == "?")
        #expect(Progress.clock(3725) == "1h02m")
        #expect(Progress.format(1e300) == "many")
    }
}

/// Every parameter of every problem, optimizer, schedule and transform, given a value that is
/// huge, negative, not a number, out of a double's range, fractional or a word: each is built or
/// refused with an error, never a trap (issue 15, defect 4), and a refusal of a well-formed spec
/// is one line.
@Suite struct SpecFuzzTests {
    static let values = ["1e400", "-1e400", "1e300", "-1e300", "1e19", "-1e19", "9223372036854775808", "nan", "-1", "0",
                         "2.5", "x", "budget*1e300", "1e15"]

    @Test func everyParameterSurvivesBadValues() throws {
        var tried = 0
        for (title, entries) in Methods.catalogs {
            for entry in entries {
                for parameter in entry.parameters {
                    for value in Self.values {
                        let text = "\(entry.name)(\(parameter.name)=\(value))"
                        tried += 1
                        do {
                            switch title {
                            case "Problems": _ = try Methods.problem(text, seed: 0)
                            case "Optimizers": _ = try Methods.optimizer(text)
                            case "Schedules": _ = try Methods.schedule(text)
                            default: _ = try Methods.transforms([text])
                            }
                        } catch let e as SpecUsageError {
                            #expect(!e.description.contains("\n"), "\(text): \(e.description)")
                            #expect(e.description.contains(entry.name), "\(text): \(e.description)")
                        } catch let e as SpecError {
                            #expect(e.message.contains("out of range"), "\(text): \(e.description)")
                        }
                    }
                }
            }
        }
        #expect(tried >= 1000)
    }
}
