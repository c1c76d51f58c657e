import Foundation
import Testing
@testable import Results
@testable import Run
@testable import Sweep
@testable import Reports
@testable import Statistics

@Suite struct CrossProblemTests {
    @Test func ratiosAndGeometricMeanFollowTheReport() {
        let medians: [[Double]] = [[10, 20, .infinity], [.infinity, .infinity, .infinity], [0, 5, 10]]
        let r = CrossProblem.ratios(medians: medians)
        #expect(r == [[1, 2, .infinity], [.infinity, .infinity, .infinity], [1, 5, 10]])
        // The same numbers as the report's PerformanceProfile and GeometricMean.
        let profile = PerformanceProfile(solvers: ["a", "b", "c"], costs: medians)
        for m in 0..<3 {
            let column = r.map { $0[m] }
            #expect(column == profile.ratios[m])
            let g = CrossProblem.geometricMean(column), reference = GeometricMean(column)
            #expect(g.value.bitPattern == reference.value.bitPattern && g.failures == reference.failures)
            for tau in [1.0, 2, 4, 10] { #expect(CrossProblem.rho(column, tau: tau) == profile.rho(m, tau)) }
        }
        #expect(CrossProblem.geometricMean([1, 2, .infinity]) == (exp(log(2.0) / 2), 1))
    }

    @Test func medianIsTheHarnessMedianBitForBit() {
        var s = UInt64(1)
        for n in 1...12 {
            var x: [Double] = []
            for _ in 0..<n {
                s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                x.append(s % 7 == 0 ? .infinity : Double(s >> 40) / 3.7)
            }
            #expect(OrderStatistics.median(x).bitPattern == Stats.median(x).bitPattern)
        }
    }

    /// Copies (every seed the same) leave nothing to resample: each interval is its estimate.
    /// Problem 0: medians 10, 20 → ratios 1, 2. Problem 1: ∞, 30 → ∞, 1.
    @Test func seedCopiesGiveDegenerateIntervalsAtTheDefinitions() throws {
        let costs: [[[Double]]] = [
            [Array(repeating: 10, count: 6), Array(repeating: 20, count: 6)],
            [Array(repeating: .infinity, count: 7), Array(repeating: 30, count: 7)],
        ]
        let agg = try CrossProblem.aggregates(costs, taus: [1, 2], seed: 4)
        func point(_ x: Double) -> ConfidenceInterval { ConfidenceInterval(estimate: x, lower: x, upper: x, level: 0.95) }
        #expect(agg[0] == CrossProblem.Aggregate(geometricMean: point(1), failures: point(1), rho: [point(0.5), point(0.5)]))
        #expect(agg[1] == CrossProblem.Aggregate(geometricMean: point(exp(log(2.0) / 2)), failures: point(0), rho: [point(0.5), point(1)]))
    }

    @Test func intervalsAreSeededAndCheckEveryProblem() throws {
        let a: [Double] = [120, 95, 130, 101, 99, 180, 87, 140, 111, 104]
        let costs: [[[Double]]] = [[a, a.map { $0 * 1.2 }], [a.reversed(), a.map { $0 + 3 }]]
        let x = try CrossProblem.aggregates(costs, seed: 4), y = try CrossProblem.aggregates(costs, seed: 4)
        #expect(x == y)
        #expect(x[0].geometricMean.lower >= 1 && x[0].geometricMean.lower <= x[0].geometricMean.upper)
        #expect(x[0].rho.count == 3)
        #expect(throws: StatisticsError.tooFewValues(count: 5, level: 0.95, minimum: 6)) {
            try CrossProblem.aggregates([[a, a], [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]]], seed: 4)
        }
        #expect(throws: StatisticsError.missingValue(candidate: 1, seed: 0)) {
            try CrossProblem.aggregates([[a, [.nan] + a.dropFirst()]], seed: 4)
        }
    }
}
