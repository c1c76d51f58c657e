#!/usr/bin/env python3
"""NumPy peers of lrbench's performance workloads (`make perf-peers`).

Same workloads, same data sizes and the same torch-exact Adam (beta 0.9/0.999, eps 1e-8,
lr 1e-3, lerp for the first moment) as Benchmarks/LRBenchPerf; written as good NumPy: one
vectorised expression per array operation, buffers preallocated and updated in place.
One BLAS thread (OPENBLAS_NUM_THREADS=1 etc., set below before NumPy is imported), like
lrbench's benchmarks; `make perf-peers` also pins this process, like every other process of the
measurement, to one and the same CPU (taskset), so both sides run on one core.

Writes seconds per step, per workload, as JSON (default results/perf/peers.json):
the median over repeats of (time of `steps` steps) / steps; beside it the cores used (CPU time of
the process / wall time over the same steps, median over repeats: at most 1 on one core) and the
CPUs the process may run on (its affinity).
"""
import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
           "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse
import json
import platform
import statistics
import sys
import time

import numpy as np

BETA1, BETA2, EPS, LR = 0.9, 0.999, 1e-8, 1e-3

# The W6 sizes, shared with jax_peers.py and the same as Benchmarks/LRBenchPerf's
# classify(..., n_train=10000, batch=128, hidden=128): the images do not fit in the caches.
W6_SIZES = {"n_train": 10000, "batch": 128, "hidden": 128}

# Every workload's sizes, written into the JSON so PERF.md can list them beside lrbench's.
SIZES = {
    "W1": "quadratic dim 100, cond 1000, rotated",
    "W2": "rosenbrock dim 2, classic start",
    "W3": "rosenbrock dim 1000, classic start",
    "W4": "linreg n 10000, d 1000, corr 0.5, full batch",
    "W5": "linreg n 10000, d 1000, corr 0.5, batch 128",
    "W6s": "classify softmax 784-10, n_train 10000, batch 128",
    "W6m": "classify mlp 784-128-10, n_train 10000, batch 128",
}


class Adam:
    """torch.optim.Adam, _single_tensor_adam, non-capturable, no weight decay, in place."""

    def __init__(self, x):
        self.x = x
        self.m = np.zeros_like(x)
        self.v = np.zeros_like(x)
        self.tmp = np.empty_like(x)
        self.t = 0

    def step(self, g):
        self.t += 1
        bc1 = 1 - BETA1 ** self.t
        bc2 = 1 - BETA2 ** self.t
        step_size = LR / bc1
        bc2_sqrt = bc2 ** 0.5
        m, v, tmp = self.m, self.v, self.tmp
        # m.lerp_(g, 1 - beta1): weight 0.1 < 0.5, so m + w * (g - m)
        np.subtract(g, m, out=tmp)
        tmp *= 1 - BETA1
        m += tmp
        # v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
        v *= BETA2
        np.multiply(g, g, out=tmp)
        tmp *= 1 - BETA2
        v += tmp
        # x.addcdiv_(m, v.sqrt() / bc2_sqrt + eps, value=-step_size)
        np.sqrt(v, out=tmp)
        tmp /= bc2_sqrt
        tmp += EPS
        np.divide(m, tmp, out=tmp)
        tmp *= -step_size
        self.x += tmp


# ---------------------------------------------------------------- problems

class Quadratic:
    def __init__(self, dim=100, cond=1000.0, rng=None):
        lam = cond ** (np.arange(dim) / (dim - 1))
        q, r = np.linalg.qr(rng.standard_normal((dim, dim)))
        q *= np.sign(np.diag(r))
        a = (q * lam) @ q.T
        self.a = 0.5 * (a + a.T)
        self.x0 = np.ones(dim)
        self.g = np.empty(dim)

    def loss_and_grad(self, x):
        np.dot(self.a, x, out=self.g)
        return 0.5 * float(x @ self.g), self.g


