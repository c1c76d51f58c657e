#!/usr/bin/env python3
"""JAX peers of lrbench's performance workloads (`make perf-peers`).

The workloads W1-W6 of Benchmarks/LRBenchPerf, on the very data of the NumPy peers (the problems
are built by numpy_peers.py, so sizes and data match by construction), with optax's Adam
(b1 0.9, b2 0.999, eps 1e-8, lr 1e-3; the same update as torch's, arranged differently), each
timed two ways:
  jit   one `jax.jit`-compiled step (loss + gradient + Adam) called from a Python loop, as most
        JAX training loops run;
  scan  all the steps of a run inside one compiled `lax.scan`: no Python, no dispatch per step.
Minibatch indices (W5, W6) are drawn on the host beforehand (an epoch permutation, consecutive
batches, as the NumPy peer) and live on the device before the clock starts.
float64 workloads run with `jax_enable_x64`; the f32 ones keep parameters and Adam in float32
(the natural JAX way), and the data in float32.

Plus `vmap`: one slice of the standard sweep, run as JAX would batch it: the quadratic
(dim 50, cond 1000, 300 steps) and softmax (n_train 2000, batch 64, f32, 400 steps) problems x Adam
x 9 rates (10^-4 ... 10^0, half decades) x 4 seeds, `vmap` over rates (sharing the seed's data
and minibatches) inside `vmap` over seeds, `lax.scan` over steps; training steps only (no
evaluations). Reported as seconds per run-step (time / (runs x steps)), with one run alone
(`lax.scan`, no vmap) for the batching gain within JAX.

One core: `make perf-peers` pins this process, like every other process of the measurement
(lrbench's benchmarks, the NumPy and C peers), to one and the same CPU (taskset). XLA sizes its
CPU thread pools from the process's CPU affinity, so pinned it has one CPU to run on; and
XLA_FLAGS=--xla_cpu_multi_thread_eigen=false keeps Eigen's matrix products single-threaded.
(jaxlib 0.10.2's XLA has no flag for the intra-op thread count: `--intra_op_parallelism_threads`
is rejected as unknown, and the often-quoted bare `intra_op_parallelism_threads=1` is not a flag:
XLA's parser stops at the first word without `--`, silently dropping it and every flag after it.)
The JSON records the CPU time / wall time of every measurement (the cores used: at most 1 on one
core; unpinned, last measured up to 1.9 for jit and lax.scan) and the process's affinity.

Writes JSON (default results/perf/jax.json): seconds per step, the median over repeats of
(time of `steps` steps) / steps.
"""
import os

# Flags only (each `--name=value`): a bare word would end XLA's parse of the variable (see above).
os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false").strip()
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse
import json
import platform
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_peers as npp  # noqa: E402  (the same problems and data)

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402
from jax import lax  # noqa: E402

BETA1, BETA2, EPS, LR = npp.BETA1, npp.BETA2, npp.EPS, npp.LR


# ---------------------------------------------------------------- problems as pure functions
# Each: (initial params pytree, data tuple, loss_and_grad(params, data, xs) -> (loss, grads),
#        per-step xs as a host array of shape (steps, ...) or None).

def quadratic(rng):
    q = npp.Quadratic(rng=rng)
    data = (jnp.asarray(q.a),)

    def lg(x, data, _):
        (a,) = data
        g = a @ x
        return 0.5 * (x @ g), g
    return jnp.asarray(q.x0), data, lg


def rosenbrock(dim):
    r = npp.Rosenbrock(dim)

    def lg(x, data, _):
        head, tail = x[:-1], x[1:]
        a = tail - head * head
        b = 1 - head
        f = jnp.sum(100 * a * a + b * b)
        g = jnp.zeros_like(x).at[:-1].set(-400 * head * a - 2 * b).at[1:].add(200 * a)
        return f, g
    return jnp.asarray(r.x0), (), lg


def linreg(problem, batch):
    data = (jnp.asarray(problem.x), jnp.asarray(problem.y))
    n = problem.n

    def lg_full(w, data, _):
        x, y = data
        r = x @ w - y
        return 0.5 * (r @ r) / n, (r @ x) * (1.0 / n)

    def lg_batch(w, data, idx):
        x, y = data
        xb, yb = x[idx], y[idx]
        r = xb @ w - yb
        return 0.5 * (r @ r) / batch, (r @ xb) * (1.0 / batch)
    return jnp.zeros(problem.d), data, (lg_full if batch is None else lg_batch)


