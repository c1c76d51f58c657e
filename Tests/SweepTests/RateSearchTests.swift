import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep

/// The rate search, replayed on scores from a known function of the rate.
struct RateSearchTests {
    /// Scores from f(lr); asks are recorded so that the rounds can be checked.
    func run(_ search: RateSearch, grid: [Double], _ f: (Double) -> Double) -> (RateSearch.Result, [[Double]]) {
        var known: [Double: RateSearch.Score] = [:]
        var rounds: [[Double]] = []
        while true {
            switch search.replay(grid: grid, score: { known[$0] }) {
            case .needs(let rates):
                rounds.append(rates)
                for r in rates { known[r] = .init(value: f(r), tieBreak: 0) }
            case .done(let result):
                return (result, rounds)
            }
        }
    }

    let grid = [1e-3, 1e-2, 1e-1, 1.0]

    @Test func theGridAloneChoosesTheBestGridRate() {
        let (r, rounds) = run(.gridOnly, grid: grid) { abs(log10($0) + 1.2) }
        #expect(rounds == [grid])
        #expect(r.lr == 0.1)
        #expect(!r.onEdge)
    }

    @Test func anEdgeChoiceExtendsTheGridUntilInterior() {
        // Best at lr = 30: the grid (top 1) is extended by 10, 100; 100 is worse, so 10 is interior.
        let (r, rounds) = run(RateSearch(extend: 3, refine: 0), grid: grid) { abs(log10($0) - log10(30)) }
        #expect(rounds == [grid, [10], [100]])
        #expect(r.lr == 10)
        #expect(!r.onEdge)
        #expect(r.extendedAbove == 2 && r.extendedBelow == 0)
    }

    @Test func theExtensionStopsAtItsLimitAndSaysSo() {
        let (r, rounds) = run(RateSearch(extend: 2, refine: 0), grid: grid) { -$0 }  // larger is always better
        #expect(rounds == [grid, [10], [100]])
        #expect(r.lr == 100)
        #expect(r.onEdge)
    }

    @Test func theLowerEdgeExtendsDownwards() {
        let (r, rounds) = run(RateSearch(extend: 3, refine: 0), grid: grid) { abs(log10($0) + 4.4) }
        #expect(rounds == [grid, [1e-4], [1e-5]])
        #expect(r.lr == 1e-4)
        #expect(r.extendedBelow == 2)
    }

    @Test func refinementHalvesTheSpacingAroundTheBestEachRound() {
        // Optimum at 10^-1.3 ≈ 0.0501: the grid picks 0.1, round 1 adds 10^-1.5 and 10^-0.5, round 2
        // adds the geometric midpoints of the (rounded) neighbours of the new best 0.0316228.
        let (r, rounds) = run(RateSearch(extend: 0, refine: 2), grid: grid) { abs(log10($0) + 1.3) }
        #expect(rounds.count == 3)
        #expect(rounds[1] == [0.0316228, 0.316228])
        #expect(rounds[2] == [0.0177828, 0.0562342])
        #expect(r.lr == 0.0562342)
        #expect(r.rates.count == 8)
        #expect(!r.onEdge)
    }

    @Test func tiesGoToTheTieBreakerThenTheSmallerRate() {
        let s = RateSearch.gridOnly
        let scores: [Double: RateSearch.Score] = [1e-3: .init(value: 5, tieBreak: 2), 1e-2: .init(value: 5, tieBreak: 1),
                                                  1e-1: .init(value: 5, tieBreak: 1), 1: .init(value: .infinity, tieBreak: 0)]
        guard case .done(let r) = s.replay(grid: grid, score: { scores[$0] }) else { Issue.record("not done"); return }
        #expect(r.lr == 1e-2)
    }

    @Test func aReplayAsksOnlyForWhatIsMissing() {
        var known: [Double: RateSearch.Score] = [1e-3: .init(value: 1, tieBreak: 0), 1e-1: .init(value: 2, tieBreak: 0)]
        guard case .needs(let m) = RateSearch(extend: 1, refine: 1).replay(grid: grid, score: { known[$0] }) else {
            Issue.record("should need rates"); return
        }
        #expect(m == [1e-2, 1])
        known[1e-2] = .init(value: 3, tieBreak: 0)
        known[1] = .init(value: 4, tieBreak: 0)
        // Best on the lower edge: one extension below.
        guard case .needs(let next) = RateSearch(extend: 1, refine: 1).replay(grid: grid, score: { known[$0] }) else {
            Issue.record("should extend"); return
        }
        #expect(next == [1e-4])
    }
}
