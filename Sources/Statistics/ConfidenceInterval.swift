/// A point estimate with a two-sided confidence interval.
///
/// `lower` and `upper` may be +∞: a run that never reaches its target counts as +∞ steps, so the
/// median of a bootstrap resample — and then the interval's upper end — can be +∞ ("we cannot
/// rule out that it fails"). `level` is the nominal coverage, e.g. 0.95.
public struct ConfidenceInterval: Sendable, Equatable {
    /// The statistic on the sample itself (not a bootstrap average).
    public var estimate: Double
    public var lower: Double
    public var upper: Double
    /// Nominal coverage in (0, 1).
    public var level: Double

    public init(estimate: Double, lower: Double, upper: Double, level: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.level = level
    }

    /// Whether `x` lies in [lower, upper].
    public func contains(_ x: Double) -> Bool { lower <= x && x <= upper }
}

/// Why a statistic could not be computed. Each case names what was wrong and what is allowed, so a
/// caller can turn it into the house's one-line error.
public enum StatisticsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `count` values cannot support a `level` interval; at least `minimum` are needed
    /// (see `Bootstrap.minimumCount(level:)`).
    case tooFewValues(count: Int, level: Double, minimum: Int)
    /// A confidence level outside (0, 1).
    case invalidLevel(Double)
    /// A significance level outside (0, 1).
    case invalidAlpha(Double)
    /// Too few resamples: each tail of the interval must hold at least one replicate.
    case tooFewResamples(resamples: Int, minimum: Int)
    /// Paired samples (or candidates' seed lists) of different lengths.
    case mismatchedLengths(expected: Int, found: Int)
    /// A NaN (a missing value) at `position` (candidate, seed) — missing runs are not allowed.
    case missingValue(candidate: Int, seed: Int)
    /// A value ≤ 0 where logarithms are taken.
    case nonPositiveOnLogScale(candidate: Int, seed: Int, value: Double)
    /// A statistic returned NaN on a resample.
    case undefinedStatistic
    /// A p-value outside [0, 1] or NaN.
    case invalidPValue(index: Int, value: Double)
    /// Nothing to work on.
    case empty(String)

    public var description: String {
        switch self {
        case let .tooFewValues(count, level, minimum):
            return "too few seeds for a \(level) interval: \(count) given, at least \(minimum) needed"
        case let .invalidLevel(l): return "confidence level \(l): must lie strictly between 0 and 1"
        case let .invalidAlpha(a): return "significance level \(a): must lie strictly between 0 and 1"
        case let .tooFewResamples(r, m): return "resamples \(r): at least \(m) needed for this level"
        case let .mismatchedLengths(e, f): return "paired samples differ in length: \(e) and \(f)"
        case let .missingValue(c, s): return "value of candidate \(c) on seed \(s) is NaN (missing); every candidate needs a value on every seed"
        case let .nonPositiveOnLogScale(c, s, v): return "value of candidate \(c) on seed \(s) is \(v): the log scale needs values > 0"
        case .undefinedStatistic: return "the statistic is NaN on a resample"
        case let .invalidPValue(i, v): return "p-value \(i) is \(v): must lie in [0, 1]"
        case let .empty(what): return "no \(what)"
        }
    }
}