def classify(model, dtype, rng, n_train, batch, hidden=128):
    c = npp.Classify(model, dtype, rng, n_train=n_train, hidden=hidden, batch=batch)
    d, k, h = c.d, c.k, c.h
    x0 = c.x0.astype(dtype)
    if model == "softmax":
        params = {"w": jnp.asarray(x0[:d * k].reshape(d, k)), "b": jnp.asarray(x0[d * k:])}
    else:
        o2 = d * h + h
        params = {"w1": jnp.asarray(x0[:d * h].reshape(d, h)), "b1": jnp.asarray(x0[d * h:o2]),
                  "w2": jnp.asarray(x0[o2:o2 + h * k].reshape(h, k)), "b2": jnp.asarray(x0[o2 + h * k:])}
    data = (jnp.asarray(c.images), jnp.asarray(c.labels.astype(np.int32)))

    def loss(p, xb, yb):
        if model == "softmax":
            z = xb @ p["w"] + p["b"]
        else:
            z = jnp.maximum(xb @ p["w1"] + p["b1"], 0) @ p["w2"] + p["b2"]
        return jnp.mean(jax.nn.logsumexp(z, axis=1) - jnp.take_along_axis(z, yb[:, None], axis=1)[:, 0])

    grad = jax.value_and_grad(loss)

    def lg(p, data, idx):
        images, labels = data
        return grad(p, images[idx], labels[idx])
    return params, data, lg, c


def epoch_batches(rng, n, batch, steps):
    """(steps, batch) int32 indices: a fresh permutation each epoch, consecutive batches."""
    out = np.empty((steps, batch), dtype=np.int32)
    perm, pos = np.arange(n), n
    for t in range(steps):
        if pos + batch > n:
            rng.shuffle(perm)
            pos = 0
        out[t] = perm[pos:pos + batch]
        pos += batch
    return out


# ---------------------------------------------------------------- timing

def clocks():
    return time.perf_counter(), time.process_time()


def block(tree):
    jax.tree_util.tree_map(lambda a: a.block_until_ready(), tree)


def time_workload(params0, data, lg, xs, steps, repeats):
    """(jit seconds/step, scan seconds/step, cpu/wall of each): medians over repeats."""
    opt = optax.adam(LR, b1=BETA1, b2=BETA2, eps=EPS)

    def step(params, state, data, x):
        loss, g = lg(params, data, x)
        updates, state = opt.update(g, state, params)
        return optax.apply_updates(params, updates), state, loss

    jstep = jax.jit(step)

    def run(params, state, data, xs_all):
        def body(carry, x):
            p, s, _ = step(carry[0], carry[1], data, x)
            return (p, s), None
        (p, s), _ = lax.scan(body, (params, state), xs_all, length=steps)
        return p, s
    jrun = jax.jit(run)

    xs_dev = None if xs is None else jnp.asarray(xs[:steps])
    rows = [None] * steps if xs is None else [jax.device_put(xs[t]) for t in range(steps)]

    # warm-up: compile both, run a few steps
    state0 = opt.init(params0)
    p, s = params0, state0
    for t in range(min(3, steps)):
        p, s, _ = jstep(p, s, data, rows[t])
    block(p)
    block(jrun(params0, state0, data, xs_dev))

    jit_t, scan_t, jit_cpu, scan_cpu = [], [], [], []
    for _ in range(repeats):
        p, s = params0, opt.init(params0)
        block(s)
        w0, c0 = clocks()
        for t in range(steps):
            p, s, _ = jstep(p, s, data, rows[t])
        block(p)
        w1, c1 = clocks()
        jit_t.append((w1 - w0) / steps)
        jit_cpu.append((c1 - c0) / (w1 - w0))

        s = opt.init(params0)
        block(s)
        w0, c0 = clocks()
        block(jrun(params0, s, data, xs_dev))
        w1, c1 = clocks()
        scan_t.append((w1 - w0) / steps)
        scan_cpu.append((c1 - c0) / (w1 - w0))
    return (statistics.median(jit_t), statistics.median(scan_t),
            statistics.median(jit_cpu), statistics.median(scan_cpu))


