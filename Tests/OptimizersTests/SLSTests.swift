import Testing
import Optimizers
import Specs

/// A golden SLS trajectory (SLSGoldenValues): the point after each update on the golden
/// quadratic at rate 1, the step the reference applied and the trial losses it evaluated.
struct SLSGoldenCase: Sendable, CustomTestStringConvertible {
    var spec: String
    var points: [[Double]]
    var rates: [Double]
    var trials: [Int]

    var testDescription: String { spec + " over \(points.count) updates" }
}

/// The loss of the golden quadratic as the golden script's closure computes it, 0.5·Σ(aᵢxᵢ)xᵢ.
func quadraticLoss(_ x: UnsafeBufferPointer<Double>, a: [Double] = quadraticA) -> Double {
    var s = 0.0
    for i in 0..<x.count { s += a[i] * x[i] * x[i] }
    return 0.5 * s
}

/// One SLS update's record: the loss and gradient at x_t, the trial points it asked for with
/// their losses, and what it applied.
struct SLSStep {
    var x: [Double]
    var loss: Double
    var gradient: [Double]
    var trials: [(point: [Double], loss: Double)]
    var next: [Double]
    var rate: Double?
    var lr: Double
}

/// Runs `spec` on f(x) = ½Σaᵢxᵢ² through `LossOracleState`, the trial losses from `loss`.
func runSLS(_ spec: String, learningRates: [Double], x0: [Double] = quadraticX0, a: [Double] = quadraticA,
            loss: (UnsafeBufferPointer<Double>) -> Double = { quadraticLoss($0) }) throws -> [SLSStep] {
    let optimizer = try OptimizerRegistry.make(try Spec(parsing: spec))
    let state = try #require(x0.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) } as? any LossOracleState)
    var out: [SLSStep] = []
    for (t, lr) in learningRates.enumerated() {
        let x = Array(state.gradientPoint)
        let g = zip(a, x).map { $0 * $1 }
        let f = x.withUnsafeBufferPointer { loss($0) }
        var trials: [(point: [Double], loss: Double)] = []
        g.withUnsafeBufferPointer { gp in
            state.update(gradient: gp, context: StepContext(step: t, learningRate: lr, loss: f)) { p in
                let value = loss(p)
                trials.append((Array(p), value))
                return value
            }
        }
        out.append(SLSStep(x: x, loss: f, gradient: g, trials: trials, next: Array(state.reportedPoint),
                           rate: state.effectiveLearningRate, lr: lr))
    }
    return out
}

@Suite struct SLSTests {
    /// `evaluatesTrialLosses` says, for every registered optimizer, what its state is: the
    /// lockstep engine trusts it to keep line searches out of groups without building a state.
    @Test func evaluatesTrialLossesMatchesTheStateForEveryOptimizer() throws {
        var searches: [String] = []
        for type in OptimizerRegistry.all {
            let optimizer = try OptimizerRegistry.make(Spec(parsing: type.catalog.name))
            let state = [1.0, 2.0].withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
            #expect(optimizer.evaluatesTrialLosses == (state is any LossOracleState), "\(type.catalog.name)")
            if optimizer.evaluatesTrialLosses { searches.append(type.catalog.name) }
        }
        #expect(searches == ["sls"])
    }

    @Test(arguments: slsGoldenCases)
    func matchesReference(_ c: SLSGoldenCase) throws {
        let steps = try runSLS(c.spec, learningRates: Array(repeating: 1, count: c.points.count))
        #expect(sameTrajectory(steps.map(\.next), c.points), "points \(steps.map(\.next)) vs \(c.points)")
        #expect(steps.map(\.trials.count) == c.trials, "trial losses per update")
        for (t, (step, want)) in zip(steps, c.rates).enumerated() {
            #expect(step.rate.map { abs($0 - want) <= 1e-12 * abs(want) } == true, "step at update \(t): \(String(describing: step.rate)) vs \(want)")
        }
    }

