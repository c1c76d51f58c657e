import Foundation
import Testing
@testable import Statistics

@Suite struct PairedBootstrapTests {
    let a: [Double] = [120, 95, 130, 101, 99, 180, 87, 140, 111, 104]

    @Test func identicalSamplesAreNeverSlower() throws {
        // Every resample's difference is 0 ≤ 0: p = (1 + R)/(1 + R) = 1.
        let r = try PairedBootstrap.slowerTest(a: a, b: a, seed: 3)
        #expect(r == PairedTestResult(statistic: 0, pValue: 1))
    }

    @Test func exchangeableSamplesAreNotSignificant() throws {
        // B swaps the values of seed pairs (0,1), (2,3), …: on every seed pair one method is
        // faster by the same amount, so median(B) = median(A) and the resamples fall on both sides.
        var b = a
        for i in stride(from: 0, to: 10, by: 2) { b.swapAt(i, i + 1) }
        let r = try PairedBootstrap.slowerTest(a: a, b: b, seed: 3)
        #expect(r.statistic == 0)
        #expect(r.pValue > 0.3)
        #expect(try Wilcoxon.test(a: a, b: b, alternative: .twoSided).pValue == 1)
    }

    @Test func slowerOnEverySeedGivesTheSmallestP() throws {
        // b > a on every seed, so on every resample every order statistic of B exceeds A's:
        // no difference ≤ 0, p = 1/(1 + R).
        let b = a.map { $0 * 1.1 }
        let r = try PairedBootstrap.slowerTest(a: a, b: b, resamples: 999, seed: 3)
        #expect(r.pValue == 1.0 / 1000)
        #expect(abs(r.statistic - log(1.1)) < 1e-12)
        let raw = try PairedBootstrap.slowerTest(a: a, b: b, scale: .raw, resamples: 999, seed: 3)
        #expect(abs(raw.statistic - 10.75) < 1e-9)
        // A constant ratio: every resample's log difference is log 1.1 (up to rounding).
        let ci = try PairedBootstrap.differenceInterval(a: a, b: b, seed: 3)
        #expect(abs(ci.lower - log(1.1)) < 1e-12 && abs(ci.upper - log(1.1)) < 1e-12)
        #expect(throws: StatisticsError.tooFewValues(count: 3, level: 0.95, minimum: 6)) {
            try PairedBootstrap.differenceInterval(a: [1, 2, 3], b: [1, 2, 3], seed: 3)
        }
        // Faster on every seed: every difference < 0, p = 1.
        #expect(try PairedBootstrap.slowerTest(a: b, b: a, seed: 3).pValue == 1)
    }

    @Test func failuresAreTheSlowest() throws {
        let fail = [Double](repeating: .infinity, count: 10)
        let r = try PairedBootstrap.slowerTest(a: a, b: fail, resamples: 999, seed: 3)
        #expect(r == PairedTestResult(statistic: .infinity, pValue: 1.0 / 1000))
        #expect(try PairedBootstrap.slowerTest(a: fail, b: fail, seed: 3) == PairedTestResult(statistic: 0, pValue: 1))
        // Seven of ten seeds of B fail: its median is +∞ on most resamples, so the upper end is +∞.
        let mostlyFailed = a.enumerated().map { $0.offset < 7 ? .infinity : $0.element }
        let ci = try PairedBootstrap.differenceInterval(a: a, b: mostlyFailed, seed: 3)
        #expect(ci.estimate == .infinity && ci.upper == .infinity)
    }

    @Test func badInputIsAnError() {
        #expect(throws: StatisticsError.mismatchedLengths(expected: 2, found: 1)) { try PairedBootstrap.slowerTest(a: [1, 2], b: [1], seed: 0) }
        #expect(throws: StatisticsError.missingValue(candidate: 1, seed: 0)) { try PairedBootstrap.slowerTest(a: [1], b: [.nan], seed: 0) }
        #expect(throws: StatisticsError.nonPositiveOnLogScale(candidate: 0, seed: 1, value: 0)) {
            try PairedBootstrap.slowerTest(a: [1, 0], b: [1, 1], seed: 0)
        }
        #expect(throws: StatisticsError.nonPositiveOnLogScale(candidate: 0, seed: 1, value: 0)) {
            try Wilcoxon.test(a: [1, 0], b: [1, 1])
        }
    }
}

