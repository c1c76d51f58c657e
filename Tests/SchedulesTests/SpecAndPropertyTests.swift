import Testing
@testable import Schedules
import Specs

/// A valid spec for every registered schedule.
let sampleSpecs: [String] = [
    "constant", "step(step_size=2)", "multistep(milestones=3;7)", "exponential(gamma=0.9)", "linear",
    "polynomial(total_iters=50, power=0.5)", "cosine(T_max=10)", "cosine_restarts(T_0=5, T_mult=2)",
    "onecycle(total_steps=50)", "onecycle(total_steps=50, three_phase=true, anneal_strategy=linear)",
    "cyclic(step_size_up=4, mode=exp_range, gamma=0.99)", "cyclic(step_size_up=3, mode=triangular2)", "plateau(patience=2)",
    "sequential(schedules=constant;cosine(T_max=5), milestones=5)", "warmup(steps=5, then=cosine_restarts(T_0=7))",
    "chained(schedules=constant;exponential(gamma=0.9))", "inverse_time(gamma=0.1)", "inverse_sqrt(gamma=0.1)",
    "loss_adaptive", "time_decay(gamma=0.1)", "interleave(every=3, on=constant, otherwise=loss_adaptive)",
    "wsd(warmup_steps=2, decay_steps=3, total_steps=10, decay=sqrt)",
    "optax_polynomial(end_factor=0.1, power=2, transition_steps=20, transition_begin=5)",
    "optax_linear(end_factor=0, transition_steps=30)", "optax_cosine(decay_steps=40, alpha=0.1, exponent=2)",
    "optax_warmup_cosine(init_factor=0, warmup_steps=5, decay_steps=50, end_factor=0.01)",
    "optax_exponential(transition_steps=10, decay_rate=0.5, transition_begin=3, staircase=true, end_factor=0.01)",
    "optax_piecewise_constant(boundaries=10;20, scales=0.1;0.5)",
    "optax_piecewise_interpolate(interpolate_type=cosine, boundaries=10;20, scales=0.1;0.5)",
    "optax_cosine_onecycle(transition_steps=50)", "optax_linear_onecycle(transition_steps=50)",
]

@Suite struct SpecErrorTests {
    @Test(arguments: [
        ("cosine", "cosine: parameter 'T_max' is required (a whole number in [1, 1000000000])"),
        ("cosine(T_max=0)", "cosine: parameter 'T_max' must be a whole number in [1, 1000000000], got 0"),
        ("cosine(T_max=2.5)", "cosine: parameter 'T_max' must be a whole number in [1, 1000000000], got '2.5'"),
        ("step(step_size=3, gama=0.5)", "step: unknown parameter 'gama'; allowed: gamma, step_size"),
        ("linear(start_factor=1.5)", "linear: parameter 'start_factor' must be in [0, 1], got 1.5"),
        ("multistep(milestones=5;2)", "multistep: parameter 'milestones' must be non-decreasing, got '5;2'"),
        ("plateau(mode=minimum)", "plateau: parameter 'mode' must be one of min, max, got 'minimum'"),
        ("plateau(threshold=1)", "plateau: parameter 'threshold' must be in [0, 1), got 1.0"),
        ("plateau(factor=1)", "plateau: parameter 'factor' must be in [0, 1), got 1.0"),
        ("onecycle(total_steps=3)", "onecycle: pct_start*total_steps must be > 1 (a warm-up of at least one update), got 0.8999999999999999"),
        ("onecycle(total_steps=100, anneal_strategy=cosine)", "onecycle: parameter 'anneal_strategy' must be one of cos, linear, got 'cosine'"),
        ("cyclic(mode=triangle)", "cyclic: parameter 'mode' must be one of triangular, triangular2, exp_range, got 'triangle'"),
        ("sequential(schedules=constant;constant, milestones=1;2)", "sequential: parameter 'milestones' must have 1 value(s) for 2 schedules, got 2"),
        ("sequential(schedules=constant;constant;constant, milestones=5;5)", "sequential: parameter 'milestones' must be increasing, got '5;5'"),
        ("sequential(schedules=constant;cosine, milestones=3)", "cosine: parameter 'T_max' is required (a whole number in [1, 1000000000])"),
        ("warmup(steps=5, then=cosin(T_max=3))", "unknown schedule 'cosin'; known: " + ScheduleRegistry.names.joined(separator: ", ")),
        ("wsd(warmup_steps=10, decay_steps=20, total_steps=25)", "wsd: warmup_steps + decay_steps must be <= total_steps, got 10 + 20 > 25"),
        ("loss_adaptive(min_loss=worst)", "loss_adaptive: parameter 'min_loss' must be one of best, got 'worst'"),
        ("loss_adaptive(min_loss=0)", "loss_adaptive: parameter 'min_loss' must be > 0, got 0.0"),
        ("exponential", "exponential: parameter 'gamma' is required (> 0)"),
        ("interleave(every=0, on=constant, otherwise=constant)", "interleave: parameter 'every' must be a whole number in [1, 1000000000], got 0"),
        ("cosine_restarts(T_0=5, T_mult=0)", "cosine_restarts: parameter 'T_mult' must be a whole number in [1, 1000000000], got 0"),
    ])
    func rejects(_ text: String, _ message: String) {
        #expect(usageError(text) == message)
        #expect(!message.contains("\n"))
    }

