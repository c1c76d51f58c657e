import Foundation
import Results
import Run
import Sweep

/// Runs the sweep `yaml` into `dir` quietly (no progress, no log) and returns the outcome.
@discardableResult
public func runSweep(_ yaml: String, workers: Int, into dir: URL, shard: SweepPlan.Shard = .whole,
                     overrides: MethodOverrides = .none) throws -> SweepResults.Outcome {
    let runner = SweepRunner(plan: SweepPlan(config: try SweepConfig(yaml: yaml), shard: shard, overrides: overrides),
                             directory: dir, workers: workers)
    runner.showProgress = false
    runner.log = { _ in }
    return try SweepResults.run(runner)
}