@Suite struct WilcoxonTests {
    /// d = b − a = 1, −2, 3, 4, −5, 6, 7, 8 (no ties): T⁺ = 29. T⁺ ≥ 29 iff the negative ranks sum
    /// to ≤ 7; subsets of {1…8} with sum ≤ 7: 1 + 1 + 1 + 2 + 2 + 3 + 4 + 5 = 19, so p = 19/256.
    @Test func distinctDifferencesByHandAndScipy() throws {
        let a: [Double] = [10, 20, 30, 40, 50, 60, 70, 80]
        let b = zip(a, [1, -2, 3, 4, -5, 6, 7, 8] as [Double]).map { $0 + $1 }
        let g = try Wilcoxon.test(a: a, b: b, alternative: .greater, scale: .raw)
        #expect(g == PairedTestResult(statistic: 29, pValue: 19.0 / 256))
        // scipy.stats.wilcoxon(d, method="exact"): greater 0.07421875, less 0.9453125, two-sided 0.1484375.
        #expect(g.pValue == 0.07421875)
        #expect(try Wilcoxon.test(a: a, b: b, alternative: .less, scale: .raw).pValue == 0.9453125)
        #expect(try Wilcoxon.test(a: a, b: b, alternative: .twoSided, scale: .raw).pValue == 0.1484375)
    }

    /// d = 0, 2, −2, 3, 3, 5, −1, 4, 0, 6: two zeros, tied |d|. Wilcoxon's rule ranks the eight
    /// non-zero |d|: 1→1, 2,2→2.5, 3,3→4.5, 4→6, 5→7, 6→8, so T⁺ = 2.5+4.5+4.5+7+6+8 = 32.5; Pratt's
    /// rule ranks the zeros first (1.5 each), shifting the rest by 2: T⁺ = 44.5. p-values from
    /// scipy 1.17.1 `wilcoxon(d, zero_method=…, method=PermutationMethod())` (exact enumeration).
    @Test func tiesAndZerosMatchScipysExactPermutation() throws {
        let d: [Double] = [0, 2, -2, 3, 3, 5, -1, 4, 0, 6]
        let a = [Double](repeating: 10, count: d.count), b = d.map { 10 + $0 }
        func p(_ alt: Wilcoxon.Alternative, _ rule: Wilcoxon.ZeroRule) throws -> PairedTestResult {
            try Wilcoxon.test(a: a, b: b, alternative: alt, scale: .raw, zeroRule: rule)
        }
        #expect(try p(.greater, .wilcox) == PairedTestResult(statistic: 32.5, pValue: 0.0234375))
        #expect(try p(.less, .wilcox).pValue == 0.984375)
        #expect(try p(.twoSided, .wilcox).pValue == 0.046875)
        #expect(try p(.greater, .pratt) == PairedTestResult(statistic: 44.5, pValue: 0.03125))
        #expect(try p(.less, .pratt).pValue == 0.9765625)
        #expect(try p(.twoSided, .pratt).pValue == 0.0625)
    }

    /// Log scale with failures: ∞ − finite = +∞ (the largest |d|), ∞ − ∞ = 0 (dropped). The seven
    /// non-zero |d| are log 95/90 < log 130/120 < |log 45/50| < log 100/80 < log 150/100 <
    /// log 500/300 < ∞, only the third negative: T⁺ = 28 − 3 = 25, and T⁺ ≥ 25 iff the negative
    /// ranks sum to ≤ 3 ({}, {1}, {2}, {3}, {1,2}): p = 5/128. scipy on the same differences with
    /// +∞ replaced by 1e300: greater 0.0390625, less 0.9765625, two-sided 0.078125.
    @Test func infiniteDifferencesAreTheLargest() throws {
        let a: [Double] = [100, 200, .infinity, 50, 80, 120, 90, 300]
        let b: [Double] = [150, .infinity, .infinity, 45, 100, 130, 95, 500]
        #expect(try Wilcoxon.test(a: a, b: b, alternative: .greater) == PairedTestResult(statistic: 25, pValue: 5.0 / 128))
        #expect(try Wilcoxon.test(a: a, b: b, alternative: .less).pValue == 0.9765625)
        #expect(try Wilcoxon.test(a: a, b: b, alternative: .twoSided).pValue == 0.078125)
    }

