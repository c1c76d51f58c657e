/// Order statistics on samples that may contain +∞ (a censored run: the target never reached).
public enum OrderStatistics {
    /// The median with the same arithmetic as the harness's `Stats.median` (Hyndman & Fan type 7
    /// at q = 0.5): the middle value, or for an even count lo + 0.5·(hi − lo) of the two middle
    /// values, which is +∞ when either is +∞. So the median is +∞ as soon as half the seeds fail.
    /// NaN for an empty sample. Values must not be NaN.
    public static func median(_ values: [Double]) -> Double {
        var xs = values
        return medianInPlace(&xs)
    }

    /// `median` on a scratch buffer that it sorts (no allocation in resampling loops).
    @inlinable
    public static func medianInPlace(_ xs: inout [Double]) -> Double {
        let n = xs.count
        guard n > 0 else { return .nan }
        xs.sort()
        let lo = xs[(n - 1) / 2], hi = xs[n / 2]
        if lo == hi { return lo }
        if lo.isInfinite || hi.isInfinite { return hi.isInfinite ? hi : lo }
        return lo + 0.5 * (hi - lo)
    }

    /// x − y where +∞ is a value: ∞ − finite = +∞, finite − ∞ = −∞, ∞ − ∞ = 0 (both failed: a tie).
    @inlinable
    public static func difference(_ x: Double, _ y: Double) -> Double {
        if x == y { return 0 }
        return x - y
    }

    /// Average ranks (1-based, ties share the mean of their positions) of `values`, doubled so
    /// they are integers: a tie over positions i…j gets i + j. +∞ values rank above every finite
    /// one and tie with each other.
    public static func doubledAverageRanks(_ values: [Double]) -> [Int] {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var ranks = [Int](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            for k in i...j { ranks[order[k]] = (i + 1) + (j + 1) }
            i = j + 1
        }
        return ranks
    }
}
