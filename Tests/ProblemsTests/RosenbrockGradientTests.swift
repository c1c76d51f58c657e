import Testing
import SeededRandom
@testable import Problems

/// The split Rosenbrock gradient (an elementwise loop, then the loss) gives the same bits as the
/// one fused loop it replaced: so W3 got faster and no record moved.
@Suite struct RosenbrockGradientTests {
    /// The loop before issue 13's change, kept here as the reference.
    static func fused(_ x: [Double]) -> (Double, [Double]) {
        let n = x.count
        var f = 0.0
        var g = [Double](repeating: 0, count: n)
        for i in 0..<(n - 1) {
            let xi = x[i]
            let a = x[i + 1] - xi * xi
            let b = 1 - xi
            f += 100 * a * a + b * b
            g[i] += -400 * xi * a - 2 * b
            g[i + 1] = 200 * a
        }
        return (f, g)
    }

    @Test(arguments: [2, 3, 5, 20, 1000])
    func theSplitGradientEqualsTheFusedLoopBitForBit(dim: Int) throws {
        let problem = try ProblemRegistry.make("rosenbrock(dim=\(dim))", seed: 0)
        let objective = problem.makeObjective()
        var rng = RandomStream(seed: UInt64(dim))
        for _ in 0..<20 {
            let x = (0..<dim).map { _ in rng.uniform(-2, 2) }
            var g = [Double](repeating: .nan, count: dim)
            let f = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: xp, into: $0) } }
            let (f0, g0) = Self.fused(x)
            #expect(f.bitPattern == f0.bitPattern)
            #expect(g.map(\.bitPattern) == g0.map(\.bitPattern))
        }
    }
}
