import Foundation

/// On which scale two methods' values are compared. Steps to a target are compared on `.log`
/// (a ratio of steps is what a reader cares about; log is monotone, so a median on the log scale
/// is the log of the median for an odd count); `.raw` compares the values themselves.
public enum Scale: Sendable, Equatable {
    case raw, log
}

/// The outcome of a one- or two-sided paired test.
public struct PairedTestResult: Sendable, Equatable {
    /// The test's statistic: median(B) − median(A) on the scale for the paired bootstrap; the
    /// sum of the positive signed ranks T⁺ for Wilcoxon.
    public var statistic: Double
    public var pValue: Double
}

enum PairedSamples {
    /// Checks two paired samples (same length, no NaN, positive on the log scale) and returns
    /// them on `scale` (log(+∞) = +∞).
    static func prepare(_ a: [Double], _ b: [Double], scale: Scale) throws -> (a: [Double], b: [Double]) {
        guard a.count == b.count else { throw StatisticsError.mismatchedLengths(expected: a.count, found: b.count) }
        guard !a.isEmpty else { throw StatisticsError.empty("seeds") }
        return (try onScale(a, scale, candidate: 0), try onScale(b, scale, candidate: 1))
    }

    /// `values` on `scale`, after checking them: NaN is missing (an error), ≤ 0 has no logarithm.
    static func onScale(_ values: [Double], _ scale: Scale, candidate: Int) throws -> [Double] {
        for (s, v) in values.enumerated() {
            if v.isNaN { throw StatisticsError.missingValue(candidate: candidate, seed: s) }
            if scale == .log && !(v > 0) {
                throw StatisticsError.nonPositiveOnLogScale(candidate: candidate, seed: s, value: v)
            }
        }
        return scale == .log ? values.map { Foundation.log($0) } : values
    }
}