    @Test func unknownScheduleListsTheKnownOnes() {
        let e = usageError("frobnicate")
        #expect(e == "unknown schedule 'frobnicate'; known: constant, step, multistep, exponential, linear, polynomial, cosine, cosine_restarts, onecycle, cyclic, plateau, sequential, warmup, chained, inverse_time, inverse_sqrt, loss_adaptive, time_decay, interleave, wsd, optax_polynomial, optax_linear, optax_cosine, optax_warmup_cosine, optax_exponential, optax_piecewise_constant, optax_piecewise_interpolate, optax_cosine_onecycle, optax_linear_onecycle")
    }

    @Test(arguments: sampleSpecs)
    func unknownParameterListsTheCatalogsParameters(_ text: String) throws {
        let s = try schedule(text)
        let entry = type(of: s).catalog
        var bad = s.spec
        bad.arguments.append(Spec.Argument(key: "bogus", value: .number(1, text: "1")))
        let allowed = entry.parameters.map(\.name).sorted().joined(separator: ", ")
        #expect(usageError(bad.description) == "\(entry.name): unknown parameter 'bogus'; allowed: \(allowed)")
    }
}

@Suite struct RegistryAndPropertyTests {
    @Test func samplesCoverTheRegistry() throws {
        let sampled = Set(try sampleSpecs.map { try Spec(parsing: $0).name })
        #expect(sampled == Set(ScheduleRegistry.names))
        #expect(Set(ScheduleRegistry.names).count == ScheduleRegistry.all.count)
        for type in ScheduleRegistry.all { #expect(!type.catalog.reference.isEmpty, "\(type.catalog.name)") }
    }

    @Test(arguments: sampleSpecs)
    func ratesAreNeverNegativeAndMomentaAreInRange(_ text: String) throws {
        let s = try schedule(text)
        #expect(s.spec.description == (try Spec(parsing: text)).description)
        let c = s.makeController(base: 0.1)
        var loss = 10.0
        for t in 0..<400 {
            let r = c.rate(at: t, elapsedSeconds: Double(t) * 0.01)
            #expect(r.isFinite && r >= 0, "\(text) t=\(t): \(r)")
            if let m = c.momentum(at: t) { #expect(m >= 0 && m <= 1, "\(text) t=\(t): momentum \(m)") }
            loss = t % 7 == 0 ? loss * 1.05 : loss * 0.97
            c.observe(loss, after: t)
        }
    }

    @Test(arguments: sampleSpecs)
    func drivesAreAsDocumented(_ text: String) throws {
        let s = try schedule(text)
        let expected: ScheduleDrive = text.contains("time_decay") ? .time
            : (text.contains("plateau") || text.contains("loss_adaptive")) ? .metric : .step
        #expect(s.drive == expected)
        #expect((s is any StepSchedule) == (s.drive == .step && !["sequential", "warmup", "chained", "interleave"].contains(s.spec.name)))
    }
}
