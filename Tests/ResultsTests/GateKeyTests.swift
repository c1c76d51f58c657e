import Foundation
import Testing
@testable import Results
@testable import Run
@testable import Sweep

/// One identity for a combination: the plan, the records, summary.csv, targets.csv and the gate agree on it.
@Suite struct GateKeyTests {
    @Test func oneKeyEverywhere() throws {
        let config = try SweepConfig(yaml: """
        name: keys
        budget: 20
        learning_rates: [0.1]
        seeds: {tuning: [0], evaluation: [1]}
        one_shot: false
        problems:
          - spec: quadratic(dim=2, cond=10)
            targets: {suboptimality: [1e-1]}
        optimizers: ["sgd(momentum=0.9)"]
        schedules: ["cosine(T_max=budget)"]
        """)
        let plan = SweepPlan(config: config)
        let key = plan.key(plan.combinations[0])
        #expect(key == CombinationKey(problem: "quadratic(dim=2, cond=10)", optimizer: "sgd(momentum=0.9)",
                                      schedule: "cosine(T_max=budget)", transforms: "none"))
        // The one string form: what GATE.md and the gate's errors show.
        #expect(key.description == "quadratic(dim=2, cond=10) | sgd(momentum=0.9) | cosine(T_max=budget) | none")
        let row = TargetRow(problem: key.problem, optimizer: key.optimizer, schedule: key.schedule, transforms: key.transforms,
                            target: "suboptimality<=0.1", steps: [3], timeDriven: false)
        #expect(row.key == key && Set([row.key, key]).count == 1)
        #expect(key != CombinationKey(problem: key.problem, optimizer: "sgd", schedule: key.schedule, transforms: key.transforms))
        // Ordered by the string form.
        let a = CombinationKey(problem: "p", optimizer: "adam", schedule: "s", transforms: "none")
        let b = CombinationKey(problem: "p", optimizer: "sgd", schedule: "s", transforms: "none")
        #expect(a < b && !(b < a))
    }
}
