// The measures a report is built from, as plain functions of numbers: ranking, geometric mean,
// performance profiles (Dolan & Moré 2002) and ECDFs of targets reached (COCO). No I/O, no
// records: they are tested against hand-computed examples.

import Foundation

/// Orders combinations best first: fewer median steps to the main target first (a censored
/// median — the target not reached by at least half the seeds — counts as +∞), ties broken by the
/// better median final value, then by the order given (the sweep file's).
public enum Ranking {
    /// Indices of `steps` best first. NaN steps (no runs) count as +∞; NaN final values rank last
    /// among equal steps. `higherIsBetter` flips the final value (accuracies).
    public static func order(steps: [Double], finals: [Double], higherIsBetter: Bool = false) -> [Int] {
        precondition(steps.count == finals.count)
        func s(_ i: Int) -> Double { steps[i].isNaN ? .infinity : steps[i] }
        func f(_ i: Int) -> Double {
            let v = finals[i]
            if v.isNaN { return .infinity }
            return higherIsBetter ? -v : v
        }
        return steps.indices.sorted { a, b in
            if s(a) != s(b) { return s(a) < s(b) }
            if f(a) != f(b) { return f(a) < f(b) }
            return a < b
        }
    }
}

/// The geometric mean over the finite positive values, with the number of failures (+∞) beside
/// it: `1.52 (2 ∞)`. A failure has no finite ratio, so it is counted, not averaged in.
public struct GeometricMean: Sendable, Equatable {
    /// exp(mean(log x)) over finite x > 0; NaN when there is none.
    public var value: Double
    /// How many finite positive values were averaged.
    public var count: Int
    /// How many values were +∞ (censored, failed).
    public var failures: Int

    public init(_ values: [Double]) {
        var sum = 0.0, n = 0, fails = 0
        for x in values {
            if x == .infinity { fails += 1; continue }
            guard x.isFinite, x > 0 else { continue }
            sum += Foundation.log(x)
            n += 1
        }
        value = n > 0 ? Foundation.exp(sum / Double(n)) : .nan
        count = n
        failures = fails
    }
}

/// A performance profile (Dolan & Moré, 2002). For solver s and problem p, with t_{p,s} the cost
/// (median steps to the main target; +∞ when not reached), r_{p,s} = t_{p,s} / min_s t_{p,s};
/// ρ_s(τ) is the fraction of problems with r_{p,s} ≤ τ. ρ_s(1) is the share of problems s wins
/// (ties count for each); ρ_s(τ) for large τ is the share it solves at all. A problem that no
/// solver solves gives r = +∞ for every solver. Costs are counted from 1 (a target met at step 0
/// costs 1 step), so ratios are always defined.
public struct PerformanceProfile: Sendable, Equatable {
    public var solvers: [String]
    /// ratios[s][p].
    public var ratios: [[Double]]
    public var problemCount: Int

    /// `costs[p][s]`: the cost of solver s on problem p (+∞ or NaN: failed).
    public init(solvers: [String], costs: [[Double]]) {
        self.solvers = solvers
        problemCount = costs.count
        var r = Array(repeating: [Double](), count: solvers.count)
        for row in costs {
            precondition(row.count == solvers.count)
            let t = row.map { $0.isFinite ? Swift.max($0, 1) : Double.infinity }
            let best = t.min() ?? .infinity
            for s in solvers.indices { r[s].append(best.isFinite ? t[s] / best : .infinity) }
        }
        ratios = r
    }

    /// ρ_s(τ): the fraction of problems where solver s is within a factor τ of the best (τ = ∞:
    /// the fraction it solves).
    public func rho(_ s: Int, _ tau: Double) -> Double {
        guard problemCount > 0 else { return .nan }
        return Double(ratios[s].filter { $0.isFinite && $0 <= tau }.count) / Double(problemCount)
    }

    /// The largest finite ratio of any solver (at least 1).
    public var maxRatio: Double { ratios.flatMap { $0 }.filter(\.isFinite).max().map { Swift.max($0, 1) } ?? 1 }

    /// ρ_s as a right-continuous step function from τ = 1 to `tauMax`: the points where it jumps,
    /// then (tauMax, ρ_s(tauMax)). Plot with steps interpolation on a log-τ axis.
    public func curve(_ s: Int, tauMax: Double) -> (x: [Double], y: [Double]) {
        var xs: [Double] = [1], ys: [Double] = [rho(s, 1)]
        for r in Set(ratios[s].filter { $0.isFinite && $0 > 1 && $0 <= tauMax }).sorted() {
            xs.append(r); ys.append(rho(s, r))
        }
        xs.append(tauMax); ys.append(rho(s, tauMax))
        return (xs, ys)
    }

    /// Area under log₁₀-τ curve up to tauMax, normalised: a single number to order solvers by
    /// (1 = best on every problem).
    public func score(_ s: Int, tauMax: Double) -> Double {
        let c = curve(s, tauMax: tauMax)
        let span = Foundation.log10(tauMax)
        guard span > 0 else { return rho(s, 1) }
        var area = 0.0
        for i in 0..<(c.x.count - 1) { area += c.y[i] * (Foundation.log10(c.x[i + 1]) - Foundation.log10(c.x[i])) }
        return area / span
    }
}

/// An empirical cumulative distribution of targets reached (COCO's runtime ECDF): over a set of
/// (problem, target, run) triples, the fraction reached by a given budget fraction x, where a
/// triple's x is the step at which its run first reached its target divided by the problem's
/// step budget. Triples never reached count in the denominator only.
public struct ReachECDF: Sendable, Equatable {
    /// The budget fractions at which the reached triples were reached, ascending.
    public var hits: [Double]
    /// The number of triples (reached or not).
    public var total: Int

    public init(hits: [Double], total: Int) {
        self.hits = hits.sorted()
        self.total = total
    }

    /// Triples from runs: each run's steps to each of its targets (nil: not reached), over its budget.
    public init(runs: [(stepsToTarget: [Int?], budget: Int)]) {
        var hits: [Double] = [], total = 0
        for r in runs {
            for s in r.stepsToTarget {
                total += 1
                if let s { hits.append(Double(s) / Double(Swift.max(r.budget, 1))) }
            }
        }
        self.init(hits: hits, total: total)
    }

    /// The fraction of triples reached by budget fraction x (inclusive).
    public func fraction(atOrBelow x: Double) -> Double {
        guard total > 0 else { return .nan }
        return Double(hits.filter { $0 <= x }.count) / Double(total)
    }

    /// The step function from x = 0 to x = `end`: the points where it jumps, then (end, final).
    public func curve(end: Double = 1) -> (x: [Double], y: [Double]) {
        var xs: [Double] = [0], ys: [Double] = [fraction(atOrBelow: 0)]
        for h in Set(hits.filter { $0 > 0 && $0 <= end }).sorted() { xs.append(h); ys.append(fraction(atOrBelow: h)) }
        xs.append(end); ys.append(fraction(atOrBelow: end))
        return (xs, ys)
    }
}
