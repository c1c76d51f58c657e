import LinearAlgebra
import Problems
import SeededRandom
import Testing
import TestSupport

/// What the performance work must not change: the fused linear-regression gradient equals the
/// textbook two-pass one, and float32 problems agree with float64 to float32's precision, at the
/// sizes the benchmarks use (Benchmarks/LRBenchPerf).
@Suite struct PerformanceCorrectnessTests {
    /// Fused (blocked, one pass over X) vs naive (two gemv passes): equal within 1e-12 relative,
    /// on shapes where n is not a multiple of the block height (the last block is partial).
    @Test(arguments: [
        ("linreg(n=1003, d=37)", nil as Int?),     // default height 885 rows: 885 + 118
        ("linreg(n=1000, d=250)", nil),            // default height 131 rows: 7 x 131 + 83
        ("linreg(n=2001, d=1000)", nil),           // the benchmark's width, default 32 rows: 62 x 32 + 17
        ("linreg(n=517, d=64)", 33),               // 15 x 33 + 22
        ("linreg(n=100, d=100)", 7),               // n = d, 14 x 7 + 2
        ("linreg(n=50, d=3)", 64),                 // one block taller than n
    ])
    func fusedGradientEqualsTwoPass(spec: String, blockRows: Int?) throws {
        let problem = try #require(try ProblemRegistry.make(spec, seed: 5) as? LinearRegression)
        let base = try #require(problem.makeObjective() as? LinearRegressionObjective)
        let objective = blockRows.map { base.withBlockRows($0) } ?? base
        if blockRows == nil { #expect(problem.n % objective.blockRows != 0) }
        let d = problem.d
        for (k, w) in randomPoints(d, count: 3, scale: 1, seed: 9).enumerated() {
            var fused = [Double](repeating: .nan, count: d), naive = fused
            let f1 = w.withUnsafeBufferPointer { wp in fused.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: wp, into: $0) } }
            let f2 = w.withUnsafeBufferPointer { wp in naive.withUnsafeMutableBufferPointer { objective.lossAndGradientTwoPass(at: wp, into: $0) } }
            #expect(abs(f1 - f2) <= 1e-12 * abs(f2), "\(spec) point \(k): loss \(f1) vs \(f2)")
            // Relative to the gradient's scale: entries near zero cancel in both sums alike.
            let scale = naive.map(abs).max()!
            for i in 0..<d {
                #expect(abs(fused[i] - naive[i]) <= 1e-12 * scale, "\(spec) point \(k): g[\(i)] \(fused[i]) vs \(naive[i])")
            }
            // The loss alone agrees too (it is what evaluations report).
            let f3 = w.withUnsafeBufferPointer { objective.loss(at: $0) }
            #expect(abs(f3 - f2) <= 1e-12 * abs(f2))
        }
    }

    /// Repeated calls give bit-identical results (the fused gradient keeps no state between calls).
    @Test func fusedGradientIsDeterministic() throws {
        let problem = try #require(try ProblemRegistry.make("linreg(n=1003, d=100)", seed: 1) as? LinearRegression)
        let objective = problem.makeObjective()
        let w = randomPoints(100, count: 1, scale: 1, seed: 3)[0]
        var g1 = [Double](repeating: 0, count: 100), g2 = g1
        let f1 = w.withUnsafeBufferPointer { wp in g1.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: wp, into: $0) } }
        let f2 = w.withUnsafeBufferPointer { wp in g2.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: wp, into: $0) } }
        #expect(f1 == f2 && g1 == g2)
    }

    /// The W6 configurations (hidden 128, batch 128): float32 sampled and full gradients agree
    /// with float64 to float32's precision, on the same minibatches.
    @Test(arguments: ["softmax", "mlp"])
    func float32AgreesWithFloat64AtBenchmarkSizes(model: String) throws {
        func make(_ precision: String) throws -> any Problem {
            try ProblemRegistry.make("classify(model=\(model), hidden=128, n_train=512, n_test=64, batch=128, precision=\(precision))", seed: 3)
        }
        let p64 = try make("f64"), p32 = try make("f32")
        #expect(p64.initialPoint == p32.initialPoint)
        let o64 = p64.makeObjective(), o32 = p32.makeObjective()
        var rng = RandomStream(seed: 4, label: "perf-f32")
        let x = p64.initialPoint.map { $0 + 0.02 * rng.gaussian() }
        let n = x.count
        func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        // Four minibatches (an epoch of 512 rows), then the full gradient.
        for step in 0..<5 {
            var g64 = [Double](repeating: 0, count: n), g32 = g64
            let f64: Double, f32: Double
            if step < 4 {
                f64 = x.withUnsafeBufferPointer { xp in g64.withUnsafeMutableBufferPointer { o64.sampleLossAndGradient(at: xp, into: $0) } }
                f32 = x.withUnsafeBufferPointer { xp in g32.withUnsafeMutableBufferPointer { o32.sampleLossAndGradient(at: xp, into: $0) } }
            } else {
                f64 = x.withUnsafeBufferPointer { xp in g64.withUnsafeMutableBufferPointer { o64.lossAndGradient(at: xp, into: $0) } }
                f32 = x.withUnsafeBufferPointer { xp in g32.withUnsafeMutableBufferPointer { o32.lossAndGradient(at: xp, into: $0) } }
            }
            // float32 has a 2^-24 ≈ 6e-8 unit roundoff; sums over 784 pixels and 128 rows lose a few digits.
            #expect(abs(f32 - f64) <= 1e-5 * abs(f64), "\(model) step \(step): loss \(f32) vs \(f64)")
            #expect(norm(zip(g32, g64).map { $0 - $1 }) <= 1e-4 * norm(g64), "\(model) step \(step)")
            #expect(g32.allSatisfy { $0.isFinite })
        }
    }
}
