/// How often bootstrap resamples of the seeds put each candidate first.
///
/// Each resample draws n seed indices with replacement, *jointly* for all candidates (seed s of
/// every candidate saw the same data), recomputes every candidate's median and gives the
/// first place to the lowest; candidates tied at the lowest median (including a resample where
/// every median is +∞) share it evenly. The result is each candidate's share of first places:
/// non-negative, summing to 1 (up to rounding). A share near 1 means the seeds agree on the
/// winner; shares spread over a top group mean the data do not separate its members.
public enum RankStability {
    /// Shares of first place for `values[k][s]` (candidate k on seed s, lower is better, +∞
    /// allowed, NaN an error), over `resamples` seeded resamples.
    public static func firstPlaceShares(_ values: [[Double]], resamples: Int = 2000, seed: UInt64) throws -> [Double] {
        let n = try CandidateMatrix.validate(values)
        guard resamples >= 1 else { throw StatisticsError.tooFewResamples(resamples: resamples, minimum: 1) }
        var resampler = Resampler(count: n, seed: seed)
        var idx = [Int](repeating: 0, count: n), scratch = [Double](repeating: 0, count: n)
        var medians = [Double](repeating: 0, count: values.count)
        var shares = [Double](repeating: 0, count: values.count)
        for _ in 0..<resamples {
            resampler.next(into: &idx)
            CandidateMatrix.resampledMedians(values, indices: idx, scratch: &scratch, into: &medians)
            let lowest = medians.min()!
            let winners = medians.indices.filter { medians[$0] == lowest }
            for w in winners { shares[w] += 1 / Double(winners.count) }
        }
        return shares.map { $0 / Double(resamples) }
    }
}