class Rosenbrock:
    def __init__(self, dim):
        self.x0 = np.array([-1.2 if i % 2 == 0 else 1.0 for i in range(dim)])
        self.g = np.zeros(dim)

    def loss_and_grad(self, x):
        head, tail = x[:-1], x[1:]
        a = tail - head * head
        b = 1 - head
        f = float(np.sum(100 * a * a + b * b))
        g = self.g
        g[-1] = 0
        g[:-1] = -400 * head * a - 2 * b
        g[1:] += 200 * a
        return f, g


class LinReg:
    def __init__(self, n=10000, d=1000, batch=None, rng=None, corr=0.5, noise=0.1):
        x = np.empty((n, d))
        x[:, 0] = rng.standard_normal(n)
        innovation = np.sqrt(1 - corr * corr)
        z = rng.standard_normal((n, d))
        for j in range(1, d):
            x[:, j] = corr * x[:, j - 1] + innovation * z[:, j]
        w_star = rng.standard_normal(d) / np.sqrt(d)
        self.x = np.ascontiguousarray(x)
        self.y = self.x @ w_star + noise * rng.standard_normal(n)
        self.n, self.d, self.batch = n, d, batch or n
        self.x0 = np.zeros(d)
        self.g = np.empty(d)
        self.rng = rng
        self.perm = np.arange(n)
        self.pos = n
        self.r = np.empty(self.batch)
        self.xb = np.empty((self.batch, d))
        self.yb = np.empty(self.batch)

    def loss_and_grad(self, w):
        if self.batch < self.n:
            if self.pos + self.batch > self.n:
                self.rng.shuffle(self.perm)
                self.pos = 0
            idx = self.perm[self.pos:self.pos + self.batch]
            self.pos += self.batch
            np.take(self.x, idx, axis=0, out=self.xb)
            np.take(self.y, idx, out=self.yb)
            x, y, m = self.xb, self.yb, self.batch
        else:
            x, y, m = self.x, self.y, self.n
        r = self.r
        np.dot(x, w, out=r)
        r -= y
        np.dot(r, x, out=self.g)      # Xᵀ r
        self.g *= 1.0 / m
        return 0.5 * float(r @ r) / m, self.g


class Classify:
    """10 classes, 784 pixels, n_train 10000, batch 128: softmax or 784-128-10 ReLU MLP."""

    def __init__(self, model, dtype, rng, n_train=W6_SIZES["n_train"], hidden=W6_SIZES["hidden"],
                 batch=W6_SIZES["batch"]):
        d, k = 784, 10
        self.images = rng.random((n_train, d)).astype(dtype)
        self.labels = rng.integers(0, k, n_train)
        self.model, self.dtype, self.batch, self.n = model, dtype, batch, n_train
        self.d, self.k, self.h = d, k, hidden
        if model == "softmax":
            self.dim = d * k + k
            self.x0 = np.zeros(self.dim)
        else:
            self.dim = d * hidden + hidden + hidden * k + k
            x0 = np.zeros(self.dim)
            x0[:d * hidden] = np.sqrt(2.0 / d) * rng.standard_normal(d * hidden)
            w2 = d * hidden + hidden
            x0[w2:w2 + hidden * k] = np.sqrt(2.0 / (hidden + k)) * rng.standard_normal(hidden * k)
            self.x0 = x0
        self.theta = np.empty(self.dim, dtype=dtype)
        self.grad = np.zeros(self.dim, dtype=dtype)
        self.g = np.empty(self.dim)
        self.xb = np.empty((batch, d), dtype=dtype)
        self.rng = rng
        self.perm = np.arange(n_train)
        self.pos = n_train
        self.rows = np.arange(batch)

    def loss_and_grad(self, x):
        if self.pos + self.batch > self.n:
            self.rng.shuffle(self.perm)
            self.pos = 0
        idx = self.perm[self.pos:self.pos + self.batch]
        self.pos += self.batch
        xb = self.xb
        np.take(self.images, idx, axis=0, out=xb)
        y = self.labels[idx]
        th = self.theta
        th[:] = x                       # θ (f64) → precision of the data
        d, k, h, m = self.d, self.k, self.h, self.batch
        gr = self.grad
        if self.model == "softmax":
            w, b = th[:d * k].reshape(d, k), th[d * k:]
            z = xb @ w
            z += b
        else:
            w1 = th[:d * h].reshape(d, h)
            b1 = th[d * h:d * h + h]
            o2 = d * h + h
            w2 = th[o2:o2 + h * k].reshape(h, k)
            b2 = th[o2 + h * k:]
            pre = xb @ w1
            pre += b1
            a = np.maximum(pre, 0, out=pre)
            z = a @ w2
            z += b2
        top = z.max(axis=1, keepdims=True)
        z -= top
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(s)[:, 0] - z[self.rows, y]))
        e /= s                          # softmax probabilities
        e[self.rows, y] -= 1
        e *= 1.0 / m                    # ∂loss/∂z
        if self.model == "softmax":
            np.dot(xb.T, e, out=gr[:d * k].reshape(d, k))
            np.sum(e, axis=0, out=gr[d * k:])
        else:
            o2 = d * h + h
            np.dot(a.T, e, out=gr[o2:o2 + h * k].reshape(h, k))
            np.sum(e, axis=0, out=gr[o2 + h * k:])
            ga = e @ w2.T
            ga[a <= 0] = 0
            np.sum(ga, axis=0, out=gr[d * h:d * h + h])
            np.dot(xb.T, ga, out=gr[:d * h].reshape(d, h))
        self.g[:] = gr                  # gradient back to f64 for Adam
        return loss, self.g


