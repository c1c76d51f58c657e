import Testing
import TestSupport
import LinearAlgebra
import SeededRandom
import Specs
@testable import Problems

/// Central-difference check of `lossAndGradient` at `x` (TestSupport's `finiteDifferenceCheck`):
/// expects `loss` and `lossAndGradient` to agree, returns the max relative error over coordinates.
func finiteDifferenceError(_ problem: any Problem, at x: [Double], h: Double = 1e-6) -> Double {
    let check = finiteDifferenceCheck(problem, at: x, h: h)
    #expect(check.lossesAgree, "loss and lossAndGradient disagree")
    return check.worst
}

/// The problems `GradientTests.gradientMatchesCentralDifferences` checks (ProblemCoverageTests
/// asserts that these, with the instance and classification checks, name every registered problem).
let finiteDifferenceSpecs = [
    "quadratic(dim=5, cond=10, rotated=false)",
    "quadratic(dim=8, cond=1000, rotated=true)",
    "quadratic(dim=6, cond=50, noise=1, batch=4)",
    "rosenbrock(dim=2)",
    "rosenbrock(dim=7)",
    "linreg(n=60, d=5)",
    "linreg(n=60, d=5, batch=8, corr=0.9)",
    "beale",
    "rastrigin(dim=4)",
]

@Suite struct GradientTests {
    @Test(arguments: finiteDifferenceSpecs)
    func gradientMatchesCentralDifferences(spec: String) throws {
        let problem = try ProblemRegistry.make(spec, seed: 1)
        for x in randomPoints(problem.dimension, count: 4, scale: 1, seed: 5) {
            let err = finiteDifferenceError(problem, at: x)
            #expect(err < 1e-6, "\(spec): relative error \(err)")
        }
    }

    @Test func linregOnePassGradientEqualsTwoPass() throws {
        // 1000 rows in blocks of 7: the last block is partial.
        let problem = try #require(try ProblemRegistry.make("linreg(n=1000, d=33)", seed: 2) as? LinearRegression)
        let objective = (problem.makeObjective() as! LinearRegressionObjective).withBlockRows(7)
        let w = randomPoints(33, count: 1, scale: 1, seed: 8)[0]
        var g1 = [Double](repeating: 0, count: 33), g2 = g1
        let f1 = w.withUnsafeBufferPointer { wp in g1.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: wp, into: $0) } }
        let f2 = w.withUnsafeBufferPointer { wp in g2.withUnsafeMutableBufferPointer { objective.lossAndGradientTwoPass(at: wp, into: $0) } }
        #expect(abs(f1 - f2) <= 1e-12 * abs(f2))
        for i in 0..<33 { #expect(abs(g1[i] - g2[i]) <= 1e-12 * max(abs(g2[i]), 1e-300) + 1e-15) }
    }

    @Test func linregMinibatchesAverageToFullGradientOverAnEpoch() throws {
        // batch 10 divides n = 60: one epoch of 6 minibatches covers every row once.
        let problem = try ProblemRegistry.make("linreg(n=60, d=4, batch=10)", seed: 3)
        let objective = problem.makeObjective()
        let w: [Double] = [0.3, -0.2, 0.5, 1.0]
        var full = [Double](repeating: 0, count: 4), g = full, mean = full
        let f = w.withUnsafeBufferPointer { wp in full.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: wp, into: $0) } }
        var meanLoss = 0.0
        for _ in 0..<6 {
            meanLoss += w.withUnsafeBufferPointer { wp in g.withUnsafeMutableBufferPointer { objective.sampleLossAndGradient(at: wp, into: $0) } } / 6
            for i in 0..<4 { mean[i] += g[i] / 6 }
        }
        #expect(abs(meanLoss - f) < 1e-12)
        for i in 0..<4 { #expect(abs(mean[i] - full[i]) < 1e-12) }
    }

    @Test func noisyQuadraticGradientIsUnbiasedWithCovarianceScaledByBatch() throws {
        // ε ~ N(0, noise·A/B): mean 0; E‖ε‖² = noise·tr(A)/B.
        let problem = try #require(try ProblemRegistry.make("quadratic(dim=4, cond=10, noise=2, batch=5)", seed: 4) as? Quadratic)
        let objective = problem.makeObjective()
        let x: [Double] = [0.5, -1, 0.25, 2]
        var full = [Double](repeating: 0, count: 4), g = full
        _ = x.withUnsafeBufferPointer { xp in full.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: xp, into: $0) } }
        let draws = 40_000
        var mean = [Double](repeating: 0, count: 4)
        var squared = 0.0
        for _ in 0..<draws {
            _ = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { objective.sampleLossAndGradient(at: xp, into: $0) } }
            for i in 0..<4 {
                let e = g[i] - full[i]
                mean[i] += e / Double(draws)
                squared += e * e / Double(draws)
            }
        }
        let trace = problem.eigenvalues.reduce(0, +)
        let expected = 2 * trace / 5
        for i in 0..<4 { #expect(abs(mean[i]) < 0.03) }
        #expect(abs(squared - expected) / expected < 0.03)
    }
}

