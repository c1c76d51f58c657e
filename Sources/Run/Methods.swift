import GradientTransforms
import Optimizers
import Problems
import Schedules
import Specs

/// Parses the specs a user writes into methods, through the registries, with one-line errors.
public enum Methods {
    public static func problem(_ text: String, seed: UInt64) throws -> any Problem {
        try ProblemRegistry.make(Spec(parsing: text), seed: seed)
    }

    public static func optimizer(_ text: String) throws -> any Optimizer {
        try OptimizerRegistry.make(Spec(parsing: text))
    }

    public static func schedule(_ text: String) throws -> any Schedule {
        try ScheduleRegistry.make(Spec(parsing: text))
    }

    public static func transforms(_ texts: [String]) throws -> TransformChain {
        try TransformRegistry.chain(texts.map { try Spec(parsing: $0) })
    }

    /// Every catalogue, in the order `lrbench list` prints them.
    public static var catalogs: [(title: String, entries: [CatalogEntry])] {
        [
            ("Problems", ProblemRegistry.all.map { $0.catalog }),
            ("Optimizers", OptimizerRegistry.all.map { $0.catalog }),
            ("Schedules", ScheduleRegistry.all.map { $0.catalog }),
            ("Gradient transforms", TransformRegistry.all.map { $0.catalog }),
        ]
    }

    /// Checks a base learning rate given on the command line or in a sweep file.
    public static func checkLearningRate(_ lr: Double, field: String = "--lr") throws {
        guard lr.isFinite, lr >= 0 else {
            throw SpecUsageError("\(field) must be a finite number >= 0, got \(lr)")
        }
    }
}

/// Shortest round-trip text of a number (Swift's `description`): exact, never a rounded %g.
@inline(__always)
public func exact(_ x: Double) -> String { x.description }

/// Re-exported names, so the executable needs only `import Run` for them.
public typealias OptimizerType = Optimizer
public typealias TransformChainType = TransformChain
