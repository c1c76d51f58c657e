/// The paired (joint) bootstrap of the difference between two methods run on the same seeds.
///
/// Seed s of A and seed s of B saw the same data, start and minibatches (common random numbers),
/// so a resample draws seed *indices* and takes both methods' values at them: the seed-to-seed
/// variation common to both cancels. The statistic is D = median(B) − median(A) on the chosen
/// scale, with +∞ a value (∞ − finite = +∞, ∞ − ∞ = 0). On the log scale exp(D) is the ratio of
/// the medians (for an odd seed count), "B needs 1.3× A's steps".
///
/// The one-sided p-value for "B is slower than A" is the bootstrap tail at or below zero (Davison
/// & Hinkley 1997, §4.4, with the +1 correction that keeps it away from 0):
///
///     p = (1 + #{r : D*_r ≤ 0}) / (1 + R).
///
/// Its smallest possible value is 1/(1 + R): with R = 2000 it cannot go below 5.0·10⁻⁴, whatever
/// the data. It is not exact: see README "Statistics: how uncertain is an answer" for its measured
/// error rates.
public enum PairedBootstrap {
    /// The test of "B slower than A". `a` and `b` are indexed by seed, of equal length, no NaN
    /// (+∞ allowed), > 0 on the log scale.
    public static func slowerTest(
        a: [Double], b: [Double], scale: Scale = .log, resamples: Int = 2000, seed: UInt64
    ) throws -> PairedTestResult {
        guard resamples >= 1 else { throw StatisticsError.tooFewResamples(resamples: resamples, minimum: 1) }
        let (observed, replicates) = try differences(a: a, b: b, scale: scale, resamples: resamples, seed: seed)
        let atOrBelow = replicates.filter { $0 <= 0 }.count
        return PairedTestResult(statistic: observed, pValue: Double(1 + atOrBelow) / Double(1 + resamples))
    }

    /// The percentile interval of D = median(B) − median(A) on `scale` (the same resamples as
    /// `slowerTest` with the same seed). Needs `Bootstrap.minimumCount(level:)` seeds.
    public static func differenceInterval(
        a: [Double], b: [Double], scale: Scale = .log, level: Double = 0.95, resamples: Int = 2000, seed: UInt64
    ) throws -> ConfidenceInterval {
        try Bootstrap.validate(count: a.count, level: level, resamples: resamples)
        let (observed, replicates) = try differences(a: a, b: b, scale: scale, resamples: resamples, seed: seed)
        return try Bootstrap.percentileInterval(replicates: replicates, estimate: observed, level: level)
    }

    /// D on the samples and on each of `resamples` joint resamples.
    static func differences(
        a: [Double], b: [Double], scale: Scale, resamples: Int, seed: UInt64
    ) throws -> (observed: Double, replicates: [Double]) {
        let (x, y) = try PairedSamples.prepare(a, b, scale: scale)
        let n = x.count
        var resampler = Resampler(count: n, seed: seed)
        var idx = [Int](repeating: 0, count: n)
        var bufA = x, bufB = y
        var replicates = [Double](repeating: 0, count: resamples)
        for r in 0..<resamples {
            resampler.next(into: &idx)
            for j in 0..<n { bufA[j] = x[idx[j]]; bufB[j] = y[idx[j]] }
            replicates[r] = OrderStatistics.difference(OrderStatistics.medianInPlace(&bufB), OrderStatistics.medianInPlace(&bufA))
        }
        return (OrderStatistics.difference(OrderStatistics.median(y), OrderStatistics.median(x)), replicates)
    }
}
