import Foundation
import Testing
import Optimizers
import Specs

/// A golden trajectory of a parameter-free or hypergradient method (ParameterFreeGoldenValues):
/// the point after each update (these methods take the gradient where they report) and the
/// effective step size the reference applied (nil where it exposes none).
struct ParameterFreeCase: Sendable, CustomTestStringConvertible {
    var spec: String
    var learningRates: [Double]
    var points: [[Double]]
    var rates: [Double?]

    var testDescription: String {
        spec + " over \(learningRates.count) updates" + (Set(learningRates).count > 1 ? " at varied rates" : "")
    }
}

/// The displacement from x₀ agrees to 1e-12 of its size, beyond the rounding of the points
/// themselves (a few ulps): DoG's first steps are ~1e-7 long, far below 1e-12·|x|.
func sameTrajectory(_ got: [[Double]], _ want: [[Double]], from x0: [Double] = quadraticX0) -> Bool {
    guard got.count == want.count else { return false }
    for (g, w) in zip(got, want) {
        guard g.count == w.count else { return false }
        let displacement = zip(w, x0).map { abs($0 - $1) }.max() ?? 0
        for i in w.indices {
            let rounding = 4 * Swift.max(abs(w[i]), abs(x0[i])).ulp
            if !(abs(g[i] - w[i]) <= 1e-12 * displacement + rounding) { return false }
        }
    }
    return true
}

@Suite struct ParameterFreeOptimizerTests {
    @Test(arguments: parameterFreeCases)
    func matchesReference(_ c: ParameterFreeCase) throws {
        let run = try runQuadratic(c.spec, learningRates: c.learningRates)
        #expect(run.gradient == run.reported, "these methods report the point they take the gradient at")
        #expect(sameTrajectory(run.reported, c.points), "points \(run.reported) vs \(c.points)")
        for (t, (got, want)) in zip(run.rates, c.rates).enumerated() {
            guard let want else { continue }
            #expect(got.map { abs($0 - want) <= 1e-12 * abs(want) } == true, "rate at update \(t): \(String(describing: got)) vs \(want)")
        }
    }

    /// Each option that changes the math is set by some golden case, and the rates change.
    @Test func goldenCasesExerciseEveryOption() {
        let texts = parameterFreeCases.map(\.spec).joined(separator: " ")
        for option in ["dog(reps_rel=", "init_eta=", "dog(init_eta=0.05, weight_decay=", "eps=0.5", "block_size=2",
                       "block_size=3", "init_estim_sq_dist=", "dowg(eps=1e-6, weight_decay=", "alpha=", "cocob(weight_decay=",
                       "hypergrad_lr=", "momentum=0.9, dampening=", "nesterov=true", "sgd_hd(hypergrad_lr=0.005, momentum=0.8, nesterov=true, weight_decay=",
                       "betas=0.8;0.5", "eps=0.001, weight_decay="] {
            #expect(texts.contains(option), "no golden case sets \(option)")
        }
        let varied = Set(parameterFreeCases.filter { Set($0.learningRates).count > 1 }.map { String($0.spec.prefix { $0 != "(" }) })
        #expect(varied == ["dog", "ldog", "dowg", "cocob", "sgd_hd", "adam_hd"])
    }

    /// L-DoG with one block is DoG, bit for bit.
    @Test func ldogWithOneBlockIsDoG() throws {
        let lrs = [1.0, 0.5, 1.0, 0.8, 1.2]
        let dog = try runQuadratic("dog(reps_rel=0.01, weight_decay=0.1)", learningRates: lrs)
        for size in [3, 100] {
            let ldog = try runQuadratic("ldog(reps_rel=0.01, weight_decay=0.1, block_size=\(size))", learningRates: lrs)
            #expect(ldog.reported == dog.reported)
            #expect(ldog.rates == dog.rates)
        }
        let perCoordinate = try runQuadratic("ldog(reps_rel=0.01, weight_decay=0.1)", learningRates: lrs)
        #expect(perCoordinate.reported != dog.reported)
    }

