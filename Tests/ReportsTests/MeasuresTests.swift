import Foundation
import Testing
import TestSupport
@testable import Reports

@Suite struct MeasuresTests {
    /// 3 solvers × 4 problems; solver 2 fails p1, everyone fails p3.
    ///   p0: 10 20 40 → r = 1 2 4      p1: 30 15 ∞ → 2 1 ∞
    ///   p2:  5  5 10 → r = 1 1 2      p3:  ∞  ∞ ∞ → ∞ ∞ ∞
    static let profile = PerformanceProfile(solvers: ["a", "b", "c"], costs: [
        [10, 20, 40], [30, 15, .infinity], [5, 5, 10], [.infinity, .nan, .infinity],
    ])

    @Test func performanceProfileRatios() {
        let p = Self.profile
        #expect(p.ratios[0] == [1, 2, 1, .infinity])
        #expect(p.ratios[1] == [2, 1, 1, .infinity])
        #expect(p.ratios[2] == [4, .infinity, 2, .infinity])
        #expect(p.maxRatio == 4)
    }

    @Test func performanceProfileRho() {
        let p = Self.profile
        #expect(p.rho(0, 1) == 0.5)      // p0, p2 (a tie counts for both)
        #expect(p.rho(1, 1) == 0.5)      // p1, p2
        #expect(p.rho(2, 1) == 0)
        #expect(p.rho(0, 2) == 0.75)
        #expect(p.rho(2, 2) == 0.25)
        #expect(p.rho(2, 3.99) == 0.25)
        #expect(p.rho(2, 4) == 0.5)
        // τ = ∞ counts what is solved, never a failure.
        #expect(p.rho(0, .infinity) == 0.75)
        #expect(p.rho(2, .infinity) == 0.5)
    }

    @Test func performanceProfileCurveIsAStepFunctionFromOne() {
        let c = Self.profile.curve(2, tauMax: 5)
        #expect(c.x == [1, 2, 4, 5])
        #expect(c.y == [0, 0.25, 0.5, 0.5])
        let b = Self.profile.curve(1, tauMax: 5)
        #expect(b.x == [1, 2, 5])
        #expect(b.y == [0.5, 0.75, 0.75])
        // The area score orders a before c.
        #expect(Self.profile.score(0, tauMax: 5) > Self.profile.score(2, tauMax: 5))
    }

    @Test func aTargetMetAtStepZeroCostsOneStep() {
        let p = PerformanceProfile(solvers: ["x", "y"], costs: [[0, 3]])
        #expect(p.ratios == [[1], [3]])
    }

    /// 2 targets × 2 seeds, budget 100: seed 1 reaches target 1 at step 10 and never target 2;
    /// seed 2 reaches them at 20 and 50.
    @Test func ecdfOfTargetsReached() {
        let e = ReachECDF(runs: [([10, nil], 100), ([20, 50], 100)])
        #expect(e.total == 4)
        #expect(e.hits == [0.1, 0.2, 0.5])
        #expect(e.fraction(atOrBelow: 0.05) == 0)
        #expect(e.fraction(atOrBelow: 0.1) == 0.25)
        #expect(e.fraction(atOrBelow: 0.2) == 0.5)
        #expect(e.fraction(atOrBelow: 0.5) == 0.75)
        #expect(e.fraction(atOrBelow: 1) == 0.75)
        let c = e.curve(end: 1)
        #expect(c.x == [0, 0.1, 0.2, 0.5, 1])
        #expect(c.y == [0, 0.25, 0.5, 0.75, 0.75])
    }

    @Test func ecdfNormalisesByEachProblemsBudget() {
        // Step 50 of 100 and step 200 of 400 are both half the budget.
        let e = ReachECDF(runs: [([50], 100), ([200], 400)])
        #expect(e.hits == [0.5, 0.5])
        #expect(e.curve().x == [0, 0.5, 1])
        #expect(ReachECDF(runs: []).fraction(atOrBelow: 1).isNaN)
    }

    @Test func rankingPutsCensoredLastAndBreaksTiesByFinalValue() {
        let steps: [Double] = [.infinity, 100, 100, 50, .nan, .infinity]
        let finals: [Double] = [1e-9, 0.5, 0.1, 0.3, .nan, 1e-3]
        #expect(Ranking.order(steps: steps, finals: finals) == [3, 2, 1, 0, 5, 4])
        // Accuracies: higher final is better.
        #expect(Ranking.order(steps: [10, 10], finals: [0.8, 0.9], higherIsBetter: true) == [1, 0])
        // Full ties keep the file order.
        #expect(Ranking.order(steps: [7, 7, 7], finals: [1, 1, 1]) == [0, 1, 2])
    }

    @Test func geometricMeanCountsFailuresApart() {
        let g = GeometricMean([1, 4, .infinity, .infinity, .nan])
        #expect(abs(g.value - 2) < 1e-12)
        #expect(g.count == 2)
        #expect(g.failures == 2)
        #expect(Fmt.geo(g) == "2.00 (2 ∞)")
        let none = GeometricMean([.infinity])
        #expect(none.value.isNaN && none.failures == 1)
        #expect(Fmt.geo(none) == "— (1 ∞)")
        #expect(GeometricMean([]).value.isNaN)
    }

    @Test func numbersForReading() {
        #expect(Fmt.sig(0.000123456) == "1.23e-4")
        #expect(Fmt.sig(0.00123456) == "0.00123")
        #expect(Fmt.sig(1234.5) == "1230")
        #expect(Fmt.sig(123456) == "1.23e5")
        #expect(Fmt.sig(.infinity) == "∞")
        #expect(Fmt.sig(.nan) == "—")
        #expect(Fmt.ratio(1) == "1.00")
        #expect(Fmt.ratio(1.005) == "1.01" || Fmt.ratio(1.005) == "1.00")
        #expect(Fmt.ratio(0.5) == "0.50")
        #expect(Fmt.ratio(12.34) == "12.3")
        #expect(Fmt.steps(187.5) == "188")
        #expect(Fmt.perStep(7.15e-7) == "715 ns")
        #expect(Fmt.perStep(1.62e-6) == "1.62 µs")
        #expect(Fmt.duration(3725) == "1 h 02 min")
        #expect(Fmt.slug("quadratic(dim=50, cond=1000)") == "quadratic-dim-50-cond-1000")
    }
}