# ---------------------------------------------------------------- timing

def seconds_per_step(problem, steps, repeats):
    """(seconds per step, cores used): medians over repeats of (wall time / steps) and of
    (process CPU time / wall time), both clocks read around the same steps."""
    times, cores = [], []
    for _ in range(repeats):
        x = problem.x0.astype(np.float64).copy()
        opt = Adam(x)
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(steps):
            _, g = problem.loss_and_grad(x)
            opt.step(g)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        times.append(wall / steps)
        cores.append(cpu / wall)
    return statistics.median(times), statistics.median(cores)


def affinity():
    """The CPUs this process may run on (one, when `make perf-peers` pins it), or None."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):   # not Linux
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="results/perf/peers.json")
    parser.add_argument("--quick", action="store_true", help="fewer steps (smoke test)")
    args = parser.parse_args()
    q = 10 if args.quick else 1
    rng = np.random.default_rng(0)
    workloads = [
        ("W1", lambda: Quadratic(rng=rng), 20000, 5),
        ("W2", lambda: Rosenbrock(2), 20000, 5),
        ("W3", lambda: Rosenbrock(1000), 10000, 5),
        ("W4", lambda: LinReg(rng=rng), 20, 5),
        ("W5", lambda: LinReg(batch=128, rng=rng), 1000, 5),
        ("W6s-f64", lambda: Classify("softmax", np.float64, rng), 300, 5),
        ("W6s-f32", lambda: Classify("softmax", np.float32, rng), 300, 5),
        ("W6m-f64", lambda: Classify("mlp", np.float64, rng), 60, 5),
        ("W6m-f32", lambda: Classify("mlp", np.float32, rng), 60, 5),
    ]
    results, cores = {}, {}
    linreg = None
    for name, make, steps, repeats in workloads:
        if name in ("W4", "W5"):
            # one data set for both (80 MB), as lrbench builds the same X for any batch
            if linreg is None:
                linreg = LinReg(rng=rng)
            problem = linreg
            problem.batch = 128 if name == "W5" else problem.n
            problem.r = np.empty(problem.batch)
            problem.xb = np.empty((problem.batch, problem.d))
            problem.yb = np.empty(problem.batch)
        else:
            problem = make()
        results[name], cores[name] = seconds_per_step(problem, max(1, steps // q), 2 if args.quick else repeats)
        print(f"{name:8s} {results[name] * 1e6:12.3f} µs/step   (cores used {cores[name]:.2f})", file=sys.stderr)
    try:
        blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
        blas = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older NumPy
        blas = "unknown"
    out = {
        "numpy": np.__version__,
        "python": platform.python_version(),
        "blas": blas,
        "threads": "OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=MKL_NUM_THREADS=1",
        "affinity": affinity(),
        "quick": args.quick,
        "sizes": SIZES,
        "seconds_per_step": results,
        "cpu_per_wall": cores,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