    /// The golden cases reach every branch: backtracking, the 100-trial fallback, no step at a
    /// tiny gradient, Goldstein's growth, its bound and its exhaustion, each reset option.
    @Test func goldenCasesReachEveryBranch() {
        let texts = slsGoldenCases.map(\.spec).joined(separator: " ")
        for option in ["reset_option=0", "reset_option=2", "n_batches_per_epoch=", "gamma=", "beta_b=", "c=0.5",
                       "line_search_fn=goldstein", "eta_max=", "beta_f=", "bound_step_size=false"] {
            #expect(texts.contains(option), "no golden case sets \(option)")
        }
        let all = slsGoldenCases.flatMap { c in zip(c.trials, c.rates).map { ($0, $1) } }
        #expect(all.contains { $0.0 > 1 }, "no update backtracked")
        #expect(all.contains { $0.0 == 100 && $0.1 == 1e-6 }, "no update fell back to the 1e-6 step")
        #expect(all.contains { $0.0 == 0 && $0.1 == 0 }, "no update stopped at a tiny gradient")
        let goldstein = slsGoldenCases.filter { $0.spec.contains("goldstein") }
        #expect(goldstein.contains { c in c.spec.contains("eta_max=0.05") && c.rates.contains(0.05) }, "Goldstein's bound eta_max never applied")
        #expect(goldstein.contains { c in c.trials.contains(100) }, "no Goldstein search ran out of trials")
    }