    /// DoG's first step by hand: η₀ = lr·reps_rel·(1 + ‖x₀‖)/√(‖g₀‖² + eps); init_eta ignores lr.
    @Test func dogFirstStepByHand() throws {
        let g = [1.0, -6.0, 0.25]
        let norm0 = (1.0 + 4.0 + 0.25).squareRoot()
        let eta = 0.5 * (1e-3 * (1 + norm0)) / (37.0625 + 1e-8).squareRoot()
        let run = try runQuadratic("dog(reps_rel=0.001)", learningRates: [0.5])
        #expect(abs(run.rates[0]! - eta) <= 1e-15 * eta)
        for i in 0..<3 { #expect(abs(run.reported[0][i] - (quadraticX0[i] - eta * g[i])) <= 1e-15) }
        let fixed = try runQuadratic("dog(init_eta=0.02)", learningRates: [0.5])
        #expect(fixed.rates[0] == 0.02)
        for i in 0..<3 { #expect(abs(fixed.reported[0][i] - (quadraticX0[i] - 0.02 * g[i])) <= 1e-15) }
    }

    /// COCOB is invariant to the scale of its input gradients when eps scales with them: a
    /// constant schedule rate s with eps·s is the run with rate 1 and eps.
    @Test func cocobIgnoresAConstantRate() throws {
        let base = try runQuadratic("cocob(eps=1e-6)", learningRates: Array(repeating: 1, count: 8)).reported
        let scaled = try runQuadratic("cocob(eps=1e-5)", learningRates: Array(repeating: 10, count: 8)).reported
        #expect(close(scaled, base, tolerance: 1e-14))
        let varied = try runQuadratic("cocob(eps=1e-6)", learningRates: [1, 0.5, 1, 0.8, 1.2, 1, 0.7, 1]).reported
        #expect(!close(varied, base, tolerance: 1e-6))
    }

    /// The per-coordinate methods report ‖x_{t+1} − x_t‖/‖g_t‖.
    @Test func perCoordinateRateIsTheStepRatio() throws {
        for spec in ["cocob(alpha=5)", "ldog(reps_rel=0.01)", "ldog(block_size=2, reps_rel=0.01)"] {
            let run = try runQuadratic(spec, learningRates: [1, 1, 1, 1])
            var x = quadraticX0
            for (point, rate) in zip(run.reported, run.rates) {
                var step2 = 0.0, g2 = 0.0
                for i in 0..<3 {
                    step2 += (point[i] - x[i]) * (point[i] - x[i])
                    g2 += quadraticA[i] * x[i] * quadraticA[i] * x[i]
                }
                let want = (step2 / g2).squareRoot()
                #expect(abs(rate! - want) <= 1e-9 * want, "\(spec): \(rate!) vs \(want)")
                x = point
            }
        }
    }

    /// hypergrad_lr = 0 is the base method: SGD-HD is torch's SGD bit for bit on a constant
    /// rate; α follows a changing schedule; Adam-HD moves as Adam with eps on the uncorrected √v.
    @Test func hypergradientZeroIsTheBaseMethod() throws {
        let constant = Array(repeating: 0.1, count: 6)
        for options in ["", "momentum=0.9, dampening=0.3, ", "momentum=0.8, nesterov=true, weight_decay=0.1, "] {
            let hd = try runQuadratic("sgd_hd(\(options)hypergrad_lr=0)", learningRates: constant)
            let sgd = try runQuadratic("sgd(\(options.dropLast(2)))".replacingOccurrences(of: "sgd()", with: "sgd"),
                                       learningRates: constant)
            #expect(hd.reported == sgd.reported, "\(options)")
            #expect(hd.rates.allSatisfy { $0 == 0.1 })
        }
        let lrs = [0.1, 0.05, 0.2, 0.08]
        let hd = try runQuadratic("sgd_hd(hypergrad_lr=0)", learningRates: lrs)
        #expect(close(hd.reported, try runQuadratic("sgd", learningRates: lrs).reported, tolerance: 1e-15))
        for (rate, lr) in zip(hd.rates, lrs) { #expect(abs(rate! - lr) <= 1e-16) }
        // Adam-HD with β = 0, one step: x₁ = x₀ − lr·√(1 − β2)/(1 − β1)·m/(√v + eps) = x₀ − lr·g/(|g| + eps/√(1−β2))·…
        let adam = try runQuadratic("adam_hd(hypergrad_lr=0, eps=0.001)", learningRates: [0.1])
        for i in 0..<3 {
            let g = quadraticA[i] * quadraticX0[i]
            let m = 0.1 * g, v = 0.001 * g * g
            let want = quadraticX0[i] - 0.1 * 0.001.squareRoot() / 0.1 * (m / (v.squareRoot() + 0.001))
            #expect(abs(adam.reported[0][i] - want) <= 1e-15)
        }
    }

    /// The rate is nil before the first update, and DoWG's is lr·r̄²/(√v + eps) at the first one.
    @Test func effectiveRateBeforeAndAfterTheFirstUpdate() throws {
        for name in ["dog", "ldog", "dowg", "cocob", "sgd_hd", "adam_hd"] {
            let optimizer = try OptimizerRegistry.make(Spec(name: name))
            let state = quadraticX0.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
            #expect(state.effectiveLearningRate == nil, "\(name)")
        }
        for name in ["sgd", "adam", "adamw_schedulefree"] {
            #expect(try runQuadratic(name, learningRates: [0.1]).rates == [nil], "\(name)")
        }
        // Polyak reports lr·η, η = f/‖g‖² at x₀.
        #expect(try runQuadratic("polyak", learningRates: [0.5]).rates == [0.5 * (6.5625 / (37.0625 + 1e-12))])
        let dowg = try runQuadratic("dowg", learningRates: [0.5])
        let want = 0.5 * (1e-4 / ((1e-4 * 37.0625).squareRoot() + 1e-4))
        #expect(abs(dowg.rates[0]! - want) <= 1e-15 * want)
    }

    @Test func outOfRangeKnobsAreRefused() {
        let cases: [(String, String)] = [
            ("dog(reps_rel=0)", "dog: parameter 'reps_rel' must be > 0, got 0.0"),
            ("dog(eps=0)", "dog: parameter 'eps' must be > 0, got 0.0"),
            ("dog(weight_decay=-1)", "dog: parameter 'weight_decay' must be >= 0, got -1.0"),
            ("dog(init_eta=0)", "dog: parameter 'init_eta' must be > 0, got 0.0"),
            ("dog(init_eta=auto)", "dog: parameter 'init_eta' must be a number, got 'auto'"),
            ("ldog(block_size=0)", "ldog: parameter 'block_size' must be a whole number in [1, 1000000000], got 0"),
            ("ldog(block_size=1.5)", "ldog: parameter 'block_size' must be a whole number in [1, 1000000000], got '1.5'"),
            ("ldog(reps_rel=-1)", "ldog: parameter 'reps_rel' must be > 0, got -1.0"),
            ("dowg(eps=0)", "dowg: parameter 'eps' must be > 0, got 0.0"),
            ("dowg(init_estim_sq_dist=0)", "dowg: parameter 'init_estim_sq_dist' must be > 0, got 0.0"),
            ("dowg(weight_decay=-0.1)", "dowg: parameter 'weight_decay' must be >= 0, got -0.1"),
            ("cocob(alpha=0)", "cocob: parameter 'alpha' must be > 0, got 0.0"),
            ("cocob(eps=0)", "cocob: parameter 'eps' must be > 0, got 0.0"),
            ("cocob(weight_decay=-1)", "cocob: parameter 'weight_decay' must be >= 0, got -1.0"),
            ("sgd_hd(hypergrad_lr=-1e-6)", "sgd_hd: parameter 'hypergrad_lr' must be >= 0, got -1e-06"),
            ("sgd_hd(momentum=1)", "sgd_hd: parameter 'momentum' must be in [0, 1), got 1.0"),
            ("sgd_hd(dampening=2)", "sgd_hd: parameter 'dampening' must be in [0, 1], got 2.0"),
            ("sgd_hd(nesterov=true)",
             "sgd_hd: nesterov=true requires momentum > 0 and dampening = 0, got momentum=0.0, dampening=0.0"),
            ("adam_hd(hypergrad_lr=-1)", "adam_hd: parameter 'hypergrad_lr' must be >= 0, got -1.0"),
            ("adam_hd(betas=0.9;1)", "adam_hd: parameter 'betas' must be in [0, 1), got 1.0"),
            ("adam_hd(eps=0)", "adam_hd: parameter 'eps' must be > 0, got 0.0"),
        ]
        for (text, message) in cases {
            #expect(specError(text) == message, "\(text)")
            #expect(specError(text)?.contains("\n") == false)
        }
    }

    /// `none` is written out for the absent optional knobs and parses back.
    @Test func optionalKnobsRoundTrip() throws {
        #expect(try OptimizerRegistry.make(Spec(parsing: "dog")).spec.description
            == "dog(reps_rel=1e-06, eps=1e-08, weight_decay=0, init_eta=none)")
        #expect(try OptimizerRegistry.make(Spec(parsing: "dowg(init_estim_sq_dist=0.5)")).spec.description
            == "dowg(init_estim_sq_dist=0.5, eps=0.0001, weight_decay=0)")
        #expect(try OptimizerRegistry.make(Spec(parsing: "ldog(init_eta=none, block_size=4)")).spec.description
            == "ldog(reps_rel=1e-06, eps=1e-08, weight_decay=0, init_eta=none, block_size=4)")
    }
}