@Suite struct ProblemDefinitionTests {
    @Test func startsAndOptima() throws {
        let q = try ProblemRegistry.make("quadratic(dim=3)", seed: 0)
        #expect(q.initialPoint == [1, 1, 1])
        #expect(q.optimumValue == 0)
        let r = try ProblemRegistry.make("rosenbrock(dim=5, instance=classic)", seed: 0)
        #expect(r.initialPoint == [-1.2, 1, -1.2, 1, -1.2])
        let o = r.makeObjective()
        #expect([1.0, 1, 1, 1, 1].withUnsafeBufferPointer { o.loss(at: $0) } == 0)
        // The classic 2-D value at the start: (1 − (−1.2))² + 100 (1 − 1.44)² = 4.84 + 19.36 = 24.2.
        let r2 = try ProblemRegistry.make("rosenbrock(instance=classic)", seed: 0)
        let f0 = r2.initialPoint.withUnsafeBufferPointer { r2.makeObjective().loss(at: $0) }
        #expect(abs(f0 - 24.2) < 1e-12)
        let b = try ProblemRegistry.make("beale(instance=classic)", seed: 0)
        #expect(b.initialPoint == [1, 1])
        #expect([3.0, 0.5].withUnsafeBufferPointer { b.makeObjective().loss(at: $0) } == 0)
        let ra = try ProblemRegistry.make("rastrigin(dim=3)", seed: 0)
        #expect(ra.initialPoint.allSatisfy { abs($0) <= 5.12 })
        #expect([0.0, 0, 0].withUnsafeBufferPointer { ra.makeObjective().loss(at: $0) } == 0)
    }