# ---------------------------------------------------------------- the vmap slice

RATES = [10.0 ** (-4 + k / 2) for k in range(9)]
SEEDS = [0, 1, 2, 3]


def vmap_slice(quick, repeats):
    """Seconds per run-step of the sweep slice, batched (vmap) and one run alone (scan)."""
    results = {}
    adam = optax.scale_by_adam(b1=BETA1, b2=BETA2, eps=EPS)

    def make_run(lg, steps):
        def one(lr, params, data, xs):
            def body(carry, x):
                p, s = carry
                _, g = lg(p, data, x)
                u, s = adam.update(g, s, p)
                p = jax.tree_util.tree_map(lambda a, b: a - lr * b, p, u)
                return (p, s), None
            (p, _), _ = lax.scan(body, (params, adam.init(params)), xs, length=steps)
            return p
        return one

    # quadratic(dim=50, cond=1000): 300 steps, a distinct rotation per seed, start at ones
    steps = 30 if quick else 300
    mats = []
    for seed in SEEDS:
        q = npp.Quadratic(dim=50, cond=1000.0, rng=np.random.default_rng(1000 + seed))
        mats.append(q.a)
    a_all = jnp.asarray(np.stack(mats))
    x0 = jnp.ones(50)

    def lg_q(x, data, _):
        (a,) = data
        g = a @ x
        return 0.5 * (x @ g), g
    one = make_run(lg_q, steps)
    per_seed = jax.vmap(one, in_axes=(0, None, None, None))                 # over rates
    batched = jax.jit(jax.vmap(per_seed, in_axes=(None, None, 0, None)))     # over seeds
    single = jax.jit(one)
    lrs = jnp.asarray(RATES)
    results["quadratic(dim=50,cond=1000)"] = _time_slice(
        lambda: batched(lrs, x0, (a_all,), None), lambda: single(lrs[4], x0, (a_all[0],), None),
        len(RATES) * len(SEEDS), steps, repeats)

    # classify softmax, n_train 2000, batch 64, f32: 400 steps, a distinct data set per seed
    steps = 40 if quick else 400
    images, labels, idx = [], [], []
    for seed in SEEDS:
        rng = np.random.default_rng(2000 + seed)
        c = npp.Classify("softmax", np.float32, rng, n_train=2000, batch=64)
        images.append(c.images)
        labels.append(c.labels.astype(np.int32))
        idx.append(epoch_batches(rng, 2000, 64, steps))
    data_all = (jnp.asarray(np.stack(images)), jnp.asarray(np.stack(labels)))
    idx_all = jnp.asarray(np.stack(idx))
    params = {"w": jnp.zeros((784, 10), jnp.float32), "b": jnp.zeros(10, jnp.float32)}

    def loss(p, xb, yb):
        z = xb @ p["w"] + p["b"]
        return jnp.mean(jax.nn.logsumexp(z, axis=1) - jnp.take_along_axis(z, yb[:, None], axis=1)[:, 0])
    grad = jax.value_and_grad(loss)

    def lg_s(p, data, i):
        return grad(p, data[0][i], data[1][i])
    one = make_run(lg_s, steps)
    per_seed = jax.vmap(one, in_axes=(0, None, None, None))
    batched = jax.jit(jax.vmap(per_seed, in_axes=(None, None, 0, 0)))
    single = jax.jit(one)
    lrs32 = jnp.asarray(RATES, dtype=jnp.float32)
    results["classify(model=softmax,n_train=2000,batch=64,precision=f32)"] = _time_slice(
        lambda: batched(lrs32, params, data_all, idx_all),
        lambda: single(lrs32[4], params, (data_all[0][0], data_all[1][0]), idx_all[0]),
        len(RATES) * len(SEEDS), steps, repeats)
    total = sum(r["vmap_seconds"] for r in results.values())
    run_steps = sum(r["runs"] * r["steps"] for r in results.values())
    return {"rates": RATES, "seeds": SEEDS, "problems": results,
            "slice_seconds_per_run_step": total / run_steps}


