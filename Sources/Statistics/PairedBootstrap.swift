/// A paired (joint) bootstrap test that B is slower than A, for methods run on the same seeds.
///
/// Seed s of A and seed s of B saw the same data, start and minibatches (common random numbers),
/// so a resample draws seed *indices* and takes both methods' values at them: the seed-to-seed
/// variation common to both cancels. The statistic is D = median(B) − median(A) on the chosen
/// scale, with +∞ a value (∞ − finite = +∞, ∞ − ∞ = 0). The one-sided p-value for "B is slower
/// than A" is the bootstrap tail at or below zero (Davison & Hinkley 1997, §4.4, with the +1
/// correction that keeps it away from 0):
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
        let (x, y) = try PairedSamples.prepare(a, b, scale: scale)
        let n = x.count
        var resampler = Resampler(count: n, seed: seed)
        var idx = [Int](repeating: 0, count: n)
        var bufA = x, bufB = y
        var atOrBelow = 0
        for _ in 0..<resamples {
            resampler.next(into: &idx)
            for j in 0..<n { bufA[j] = x[idx[j]]; bufB[j] = y[idx[j]] }
            let d = OrderStatistics.difference(OrderStatistics.medianInPlace(&bufB), OrderStatistics.medianInPlace(&bufA))
            if d <= 0 { atOrBelow += 1 }
        }
        let observed = OrderStatistics.difference(OrderStatistics.median(y), OrderStatistics.median(x))
        return PairedTestResult(statistic: observed, pValue: Double(1 + atOrBelow) / Double(1 + resamples))
    }
}
