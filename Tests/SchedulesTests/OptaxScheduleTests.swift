import Testing
@testable import Schedules
import Specs

/// The optax_* schedules against values recorded from the real optax (float64), at t = 0, at
/// transition_begin, at the end of each transition and beyond; and their refusals.
@Suite struct OptaxScheduleTests {
    @Test(arguments: optaxGoldenCases)
    func matchesOptax(_ golden: OptaxGoldenCase) throws {
        let c = try schedule(golden.spec).makeController(base: golden.lr0)
        for t in golden.rates.indices {
            let r = c.rate(at: t, elapsedSeconds: 0)
            #expect(close(r, golden.rates[t], rel: 1e-14, abs: 1e-16 * golden.lr0), "t=\(t): \(r) vs optax \(golden.rates[t])")
        }
    }

    @Test func goldenCasesCoverEveryOptaxSchedule() {
        let names = Set(optaxGoldenCases.compactMap { try? Spec(parsing: $0.spec).name })
        for name in ScheduleRegistry.names where name.hasPrefix("optax_") {
            #expect(names.contains(name), "no optax golden case for \(name)")
        }
        #expect(names.contains("sequential"), "no golden case for join_schedules")
    }

    /// Closed forms at the edges, exactly: held before transition_begin, exact end value after.
    @Test func edgesInClosedForm() throws {
        let p = try #require(try schedule("optax_polynomial(end_factor=0.25, power=2, transition_steps=4, transition_begin=3)") as? OptaxPolynomial)
        #expect(p.learningRate(at: 0, base: 2) == 2)
        #expect(p.learningRate(at: 3, base: 2) == 2)
        #expect(p.learningRate(at: 5, base: 2) == (2 - 0.5) * 0.25 + 0.5)  // frac = 1/2
        #expect(p.learningRate(at: 7, base: 2) == 0.5)
        #expect(p.learningRate(at: 1000, base: 2) == 0.5)
        let e = try #require(try schedule("optax_exponential(transition_steps=2, decay_rate=0.5, transition_begin=1, staircase=true, end_factor=0.125)") as? OptaxExponentialDecay)
        #expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 100].map { e.learningRate(at: $0, base: 1) }
                == [1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125, 0.125])
        let cos = try #require(try schedule("optax_cosine(decay_steps=10, alpha=0.2)") as? OptaxCosineDecay)
        #expect(cos.learningRate(at: 0, base: 0.5) == 0.5)
        #expect(close(cos.learningRate(at: 10, base: 0.5), 0.1, abs: 1e-17))
        // Held beyond decay_steps (torch's cosine climbs back instead).
        #expect(cos.learningRate(at: 15, base: 0.5) == cos.learningRate(at: 10, base: 0.5))
        let torchCosine = try #require(try schedule("cosine(T_max=10, eta_min=0.1)") as? CosineAnnealingLR)
        #expect(torchCosine.learningRate(at: 15, base: 0.5) > 0.2)
        let w = try #require(try schedule("optax_warmup_cosine(init_factor=0, warmup_steps=4, decay_steps=8, end_factor=0.5)") as? OptaxWarmupCosine)
        #expect([0, 1, 2, 3, 4].map { w.learningRate(at: $0, base: 1) } == [0, 0.25, 0.5, 0.75, 1])
        #expect(w.learningRate(at: 8, base: 1) == 0.5 && w.learningRate(at: 50, base: 1) == 0.5)
        // optax's one-cycle: peak exactly lr0 at int(pct_start*N), final lr0/(div*final_div) from N on.
        let oc = try #require(try schedule("optax_cosine_onecycle(transition_steps=10, pct_start=0.35, div_factor=4, final_div_factor=2)") as? OptaxCosineOnecycle)
        #expect(oc.learningRate(at: 0, base: 1) == 0.25 && oc.learningRate(at: 3, base: 1) == 1)
        #expect(oc.learningRate(at: 10, base: 1) == 0.125 && oc.learningRate(at: 99, base: 1) == 0.125)
        let lc = try #require(try schedule("optax_linear_onecycle(transition_steps=10, pct_start=0.2, pct_final=0.6, div_factor=4, final_div_factor=2)") as? OptaxLinearOnecycle)
        #expect([0, 1, 2, 4, 6, 8, 10, 11].map { lc.learningRate(at: $0, base: 1) } == [0.25, 0.625, 1, 0.625, 0.25, 0.1875, 0.125, 0.125])
        let pc = try #require(try schedule("optax_piecewise_constant(boundaries=5;2, scales=0.5;4)") as? OptaxPiecewiseConstant)
        #expect([0, 1, 2, 4, 5, 9].map { pc.learningRate(at: $0, base: 1) } == [1, 1, 4, 4, 2, 2])
    }

    /// optax_exponential(transition_steps=1) is torch's ExponentialLR; with staircase it is StepLR.
    @Test func exponentialReducesToTorchForms() throws {
        let optaxExp = try #require(try schedule("optax_exponential(transition_steps=1, decay_rate=0.9)") as? OptaxExponentialDecay)
        let torchExp = try #require(try schedule("exponential(gamma=0.9)") as? ExponentialLR)
        let stair = try #require(try schedule("optax_exponential(transition_steps=3, decay_rate=0.5, staircase=true)") as? OptaxExponentialDecay)
        let step = try #require(try schedule("step(step_size=3, gamma=0.5)") as? StepLR)
        for t in 0..<40 {
            #expect(close(optaxExp.learningRate(at: t, base: 0.1), torchExp.learningRate(at: t, base: 0.1), rel: 1e-14))
            #expect(stair.learningRate(at: t, base: 0.1) == step.learningRate(at: t, base: 0.1))
        }
    }

    @Test(arguments: [
        ("optax_polynomial(power=1, transition_steps=5)", "'end_factor' is required"),
        ("optax_polynomial(end_factor=0, power=1, transition_steps=0)", "'transition_steps' must be a whole number in [1, 1000000000]"),
        ("optax_polynomial(end_factor=0, power=-1, transition_steps=3)", "'power' must be >= 0"),
        ("optax_linear(end_factor=0, transition_steps=3, transition_begin=-1)", "'transition_begin' must be a whole number in [0, 1000000000]"),
        ("optax_cosine(decay_steps=0)", "'decay_steps' must be a whole number in [1, 1000000000]"),
        ("optax_cosine(decay_steps=5, alpha=-0.1)", "'alpha' must be >= 0"),
        ("optax_warmup_cosine(init_factor=0, warmup_steps=5, decay_steps=5)", "'decay_steps' must be > warmup_steps (5), got 5"),
        ("optax_exponential(transition_steps=2, decay_rate=0)", "'decay_rate' must be > 0"),
        ("optax_exponential(transition_steps=2, decay_rate=0.5, end_factor=-1)", "'end_factor' must be >= 0"),
        ("optax_piecewise_constant(boundaries=3;3, scales=0.1;0.1)", "'boundaries' must not repeat a value"),
        ("optax_piecewise_constant(boundaries=3;5, scales=0.1)", "'scales' must have 2 values"),
        ("optax_piecewise_constant(boundaries=3, scales=-0.1)", "'scales' must be >= 0"),
        ("optax_cosine(decay_steps=5, eta_min=0.1)", "unknown parameter 'eta_min'"),
        ("optax_piecewise_interpolate(boundaries=3, scales=0.1)", "'interpolate_type' is required"),
        ("optax_piecewise_interpolate(interpolate_type=cubic, boundaries=3, scales=0.1)", "must be one of linear, cosine"),
        ("optax_piecewise_interpolate(interpolate_type=linear, boundaries=0, scales=0.1)", "'boundaries' must be a whole number in [1, 1000000000]"),
        ("optax_cosine_onecycle(transition_steps=3, pct_start=0.2)", "int(pct_start*transition_steps) must be in [1, transition_steps), got 0"),
        ("optax_cosine_onecycle(transition_steps=10, pct_start=1)", "got 10"),
        ("optax_linear_onecycle(transition_steps=10, pct_start=0.5, pct_final=0.55)", "need 1 <= int(pct_start*N) < int(pct_final*N) < N"),
    ])
    func refusesBadInput(_ text: String, _ message: String) {
        do {
            _ = try schedule(text)
            Issue.record("accepted \(text)")
        } catch {
            let line = "\(error)"
            #expect(line.contains(message), "\(text): \(line)")
            #expect(!line.contains("\n"))
        }
    }
}
