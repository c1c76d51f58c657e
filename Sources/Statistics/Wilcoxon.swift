/// The Wilcoxon signed-rank test for paired samples (Wilcoxon 1945), with its exact null
/// distribution computed by dynamic programming over the signed ranks — also under ties.
///
/// The differences are dᵢ = bᵢ − aᵢ on the chosen scale, with +∞ a value: ∞ − finite = +∞ is
/// larger than any finite difference, finite − ∞ = −∞, ∞ − ∞ = 0 (both failed: a tie). The |dᵢ|
/// are ranked with average ranks for ties (|±∞| tie with each other at the top). Zero differences
/// follow `ZeroRule`. The statistic is T⁺, the sum of the ranks of the positive differences.
///
/// Under H₀ (each difference is symmetric about 0) every sign pattern of the m non-zero
/// differences is equally likely given their ranks, so P(T⁺ = t) = #{sign patterns with sum t}/2ᵐ.
/// Average ranks are multiples of ½, so the DP counts patterns over *doubled* ranks, which are
/// integers: the distribution is exact with ties, not the no-ties table. (scipy's
/// `method="exact"` uses the no-ties table; with ties our values equal scipy's
/// `method=PermutationMethod()`, which enumerates all 2ᵐ sign patterns — see the tests.)
///
/// The smallest one-sided p-value is 2⁻ᵐ: 2⁻¹⁰ ≈ 9.8·10⁻⁴ with ten seeds, whatever the data.
public enum Wilcoxon {
    /// Which alternative to H₀ "the differences b − a are symmetric about 0".
    public enum Alternative: Sendable, Equatable {
        /// b − a tends to be positive: B is slower than A (lower is better).
        case greater
        /// b − a tends to be negative.
        case less
        /// Either: p = min(1, 2·min(p_greater, p_less)) (scipy's convention).
        case twoSided
    }

    /// What zero differences (seeds where A and B tie) do.
    public enum ZeroRule: Sendable, Equatable {
        /// Wilcoxon's rule (scipy's default `zero_method="wilcox"`): drop the zeros, then rank.
        case wilcox
        /// Pratt's rule (Pratt 1959): rank all |dᵢ| including the zeros, then drop the zeros'
        /// ranks, so the ties still push the others' ranks up.
        case pratt
    }

    /// The exact test. `a` and `b` are indexed by seed, of equal length, no NaN (+∞ allowed), > 0
    /// on the log scale. When every difference is zero the test has no evidence: T⁺ = 0, p = 1.
    public static func test(
        a: [Double], b: [Double], alternative: Alternative = .greater, scale: Scale = .log,
        zeroRule: ZeroRule = .wilcox
    ) throws -> PairedTestResult {
        let (x, y) = try PairedSamples.prepare(a, b, scale: scale)
        let d = zip(y, x).map { OrderStatistics.difference($0, $1) }
        let (ranks, positive) = signedRanks(d, zeroRule: zeroRule)
        let tPlus2 = zip(ranks, positive).reduce(0) { $0 + ($1.1 ? $1.0 : 0) }
        guard !ranks.isEmpty else { return PairedTestResult(statistic: 0, pValue: 1) }
        let counts = nullCounts(doubledRanks: ranks)
        let total = counts.reduce(0, +)
        let greater = counts[tPlus2...].reduce(0, +) / total
        let less = counts[...tPlus2].reduce(0, +) / total
        let p: Double
        switch alternative {
        case .greater: p = greater
        case .less: p = less
        case .twoSided: p = min(1, 2 * min(greater, less))
        }
        return PairedTestResult(statistic: Double(tPlus2) / 2, pValue: p)
    }

    /// The doubled average ranks of the non-zero |dᵢ| under `zeroRule`, and whether each dᵢ > 0.
    static func signedRanks(_ d: [Double], zeroRule: ZeroRule) -> (ranks: [Int], positive: [Bool]) {
        let keep = d.indices.filter { d[$0] != 0 }
        switch zeroRule {
        case .wilcox:
            let r = OrderStatistics.doubledAverageRanks(keep.map { Swift.abs(d[$0]) })
            return (r, keep.map { d[$0] > 0 })
        case .pratt:
            let r = OrderStatistics.doubledAverageRanks(d.map { Swift.abs($0) })
            return (keep.map { r[$0] }, keep.map { d[$0] > 0 })
        }
    }

    /// counts[s] = the number of sign patterns whose positive doubled ranks sum to s.
    static func nullCounts(doubledRanks: [Int]) -> [Double] {
        let total = doubledRanks.reduce(0, +)
        var counts = [Double](repeating: 0, count: total + 1)
        counts[0] = 1
        var reach = 0
        for r in doubledRanks {
            reach += r
            var s = reach
            while s >= r { counts[s] += counts[s - r]; s -= 1 }
        }
        return counts
    }
}
