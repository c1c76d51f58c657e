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
        guard let type = all.first(where: { $0.catalog.name == spec.name }) else {
            throw SpecUsageError("unknown problem '\(spec.name)'; known: \(all.map { $0.catalog.name }.joined(separator: ", "))")
        }
        return try type.init(spec: spec, seed: seed)
    }

    /// Parses and builds in one go.
    public static func make(_ text: String, seed: UInt64) throws -> any Problem {
        try make(Spec(parsing: text), seed: seed)
    }
}
