/// K candidates × n seeds of values where lower is better (steps to a target, final losses),
/// +∞ allowed (never reached), NaN not (a missing run is an error, not a value).
enum CandidateMatrix {
    /// Checks that `values` has at least one candidate, every candidate the same number n ≥ 1 of
    /// seeds, and no NaN; returns n.
    static func validate(_ values: [[Double]]) throws -> Int {
        guard let n = values.first?.count, n > 0 else { throw StatisticsError.empty("candidates or seeds") }
        for (k, row) in values.enumerated() {
            guard row.count == n else { throw StatisticsError.mismatchedLengths(expected: n, found: row.count) }
            if let s = row.firstIndex(where: \.isNaN) { throw StatisticsError.missingValue(candidate: k, seed: s) }
        }
        return n
    }

    /// Each candidate's median over the seeds at `indices` (a resample), in `medians`.
    static func resampledMedians(_ values: [[Double]], indices: [Int], scratch: inout [Double], into medians: inout [Double]) {
        for k in values.indices {
            for j in indices.indices { scratch[j] = values[k][indices[j]] }
            medians[k] = OrderStatistics.medianInPlace(&scratch)
        }
    }
}
