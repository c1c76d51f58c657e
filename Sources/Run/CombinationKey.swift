/// One combination's identity: its problem, optimizer, schedule and transform chain, each as the
/// plan names it (the canonical spec as written in the sweep file). Tuning, the summary, the
/// target table, the gate and the reports all key by it; `description` is its one string form in
/// files and messages (`problem | optimizer | schedule | transforms`: GATE.md, the gate's errors).
public struct CombinationKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var problem, optimizer, schedule, transforms: String

    public init(problem: String, optimizer: String, schedule: String, transforms: String) {
        self.problem = problem
        self.optimizer = optimizer
        self.schedule = schedule
        self.transforms = transforms
    }

    public var description: String { [problem, optimizer, schedule, transforms].joined(separator: " | ") }

    /// Ordered by the string form, so that listings sort as the files show them.
    public static func < (a: CombinationKey, b: CombinationKey) -> Bool { a.description < b.description }
}

extension RunRecord {
    /// The combination this run belongs to.
    public var key: CombinationKey { CombinationKey(problem: problem, optimizer: optimizer, schedule: schedule, transforms: transforms) }
}
