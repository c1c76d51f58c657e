import Specs

/// Every problem lrbench knows, by spec name. A new problem is one file plus one line here.
public enum ProblemRegistry {
    public static let all: [any Problem.Type] = [
        Quadratic.self,
        Rosenbrock.self,
        LinearRegression.self,
        Beale.self,
        Rastrigin.self,
        ClassificationProblem.self,
    ]

    /// Builds the problem a spec names, for one seed.
    public static func make(_ spec: Spec, seed: UInt64) throws -> any Problem {
        guard let type = Self.type(named: spec.name) else {
            throw SpecUsageError("unknown problem '\(spec.name)'; known: \(all.map { $0.catalog.name }.joined(separator: ", "))")
        }
        return try type.init(spec: spec, seed: seed)
    }

    /// The problem type a spec name denotes (its catalog and metrics, without building it).
    public static func type(named name: String) -> (any Problem.Type)? {
        all.first { $0.catalog.name == name }
    }

    /// Parses and builds in one go.
    public static func make(_ text: String, seed: UInt64) throws -> any Problem {
        try make(Spec(parsing: text), seed: seed)
    }
}
