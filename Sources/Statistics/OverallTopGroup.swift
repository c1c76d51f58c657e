import Foundation

/// The top group over several problems: which methods are not significantly slower than the
/// best *across* problems.
///
/// A method's overall cost is the geometric mean over problems of its penalised ratio to each
/// problem's best: r_{p,m} = max(t_{p,m}, 1) / min_m max(t_{p,m}, 1), where t is the median over
/// the problem's seeds and a median that never reaches the target counts as `penalty[p]` (PAR2:
/// twice the budget, as SAT and algorithm-selection benchmarks score timeouts). Unlike the
/// report's geometric mean (failures counted apart), this is one number per method, so two
/// methods can be compared.
///
/// The best is the lowest overall cost (ties: the lower index). Each other method is tested with
/// a paired bootstrap: the seeds of every problem are resampled on their own stream, jointly for
/// all methods (common random numbers), and the one-sided p-value of "m is slower than the best"
/// is (1 + #{replicates where cost(m) ≤ cost(best)}) / (1 + R). Holm's step-down method adjusts
/// the K − 1 p-values; m is in the group unless its adjusted p is ≤ α. R must be large enough
/// that 1/(1 + R) is below α/(K − 1), or nothing can ever be excluded (`minimumResamples`).
public enum OverallTopGroup {
    public struct Result: Sendable, Equatable {
        public var best: Int
        /// Per method: the overall cost (geometric mean of penalised ratios) on the data.
        public var cost: [Double]
        /// Per method: the percentile interval of its overall cost.
        public var interval: [ConfidenceInterval]
        /// Raw and Holm-adjusted p-values of "slower than the best"; nil for the best.
        public var pValue: [Double?]
        public var adjustedPValue: [Double?]
        public var inGroup: [Bool]
        /// Per method: the share of replicates in which it has the lowest overall cost.
        public var firstShare: [Double]

        public var members: [Int] { inGroup.indices.filter { inGroup[$0] } }
    }

    /// The fewest resamples for which a method can be excluded among `methods` at `alpha`.
    public static func minimumResamples(methods: Int, alpha: Double) -> Int {
        Int((Double(max(methods - 1, 1)) / alpha).rounded(.up)) * 2
    }

    /// `costs[p][m][s]`: method m on seed s of problem p (lower is better, +∞ allowed, NaN an
    /// error); `penalty[p]`: the cost that stands for +∞ on problem p.
    public static func find(
        _ costs: [[[Double]]], penalty: [Double], alpha: Double = 0.05, level: Double = 0.95,
        resamples: Int, seed: UInt64
    ) throws -> Result {
        guard alpha > 0, alpha < 1 else { throw StatisticsError.invalidAlpha(alpha) }
        guard penalty.count == costs.count else { throw StatisticsError.mismatchedLengths(expected: costs.count, found: penalty.count) }
        var sampler = try WithinProblemResampler(costs, level: level, resamples: resamples, seed: seed, label: "overall problem")
        let methods = sampler.methods

        func overall(_ medians: [[Double]]) -> [Double] {
            var logSum = [Double](repeating: 0, count: methods)
            for (p, row) in medians.enumerated() {
                let t = row.map { $0.isFinite ? Swift.max($0, 1) : Swift.max(penalty[p], 1) }
                let best = t.min()!
                for m in 0..<methods { logSum[m] += Foundation.log(t[m] / best) }
            }
            return logSum.map { Foundation.exp($0 / Double(medians.count)) }
        }

        let observed = overall(sampler.observedMedians)
        let best = observed.indices.min { (observed[$0], $0) < (observed[$1], $1) }!
        var replicates = [[Double]](repeating: [Double](repeating: 0, count: resamples), count: methods)
        var notSlower = [Int](repeating: 0, count: methods)
        var firsts = [Double](repeating: 0, count: methods)
        for r in 0..<resamples {
            let o = overall(sampler.nextMedians())
            let lowest = o.min()!
            let winners = o.indices.filter { o[$0] == lowest }
            for m in 0..<methods {
                replicates[m][r] = o[m]
                if o[m] <= o[best] { notSlower[m] += 1 }
            }
            for w in winners { firsts[w] += 1 / Double(winners.count) }
        }
        let others = (0..<methods).filter { $0 != best }
        let raw = others.map { Double(1 + notSlower[$0]) / Double(1 + resamples) }
        let adjusted = try Holm.adjust(raw)
        var p = [Double?](repeating: nil, count: methods), q = p
        var inGroup = [Bool](repeating: true, count: methods)
        for (i, m) in others.enumerated() {
            p[m] = raw[i]
            q[m] = adjusted[i]
            inGroup[m] = adjusted[i] > alpha
        }
        let intervals = try (0..<methods).map { m in
            try Bootstrap.percentileInterval(replicates: replicates[m], estimate: observed[m], level: level)
        }
        return Result(best: best, cost: observed, interval: intervals, pValue: p, adjustedPValue: q,
                      inGroup: inGroup, firstShare: firsts.map { $0 / Double(resamples) })
    }
}