    /// Property: at every accepted Armijo step, f(x_{t+1}) ≤ f(x_t) − c·s·‖g‖² with s the step
    /// applied, for any schedule rate; and x_{t+1} = x_t − s·g.
    @Test(arguments: ["sls", "sls(c=0.5, beta_b=0.5)", "sls(init_step_size=100, reset_option=2)", "sls(c=0.9, beta_b=0.3, gamma=5, n_batches_per_epoch=1)"])
    func armijoHoldsAtEveryAcceptedStep(spec: String) throws {
        let c = try #require(try OptimizerRegistry.make(Spec(parsing: spec)) as? SLS).c
        let a = [0.5, 1, 2, 4, 8, 3]
        let x0 = [3.0, -1, 0.5, 0.2, -4, 1]
        let lrs = (0..<60).map { [1.0, 0.5, 2, 0.1][$0 % 4] }
        let steps = try runSLS(spec, learningRates: lrs, x0: x0, a: a, loss: { quadraticLoss($0, a: a) })
        var accepted = 0
        for (t, step) in steps.enumerated() {
            let norm2 = step.gradient.reduce(0) { $0 + $1 * $1 }
            guard norm2.squareRoot() >= 1e-8 else { continue }
            let s = try #require(step.rate)
            for i in x0.indices { #expect(step.next[i] == step.x[i] - s * step.gradient[i], "update \(t)") }
            guard let last = step.trials.last, last.point == step.next else { continue }   // the fallback step
            accepted += 1
            let fNext = step.next.withUnsafeBufferPointer { quadraticLoss($0, a: a) }
            #expect(fNext <= step.loss - c * s * norm2 * (1 - 1e-12) + 1e-15 * abs(step.loss), "update \(t): \(fNext) vs \(step.loss) − \(c)·\(s)·\(norm2)")
            // Every rejected trial violated the condition, at the step it tried.
            let k = step.gradient.indices.max { abs(step.gradient[$0]) < abs(step.gradient[$1]) }!
            for trial in step.trials.dropLast() {
                let tried = abs(trial.point[k] - step.x[k]) / abs(step.gradient[k])
                #expect(trial.loss > step.loss - c * tried * norm2 * (1 - 1e-9), "update \(t): a rejected trial satisfied Armijo")
            }
        }
        #expect(accepted >= 50, "\(spec): only \(accepted) accepted steps")
        #expect(steps.last!.loss < 0.05 * steps.first!.loss)
    }

    /// The schedule's rate multiplies the tried step: each trial point is x − lr·η·g.
    @Test func rateMultipliesTheTrialStep() throws {
        let one = try runSLS("sls(reset_option=2, init_step_size=0.1)", learningRates: [1])
        let half = try runSLS("sls(reset_option=2, init_step_size=0.1)", learningRates: [0.5])
        #expect(one[0].rate == 0.1 && half[0].rate == 0.05)
        for i in 0..<3 {
            #expect(one[0].next[i] == quadraticX0[i] - 0.1 * quadraticA[i] * quadraticX0[i])
            #expect(half[0].next[i] == quadraticX0[i] - 0.05 * quadraticA[i] * quadraticX0[i])
        }
    }

    /// A NaN or infinite trial loss is a failed trial (backtrack), never an accepted step.
    @Test func nonFiniteTrialLossesBacktrack() throws {
        for bad in [Double.nan, .infinity] {
            var calls = 0
            let steps = try runSLS("sls(reset_option=2)", learningRates: [1], loss: { x in
                calls += 1
                return calls <= 4 && calls > 1 ? bad : quadraticLoss(x)    // call 1 is f(x₀) (ours), 2…4 trials
            })
            #expect(steps[0].trials.count >= 4)
            #expect(steps[0].rate! <= 0.9 * 0.9 * 0.9)
        }
        // Goldstein: NaN is too long a step (the reference raises).
        var calls = 0
        let g = try runSLS("sls(line_search_fn=goldstein, reset_option=2, init_step_size=0.2)", learningRates: [1], loss: { x in
            calls += 1
            return calls == 2 ? .nan : quadraticLoss(x)
        })
        #expect(g[0].trials.count >= 2)
        #expect(g[0].trials[1].point[0] == quadraticX0[0] - 0.2 * 0.9 * quadraticX0[0])
    }

    /// Without trial losses only an update that needs none runs: a zero gradient.
    @Test func zeroGradientNeedsNoTrials() throws {
        let optimizer = try OptimizerRegistry.make(Spec(parsing: "sls"))
        let state = quadraticX0.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
        [0.0, 0, 0].withUnsafeBufferPointer { state.update(gradient: $0, context: StepContext(step: 0, learningRate: 1, loss: 1)) }
        #expect(Array(state.reportedPoint) == quadraticX0)
        #expect(state.effectiveLearningRate == 0)
    }

    @Test func badKnobsAreRefusedWithOneLine() {
        let cases = [
            ("sls(c=0)", "sls: parameter 'c' must be in (0, 1), got 0.0"),
            ("sls(c=1)", "sls: parameter 'c' must be in (0, 1), got 1.0"),
            ("sls(beta_b=1)", "sls: parameter 'beta_b' must be in (0, 1), got 1.0"),
            ("sls(beta_b=0)", "sls: parameter 'beta_b' must be in (0, 1), got 0.0"),
            ("sls(gamma=0.5)", "sls: parameter 'gamma' must be >= 1, got 0.5"),
            ("sls(beta_f=0.9)", "sls: parameter 'beta_f' must be >= 1, got 0.9"),
            ("sls(init_step_size=0)", "sls: parameter 'init_step_size' must be > 0, got 0.0"),
            ("sls(init_step_size=-1)", "sls: parameter 'init_step_size' must be > 0, got -1.0"),
            ("sls(eta_max=0)", "sls: parameter 'eta_max' must be > 0, got 0.0"),
            ("sls(n_batches_per_epoch=0)", "sls: parameter 'n_batches_per_epoch' must be a whole number in [1, 1000000000], got 0"),
            ("sls(n_batches_per_epoch=2.5)", "sls: parameter 'n_batches_per_epoch' must be a whole number in [1, 1000000000], got '2.5'"),
            ("sls(reset_option=3)", "sls: parameter 'reset_option' must be a whole number in [0, 2], got 3"),
            ("sls(line_search_fn=wolfe)", "sls: parameter 'line_search_fn' must be one of armijo, goldstein, got 'wolfe'"),
            ("sls(bound_step_size=maybe)", "sls: parameter 'bound_step_size' must be true or false, got 'maybe'"),
            ("sls(line_search_fn=goldstein, c=0.6)",
             "sls: line_search_fn=goldstein requires c <= 0.5 (else a trial can fail both conditions), got c=0.6"),
            ("sls(lr=1)", "sls: unknown parameter 'lr'; allowed: beta_b, beta_f, bound_step_size, c, eta_max, gamma, init_step_size, line_search_fn, n_batches_per_epoch, reset_option"),
        ]
        for (text, message) in cases {
            let got = specError(text)
            #expect(got == message, "\(text)")
            #expect(got?.contains("\n") == false)
        }
        #expect(specError("sls(line_search_fn=goldstein, c=0.5)") == nil)
        #expect(specError("sls(c=0.9)") == nil)
    }
}
