/// Which paired test a top group uses to compare each candidate with the best.
public enum PairedTestKind: Sendable, Equatable {
    /// `PairedBootstrap.slowerTest`: difference of medians, joint resampling of seeds.
    case pairedBootstrap
    /// `Wilcoxon.test` with `alternative: .greater`, exact, Wilcoxon's zero rule.
    case wilcoxon
}

/// The top group of K candidates (combinations, optimizers, schedules) on n common seeds: the
/// best candidate and every candidate not significantly slower than it.
///
/// - **Best**: the lowest median over the seeds (+∞ when half the seeds fail). Ties are broken by
///   the lower mean rank across seeds (on each seed the K candidates are ranked, ties sharing the
///   average rank, +∞ tying at the bottom), then by the lower index (the sweep file's order).
/// - **Not significantly slower**: each other candidate c is tested against the best with a
///   one-sided paired test of "c is slower than the best" (seeds are paired: common random
///   numbers), and the K − 1 p-values are adjusted by Holm's step-down method (Holm 1979). c is in
///   the group unless its adjusted p-value is ≤ α.
///
/// **What the group promises**: it contains the true best with probability about 1 − α — a
/// subset selection (Gupta 1965) or multiple comparison with the best (Hsu 1984). With a
/// Bonferroni threshold α/(K − 1) this follows from the union bound whichever candidate is
/// observed best; with Holm it was measured (≥ 0.99 in every simulated case). It does *not*
/// promise that nobody is wrongly excluded: the reference is the observed best, the luckiest of
/// K, so with K identical candidates 14–18 % of replicates leave someone out (a given candidate
/// about 2 % of the time).
///
/// **Power, measured** (`swift run -c release StatisticsPower 2000`; README, "Statistics: how
/// uncertain is an answer"): with n = 10 seeds the exact Wilcoxon test cannot give a one-sided p
/// below 2⁻¹⁰ ≈ 9.8·10⁻⁴, and Holm's first threshold is α/(K − 1): 5.6·10⁻³ for K = 10,
/// 3.8·10⁻³ for K = 14, 3.6·10⁻⁴ for K = 140. So with 140 candidates and ten seeds *nothing* can
/// be excluded by Wilcoxon, nor by the paired bootstrap at R = 2000 (p ≥ 1/2001 = 5.0·10⁻⁴; a
/// larger R rejects, but at a false-rejection rate ≥ 2⁻¹⁰, above the threshold). The group is then
/// all K, which is the honest answer. For K = 10 and 14, a candidate slower by one standard
/// deviation of the paired log-step difference is excluded 62 % and 52 % of the time by Wilcoxon,
/// 45 % and 39 % by the paired bootstrap; 0.3 sd is invisible (≤ 4 %). **Use `.wilcoxon`** (the
/// default): exact level, more power, no resampling.
public struct TopGroup: Sendable, Equatable {
    public struct Candidate: Sendable, Equatable {
        /// Its position in the input.
        public var index: Int
        /// The percentile bootstrap interval of its median over the seeds (estimate = median).
        public var median: ConfidenceInterval
        /// Its mean rank over the seeds among all K candidates (1 = fastest on every seed).
        public var meanRank: Double
        /// The one-sided p-value of "slower than the best"; nil for the best itself.
        public var pValue: Double?
        /// Adjusted (Holm by default) over the K − 1 comparisons; nil for the best itself.
        public var adjustedPValue: Double?
        /// In the top group: the best, or not significantly slower than it.
        public var inGroup: Bool
    }

    /// The index of the best candidate.
    public var best: Int
    /// One entry per candidate, in input order.
    public var candidates: [Candidate]

    /// The indices in the group, in input order.
    public var members: [Int] { candidates.filter(\.inGroup).map(\.index) }

    /// The top group of `values[k][s]` (candidate k on seed s, lower is better, +∞ allowed, NaN
    /// an error). `scale` is the test's scale (`.log` for steps: values must be > 0); medians and
    /// their intervals are on the raw values. `resamples` and `seed` drive both the intervals and
    /// the paired bootstrap; every candidate uses the same resampled seed indices. `correction`
    /// is Holm's (the default) or Bonferroni's.
    ///
    /// Throws for NaN, unequal seed counts, a level or α outside (0, 1), non-positive values on
    /// the log scale, or fewer seeds than `Bootstrap.minimumCount(level:)`.
    public static func find(
        _ values: [[Double]], alpha: Double = 0.05, test: PairedTestKind = .wilcoxon, scale: Scale = .log,
        correction: FamilyWiseCorrection = .holm, level: Double = 0.95, resamples: Int = 2000, seed: UInt64
    ) throws -> TopGroup {
        guard alpha > 0, alpha < 1 else { throw StatisticsError.invalidAlpha(alpha) }
        let n = try CandidateMatrix.validate(values)
        try Bootstrap.validate(count: n, level: level, resamples: resamples)
        for (k, row) in values.enumerated() { _ = try PairedSamples.onScale(row, scale, candidate: k) }

        let medians = values.map(OrderStatistics.median)
        let rankSums = doubledRankSums(values)
        let best = values.indices.min { i, j in
            if medians[i] != medians[j] { return medians[i] < medians[j] }
            if rankSums[i] != rankSums[j] { return rankSums[i] < rankSums[j] }
            return i < j
        }!

        let others = values.indices.filter { $0 != best }
        let raw: [Double] = try others.map { c in
            switch test {
            case .wilcoxon:
                return try Wilcoxon.test(a: values[best], b: values[c], alternative: .greater, scale: scale).pValue
            case .pairedBootstrap:
                return try PairedBootstrap.slowerTest(a: values[best], b: values[c], scale: scale, resamples: resamples, seed: seed).pValue
            }
        }
        let adjusted = try correction.adjust(raw)

        var candidates: [Candidate] = []
        for k in values.indices {
            let ci = try Bootstrap.interval(values[k], level: level, resamples: resamples, seed: seed)
            let slot = others.firstIndex(of: k)
            candidates.append(Candidate(
                index: k, median: ci, meanRank: Double(rankSums[k]) / Double(2 * n),
                pValue: slot.map { raw[$0] }, adjustedPValue: slot.map { adjusted[$0] },
                inGroup: slot.map { adjusted[$0] > alpha } ?? true))
        }
        return TopGroup(best: best, candidates: candidates)
    }

    /// Per candidate, the sum over seeds of its doubled average rank among the K candidates.
    static func doubledRankSums(_ values: [[Double]]) -> [Int] {
        var sums = [Int](repeating: 0, count: values.count)
        for s in values[0].indices {
            let ranks = OrderStatistics.doubledAverageRanks(values.map { $0[s] })
            for k in values.indices { sums[k] += ranks[k] }
        }
        return sums
    }
}
