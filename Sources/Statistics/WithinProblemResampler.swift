/// Resamples the seeds *within* each problem of `costs[p][m][s]` (problem p, method m, seed s):
/// every problem on its own seeded stream, jointly for its methods (common random numbers). The
/// one resampling loop of the cross-problem aggregates and the cross-problem top group.
struct WithinProblemResampler {
    let costs: [[[Double]]]
    /// Methods per problem (the same on every problem).
    let methods: Int
    private var resamplers: [Resampler] = []
    private var idx: [[Int]]
    private var scratch: [[Double]]
    private var medians: [[Double]]

    /// Checks the shape (one row per method on every problem, no NaN, enough seeds for `level`
    /// and enough resamples); problem p's stream is labelled `"\(label) \(p)"`.
    init(_ costs: [[[Double]]], level: Double, resamples: Int, seed: UInt64, label: String) throws {
        guard let methods = costs.first?.count, methods > 0 else { throw StatisticsError.empty("problems or methods") }
        for (p, problem) in costs.enumerated() {
            guard problem.count == methods else { throw StatisticsError.mismatchedLengths(expected: methods, found: problem.count) }
            let n = try CandidateMatrix.validate(problem)
            try Bootstrap.validate(count: n, level: level, resamples: resamples)
            resamplers.append(Resampler(count: n, seed: seed, label: "\(label) \(p)"))
        }
        self.costs = costs
        self.methods = methods
        idx = costs.map { [Int](repeating: 0, count: $0[0].count) }
        scratch = costs.map { [Double](repeating: 0, count: $0[0].count) }
        medians = costs.map { [Double](repeating: 0, count: $0.count) }
    }

    /// Each method's median over the seeds of every problem on the data itself: `[p][m]`.
    var observedMedians: [[Double]] { costs.map { $0.map(OrderStatistics.median) } }

    /// The next resample's medians, `[p][m]`.
    mutating func nextMedians() -> [[Double]] {
        for p in costs.indices {
            resamplers[p].next(into: &idx[p])
            CandidateMatrix.resampledMedians(costs[p], indices: idx[p], scratch: &scratch[p], into: &medians[p])
        }
        return medians
    }
}
