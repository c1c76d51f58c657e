import Testing
@testable import Statistics

@Suite struct BootstrapTests {
    @Test func minimumCountIsTheSmallestNWhoseRangeCoversTheMedian() throws {
        // 1 − 2^(1−n) ≥ level: n = 5 gives 0.9375 < 0.95, n = 6 gives 0.96875.
        #expect(Bootstrap.minimumCount(level: 0.95) == 6)
        #expect(Bootstrap.minimumCount(level: 0.90) == 5)
        #expect(Bootstrap.minimumCount(level: 0.99) == 8)
        #expect(Bootstrap.minimumCount(level: 0.75) == 3)
        #expect(Bootstrap.minimumCount(level: 0.5) == 2)
        #expect(Bootstrap.minimumResamples(level: 0.95) == 40)
    }

    @Test func tooFewSeedsForTheLevelIsAnError() throws {
        #expect(throws: StatisticsError.tooFewValues(count: 5, level: 0.95, minimum: 6)) {
            try Bootstrap.interval([1, 2, 3, 4, 5], seed: 1)
        }
        #expect(throws: StatisticsError.tooFewValues(count: 1, level: 0.5, minimum: 2)) {
            try Bootstrap.interval([7], level: 0.5, seed: 1)
        }
        #expect(throws: StatisticsError.invalidLevel(1)) { try Bootstrap.interval([1, 2, 3, 4, 5, 6], level: 1, seed: 1) }
        #expect(throws: StatisticsError.tooFewResamples(resamples: 39, minimum: 40)) {
            try Bootstrap.interval([1, 2, 3, 4, 5, 6], resamples: 39, seed: 1)
        }
        #expect(throws: StatisticsError.missingValue(candidate: 0, seed: 2)) {
            try Bootstrap.interval([1, 2, .nan, 4, 5, 6], seed: 1)
        }
        // Six seeds are enough for 95 %.
        #expect(try Bootstrap.interval([1, 2, 3, 4, 5, 6], seed: 1).level == 0.95)
    }

    @Test func typeOneQuantilesOfTheReplicates() {
        let sorted = (1...2000).map(Double.init)
        #expect(Bootstrap.quantile(sorted: sorted, 0.025) == 50)
        #expect(Bootstrap.quantile(sorted: sorted, 0.975) == 1950)
        #expect(Bootstrap.quantile(sorted: sorted, 0) == 1)
        #expect(Bootstrap.quantile(sorted: sorted, 1) == 2000)
        #expect(Bootstrap.quantile(sorted: [1, 2, 3, 4], 0.5) == 2)
        #expect(Bootstrap.quantile(sorted: [1, 2, 3, 4], 0.51) == 3)
    }

    /// n = 3: all 27 resamples are enumerable. The median of a resample of {1, 2, 3} is 1 when at
    /// least two draws are 1: P = 3·(1/3)²·(2/3) + (1/3)³ = 7/27 ≈ 0.259; likewise 3; and 2 with
    /// 13/27. So the exact bootstrap CDF is 7/27, 20/27, 1, and the percentile interval at level
    /// 0.75 (tails 0.125, 0.875) is [1, 3]; at 0.3 (tails 0.35, 0.65) it is [2, 2]; at 0.6 (0.2,
    /// 0.8) [1, 3]. Each tail is ≥ 0.05 from a CDF step, 5 standard errors at R = 2000.
    @Test func threeValuesMatchTheExactBootstrapDistribution() throws {
        var counts = [Double: Int]()
        for i in 0..<3 { for j in 0..<3 { for k in 0..<3 {
            counts[OrderStatistics.median([Double(i + 1), Double(j + 1), Double(k + 1)]), default: 0] += 1
        } } }
        #expect(counts == [1: 7, 2: 13, 3: 7])
        let x: [Double] = [3, 1, 2]
        for seed: UInt64 in [1, 2, 3] {
            #expect(try Bootstrap.interval(x, level: 0.75, seed: seed) == ConfidenceInterval(estimate: 2, lower: 1, upper: 3, level: 0.75))
            #expect(try Bootstrap.interval(x, level: 0.3, seed: seed) == ConfidenceInterval(estimate: 2, lower: 2, upper: 2, level: 0.3))
            #expect(try Bootstrap.interval(x, level: 0.6, seed: seed) == ConfidenceInterval(estimate: 2, lower: 1, upper: 3, level: 0.6))
        }
    }

    @Test func sameSeedSameIntervalBitForBit() throws {
        let x: [Double] = [120, 95, 130, 101, 99, 180, 87, 140, 111, 104]
        let a = try Bootstrap.interval(x, seed: 42), b = try Bootstrap.interval(x, seed: 42)
        #expect(a.lower.bitPattern == b.lower.bitPattern && a.upper.bitPattern == b.upper.bitPattern)
        #expect(a.estimate == 107.5)
        // Pinned: a change in the resampling stream changes every report, so it must be deliberate.
        #expect(a == ConfidenceInterval(estimate: 107.5, lower: 99, upper: 130, level: 0.95))
        // A custom statistic (the mean) runs on the same resamples.
        let mean = try Bootstrap.interval(x, seed: 42) { $0.reduce(0, +) / Double($0.count) }
        #expect(mean.estimate == 116.7)
        #expect(mean.lower >= 87 && mean.upper <= 180 && mean.lower < mean.estimate && mean.estimate < mean.upper)
    }

    @Test func censoredValuesGiveAnUnboundedUpperEnd() throws {
        // Three of ten seeds never reach the target: the median is finite (6.5), but resamples
        // with five or more failures have median +∞ (P ≈ 0.15 > 0.025), so the upper end is +∞.
        let x: [Double] = [1, 2, 3, .infinity, .infinity, .infinity, 5, 6, 7, 8]
        let ci = try Bootstrap.interval(x, seed: 7)
        #expect(ci.estimate == 6.5)
        #expect(ci.upper == .infinity)
        #expect(ci.lower.isFinite && ci.lower >= 1 && ci.lower <= 6.5)
        let all = try Bootstrap.interval([Double](repeating: .infinity, count: 6), seed: 7)
        #expect(all == ConfidenceInterval(estimate: .infinity, lower: .infinity, upper: .infinity, level: 0.95))
    }

    @Test func medianMatchesTheHarnessArithmetic() {
        #expect(OrderStatistics.median([3, 1, 2]) == 2)
        #expect(OrderStatistics.median([4, 1, 3, 2]) == 2.5)
        #expect(OrderStatistics.median([1, 2, .infinity, .infinity]) == .infinity)
        #expect(OrderStatistics.median([1, 2, 3, .infinity]) == 2.5)
        #expect(OrderStatistics.median([]).isNaN)
        #expect(OrderStatistics.difference(.infinity, .infinity) == 0)
        #expect(OrderStatistics.difference(.infinity, 5) == .infinity)
        #expect(OrderStatistics.difference(5, .infinity) == -.infinity)
        #expect(OrderStatistics.doubledAverageRanks([10, 30, 20, 30, .infinity, .infinity]) == [2, 7, 4, 7, 11, 11])
    }
}
