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
