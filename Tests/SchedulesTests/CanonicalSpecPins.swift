import Testing
@testable import Schedules
import Specs

/// The spec every registered schedule keeps for a spec written at its defaults (only what is
/// required) and with one value changed: run ids hash `spec.description`, so these strings, recorded
/// before the parameter tables replaced the hand-written parsers (issue 12), must never change.
@Suite struct CanonicalSpecPins {
    /// (spec as written, `spec.description` of the schedule it builds).
    static let pins: [(String, String)] = [
        ("constant", "constant"),
        ("constant(factor=0.5)", "constant(factor=0.5)"),
        ("step(step_size=10)", "step(step_size=10)"),
        ("step(step_size=10, gamma=0.5)", "step(step_size=10, gamma=0.5)"),
        ("multistep(milestones=30;80)", "multistep(milestones=30;80)"),
        ("multistep(milestones=30;80, gamma=1e-1)", "multistep(milestones=30;80, gamma=1e-1)"),
        ("exponential(gamma=0.9)", "exponential(gamma=0.9)"),
        ("exponential(gamma=0.95)", "exponential(gamma=0.95)"),
        ("linear", "linear"),
        ("linear(start_factor=1, end_factor=0, total_iters=1000)", "linear(start_factor=1, end_factor=0, total_iters=1000)"),
        ("polynomial", "polynomial"),
        ("polynomial(power=2)", "polynomial(power=2)"),
        ("cosine(T_max=100)", "cosine(T_max=100)"),
        ("cosine(T_max=100, eta_min=0.001)", "cosine(T_max=100, eta_min=0.001)"),
        ("cosine_restarts(T_0=10)", "cosine_restarts(T_0=10)"),
        ("cosine_restarts(T_0=10, T_mult=2)", "cosine_restarts(T_0=10, T_mult=2)"),
        ("onecycle(total_steps=100)", "onecycle(total_steps=100)"),
        ("onecycle(total_steps=100, anneal_strategy=linear)", "onecycle(total_steps=100, anneal_strategy=linear)"),
        ("onecycle(total_steps=100, max_lr=0.5, three_phase=true)", "onecycle(total_steps=100, max_lr=0.5, three_phase=true)"),
        ("cyclic", "cyclic"),
        ("cyclic(step_size_up=20, mode=exp_range, gamma=0.99)", "cyclic(step_size_up=20, mode=exp_range, gamma=0.99)"),
        ("cyclic(base_lr=0.01, max_lr=0.1, step_size_down=5)", "cyclic(base_lr=0.01, max_lr=0.1, step_size_down=5)"),
        ("plateau", "plateau"),
        ("plateau(mode=max, threshold_mode=abs, threshold=2)", "plateau(mode=max, threshold_mode=abs, threshold=2)"),
        ("sequential(schedules=constant)", "sequential(schedules=constant)"),
        ("sequential(schedules=linear(total_iters=10);cosine(T_max=90), milestones=10)", "sequential(schedules=linear(total_iters=10);cosine(T_max=90), milestones=10)"),
        ("warmup(steps=10)", "warmup(steps=10)"),
        ("warmup(steps=10, start_factor=0, then=cosine(T_max=90))", "warmup(steps=10, start_factor=0, then=cosine(T_max=90))"),
        ("chained(schedules=constant)", "chained(schedules=constant)"),
        ("chained(schedules=constant(factor=0.1, total_iters=20);exponential(gamma=0.9))", "chained(schedules=constant(factor=0.1, total_iters=20);exponential(gamma=0.9))"),
        ("inverse_time(gamma=0.1)", "inverse_time(gamma=0.1)"),
        ("inverse_time(gamma=1)", "inverse_time(gamma=1)"),
        ("inverse_sqrt(gamma=0.1)", "inverse_sqrt(gamma=0.1)"),
        ("inverse_sqrt(gamma=2.5)", "inverse_sqrt(gamma=2.5)"),
        ("loss_adaptive", "loss_adaptive"),
        ("loss_adaptive(min_loss=1)", "loss_adaptive(min_loss=1)"),
        ("loss_adaptive(min_loss=best)", "loss_adaptive(min_loss=best)"),
        ("time_decay(gamma=0.1)", "time_decay(gamma=0.1)"),
        ("time_decay(gamma=3)", "time_decay(gamma=3)"),
        ("interleave(every=100, on=constant, otherwise=loss_adaptive)", "interleave(every=100, on=constant, otherwise=loss_adaptive)"),
        ("interleave(every=7, on=linear(start_factor=1, end_factor=0, total_iters=1000), otherwise=loss_adaptive(min_loss=1))", "interleave(every=7, on=linear(start_factor=1, end_factor=0, total_iters=1000), otherwise=loss_adaptive(min_loss=1))"),
        ("wsd(warmup_steps=10, decay_steps=20, total_steps=100)", "wsd(warmup_steps=10, decay_steps=20, total_steps=100)"),
        ("wsd(warmup_steps=10, decay_steps=20, total_steps=100, decay=sqrt, min_factor=0.1)", "wsd(warmup_steps=10, decay_steps=20, total_steps=100, decay=sqrt, min_factor=0.1)"),
        ("optax_polynomial(end_factor=0, power=1, transition_steps=100)", "optax_polynomial(end_factor=0, power=1, transition_steps=100)"),
        ("optax_polynomial(end_factor=0.1, power=2, transition_steps=100, transition_begin=10)", "optax_polynomial(end_factor=0.1, power=2, transition_steps=100, transition_begin=10)"),
        ("optax_linear(end_factor=0, transition_steps=100)", "optax_linear(end_factor=0, transition_steps=100)"),
        ("optax_linear(end_factor=0.5, transition_steps=100, init_factor=2)", "optax_linear(end_factor=0.5, transition_steps=100, init_factor=2)"),
        ("optax_cosine(decay_steps=100)", "optax_cosine(decay_steps=100)"),
        ("optax_cosine(decay_steps=100, alpha=0.1, exponent=2)", "optax_cosine(decay_steps=100, alpha=0.1, exponent=2)"),
        ("optax_warmup_cosine(init_factor=0, warmup_steps=10, decay_steps=100)", "optax_warmup_cosine(init_factor=0, warmup_steps=10, decay_steps=100)"),
        ("optax_warmup_cosine(init_factor=0.1, warmup_steps=10, decay_steps=100, end_factor=0.01)", "optax_warmup_cosine(init_factor=0.1, warmup_steps=10, decay_steps=100, end_factor=0.01)"),
        ("optax_exponential(transition_steps=10, decay_rate=0.5)", "optax_exponential(transition_steps=10, decay_rate=0.5)"),
        ("optax_exponential(transition_steps=10, decay_rate=0.5, staircase=true, end_factor=0.1)", "optax_exponential(transition_steps=10, decay_rate=0.5, staircase=true, end_factor=0.1)"),
        ("optax_piecewise_constant(boundaries=10;20, scales=0.5;0.5)", "optax_piecewise_constant(boundaries=10;20, scales=0.5;0.5)"),
        ("optax_piecewise_constant(boundaries=20;10, scales=0.1;0.5)", "optax_piecewise_constant(boundaries=20;10, scales=0.1;0.5)"),
        ("optax_piecewise_interpolate(interpolate_type=linear, boundaries=10;20, scales=0.5;0.5)", "optax_piecewise_interpolate(interpolate_type=linear, boundaries=10;20, scales=0.5;0.5)"),
        ("optax_piecewise_interpolate(interpolate_type=cosine, boundaries=10, scales=2)", "optax_piecewise_interpolate(interpolate_type=cosine, boundaries=10, scales=2)"),
        ("optax_cosine_onecycle(transition_steps=100)", "optax_cosine_onecycle(transition_steps=100)"),
        ("optax_cosine_onecycle(transition_steps=100, pct_start=0.25, div_factor=10)", "optax_cosine_onecycle(transition_steps=100, pct_start=0.25, div_factor=10)"),
        ("optax_linear_onecycle(transition_steps=100)", "optax_linear_onecycle(transition_steps=100)"),
        ("optax_linear_onecycle(transition_steps=100, final_div_factor=100)", "optax_linear_onecycle(transition_steps=100, final_div_factor=100)"),
    ]

