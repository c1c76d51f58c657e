import Testing
import Optimizers
import Specs

let adaptiveNames = ["dadapt_sgd", "dadapt_adam", "prodigy", "mechanic", "radam_schedulefree"]

@Suite struct AdaptiveOptimizerTests {
    /// Trajectories and applied step sizes agree with the reference packages to 1e-12.
    @Test(arguments: adaptiveGoldenCases)
    func matchesReference(_ c: AdaptiveGoldenCase) throws {
        let run = try runQuadraticWithRates(c.spec, learningRates: c.learningRates)
        #expect(close(run.gradient, c.gradientPoints), "gradient points \(run.gradient) vs \(c.gradientPoints)")
        #expect(close(run.reported, c.reportedPoints), "reported points \(run.reported) vs \(c.reportedPoints)")
        // The rates are small (Mechanic's start near 1e-7): compare them relative to themselves.
        let rates = run.rates.map { $0 ?? .nan }
        let agree = zip(rates, c.effectiveLearningRates).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) }
        #expect(rates.count == c.effectiveLearningRates.count && agree,
                "effective rates \(rates) vs \(c.effectiveLearningRates)")
    }

    @Test func everyAdaptiveOptimizerHasGoldenCases() {
        let covered = Set(adaptiveGoldenCases.map { String($0.spec.prefix { $0 != "(" }) })
        #expect(covered == Set(adaptiveNames))
        #expect(Set(adaptiveNames).isSubset(of: OptimizerRegistry.names))
    }

    /// Every option that changes the math is set by some golden case.
    @Test func goldenCasesExerciseEveryOption() {
        let texts = adaptiveGoldenCases.map(\.spec).joined(separator: " ")
        for option in ["d0=", "growth_rate=", "momentum=", "weight_decay=", "decouple=true", "decouple=false",
                       "use_bias_correction=true", "beta3=", "safeguard_warmup=true", "d_coef=", "slice_p=",
                       "betas=0;", "base=sgd(", "base=adam", "base=adamw(", "s_decay=", "s_init=",
                       "store_delta=true", "silent_sgd_phase=false", " r=", "weight_lr_power=", "eps="] {
            #expect(texts.contains(option), "no golden case sets \(option)")
        }
    }

    /// D-Adaptation and Prodigy cannot change d on the first update: at a constant multiplier
    /// the second update applies the first one's rate, and d grows later.
    @Test func dIsFixedOnTheFirstUpdate() throws {
        for spec in ["dadapt_sgd(d0=0.1)", "dadapt_adam(d0=0.1)", "prodigy(d0=0.01)"] {
            let rates = try runQuadraticWithRates(spec, learningRates: Array(repeating: 1, count: 6)).rates.map { $0! }
            #expect(rates[0] == rates[1], "\(spec): \(rates)")
            #expect(rates.max()! > rates[0], "\(spec): d never grew: \(rates)")
        }
        // D-Adaptation SGD's first step is exactly d0·lr/‖g₀‖ along −g₀; ‖g₀‖ = √37.0625.
        let first = try runQuadraticWithRates("dadapt_sgd(d0=0.5)", learningRates: [0.8])
        let dlr = 0.5 * 0.8 / 37.0625.squareRoot()
        #expect(first.rates[0] == dlr)
        let g0 = [1.0, -6.0, 0.25]
        for i in 0..<3 { #expect(abs(first.reported[0][i] - (quadraticX0[i] - dlr * g0[i])) <= 1e-15) }
    }

    /// growth_rate bounds d's growth per update: the applied rate grows by at most that factor.
    /// (Prodigy's first move off d0 is to d̂ itself, d ← max(d, d̂), before the bound applies.)
    @Test func growthRateBoundsTheGrowth() throws {
        for spec in ["dadapt_sgd(d0=1e-3, growth_rate=1.1)", "dadapt_adam(d0=1e-3, growth_rate=1.1)",
                     "prodigy(d0=1e-3, growth_rate=1.1)"] {
            let rates = try runQuadraticWithRates(spec, learningRates: Array(repeating: 1, count: 10)).rates.map { $0! }
            var start = 1
            if spec.hasPrefix("prodigy") { start = (rates.firstIndex { $0 != rates[0] } ?? 0) + 1 }
            #expect(start > 1 || !spec.hasPrefix("prodigy"), "\(spec): d never moved: \(rates)")
            for t in start..<rates.count {
                #expect(rates[t] <= rates[t - 1] * 1.1 * (1 + 1e-15), "\(spec) update \(t): \(rates)")
            }
            #expect(rates.last! > rates[start], "\(spec): \(rates)")
        }
    }

    /// Schedule-free RAdam rectifies only from ρₜ > 4: by default nothing moves in the first 4
    /// updates (β2 = 0.999) and the effective rate is 0 there; without the silent phase it
    /// takes plain SGD steps lr·g instead, z ← z − lr·g.
    @Test func scheduleFreeRAdamSilentPhase() throws {
        let run = try runQuadraticWithRates("radam_schedulefree", learningRates: Array(repeating: 0.1, count: 5))
        for t in 0..<4 {
            #expect(run.reported[t] == quadraticX0)
            #expect(run.gradient[t] == quadraticX0)
            #expect(run.rates[t] == 0)
        }
        #expect(run.reported[4] != quadraticX0)
        #expect((run.rates[4] ?? 0) > 0)
        let loud = try runQuadraticWithRates("radam_schedulefree(silent_sgd_phase=false)", learningRates: [0.1])
        #expect(loud.rates[0] == 0.1)
        // First update: c = 1, so y ← z = x₀ − 0.1·g and then y ← y + 0.1(0.9·0 − 1)·g; z = x₀ − 0.1·g.
        // x = lerp(y, z, 1 − 1/β1) is the first average, x = z.
        let g0 = [1.0, -6.0, 0.25]
        for i in 0..<3 { #expect(abs(loud.reported[0][i] - (quadraticX0[i] - 0.1 * g0[i])) <= 1e-15) }
    }

    /// Mechanic's first update has h = 0, so it moves from x₀ by the base step times the
    /// initial Σs = Σβ·1e-6·s_init/(n_β·eps), and the rate it reports is lr·Σs.
    @Test func mechanicStartsWithATinyScale() throws {
        let run = try runQuadraticWithRates("mechanic(base=sgd(momentum=0.9))", learningRates: [0.1, 0.1])
        var sum = 0.0
        for beta in [0.9, 0.99, 0.999, 0.9999, 0.99999, 0.999999] { sum += beta * 1e-6 * 1e-8 / 6 / (0 + 1e-8) }
        #expect(abs(run.rates[0]! - 0.1 * sum) <= 1e-15 * sum)
        let g0 = [1.0, -6.0, 0.25]
        for i in 0..<3 { #expect(abs(run.reported[0][i] - (quadraticX0[i] - run.rates[0]! * g0[i])) <= 1e-15) }
        #expect(run.rates[1]! > run.rates[0]!)
    }

    /// A rate of 0 (a warm-up's first step) leaves the LR-free states as they were, and the
    /// next update is the same as a first update.
    @Test func zeroRateChangesNothing() throws {
        for spec in ["dadapt_sgd(d0=0.1)", "dadapt_adam(d0=0.1)", "prodigy(d0=0.01)"] {
            let skipped = try runQuadraticWithRates(spec, learningRates: [0, 0.5, 1])
            let direct = try runQuadraticWithRates(spec, learningRates: [0.5, 1])
            #expect(skipped.reported[0] == quadraticX0, "\(spec)")
            #expect(skipped.rates[0] == nil, "\(spec)")
            #expect(Array(skipped.reported.dropFirst()) == direct.reported, "\(spec)")
        }
    }

    /// A zero gradient (started at the minimum) is no update: no NaN, nothing moves.
    @Test func zeroGradientIsNoUpdate() throws {
        for spec in ["dadapt_sgd", "dadapt_adam", "prodigy", "mechanic", "radam_schedulefree"] {
            let run = try runQuadraticWithRates(spec, learningRates: [1, 1, 1, 1, 1, 1], x0: [0, 0, 0])
            #expect(run.reported.allSatisfy { $0 == [0, 0, 0] }, "\(spec): \(run.reported)")
        }
    }

    /// A cycled momentum is ignored by the LR-free methods and passed by Mechanic to its base.
    @Test func cycledMomentumIsIgnoredOrPassedToTheBase() throws {
        let lrs = Array(repeating: 0.1, count: 6)
        let momenta: [Double?] = [0.5, 0.99, nil, 0.0, 0.7, 0.8]
        for (spec, used) in [("dadapt_sgd(d0=0.1, momentum=0.9)", false), ("dadapt_adam(d0=0.1)", false),
                             ("prodigy(d0=0.01)", false), ("radam_schedulefree", false),
                             ("mechanic(base=sgd(momentum=0.9), s_init=0.01)", true),
                             ("mechanic(base=adam, s_init=0.01)", true), ("mechanic(base=adagrad, s_init=0.01)", false)] {
            let plain = try runQuadratic(spec, learningRates: lrs).reported
            let cycled = try runQuadratic(spec, learningRates: lrs, momenta: momenta).reported
            #expect((plain != cycled) == used, "\(spec): cycled momentum \(used ? "ignored" : "used")")
        }
    }

    /// Methods with their own step size say so; the others report nil.
    @Test func effectiveLearningRateAccessor() throws {
        for spec in adaptiveNames {
            let optimizer = try OptimizerRegistry.make(Spec(name: spec))
            let state = quadraticX0.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
            #expect(state.effectiveLearningRate == nil, "\(spec) before its first update")
        }
        #expect(try runQuadraticWithRates("sgd", learningRates: [0.1]).rates == [nil])
        #expect(try runQuadraticWithRates("adam", learningRates: [0.1]).rates == [nil])
    }

    /// Mechanic's base is a nested spec, written out in full; growth_rate=inf and beta3=none
    /// round-trip.
    @Test func specsRoundTrip() throws {
        let mechanic = try OptimizerRegistry.make(Spec(parsing: "mechanic(base=adamw(weight_decay=0.1), betas=0.9;0.99)"))
        #expect(mechanic.spec.description == "mechanic(base=adamw(betas=0.9;0.999, eps=1e-08, weight_decay=0.1, amsgrad=false), "
            + "s_decay=0.01, betas=0.9;0.99, s_init=1e-08, eps=1e-08, store_delta=false)")
        #expect(mechanic.defaultLearningRate == 1e-3)
        #expect(try OptimizerRegistry.make(Spec(parsing: "mechanic(base=lion)")).defaultLearningRate == 1e-4)
        let prodigy = try OptimizerRegistry.make(Spec(parsing: "prodigy(growth_rate=inf)"))
        #expect(prodigy.spec.description.contains("beta3=none"))
        #expect(prodigy.spec.description.contains("growth_rate=inf"))
        #expect(try OptimizerRegistry.make(Spec(parsing: prodigy.spec.description)).spec == prodigy.spec)
        #expect(try OptimizerRegistry.make(Spec(parsing: "prodigy(beta3=0.5)")).spec.description.contains("beta3=0.5,"))
    }

    /// Out-of-range knobs are refused with one line naming the parameter.
    @Test func badValuesAreRejected() {
        let cases: [(String, String)] = [
            ("dadapt_sgd(d0=0)", "dadapt_sgd: parameter 'd0' must be > 0, got 0.0"),
            ("dadapt_sgd(d0=-1)", "dadapt_sgd: parameter 'd0' must be > 0, got -1.0"),
            ("dadapt_sgd(growth_rate=0.5)", "dadapt_sgd: parameter 'growth_rate' must be >= 1, got 0.5"),
            ("dadapt_sgd(growth_rate=-inf)", "dadapt_sgd: parameter 'growth_rate' must be >= 1, got -inf"),
            ("dadapt_sgd(momentum=1)", "dadapt_sgd: parameter 'momentum' must be in [0, 1), got 1.0"),
            ("dadapt_sgd(weight_decay=-0.1)", "dadapt_sgd: parameter 'weight_decay' must be >= 0, got -0.1"),
            ("dadapt_adam(d0=0)", "dadapt_adam: parameter 'd0' must be > 0, got 0.0"),
            ("dadapt_adam(growth_rate=0.99)", "dadapt_adam: parameter 'growth_rate' must be >= 1, got 0.99"),
            ("dadapt_adam(betas=0.9;1)", "dadapt_adam: parameter 'betas' must be in [0, 1), got 1.0"),
            ("dadapt_adam(eps=0)", "dadapt_adam: parameter 'eps' must be > 0, got 0.0"),
            ("dadapt_adam(decouple=maybe)", "dadapt_adam: parameter 'decouple' must be true or false, got 'maybe'"),
            ("prodigy(d0=0)", "prodigy: parameter 'd0' must be > 0, got 0.0"),
            ("prodigy(growth_rate=0)", "prodigy: parameter 'growth_rate' must be >= 1, got 0.0"),
            ("prodigy(d_coef=0)", "prodigy: parameter 'd_coef' must be > 0, got 0.0"),
            ("prodigy(beta3=1)", "prodigy: parameter 'beta3' must be in [0, 1), got 1.0"),
            ("prodigy(beta3=sqrt)", "prodigy: parameter 'beta3' must be a number, got 'sqrt'"),
            ("prodigy(slice_p=0)", "prodigy: parameter 'slice_p' must be a whole number in [1, 1000000000], got 0"),
            ("prodigy(slice_p=1.5)", "prodigy: parameter 'slice_p' must be a whole number in [1, 1000000000], got '1.5'"),
            ("mechanic(s_decay=-1)", "mechanic: parameter 's_decay' must be >= 0, got -1.0"),
            ("mechanic(s_init=0)", "mechanic: parameter 's_init' must be > 0, got 0.0"),
            ("mechanic(eps=0)", "mechanic: parameter 'eps' must be > 0, got 0.0"),
            ("mechanic(betas=0.9;1)", "mechanic: parameter 'betas' must be in [0, 1), got 1.0"),
            ("mechanic(base=adamm)", "unknown optimizer 'adamm'; known: " + OptimizerRegistry.names.joined(separator: ", ")),
            ("mechanic(base=adam(eps=0))", "adam: parameter 'eps' must be > 0, got 0.0"),
            ("mechanic(base=sgd_schedulefree)", "mechanic: parameter 'base' must be an optimizer with a single iterate "
                + "(sgd, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam, radam, lion, polyak), got 'sgd_schedulefree'"),
            ("radam_schedulefree(betas=0;0.999)", "radam_schedulefree: parameter 'betas' must have β1 in (0, 1), got 0.0"),
            ("radam_schedulefree(r=-1)", "radam_schedulefree: parameter 'r' must be >= 0, got -1.0"),
            ("radam_schedulefree(weight_lr_power=-1)", "radam_schedulefree: parameter 'weight_lr_power' must be >= 0, got -1.0"),
        ]
        for (text, message) in cases {
            #expect(specError(text) == message, "\(text)")
            #expect(specError(text)?.contains("\n") == false)
        }
        for base in ["mechanic", "dadapt_sgd", "prodigy", "radam_schedulefree", "adamw_schedulefree"] {
            #expect(specError("mechanic(base=\(base))")?.hasPrefix("mechanic: parameter 'base' must be") == true, "\(base)")
        }
        #expect(specError("dadapt_sgd(growth_rate=inf)") == nil)
        #expect(specError("mechanic(base=polyak(c=0.5))") == nil)
    }
}
