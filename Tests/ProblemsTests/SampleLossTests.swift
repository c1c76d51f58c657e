import Testing
import TestSupport
import Problems
import Specs

/// `Objective.sampleLoss(at:)`: the loss on the last drawn sample at another point, bit for bit
/// what `sampleLossAndGradient` returns there on that sample, without advancing the stream.
@Suite struct SampleLossTests {
    /// Every registered problem, deterministic and stochastic where it can be (the coverage test
    /// below fails when a registered problem is missing).
    static let specs = [
        "quadratic(dim=5, cond=10, rotated=false)",
        "quadratic(dim=6, cond=50, rotated=true, noise=1, batch=4)",
        "quadratic(dim=4, cond=20, rotated=false, noise=0.5, batch=2)",
        "rosenbrock(dim=3)",
        "linreg(n=60, d=5)",
        "linreg(n=60, d=5, batch=8, corr=0.9)",
        "beale",
        "rastrigin(dim=4)",
        "classify(n_train=40, n_test=10, batch=40)",
        "classify(n_train=40, n_test=10, batch=7)",
        "classify(model=mlp, hidden=4, n_train=30, n_test=10, batch=6, precision=f32)",
    ]

    /// Two objectives of one problem draw the same samples: after draw k at x on `a`, a.sampleLoss(y)
    /// is b's sampled loss at y on draw k, bit for bit; and the stream did not move (draw k + 1 agrees).
    @Test(arguments: specs)
    func sampleLossIsTheSampledLossOnTheSameDraw(spec: String) throws {
        let problem = try ProblemRegistry.make(spec, seed: 4)
        let a = problem.makeObjective(), b = problem.makeObjective()
        let n = problem.dimension
        let points = randomPoints(n, count: 3, scale: 0.5, seed: 11)
        var g = [Double](repeating: 0, count: n)
        var differsFromFull = false
        for draw in 0..<4 {
            let x = points[draw % 3], y = points[(draw + 1) % 3]
            let fx = sample(a, at: x, into: &g)
            #expect(lossAt(a, x) == fx, "\(spec), draw \(draw): sampleLoss at the drawn point")
            let fy = lossAt(a, y)
            #expect(lossAt(a, y) == fy, "\(spec): sampleLoss twice gives the same")
            let want = sample(b, at: y, into: &g)
            #expect(fy == want, "\(spec), draw \(draw): sampleLoss(y) = \(fy), sampled loss at y = \(want)")
            // The full loss (`loss(at:)` may add in another order than the gradient's pass).
            let full = y.withUnsafeBufferPointer { a.loss(at: $0) }
            if abs(fy - full) > 1e-12 * abs(full) { differsFromFull = true }
        }
        // With minibatches or noise the sample is not the full loss (else the test above proves little).
        #expect(differsFromFull == Self.drawsSamples(spec), "\(spec): sampleLoss vs the full loss")
    }

    /// The specs whose sample is a minibatch or a noise draw (classify reports itself stochastic
    /// even with a full batch).
    static func drawsSamples(_ spec: String) -> Bool {
        spec.contains("noise=") || (spec.contains("batch=") && !spec.contains("batch=40"))
    }

    @Test func everyRegisteredProblemIsCovered() throws {
        let covered = Set(try Self.specs.map { try Spec(parsing: $0).name })
        #expect(covered == Set(ProblemRegistry.all.map { $0.catalog.name }))
        let sampled = try Self.specs.filter(Self.drawsSamples).map { try Spec(parsing: $0).name }
        #expect(Set(sampled) == ["quadratic", "linreg", "classify"])
    }

    private func sample(_ o: any Objective, at x: [Double], into g: inout [Double]) -> Double {
        x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { o.sampleLossAndGradient(at: xp, into: $0) } }
    }

    private func lossAt(_ o: any Objective, _ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { o.sampleLoss(at: $0) }
    }
}
