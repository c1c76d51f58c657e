import SeededRandom

/// Percentile bootstrap confidence intervals (Efron & Tibshirani 1993, ch. 13; Davison & Hinkley
/// 1997, §5.3), seeded so that a report is byte-identical on every run.
///
/// A resample draws n indices uniformly with replacement from the n seeds. The interval at level
/// 1 − α is [θ*₍⌈Rα/2⌉₎, θ*₍⌈R(1−α/2)⌉₎], the α/2 and 1 − α/2 quantiles of the R sorted replicates
/// θ* by the inverse empirical CDF (Hyndman & Fan type 1: no interpolation, so a replicate of +∞
/// stays +∞ and never turns into NaN).
///
/// **How many seeds a level needs.** Every resample's median lies between the sample's minimum
/// and maximum, so any percentile interval of the median lies within [x₍₁₎, x₍ₙ₎]. For a continuous
/// distribution that range covers the true median with probability exactly 1 − 2·2⁻ⁿ (the median
/// lies outside it only when all n values fall on one side). An interval inside it therefore
/// cannot reach coverage `level` unless 1 − 2¹⁻ⁿ ≥ level: n ≥ 6 for 95 %, 5 for 90 %, 8 for 99 %.
/// Below that the interval would be narrower than any honest one, and for n = 1 of width zero, so
/// it is an error (`StatisticsError.tooFewValues`), not an interval. The same floor is applied to
/// every statistic (the mean's percentile interval lies in the same range).
public enum Bootstrap {
    /// The fewest values for which an interval of `level` can be meaningful: the smallest n with
    /// 1 − 2¹⁻ⁿ ≥ level (see the type's documentation). 6 for 0.95.
    public static func minimumCount(level: Double) -> Int {
        var n = 1
        while 1 - 2 * pow2(-n) < level { n += 1 }
        return n
    }

    /// The fewest resamples that put at least one replicate in each tail at `level`: ⌈2/α⌉.
    public static func minimumResamples(level: Double) -> Int {
        ceilRounded(2 / (1 - level))
    }

    /// The percentile bootstrap interval of `statistic` (the median by default) over `values`,
    /// one value per seed, +∞ allowed. The estimate is the statistic of `values` itself.
    ///
    /// Throws when the level is outside (0, 1), when there are fewer values than
    /// `minimumCount(level:)`, when a value is NaN, when `resamples` < `minimumResamples(level:)`,
    /// or when the statistic is NaN on some resample.
    public static func interval(
        _ values: [Double], level: Double = 0.95, resamples: Int = 2000, seed: UInt64,
        statistic: ([Double]) -> Double = OrderStatistics.median
    ) throws -> ConfidenceInterval {
        try validate(count: values.count, level: level, resamples: resamples)
        for (i, v) in values.enumerated() where v.isNaN { throw StatisticsError.missingValue(candidate: 0, seed: i) }
        var resampler = Resampler(count: values.count, seed: seed)
        var idx = [Int](repeating: 0, count: values.count)
        var buffer = values
        var replicates = [Double](repeating: 0, count: resamples)
        for r in 0..<resamples {
            resampler.next(into: &idx)
            for j in idx.indices { buffer[j] = values[idx[j]] }
            replicates[r] = statistic(buffer)
        }
        return try percentileInterval(replicates: replicates, estimate: statistic(values), level: level)
    }

    /// The percentile interval from replicates already computed (type-1 quantiles, see above).
    public static func percentileInterval(replicates: [Double], estimate: Double, level: Double) throws -> ConfidenceInterval {
        guard level > 0, level < 1 else { throw StatisticsError.invalidLevel(level) }
        guard !replicates.contains(where: \.isNaN) else { throw StatisticsError.undefinedStatistic }
        let sorted = replicates.sorted()
        let alpha = 1 - level
        return ConfidenceInterval(
            estimate: estimate,
            lower: quantile(sorted: sorted, alpha / 2),
            upper: quantile(sorted: sorted, 1 - alpha / 2),
            level: level)
    }

    /// The p-quantile of sorted values by the inverse empirical CDF: x₍⌈Rp⌉₎ (at least x₍₁₎).
    /// Rp is rounded to 9 significant digits first, so 2000 × 0.975 is 1950, not 1950.0000000002.
    public static func quantile(sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty)
        let k = ceilRounded(Double(sorted.count) * p)
        return sorted[min(max(k, 1), sorted.count) - 1]
    }

    static func validate(count: Int, level: Double, resamples: Int) throws {
        guard level > 0, level < 1 else { throw StatisticsError.invalidLevel(level) }
        let minimum = minimumCount(level: level)
        guard count >= minimum else { throw StatisticsError.tooFewValues(count: count, level: level, minimum: minimum) }
        let rmin = minimumResamples(level: level)
        guard resamples >= rmin else { throw StatisticsError.tooFewResamples(resamples: resamples, minimum: rmin) }
    }

    /// ⌈x⌉ after rounding x to 9 decimals, so products like 2000 × 0.975 that should be integers
    /// are not pushed up by a rounding error in the last bit.
    static func ceilRounded(_ x: Double) -> Int {
        Int(((x * 1e9).rounded() / 1e9).rounded(.up))
    }

    static func pow2(_ e: Int) -> Double {
        var x = 1.0
        for _ in 0..<abs(e) { x = e < 0 ? x / 2 : x * 2 }
        return x
    }
}

/// Seeded bootstrap resampling of n seeds: each `next()` is n indices drawn uniformly with
/// replacement (Lemire's unbiased bounded draw on xoshiro256**). The same indices are applied to
/// every candidate, which is what makes resampling *joint* (common random numbers: seed s of
/// every method saw the same data).
public struct Resampler: Sendable {
    private var stream: RandomStream
    public let count: Int

    public init(count: Int, seed: UInt64, label: String = "bootstrap") {
        precondition(count > 0)
        self.count = count
        stream = RandomStream(seed: seed, label: label)
    }

    /// Writes the next resample's `count` indices into `indices` (resized if needed).
    public mutating func next(into indices: inout [Int]) {
        if indices.count != count { indices = [Int](repeating: 0, count: count) }
        for j in 0..<count { indices[j] = stream.index(below: count) }
    }
}