    @Test func everyRegisteredScheduleKeepsItsSpec() throws {
        for (text, expected) in Self.pins {
            #expect(try schedule(text).spec.description == expected, "\(text)")
        }
        let pinned = Set(try Self.pins.map { try Spec(parsing: $0.0).name })
        #expect(pinned == Set(ScheduleRegistry.names))
    }

    /// Composites built from values write their spec; these strings are pinned the same way.
    @Test func valueBuiltCompositesKeepTheirSpecs() throws {
        let cosine = try schedule("cosine(T_max=90)")
        let written = [
            try SequentialLR([try schedule("linear(start_factor=0.1, total_iters=10)"), cosine], milestones: [10]).spec,
            try SequentialLR([try schedule("constant")], milestones: []).spec,
            try WarmupLR(steps: 10, then: cosine).spec,
            try WarmupLR(steps: 4, startFactor: 0.25, then: try schedule("constant")).spec,
            try WarmupLR(steps: 0, then: cosine).spec,
            try ChainedScheduler([try schedule("constant(factor=0.1, total_iters=20)"), try schedule("exponential(gamma=0.9)")]).spec,
            try InterleavedLR(every: 100, on: try schedule("linear(start_factor=1, end_factor=0, total_iters=1000)"),
                              otherwise: try schedule("loss_adaptive")).spec,
            LinearLR(startFactor: 1.0 / 3, endFactor: 1, totalIters: 7).spec,
        ]
        #expect(written.map(\.description) == [
            "sequential(schedules=linear(start_factor=0.1, total_iters=10);cosine(T_max=90), milestones=10)",
            "sequential(schedules=constant)",
            "warmup(steps=10, start_factor=0.09090909090909091, then=cosine(T_max=90))",
            "warmup(steps=4, start_factor=0.25, then=constant)",
            "warmup(steps=0, start_factor=1, then=cosine(T_max=90))",
            "chained(schedules=constant(factor=0.1, total_iters=20);exponential(gamma=0.9))",
            "interleave(every=100, on=linear(start_factor=1, end_factor=0, total_iters=1000), otherwise=loss_adaptive)",
            "linear(start_factor=0.3333333333333333, end_factor=1, total_iters=7)",
        ])
    }

    /// (bad spec, its one-line error), recorded with the specs: the entries read each kind of
    /// parameter (required, whole, optional, word, list, child) with the same messages.
    static let errors: [(String, String)] = [
        ("step", "step: parameter 'step_size' is required (a whole number in [1, 1000000000])"),
        ("step(step_size=0)", "step: parameter 'step_size' must be a whole number in [1, 1000000000], got 0"),
        ("step(step_size=10, gama=0.1)", "step: unknown parameter 'gama'; allowed: gamma, step_size"),
        ("cyclic(foo=1)", "cyclic: unknown parameter 'foo'; allowed: base_lr, base_momentum, cycle_momentum, gamma, max_lr, max_momentum, mode, step_size_down, step_size_up"),
        ("cyclic(step_size_down=-1)", "cyclic: parameter 'step_size_down' must be a whole number in [0, 1000000000], got -1"),
        ("onecycle(total_steps=100, max_lr=lr0)", "onecycle: parameter 'max_lr' must be a number, got 'lr0'"),
        ("onecycle(total_steps=100, anneal_strategy=cosine)", "onecycle: parameter 'anneal_strategy' must be one of cos, linear, got 'cosine'"),
        ("plateau(threshold=1)", "plateau: parameter 'threshold' must be in [0, 1), got 1.0"),
        ("plateau(threshold=-1, threshold_mode=abs)", "plateau: parameter 'threshold' must be >= 0, got -1.0"),
        ("plateau(threshold=2, threshold_mode=abs, cooldown=x)", "plateau: parameter 'cooldown' must be a whole number in [0, 1000000000], got 'x'"),
        ("loss_adaptive(min_loss=foo)", "loss_adaptive: parameter 'min_loss' must be one of best, got 'foo'"),
        ("loss_adaptive(min_loss=0)", "loss_adaptive: parameter 'min_loss' must be > 0, got 0.0"),
        ("loss_adaptive(min_loss=1;2)", "loss_adaptive: parameter 'min_loss' must be a number, got '1;2'"),
        ("optax_piecewise_interpolate(boundaries=10, scales=1)", "optax_piecewise_interpolate: parameter 'interpolate_type' is required (linear or cosine)"),
        ("optax_piecewise_interpolate(interpolate_type=cubic, boundaries=10, scales=1)", "optax_piecewise_interpolate: parameter 'interpolate_type' must be one of linear, cosine, got 'cubic'"),
        ("optax_piecewise_constant(boundaries=10;20, scales=1)", "optax_piecewise_constant: parameter 'scales' must have 2 values separated by ';', got '1'"),
        ("sequential(schedules=constant;constant)", "sequential: parameter 'milestones' must have 1 value(s) for 2 schedules, got 0"),
        ("sequential(schedules=constant, milestones=0)", "sequential: parameter 'milestones' must be a whole number in [1, 1000000000], got 0"),
        ("sequential(schedules=constant;cosine, milestones=10, extra=1)", "sequential: unknown parameter 'extra'; allowed: milestones, schedules"),
        ("warmup(steps=10, start_factor=2)", "warmup: parameter 'start_factor' must be in [0, 1], got 2.0"),
        ("warmup(then=constant)", "warmup: parameter 'steps' is required (a whole number in [0, 1000000000])"),
        ("interleave(every=2, on=constant)", "interleave: parameter 'otherwise' is required (a spec such as cosine(T_max=100))"),
        ("chained(schedules=1)", "chained: parameter 'schedules' must list specs separated by ';', got '1'"),
        ("wsd(warmup_steps=10, decay_steps=20, total_steps=100, decay=exp)", "wsd: parameter 'decay' must be one of linear, cosine, sqrt, got 'exp'"),
        ("multistep(milestones=30;20)", "multistep: parameter 'milestones' must be non-decreasing, got '30;20'"),
        ("cosine(T_max=1e300)", "cosine: parameter 'T_max' must be a whole number in [1, 1000000000], got 1e+300"),
    ]

    @Test func badSpecsKeepTheirMessages() {
        for (text, expected) in Self.errors {
            #expect(usageError(text) == expected, "\(text)")
        }
    }
}
