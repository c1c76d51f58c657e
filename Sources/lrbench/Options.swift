import ArgumentParser
import Run
import Sweep
import Specs
import Problems

/// `--problem`, `--optimizer`, `--seed` and `--transform`: the method that `run` and `range-test`
/// try. The specs are checked where they are built (`build()`), in the command's `run()`.
struct MethodOptions: ParsableArguments {
    @Option(help: "The problem spec, e.g. 'rosenbrock(dim=2)'.") var problem: String
    @Option(help: "The optimizer spec, e.g. 'adam'.") var optimizer: String
    @Option(help: "Seed index for the problem's data and sampling.") var seed: UInt64 = 0
    @Option(help: "A gradient transform, applied in the order given (repeatable).") var transform: [String] = []

    /// The problem instance for the seed, the optimizer and the transform chain, in that order.
    func build() throws -> (problem: any Problem, optimizer: any Run.OptimizerType, transforms: Run.TransformChainType) {
        (try Methods.problem(problem, seed: seed), try Methods.optimizer(optimizer), try Methods.transforms(transform))
    }
}

/// `--steps N` of `run`, `schedule` and `range-test`. Each command checks it in its `validate()`
/// with its own least value (a range test needs two updates).
struct StepsOptions: ParsableArguments {
    @Option(help: "Number of updates N.") var steps: Int = 100

    /// A whole number in [min, the sweep's budget bound].
    func check(min: Int) throws {
        guard steps >= min, steps <= SweepBounds.maxBudget else {
            throw SpecUsageError("--steps must be a whole number in [\(min), \(SweepBounds.maxBudget)], got \(steps)")
        }
    }
}
