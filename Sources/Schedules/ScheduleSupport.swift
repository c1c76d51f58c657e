import Specs

extension ScheduleDrive {
    /// step < metric < time: a composite is as non-deterministic as its least deterministic child.
    var strength: Int {
        switch self {
        case .step: return 0
        case .metric: return 1
        case .time: return 2
        }
    }

    /// The "strongest" of the children's drives (`.step` for none).
    static func strongest(_ drives: [ScheduleDrive]) -> ScheduleDrive {
        drives.max(by: { $0.strength < $1.strength }) ?? .step
    }
}

extension Parameters {
    /// An optional whole number (absent means nil).
    mutating func optionalInt(_ key: String, _ range: ValueRange = .any) throws -> Int? {
        guard spec[key] != nil else { return nil }
        return try int(key, range)
    }
}

extension CatalogEntry {
    /// The names of the parameters, for `Parameters.finish(allowed:)`.
    var parameterNames: [String] { parameters.map(\.name) }
}

/// `Spec` arguments for a schedule built in code (composites' children).
func numberArgument(_ key: String, _ x: Double) -> Spec.Argument {
    Spec.Argument(key: key, value: .exact(x))
}
