/// Holm's step-down adjustment of m p-values (Holm 1979), which controls the family-wise error
/// rate: with the p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎,
///
///     p̃₍ᵢ₎ = min(1, max_{j ≤ i} (m − j + 1)·p₍ⱼ₎),
///
/// returned in the input's order. Hypothesis i is rejected at family-wise level α iff p̃ᵢ ≤ α.
/// The adjusted values are monotone in the sorted order and capped at 1. Equal p-values keep
/// their input order (the result does not depend on it: they get equal adjusted values).
public enum Holm {
    public static func adjust(_ pValues: [Double]) throws -> [Double] {
        for (i, p) in pValues.enumerated() where !(p >= 0 && p <= 1) {
            throw StatisticsError.invalidPValue(index: i, value: p)
        }
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] || (pValues[$0] == pValues[$1] && $0 < $1) }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (j, i) in order.enumerated() {
            running = max(running, min(1, Double(m - j) * pValues[i]))
            adjusted[i] = running
        }
        return adjusted
    }
}

/// Bonferroni's adjustment: p̃ᵢ = min(1, m·pᵢ). Less powerful than Holm's, but its threshold
/// α/m does not depend on the other p-values, which is what makes a top group's guarantee
/// ("contains the true best with probability ≥ 1 − α") follow from the union bound alone.
public enum Bonferroni {
    public static func adjust(_ pValues: [Double]) throws -> [Double] {
        for (i, p) in pValues.enumerated() where !(p >= 0 && p <= 1) {
            throw StatisticsError.invalidPValue(index: i, value: p)
        }
        return pValues.map { min(1, Double(pValues.count) * $0) }
    }
}

/// Which family-wise adjustment a top group applies to its K − 1 comparisons with the best.
public enum FamilyWiseCorrection: Sendable, Equatable {
    /// `Holm.adjust` (the default): step-down, more powerful.
    case holm
    /// `Bonferroni.adjust`: the provable subset-selection guarantee.
    case bonferroni

    public func adjust(_ pValues: [Double]) throws -> [Double] {
        switch self {
        case .holm: return try Holm.adjust(pValues)
        case .bonferroni: return try Bonferroni.adjust(pValues)
        }
    }
}
