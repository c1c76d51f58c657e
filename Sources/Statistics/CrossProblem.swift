import Foundation

/// Aggregates of methods over problems, with bootstrap intervals from resampling the seeds
/// *within* each problem (a problem is not a sample; its seeds are), jointly over the methods.
///
/// The definitions are the report's (`Sources/Reports/Measures.swift`, README "Definitions"):
/// - the cost t_{p,m} of method m on problem p is its median over the seeds, counted from 1
///   (max(median, 1)); +∞ when the median never reaches the target;
/// - the ratio r_{p,m} = t_{p,m} / min_m t_{p,m}, +∞ when t is +∞ or when no method solves p;
/// - the **geometric mean** of a method is exp(mean log r) over its *finite* ratios, with the
///   number of failures (r = +∞) beside it. There is no penalty ratio: a failure is counted, not
///   averaged in, so "1.52 (2 ∞)" keeps the meaning "1.52× the best's steps, where it gets
///   there". A method with no finite ratio has geometric mean NaN (and +∞ in a resample's
///   replicate, so its interval reads "unbounded");
/// - the **performance profile** ρ_m(τ) (Dolan & Moré 2002) is the fraction of problems with
///   r_{p,m} ≤ τ.
public enum CrossProblem {
    /// One method's aggregates, each as an estimate (on the data) with a percentile interval.
    public struct Aggregate: Sendable, Equatable {
        /// Geometric mean of the finite ratios to the best.
        public var geometricMean: ConfidenceInterval
        /// The number of problems with ratio +∞.
        public var failures: ConfidenceInterval
        /// ρ(τ) for each requested τ, in order.
        public var rho: [ConfidenceInterval]
    }

    /// Ratios r[p][m] of per-problem costs `medians[p][m]` to each problem's best (see above).
    public static func ratios(medians: [[Double]]) -> [[Double]] {
        medians.map { row in
            let t = row.map { $0.isFinite ? Swift.max($0, 1) : Double.infinity }
            let best = t.min() ?? .infinity
            return t.map { best.isFinite ? $0 / best : .infinity }
        }
    }

    /// The geometric mean of the finite positive ratios (NaN when there is none) and the number
    /// of +∞ ratios.
    public static func geometricMean(_ ratios: [Double]) -> (value: Double, failures: Int) {
        var sum = 0.0, count = 0, failures = 0
        for r in ratios {
            if r == .infinity { failures += 1; continue }
            guard r.isFinite, r > 0 else { continue }
            sum += Foundation.log(r)
            count += 1
        }
        return (count > 0 ? Foundation.exp(sum / Double(count)) : .nan, failures)
    }

    /// ρ(τ): the fraction of `ratios` (one per problem) that are finite and ≤ τ.
    public static func rho(_ ratios: [Double], tau: Double) -> Double {
        guard !ratios.isEmpty else { return .nan }
        return Double(ratios.filter { $0.isFinite && $0 <= tau }.count) / Double(ratios.count)
    }

    /// Aggregates for every method of `costs[p][m][s]` (problem p, method m, seed s; lower is
    /// better, +∞ allowed, NaN an error; the seed count may differ between problems but not
    /// between the methods of one problem). Each problem's seeds are resampled on their own
    /// stream, jointly for its methods; each replicate recomputes medians, bests, ratios and the
    /// aggregates. Every problem needs `Bootstrap.minimumCount(level:)` seeds.
    public static func aggregates(
        _ costs: [[[Double]]], taus: [Double] = [1, 2, 4], level: Double = 0.95, resamples: Int = 2000,
        seed: UInt64
    ) throws -> [Aggregate] {
        var sampler = try WithinProblemResampler(costs, level: level, resamples: resamples, seed: seed, label: "bootstrap problem")
        let methods = sampler.methods

        func summarise(_ medians: [[Double]]) -> [[Double]] {
            // Per method: [geometric mean, failures, ρ(τ₁), ρ(τ₂), …].
            let r = ratios(medians: medians)
            return (0..<methods).map { m in
                let column = r.map { $0[m] }
                let g = geometricMean(column)
                return [g.value, Double(g.failures)] + taus.map { rho(column, tau: $0) }
            }
        }

        let observed = summarise(sampler.observedMedians)
        var replicates = [[[Double]]](repeating: [], count: methods)  // [m][quantity][r]
        for m in 0..<methods { replicates[m] = Array(repeating: [Double](repeating: 0, count: resamples), count: 2 + taus.count) }
        for r in 0..<resamples {
            let s = summarise(sampler.nextMedians())
            for m in 0..<methods {
                for q in s[m].indices { replicates[m][q][r] = s[m][q].isNaN ? .infinity : s[m][q] }
            }
        }
        return try (0..<methods).map { m in
            let cis = try (0..<(2 + taus.count)).map { q in
                try Bootstrap.percentileInterval(replicates: replicates[m][q], estimate: observed[m][q], level: level)
            }
            return Aggregate(geometricMean: cis[0], failures: cis[1], rho: Array(cis[2...]))
        }
    }
}
