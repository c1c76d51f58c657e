import Testing
import Specs
import Problems
import LinearAlgebra

/// `BatchObjective`'s contract for the quadratic's and least squares' shared products
/// (`QuadraticBatchObjective`, `LinearRegressionBatchObjective`) and for the problems on the looped
/// default: a member's losses, gradients and metrics are a lone objective's, bit for bit, in any
/// slot, beside any other members, as members leave.
@Suite struct SharedKernelBatchTests {
    static let specs = [
        "quadratic(dim=7, cond=10)",                                   // rotated: one product X·A
        "quadratic(dim=37, cond=10, noise=1, batch=4)",                // the NQM: one noise draw for all
        "quadratic(dim=9, cond=10, rotated=false, noise=0.5)",         // axis-aligned, noisy
        "linreg(n=60, d=7, batch=10)",                                 // minibatch products
        "linreg(n=600, d=37, batch=33, corr=0.9)",                     // the full loss in 3 column blocks
        "linreg(n=40, d=5)",                                           // full batch: looped default
        "rosenbrock(dim=5)",                                           // looped default
    ]

    @Test(arguments: specs, [1, 3, 64])
    func membersMatchLoneObjectivesBitForBit(_ spec: String, capacity: Int) throws {
        try checkMembersMatchLoneObjectives(ProblemRegistry.make(spec, seed: 3), spec, capacity: capacity)
    }

    /// The shared products define the lone objective's numbers too: its minibatch loss is the
    /// sampled loss at the same point (`sampleLoss`), and its full loss is ½·mean of the squared
    /// residuals to rounding.
    @Test func leastSquaresLossesAgree() throws {
        let problem = try #require(try ProblemRegistry.make("linreg(n=600, d=37, batch=33)", seed: 5) as? LinearRegression)
        let o = problem.makeObjective()
        let w = (0..<37).map { 0.01 * Double($0 % 5) }
        var g = [Double](repeating: 0, count: 37)
        let f = w.withUnsafeBufferPointer { x in g.withUnsafeMutableBufferPointer { o.sampleLossAndGradient(at: x, into: $0) } }
        #expect(w.withUnsafeBufferPointer { o.sampleLoss(at: $0) }.bitPattern == f.bitPattern)
        var sum = 0.0
        for i in 0..<600 {
            var r = -problem.y[i]
            for j in 0..<37 { r += problem.x[i, j] * w[j] }
            sum += r * r
        }
        let full = w.withUnsafeBufferPointer { o.loss(at: $0) }
        #expect(abs(full - 0.5 * sum / 600) <= 1e-13 * full)
    }
}