    @Test func tenSeedsCannotGoBelowTwoToTheMinusTen() throws {
        // scipy: greater 0.0009765625, two-sided 0.001953125.
        let a = [Double](repeating: 1, count: 10), b = (1...10).map { 1 + Double($0) }
        #expect(try Wilcoxon.test(a: a, b: b, scale: .raw) == PairedTestResult(statistic: 55, pValue: 0.0009765625))
        #expect(try Wilcoxon.test(a: a, b: b, alternative: .twoSided, scale: .raw).pValue == 0.001953125)
        #expect(try Wilcoxon.test(a: a, b: b, alternative: .less, scale: .raw).pValue == 1)
    }

    @Test func noEvidenceWhenEveryDifferenceIsZero() throws {
        let a: [Double] = [5, 6, .infinity, 8]
        for alt in [Wilcoxon.Alternative.greater, .less, .twoSided] {
            #expect(try Wilcoxon.test(a: a, b: a, alternative: alt) == PairedTestResult(statistic: 0, pValue: 1))
        }
    }

    @Test func swappingTheSamplesSwapsTheTails() throws {
        let a: [Double] = [3, 9, 4, 12, 7, 7, 30, 2, 5]
        let b: [Double] = [4, 8, 6, 15, 7, 9, 25, 5, 11]
        #expect(try Wilcoxon.test(a: a, b: b, alternative: .greater).pValue == Wilcoxon.test(a: b, b: a, alternative: .less).pValue)
        // The null distribution sums to 2^m and is symmetric.
        let counts = Wilcoxon.nullCounts(doubledRanks: [2, 5, 5, 8])
        #expect(counts.reduce(0, +) == 16)
        #expect(counts == counts.reversed())
    }
}

@Suite struct HolmTests {
    /// p = 0.01, 0.04, 0.03, 0.005, 0.2, 0.04 (m = 6). Sorted: 0.005·6 = 0.03, 0.01·5 = 0.05,
    /// 0.03·4 = 0.12, 0.04·3 = 0.12, 0.04·2 → 0.12 (monotone), 0.2·1 = 0.2. statsmodels 0.15.0
    /// `multipletests(p, method="holm")` gives 0.05, 0.12, 0.12, 0.03, 0.2, 0.12.
    @Test func textbookExample() throws {
        let adj = try Holm.adjust([0.01, 0.04, 0.03, 0.005, 0.2, 0.04])
        let expected = [0.05, 0.12, 0.12, 0.03, 0.2, 0.12]
        for (x, y) in zip(adj, expected) { #expect(abs(x - y) < 1e-15) }
    }

    @Test func cappedAtOneAndEmptyIsEmpty() throws {
        #expect(try Holm.adjust([0.5, 0.6]) == [1, 1])
        #expect(try Holm.adjust([0.02]) == [0.02])
        #expect(try Holm.adjust([]) == [])
        #expect(throws: StatisticsError.invalidPValue(index: 1, value: 1.5)) { try Holm.adjust([0.1, 1.5]) }
    }

    @Test func bonferroniMultipliesByM() throws {
        #expect(try Bonferroni.adjust([0.01, 0.3, 0.02]) == [0.03, 0.8999999999999999, 0.06])
        #expect(throws: StatisticsError.invalidPValue(index: 0, value: -0.1)) { try Bonferroni.adjust([-0.1]) }
    }
}
