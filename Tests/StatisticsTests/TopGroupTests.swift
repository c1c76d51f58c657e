import Testing
@testable import Statistics

@Suite struct TopGroupTests {
    let fast: [Double] = [10, 12, 11, 13, 10, 12]            // median 11.5
    let fastBetterRank: [Double] = [9, 12, 11, 13, 9, 12]    // median 11.5, faster on seeds 0 and 4
    let slow: [Double] = [20, 24, 22, 26, 20, 24]            // slower on every seed
    let failed = [Double](repeating: .infinity, count: 6)

    /// A tie on the median is broken by the mean rank: candidate 1 wins. Candidate 0 differs on
    /// two seeds only (Wilcoxon p = 1/4); the slow and the failed one are slower on all six seeds
    /// (p = 2⁻⁶ each); Holm over 3: 3/64 ≈ 0.047 ≤ 0.05, so both are out.
    @Test func tiesAndFailures() throws {
        let g = try TopGroup.find([fast, fastBetterRank, failed, slow], seed: 1)
        #expect(g.best == 1)
        #expect(g.members == [0, 1])
        #expect(g.candidates[1].pValue == nil && g.candidates[1].adjustedPValue == nil)
        #expect(g.candidates[0].pValue == 0.25 && g.candidates[0].adjustedPValue == 0.25)
        #expect(g.candidates[2].pValue == 1.0 / 64 && g.candidates[2].adjustedPValue == 3.0 / 64)
        #expect(g.candidates[3].pValue == 1.0 / 64 && g.candidates[3].adjustedPValue == 3.0 / 64)
        #expect(g.candidates[2].median == ConfidenceInterval(estimate: .infinity, lower: .infinity, upper: .infinity, level: 0.95))
        #expect(g.candidates[0].median.estimate == 11.5)
        // Mean ranks on the 6 seeds: candidate 1 is 1st or tied 1st–2nd (1.5) everywhere.
        #expect(g.candidates[1].meanRank == (1 + 1.5 + 1.5 + 1.5 + 1 + 1.5) / 6)
        #expect(g.candidates[2].meanRank == 4)
    }

    /// Bonferroni over 3: 3·2⁻⁶ = 0.047 for both slower ones, as Holm here; 0.75 for candidate 0
    /// (Holm: 0.25).
    @Test func bonferroniMultipliesEveryPByKMinusOne() throws {
        let g = try TopGroup.find([fast, fastBetterRank, failed, slow], correction: .bonferroni, seed: 1)
        #expect(g.members == [0, 1])
        #expect(g.candidates[0].adjustedPValue == 0.75)
        #expect(g.candidates[3].adjustedPValue == 3.0 / 64)
    }

    @Test func exactTiesGoToTheFirstAndStayInTheGroup() throws {
        let g = try TopGroup.find([slow, fast, fast], seed: 1)
        #expect(g.best == 1)
        #expect(g.candidates[2].pValue == 1)
        #expect(g.members == [1, 2])  // six seeds, K − 1 = 2: 2/64 ≤ 0.05, slow is out
        let allFailed = try TopGroup.find([failed, failed, failed], seed: 1)
        #expect(allFailed.best == 0 && allFailed.members == [0, 1, 2])
    }

    @Test func bothTestsSeparateAClearDifferenceAndNotAnAbsentOne() throws {
        let a: [Double] = [120, 95, 130, 101, 99, 180, 87, 140, 111, 104]
        let b = a.map { $0 * 1.3 }
        var c = a
        for i in stride(from: 0, to: 10, by: 2) { c.swapAt(i, i + 1) }
        for test in [PairedTestKind.wilcoxon, .pairedBootstrap] {
            let g = try TopGroup.find([b, a, c], test: test, seed: 9)
            #expect(g.best == 1 || g.best == 2)
            #expect(g.members == [1, 2], "\(test)")
        }
    }

    @Test func badInputIsAnError() {
        #expect(throws: StatisticsError.missingValue(candidate: 1, seed: 2)) {
            try TopGroup.find([fast, [1, 2, .nan, 4, 5, 6]], seed: 1)
        }
        #expect(throws: StatisticsError.tooFewValues(count: 5, level: 0.95, minimum: 6)) {
            try TopGroup.find([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]], seed: 1)
        }
        #expect(throws: StatisticsError.mismatchedLengths(expected: 6, found: 5)) {
            try TopGroup.find([fast, [1, 2, 3, 4, 5]], seed: 1)
        }
        #expect(throws: StatisticsError.invalidAlpha(0)) { try TopGroup.find([fast], alpha: 0, seed: 1) }
        #expect(throws: StatisticsError.empty("candidates or seeds")) { try TopGroup.find([], seed: 1) }
    }
}

@Suite struct RankStabilityTests {
    @Test func sharesSumToOneAndTiesSplit() throws {
        let a: [Double] = [120, 95, 130, 101, 99, 180, 87, 140, 111, 104]
        let b: [Double] = [110, 99, 125, 108, 97, 170, 90, 150, 100, 107]
        let c = a.map { $0 * 2 }
        let shares = try RankStability.firstPlaceShares([a, b, c, .init(repeating: .infinity, count: 10)], seed: 5)
        #expect(abs(shares.reduce(0, +) - 1) < 1e-12)
        #expect(shares[2] == 0 && shares[3] == 0)
        #expect(shares[0] > 0 && shares[1] > 0)
        // Identical candidates split every first place: exactly one half each.
        #expect(try RankStability.firstPlaceShares([a, a, c], seed: 5) == [0.5, 0.5, 0])
        // A candidate faster on every seed is first in every resample.
        #expect(try RankStability.firstPlaceShares([c, a], seed: 5) == [0, 1])
        // Same seed, same shares, bit for bit.
        #expect(try RankStability.firstPlaceShares([a, b], seed: 8) == RankStability.firstPlaceShares([a, b], seed: 8))
    }
}
