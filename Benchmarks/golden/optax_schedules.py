"""Golden values for lrbench's optax_* schedules, from the real optax package.

Throw-away use only (never a dependency of lrbench):

    python3 -m venv /tmp/optax-venv && /tmp/optax-venv/bin/pip install optax 'jax[cpu]'
    /tmp/optax-venv/bin/python Benchmarks/golden/optax_schedules.py > Tests/SchedulesTests/OptaxGolden.swift

Each case pairs an lrbench spec (rates as factors of the base rate lr0) with the optax call it
stands for (absolute values: init_value = init_factor*lr0, end_value = end_factor*lr0, ...),
evaluated in float64 at t = 0..n-1, which covers t = 0, transition_begin, the end of the
transition and beyond.
"""
import jax

jax.config.update("jax_enable_x64", True)

import optax  # noqa: E402

CASES = [
    # (spec, lr0, n, optax schedule)
    ("optax_polynomial(end_factor=0.01, power=2, transition_steps=10, transition_begin=5)", 0.1, 20,
     lambda lr: optax.polynomial_schedule(init_value=lr, end_value=0.01 * lr, power=2, transition_steps=10, transition_begin=5)),
    ("optax_polynomial(end_factor=2, power=0.5, transition_steps=7, init_factor=0.5)", 0.3, 11,
     lambda lr: optax.polynomial_schedule(init_value=0.5 * lr, end_value=2 * lr, power=0.5, transition_steps=7)),
    ("optax_polynomial(end_factor=0, power=3, transition_steps=1)", 1.0, 4,
     lambda lr: optax.polynomial_schedule(init_value=lr, end_value=0.0, power=3, transition_steps=1)),
    ("optax_linear(end_factor=0.1, transition_steps=8, transition_begin=3)", 0.1, 14,
     lambda lr: optax.linear_schedule(init_value=lr, end_value=0.1 * lr, transition_steps=8, transition_begin=3)),
    ("optax_linear(init_factor=0, end_factor=1, transition_steps=4)", 0.05, 7,
     lambda lr: optax.linear_schedule(init_value=0.0, end_value=lr, transition_steps=4)),
    ("optax_cosine(decay_steps=10)", 0.1, 14,
     lambda lr: optax.cosine_decay_schedule(init_value=lr, decay_steps=10)),
    ("optax_cosine(decay_steps=12, alpha=0.1, exponent=2)", 0.2, 16,
     lambda lr: optax.cosine_decay_schedule(init_value=lr, decay_steps=12, alpha=0.1, exponent=2)),
    ("optax_warmup_cosine(init_factor=0, warmup_steps=5, decay_steps=20, end_factor=0.01)", 0.1, 24,
     lambda lr: optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=lr, warmup_steps=5, decay_steps=20, end_value=0.01 * lr)),
    ("optax_warmup_cosine(init_factor=0.1, warmup_steps=0, decay_steps=10, exponent=0.5)", 0.3, 13,
     lambda lr: optax.warmup_cosine_decay_schedule(init_value=0.1 * lr, peak_value=lr, warmup_steps=0, decay_steps=10, exponent=0.5)),
    ("optax_warmup_cosine(init_factor=0.5, warmup_steps=3, decay_steps=4, end_factor=0.2, exponent=1.5)", 1.0, 7,
     lambda lr: optax.warmup_cosine_decay_schedule(init_value=0.5 * lr, peak_value=lr, warmup_steps=3, decay_steps=4, end_value=0.2 * lr, exponent=1.5)),
    ("optax_exponential(transition_steps=3, decay_rate=0.5, transition_begin=4)", 0.1, 16,
     lambda lr: optax.exponential_decay(init_value=lr, transition_steps=3, decay_rate=0.5, transition_begin=4)),
    ("optax_exponential(transition_steps=3, decay_rate=0.5, transition_begin=4, staircase=true, end_factor=0.1)", 0.1, 20,
     lambda lr: optax.exponential_decay(init_value=lr, transition_steps=3, decay_rate=0.5, transition_begin=4, staircase=True, end_value=0.1 * lr)),
    ("optax_exponential(transition_steps=2, decay_rate=1.5, end_factor=3)", 0.01, 10,
     lambda lr: optax.exponential_decay(init_value=lr, transition_steps=2, decay_rate=1.5, end_value=3 * lr)),
    ("optax_exponential(transition_steps=1, decay_rate=0.9)", 0.1, 10,
     lambda lr: optax.exponential_decay(init_value=lr, transition_steps=1, decay_rate=0.9)),
    ("optax_piecewise_constant(boundaries=8;3;12, scales=0.1;0.5;0)", 0.1, 15,
     lambda lr: optax.piecewise_constant_schedule(init_value=lr, boundaries_and_scales={8: 0.1, 3: 0.5, 12: 0.0})),
    ("optax_piecewise_constant(boundaries=0;5, scales=2;0.25)", 0.1, 8,
     lambda lr: optax.piecewise_constant_schedule(init_value=lr, boundaries_and_scales={0: 2.0, 5: 0.25})),
    ("optax_piecewise_interpolate(interpolate_type=linear, boundaries=8;4, scales=0.01;0.1)", 1.0, 11,
     lambda lr: optax.piecewise_interpolate_schedule('linear', lr, {4: 0.1, 8: 0.01})),
    ("optax_piecewise_interpolate(interpolate_type=cosine, boundaries=3;1;7, scales=2;0.5;0)", 0.1, 10,
     lambda lr: optax.piecewise_interpolate_schedule('cosine', lr, {3: 2.0, 1: 0.5, 7: 0.0})),
    ("optax_cosine_onecycle(transition_steps=20)", 0.1, 24,
     lambda lr: optax.cosine_onecycle_schedule(transition_steps=20, peak_value=lr)),
    ("optax_cosine_onecycle(transition_steps=17, pct_start=0.5, div_factor=10, final_div_factor=100)", 0.3, 20,
     lambda lr: optax.cosine_onecycle_schedule(transition_steps=17, peak_value=lr, pct_start=0.5, div_factor=10, final_div_factor=100)),
    ("optax_linear_onecycle(transition_steps=20)", 0.1, 24,
     lambda lr: optax.linear_onecycle_schedule(transition_steps=20, peak_value=lr)),
    ("optax_linear_onecycle(transition_steps=13, pct_start=0.2, pct_final=0.6, div_factor=4, final_div_factor=8)", 0.3, 16,
     lambda lr: optax.linear_onecycle_schedule(transition_steps=13, peak_value=lr, pct_start=0.2, pct_final=0.6, div_factor=4, final_div_factor=8)),
    # join_schedules is lrbench's sequential (each child restarts at 0 at its boundary).
    ("sequential(schedules=optax_linear(init_factor=0, end_factor=1, transition_steps=4);optax_exponential(transition_steps=2, decay_rate=0.5, end_factor=0.2), milestones=4)", 0.1, 14,
     lambda lr: optax.join_schedules([optax.linear_schedule(0.0, lr, 4), optax.exponential_decay(lr, 2, 0.5, end_value=0.2 * lr)], [4])),
    ("sequential(schedules=optax_linear(init_factor=0.1, end_factor=1, transition_steps=3);optax_cosine(decay_steps=4, alpha=0.5);optax_piecewise_constant(boundaries=2, scales=0.1), milestones=3;8)", 0.2, 13,
     lambda lr: optax.join_schedules([optax.linear_schedule(0.1 * lr, lr, 3), optax.cosine_decay_schedule(lr, 4, alpha=0.5), optax.piecewise_constant_schedule(lr, {2: 0.1})], [3, 8])),
]


def main():
    print("// Generated by Benchmarks/golden/optax_schedules.py from optax %s (jax %s, float64)." % (optax.__version__, jax.__version__))
    print("// Do not edit by hand.")
    print()
    print("struct OptaxGoldenCase: Sendable, CustomStringConvertible {")
    print("    var spec: String")
    print("    var lr0: Double")
    print("    var rates: [Double]")
    print("    var description: String { spec }")
    print("}")
    print()
    print("let optaxGoldenCases: [OptaxGoldenCase] = [")
    for spec, lr0, n, make in CASES:
        fn = make(lr0)
        rates = [float(fn(t)) for t in range(n)]
        print("    OptaxGoldenCase(")
        print("        spec: %s, lr0: %r," % ('"' + spec + '"', lr0))
        print("        rates: [%s])," % ", ".join(repr(r) for r in rates))
    print("]")


if __name__ == "__main__":
    main()