def _time_slice(batched, single, runs, steps, repeats):
    block(batched())
    block(single())
    vt, st, vcpu, scpu = [], [], [], []
    for _ in range(repeats):
        w0, c0 = clocks()
        block(batched())
        w1, c1 = clocks()
        vt.append(w1 - w0)
        vcpu.append((c1 - c0) / (w1 - w0))
        w0, c0 = clocks()
        block(single())
        w1, c1 = clocks()
        st.append(w1 - w0)
        scpu.append((c1 - c0) / (w1 - w0))
    v, s = statistics.median(vt), statistics.median(st)
    return {"runs": runs, "steps": steps, "vmap_seconds": v,
            "vmap_seconds_per_run_step": v / (runs * steps),
            "single_run_seconds_per_step": s / steps,
            "cpu_per_wall": statistics.median(vcpu),
            "single_cpu_per_wall": statistics.median(scpu)}


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="results/perf/jax.json")
    parser.add_argument("--quick", action="store_true", help="fewer steps and repeats (smoke test)")
    args = parser.parse_args()
    q = 10 if args.quick else 1
    repeats = 2 if args.quick else 5
    rng = np.random.default_rng(0)
    shared_linreg = []

    def lin(batch):
        if not shared_linreg:   # one 80 MB data set for W4 and W5, as lrbench builds one X for any batch
            shared_linreg.append(npp.LinReg(rng=rng))
        return linreg(shared_linreg[0], batch)

    w6 = npp.W6_SIZES
    # (name, build -> (params, data, lg, xs or None), steps)
    workloads = [
        ("W1", lambda s: (*quadratic(rng), None), 20000),
        ("W2", lambda s: (*rosenbrock(2), None), 20000),
        ("W3", lambda s: (*rosenbrock(1000), None), 10000),
        ("W4", lambda s: (*lin(None), None), 20),
        ("W5", lambda s: (*lin(128), epoch_batches(rng, 10000, 128, s)), 1000),
    ]
    for name, model, dtype, steps in (("W6s-f64", "softmax", np.float64, 300), ("W6s-f32", "softmax", np.float32, 300),
                                      ("W6m-f64", "mlp", np.float64, 60), ("W6m-f32", "mlp", np.float32, 60)):
        def build(s, model=model, dtype=dtype):
            params, data, lg, c = classify(model, dtype, rng, w6["n_train"], w6["batch"], w6["hidden"])
            return params, data, lg, epoch_batches(rng, c.n, c.batch, s)
        workloads.append((name, build, steps))

    jit, scan, cpu = {}, {}, {}
    for name, build, steps in workloads:
        steps = max(1, steps // q)
        params, data, lg, xs = build(steps)
        j, s, jc, sc = time_workload(params, data, lg, xs, steps, repeats)
        jit[name], scan[name], cpu[name] = j, s, {"jit": jc, "scan": sc}
        print(f"{name:8s} jit {j * 1e6:12.3f} µs/step   scan {s * 1e6:12.3f} µs/step   "
              f"(cores used {jc:.2f}, {sc:.2f})", file=sys.stderr)
    vm = vmap_slice(args.quick, repeats)
    for problem, r in vm["problems"].items():
        print(f"vmap {problem}: {r['vmap_seconds_per_run_step'] * 1e6:.3f} µs/run-step "
              f"({r['runs']} runs x {r['steps']} steps; one run alone {r['single_run_seconds_per_step'] * 1e6:.3f} µs/step; "
              f"cores used {r['cpu_per_wall']:.2f}, {r['single_cpu_per_wall']:.2f})",
              file=sys.stderr)
    out = {
        "jax": jax.__version__,
        "jaxlib": getattr(jax.lib, "__version__", None) or __import__("jaxlib").__version__,
        "optax": optax.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "threads": "XLA_FLAGS=" + os.environ["XLA_FLAGS"],
        "affinity": npp.affinity(),
        "threads_in_process": len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else None,
        "quick": args.quick,
        "seconds_per_step": {"jit": jit, "scan": scan},
        "cpu_per_wall": cpu,
        "vmap": vm,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