    @Test func quadraticSpectrumIsLogSpacedAndRotationPreservesIt() throws {
        let q = try #require(try ProblemRegistry.make("quadratic(dim=5, cond=10000)", seed: 7) as? Quadratic)
        let expected = [1.0, 10, 100, 1000, 10000]
        for (a, b) in zip(q.eigenvalues, expected) { #expect(abs(a - b) <= 1e-12 * b) }
        let computed = try Dense.symmetricEigenvalues(try #require(q.matrix))
        for (a, b) in zip(computed, expected) { #expect(abs(a - b) <= 1e-10 * b) }
        // f(1, …, 1) = ½ Σ λ_i when axis-aligned.
        let d = try ProblemRegistry.make("quadratic(dim=5, cond=10000, rotated=false, instance=classic)", seed: 7)
        let f = d.initialPoint.withUnsafeBufferPointer { d.makeObjective().loss(at: $0) }
        #expect(abs(f - 0.5 * expected.reduce(0, +)) < 1e-9)
    }

    @Test func linregOptimumMatchesNormalEquations() throws {
        let problem = try #require(try ProblemRegistry.make("linreg(n=200, d=10, noise=0.5)", seed: 11) as? LinearRegression)
        let x = problem.x, n = 200, d = 10
        let gram = Matrix<Double>(rows: d, columns: d)
        Double.gemm(transposeA: true, transposeB: false, d, d, n, 1, x.pointer, d, x.pointer, d, 0, gram.pointer, d)
        var xty = [Double](repeating: 0, count: d)
        Double.gemv(transpose: true, n, d, 1, x.pointer, d, problem.y.pointer, 0, &xty)
        let w = try Dense.solveSPD(gram, xty)
        for i in 0..<d { #expect(abs(w[i] - problem.solution[i]) < 1e-10) }
        let objective = problem.makeObjective()
        let fStar = w.withUnsafeBufferPointer { objective.loss(at: $0) }
        #expect(abs(fStar - problem.optimumValue!) <= 1e-12 * fStar)
        // The gradient vanishes at the optimum.
        var g = [Double](repeating: 0, count: d)
        _ = problem.solution.withUnsafeBufferPointer { wp in g.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: wp, into: $0) } }
        #expect(g.allSatisfy { abs($0) < 1e-12 })
        // With noise σ, f* = ½σ²·χ²(n − d)/n: mean 0.11875, standard deviation 0.0122.
        #expect(abs(problem.optimumValue! - 0.5 * 0.25 * 190 / 200) < 0.05)
    }

    @Test func dataIsReproducibleAndSeedDependent() throws {
        func hash(_ spec: String, _ seed: UInt64) throws -> UInt64 {
            let p = try #require(try ProblemRegistry.make(spec, seed: seed) as? LinearRegression)
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for i in 0..<(p.n * p.d) { h = (h ^ p.x.pointer[i].bitPattern) &* 0x100_0000_01B3 }
            for i in 0..<p.n { h = (h ^ p.y[i].bitPattern) &* 0x100_0000_01B3 }
            return h
        }
        #expect(try hash("linreg(n=50, d=5)", 1) == hash("linreg(n=50, d=5)", 1))
        #expect(try hash("linreg(n=50, d=5)", 1) != hash("linreg(n=50, d=5)", 2))
        // The batch size does not change the data (common random numbers across batch sizes).
        #expect(try hash("linreg(n=50, d=5)", 1) == hash("linreg(n=50, d=5, batch=10)", 1))
        let q1 = try #require(try ProblemRegistry.make("quadratic(dim=4)", seed: 1) as? Quadratic)
        let q2 = try #require(try ProblemRegistry.make("quadratic(dim=4)", seed: 2) as? Quadratic)
        #expect(q1.matrix!.storage.array != q2.matrix!.storage.array)
    }

    @Test(arguments: [
        ("rosenbrock(dim=1)", "rosenbrock: parameter 'dim' must be a whole number in [2, 1000000000], got 1"),
        ("quadratic(cond=0.5)", "quadratic: parameter 'cond' must be >= 1, got 0.5"),
        ("quadratic(noise=-1)", "quadratic: parameter 'noise' must be >= 0, got -1.0"),
        ("quadratic(dim=0)", "quadratic: parameter 'dim' must be a whole number in [1, 1000000000], got 0"),
        ("linreg(n=10, d=2, batch=11)", "linreg: parameter 'batch' must be in [1, n] = [1, 10] or full, got 11"),
        ("linreg(n=5, d=10)", "linreg: parameter 'n' must be >= d (10) so that the least-squares solution is unique, got 5"),
        ("rosenbrock(dims=3)", "rosenbrock: unknown parameter 'dims'; allowed: dim, instance"),
        ("beale(dim=2)", "beale: unknown parameter 'dim'; allowed: instance"),
        ("himmelblau", "unknown problem 'himmelblau'; known: quadratic, rosenbrock, linreg, beale, rastrigin, classify"),
    ])
    func badSpecsAreRejectedWithOneLine(spec: String, message: String) {
        #expect(throws: SpecUsageError(message)) { _ = try ProblemRegistry.make(spec, seed: 0) }
    }
}
