import Testing
import TestSupport
import LinearAlgebra
import SeededRandom
import Specs
@testable import Problems

/// COCO-style instances: `instance=seeded` (default) makes every seed a distinct problem of one
/// difficulty; `instance=classic` is the textbook problem, bit for bit.
@Suite struct InstanceTests {
    func loss(_ p: any Problem, _ x: [Double]) -> Double { x.withUnsafeBufferPointer { p.makeObjective().loss(at: $0) } }

    func lossAndGradient(_ p: any Problem, _ x: [Double]) -> (Double, [Double]) {
        var g = [Double](repeating: .nan, count: p.dimension)
        let f = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { p.makeObjective().lossAndGradient(at: xp, into: $0) } }
        return (f, g)
    }

    /// The problems whose seeds were copies before instances: the seed now draws the start.
    static let seededStarts: [(spec: String, classic: [Double], radius: Double)] = [
        ("rosenbrock", [-1.2, 1], 0.1),
        ("rosenbrock(dim=7)", [-1.2, 1, -1.2, 1, -1.2, 1, -1.2], 0.1),
        ("beale", [1, 1], 0.1),
        ("quadratic(dim=5, cond=100, rotated=false)", [1, 1, 1, 1, 1], 0.25),
        ("quadratic(dim=5, cond=100, rotated=false, noise=1, batch=4)", [1, 1, 1, 1, 1], 0.25),
    ]

    @Test(arguments: seededStarts.map(\.spec))
    func seededInstancesDifferAcrossSeedsWithinTheDocumentedBox(spec: String) throws {
        let entry = Self.seededStarts.first { $0.spec == spec }!
        var starts: [[Double]] = []
        var values: [Double] = []
        for seed: UInt64 in 0..<6 {
            let p = try ProblemRegistry.make(spec, seed: seed)
            #expect(p.spec["instance"] == .word("seeded"))
            // Reproducible: the same seed gives the same start, bit for bit.
            #expect(try ProblemRegistry.make(spec, seed: seed).initialPoint == p.initialPoint)
            for (x, c) in zip(p.initialPoint, entry.classic) {
                #expect(x >= c - entry.radius && x < c + entry.radius, "\(spec) seed \(seed): \(x) outside [\(c) ± \(entry.radius))")
                #expect(x != c)
            }
            starts.append(p.initialPoint)
            values.append(loss(p, p.initialPoint))
        }
        #expect(Set(starts).count == starts.count, "\(spec): two seeds share a start")
        #expect(Set(values).count == values.count, "\(spec): two seeds share f(x₀)")
    }

    @Test func theSeededBoxIsFilledUniformly() throws {
        // 2000 seeds × 2 coordinates of U[−0.1, 0.1): all inside, both ends reached, mean ≈ 0
        // (standard error 0.1/√3/√4000 ≈ 0.0009).
        var offsets: [Double] = []
        for seed: UInt64 in 0..<2000 {
            let p = try ProblemRegistry.make("rosenbrock", seed: seed)
            offsets += zip(p.initialPoint, [-1.2, 1.0]).map { $0 - $1 }
        }
        #expect(offsets.allSatisfy { $0 >= -0.1 - 1e-15 && $0 < 0.1 + 1e-15 })
        #expect(offsets.min()! < -0.099 && offsets.max()! > 0.099)
        #expect(abs(offsets.reduce(0, +) / Double(offsets.count)) < 0.004)
    }

    @Test func problemsDrawFromTheirOwnLabelledStreams() throws {
        // Same seed, different problems (and dimensions): independent perturbations.
        let r2 = try ProblemRegistry.make("rosenbrock", seed: 3).initialPoint
        let r3 = try ProblemRegistry.make("rosenbrock(dim=3)", seed: 3).initialPoint
        let b = try ProblemRegistry.make("beale", seed: 3).initialPoint
        let q = try ProblemRegistry.make("quadratic(dim=2, rotated=false)", seed: 3).initialPoint
        let u = [r2[0] + 1.2, r2[1] - 1]
        #expect(u != [b[0] - 1, b[1] - 1])
        #expect(u != [r3[0] + 1.2, r3[1] - 1])
        // The quadratic's start stream is not its noise or rotation stream: cond and noise do
        // not move the start (common random numbers across them).
        #expect(try ProblemRegistry.make("quadratic(dim=2, cond=7, rotated=false, noise=1)", seed: 3).initialPoint == q)
    }

    @Test func classicInstancesAreTheTextbookProblemsOnEverySeed() throws {
        for seed: UInt64 in [0, 1, 17] {
            let r = try ProblemRegistry.make("rosenbrock(instance=classic)", seed: seed)
            #expect(r.spec.description == "rosenbrock(dim=2, instance=classic)")
            #expect(r.initialPoint == [-1.2, 1])
            // Today's value bit for bit: 100 (1 − 1.2²)² + (1 + 1.2)² in floating point.
            #expect(loss(r, r.initialPoint) == 24.199999999999996)
            #expect(lossAndGradient(r, r.initialPoint).0 == 24.199999999999996)
            let r5 = try ProblemRegistry.make("rosenbrock(dim=5, instance=classic)", seed: seed)
            #expect(r5.initialPoint == [-1.2, 1, -1.2, 1, -1.2])
            let b = try ProblemRegistry.make("beale(instance=classic)", seed: seed)
            #expect(b.spec.description == "beale(instance=classic)")
            #expect(b.initialPoint == [1, 1])
            #expect(loss(b, b.initialPoint) == 14.203125)  // 1.5² + 2.25² + 2.625², exact
            let q = try ProblemRegistry.make("quadratic(dim=2, cond=10, rotated=false, instance=classic)", seed: seed)
            #expect(q.spec.description == "quadratic(dim=2, cond=10.0, rotated=false, noise=0.0, batch=1, instance=classic)")
            #expect(q.initialPoint == [1, 1])
            #expect(loss(q, q.initialPoint) == 5.5)
        }
    }

    @Test func problemsAlreadyDrawnFromTheSeedAreTheSameUnderEitherInstance() throws {
        // The rotated quadratic (Q from the seed), linreg (data), rastrigin (start), classify
        // (images): classic = seeded = as before, and the canonical spec does not name it.
        for seed: UInt64 in [1, 2] {
            let q = try #require(try ProblemRegistry.make("quadratic(dim=4, cond=10)", seed: seed) as? Quadratic)
            let qc = try #require(try ProblemRegistry.make("quadratic(dim=4, cond=10, instance=classic)", seed: seed) as? Quadratic)
            #expect(q.spec == qc.spec && q.spec["instance"] == nil)
            #expect(q.initialPoint == [1, 1, 1, 1] && qc.initialPoint == [1, 1, 1, 1])
            #expect(q.matrix!.storage.array == qc.matrix!.storage.array)

            let l = try #require(try ProblemRegistry.make("linreg(n=30, d=3)", seed: seed) as? LinearRegression)
            let lc = try #require(try ProblemRegistry.make("linreg(n=30, d=3, instance=classic)", seed: seed) as? LinearRegression)
            #expect(l.spec == lc.spec && l.spec["instance"] == nil)
            #expect(l.x.storage.array == lc.x.storage.array && l.y.array == lc.y.array && l.optimumValue == lc.optimumValue)

            let ra = try ProblemRegistry.make("rastrigin(dim=3)", seed: seed)
            let rc = try ProblemRegistry.make("rastrigin(dim=3, instance=classic)", seed: seed)
            #expect(ra.spec == rc.spec && ra.initialPoint == rc.initialPoint)

            let c = try #require(try ProblemRegistry.make("classify(n_train=20, n_test=10)", seed: seed) as? ClassificationProblem)
            let cc = try #require(try ProblemRegistry.make("classify(n_train=20, n_test=10, instance=classic)", seed: seed) as? ClassificationProblem)
            #expect(c.spec == cc.spec && c.spec["instance"] == nil)
            #expect(c.train.images.storage.array == cc.train.images.storage.array)
        }
    }

    /// Every instance's optimum: f(x_opt) = f* exactly and ∇f(x_opt) = 0.
    @Test(arguments: ["seeded", "classic"])
    func theOptimumIsExactOnEveryInstance(instance: String) throws {
        let exact: [(String, [Double])] = [
            ("rosenbrock(instance=\(instance))", [1, 1]),
            ("rosenbrock(dim=7, instance=\(instance))", [Double](repeating: 1, count: 7)),
            ("beale(instance=\(instance))", [3, 0.5]),
            ("quadratic(dim=5, cond=100, rotated=false, instance=\(instance))", [Double](repeating: 0, count: 5)),
            ("quadratic(dim=5, cond=100, instance=\(instance))", [Double](repeating: 0, count: 5)),
            ("rastrigin(dim=4, instance=\(instance))", [Double](repeating: 0, count: 4)),
        ]
        for seed: UInt64 in 0..<4 {
            for (spec, xOpt) in exact {
                let p = try ProblemRegistry.make(spec, seed: seed)
                let (f, g) = lossAndGradient(p, xOpt)
                #expect(f == p.optimumValue!, "\(spec) seed \(seed)")
                #expect(loss(p, xOpt) == p.optimumValue!)
                #expect(g.allSatisfy { $0 == 0 }, "\(spec) seed \(seed): ∇f(x*) = \(g)")
                // The start is not the optimum: every instance has something to solve.
                #expect(loss(p, p.initialPoint) > p.optimumValue! + 1)
            }
            // linreg: f* = f(ŵ) with ŵ from a QR solve, so ∇f(ŵ) vanishes to rounding.
            let l = try #require(try ProblemRegistry.make("linreg(n=40, d=4, instance=\(instance))", seed: seed) as? LinearRegression)
            #expect(loss(l, l.solution) == l.optimumValue!)
            #expect(lossAndGradient(l, l.solution).1.allSatisfy { abs($0) < 1e-12 })
        }
    }

    static let finiteDifferenceSpecs = ["rosenbrock", "rosenbrock(dim=7)", "beale", "quadratic(dim=6, cond=50, rotated=false)",
                                        "quadratic(dim=6, cond=50, rotated=false, noise=1, batch=4)"]

    @Test(arguments: finiteDifferenceSpecs)
    func gradientsMatchCentralDifferencesOnSeveralInstances(spec: String) throws {
        for seed: UInt64 in [0, 1, 2, 9] {
            let problem = try ProblemRegistry.make(spec, seed: seed)
            // At the instance's own start, and at random points around it.
            let around = randomPoints(problem.dimension, count: 3, scale: 0.5, seed: seed + 100).map { zip($0, problem.initialPoint).map(+) }
            for x in [problem.initialPoint] + around {
                let err = finiteDifferenceError(problem, at: x)
                #expect(err < 1e-6, "\(spec) seed \(seed): relative error \(err)")
            }
        }
    }

    @Test func badInstanceIsOneLine() {
        #expect(throws: SpecUsageError("rosenbrock: parameter 'instance' must be one of seeded, classic, got 'random'")) {
            _ = try ProblemRegistry.make("rosenbrock(instance=random)", seed: 0)
        }
        #expect(throws: SpecUsageError("linreg: parameter 'instance' must be one of seeded, classic, got '3'")) {
            _ = try ProblemRegistry.make("linreg(instance=3)", seed: 0)
        }
    }
}
