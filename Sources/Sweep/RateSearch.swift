import Run
import Foundation

/// How a combination's base rate is searched on the tuning seeds: a coarse grid, then the grid
/// extended past an edge while the best rate sits on it, then refinement around the best.
///
///     rate_search: {extend: 3, refine: 2}
///
/// The search is a deterministic procedure that asks for the tuning score of one or two rates at
/// a time. It is replayed from the records on disk (`RateSearch.replay`), so a resumed or merged
/// sweep asks for exactly the same rates, and a run's id does not depend on the round that asked
/// for it.
///
/// 1. The grid (`learning_rates`).
/// 2. While the best rate is the largest (smallest) rate tried and fewer than `extend` rates lie
///    beyond the grid on that side: one more rate, a grid step further out (the ratio of the two
///    outermost rates on that side).
/// 3. `refine` times: the geometric midpoints between the best rate and its neighbours among the
///    rates tried (each round halves the spacing around the best in log-rate).
///
/// New rates are rounded to 6 significant digits, so they read well and stay exact in text.
public struct RateSearch: Sendable, Equatable {
    /// Rates tried beyond each edge of the grid, at most.
    public var extend: Int
    /// Rounds of refinement around the best rate.
    public var refine: Int

    public init(extend: Int = 0, refine: Int = 0) {
        self.extend = extend
        self.refine = refine
    }

    /// No extension, no refinement: the grid alone (the v1 protocol).
    public static let gridOnly = RateSearch()

    /// A rate's tuning score: the rule's value, then its tie-breaker (both lower is better; NaN
    /// counts as +∞). Ties in both go to the smaller rate.
    public struct Score: Sendable, Equatable {
        public var value: Double
        public var tieBreak: Double
        public init(value: Double, tieBreak: Double) {
            self.value = value
            self.tieBreak = tieBreak
        }
    }

    /// Where a replay stopped: rates still to score, or the finished search.
    public enum State: Sendable, Equatable {
        case needs([Double])
        case done(Result)
    }

    public struct Result: Sendable, Equatable {
        /// The chosen rate.
        public var lr: Double
        /// Every rate scored, ascending, with its score.
        public var rates: [Double]
        public var scores: [Score]
        /// The chosen rate is the smallest or largest rate tried, after every extension allowed.
        public var onEdge: Bool
        /// Rates tried beyond the grid (below its smallest, above its largest).
        public var extendedBelow: Int
        public var extendedAbove: Int

        public var chosenScore: Score { scores[rates.firstIndex(of: lr)!] }
    }

    /// Replays the search over `grid` with the scores known so far. `score(lr)` is nil for a rate
    /// not yet scored (its runs are missing).
    public func replay(grid: [Double], score: (Double) -> Score?) -> State {
        let grid = Array(Set(grid)).sorted()
        precondition(!grid.isEmpty, "a rate search needs a grid")
        var tried: [Double: Score] = [:]
        func ask(_ rates: [Double]) -> [Double]? {
            var missing: [Double] = []
            for r in rates where tried[r] == nil {
                if let s = score(r) { tried[r] = s } else { missing.append(r) }
            }
            return missing.isEmpty ? nil : missing
        }
        func best() -> Double {
            tried.keys.min { a, b in Self.better(tried[a]!, a, than: tried[b]!, b) }!
        }
        if let m = ask(grid) { return .needs(m) }

        var below = 0, above = 0
        // 2. Extension, one rate at a time, while the best is on an edge.
        if grid.count >= 2 {
            while true {
                let sorted = tried.keys.sorted()
                let b = best()
                var next: Double?
                if b == sorted.last!, above < extend {
                    next = Self.round(b * (b / sorted[sorted.count - 2]))
                    above += 1
                } else if b == sorted.first!, below < extend {
                    next = Self.round(b / (sorted[1] / b))
                    below += 1
                }
                guard let next, next.isFinite, next > 0, tried[next] == nil else { break }
                if let m = ask([next]) { return .needs(m) }
            }
        }
        // 3. Refinement around the best.
        for _ in 0..<refine {
            let sorted = tried.keys.sorted()
            guard sorted.count >= 2 else { break }
            let b = best()
            let i = sorted.firstIndex(of: b)!
            var mids: [Double] = []
            if i > 0 { mids.append(Self.round((sorted[i - 1] * b).squareRoot())) }
            if i + 1 < sorted.count { mids.append(Self.round((b * sorted[i + 1]).squareRoot())) }
            mids = mids.filter { tried[$0] == nil && $0 > 0 && $0.isFinite }
            if mids.isEmpty { break }
            if let m = ask(mids) { return .needs(m) }
        }
        let rates = tried.keys.sorted()
        let b = best()
        let onEdge = rates.count > 1 && (b == rates.first! || b == rates.last!)
        return .done(Result(lr: b, rates: rates, scores: rates.map { tried[$0]! }, onEdge: onEdge,
                            extendedBelow: rates.filter { $0 < grid.first! }.count,
                            extendedAbove: rates.filter { $0 > grid.last! }.count))
    }

    /// Lower score first, then lower tie-breaker, then the smaller rate. NaN counts as +∞.
    static func better(_ a: Score, _ ra: Double, than b: Score, _ rb: Double) -> Bool {
        func v(_ x: Double) -> Double { x.isNaN ? .infinity : x }
        return (v(a.value), v(a.tieBreak), ra) < (v(b.value), v(b.tieBreak), rb)
    }

    /// 6 significant digits, so that a refined rate is short and exact in text.
    static func round(_ x: Double) -> Double {
        Double(String(format: "%.6g", x)) ?? x
    }
}
