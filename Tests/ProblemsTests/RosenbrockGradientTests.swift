import Testing
import SeededRandom
@testable import Problems

/// The split Rosenbrock gradient (an elementwise loop, then the loss) gives the same gradient bits
/// as the one fused loop it replaced; the loss is summed in four interleaved partial sums
/// (`RosenbrockObjective.loss`), which is the left-to-right sum below 5 dimensions and otherwise
/// within rounding of it.
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

    /// The loss's definition: term i into partial sum i mod 4 up to the last multiple of 4 terms,
    /// (s₀ + s₁) + (s₂ + s₃), then the remaining terms left to right.
    static func interleavedLoss(_ x: [Double]) -> Double {
        let terms = x.count - 1, whole = terms / 4 * 4
        func term(_ i: Int) -> Double {
            let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
            return 100 * a * a + b * b
        }
        var s = [0.0, 0.0, 0.0, 0.0]
        for i in 0..<whole { s[i % 4] += term(i) }
        var f = (s[0] + s[1]) + (s[2] + s[3])
        for i in whole..<terms { f += term(i) }
        return f
    }

    @Test(arguments: [2, 3, 4, 5, 8, 20, 1000])
    func theSplitGradientEqualsTheFusedLoopBitForBit(dim: Int) throws {
        let problem = try ProblemRegistry.make("rosenbrock(dim=\(dim))", seed: 0)
        let objective = problem.makeObjective()
        var rng = RandomStream(seed: UInt64(dim))
        for _ in 0..<20 {
            let x = (0..<dim).map { _ in rng.uniform(-2, 2) }
            var g = [Double](repeating: .nan, count: dim)
            let f = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: xp, into: $0) } }
            let (f0, g0) = Self.fused(x)
            #expect(f.bitPattern == Self.interleavedLoss(x).bitPattern)
            if dim <= 4 { #expect(f.bitPattern == f0.bitPattern) }
            #expect(abs(f - f0) <= 1e-14 * f0)
            #expect(g.map(\.bitPattern) == g0.map(\.bitPattern))
        }
    }
}
