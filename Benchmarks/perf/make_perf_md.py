#!/usr/bin/env python3
"""Writes results/perf/PERF.md from the benchmark export (`make perf`), the NumPy peers
(`make perf-peers`) and the sweep-scaling measurement (Benchmarks/perf/sweep_scaling.sh).

Inputs (all under results/perf/):
  raw/*.histogram.percentiles.tsv  `swift package benchmark run --format histogramPercentiles`
  peers.json                       Benchmarks/peers/numpy_peers.py (optional)
  sweep.json                       Benchmarks/perf/sweep_scaling.sh (optional)
Standard library only. Exit status 0; the targets table says which targets are met.
"""
import glob
import json
import os
import platform
import re
import subprocess
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "results/perf"

# (key, benchmark name, steps per iteration, peer key, description)
WORKLOADS = [
    ("W1", "W1 quadratic(dim=100,cond=1000,rotated)", 10_000, "W1", "`quadratic(dim=100, cond=1000, rotated=true)`"),
    ("W2", "W2 rosenbrock(dim=2)", 100_000, "W2", "`rosenbrock(dim=2)`"),
    ("W3", "W3 rosenbrock(dim=1000)", 10_000, "W3", "`rosenbrock(dim=1000)`"),
    ("W4", "W4 linreg(n=10000,d=1000) full batch", 10, "W4", "`linreg(n=10000, d=1000)` full batch"),
    ("W5", "W5 linreg(n=10000,d=1000,batch=128)", 1000, "W5", "`linreg(n=10000, d=1000, batch=128)`"),
    ("W6s-f64", "W6s classify softmax f64", 200, "W6s-f64", "`classify` softmax, batch 128, f64"),
    ("W6s-f32", "W6s classify softmax f32", 200, "W6s-f32", "`classify` softmax, batch 128, f32"),
    ("W6m-f64", "W6m classify mlp-128 f64", 50, "W6m-f64", "`classify` MLP 784-128-10, batch 128, f64"),
    ("W6m-f32", "W6m classify mlp-128 f32", 50, "W6m-f32", "`classify` MLP 784-128-10, batch 128, f32"),
]
# Paired benchmarks: (key, benchmark, metric, per step?, description); the parts of one ratio are
# timed one after the other within every iteration.
PAIRED = [
    ("W2lib", "W2-overhead-paired", "library_ps", True, "W2 our full step (RunWorkspace loop, protocols)"),
    ("W2ref", "W2-overhead-paired", "reference_ps", True, "W2 hand-written Rosenbrock + torch-exact Adam loop"),
    ("W4floor", "W4-gradient-paired", "floor_ps", False, "W4 memory floor: plain streaming sum of X (80 MB)"),
    ("W4fused", "W4-gradient-paired", "fused_ps", False, "W4 gradient alone, fused one pass (32-row blocks)"),
    ("W4naive", "W4-gradient-paired", "naive_ps", False, "W4 gradient alone, naive two gemv passes"),
    ("W6s64", "W6s-precision-paired", "f64_ps", True, "W6s softmax step, f64"),
    ("W6s32", "W6s-precision-paired", "f32_ps", True, "W6s softmax step, f32"),
    ("W6m64", "W6m-precision-paired", "f64_ps", True, "W6m MLP step, f64"),
    ("W6m32", "W6m-precision-paired", "f32_ps", True, "W6m MLP step, f32"),
]


def squash(s):
    return re.sub(r"[^a-z0-9]", "", s.lower())


def read_percentiles():
    """{(squashed file stem): {percentile: value}} for every exported tsv."""
    files = {}
    for path in glob.glob(os.path.join(OUT, "raw", "*.histogram.percentiles.tsv")):
        with open(path) as f:
            lines = f.read().splitlines()
        # The header names the unit: "step_ps *", "step_ps (K) *", "Time (wall clock) (ns) *", ...
        m = re.search(r"\((K|M|G|T)\)", lines[0])
        scale = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}[m.group(1)] if m else 1.0
        values = {}
        for line in lines[1:]:
            p, v = line.split("\t")
            values[int(p)] = float(v) * scale
        files[squash(os.path.basename(path))] = (lines[0], values)
    return files


def find(files, name, metric):
    key = squash(name)
    hits = [(k, v) for k, v in files.items() if key in k and squash(metric) in k]
    # the longest benchmark-name match wins if names nest (they do not today)
    if not hits:
        return None
    return sorted(hits, key=lambda kv: len(kv[0]))[0][1][1]


def fmt_time(seconds):
    if seconds is None:
        return "–"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return ""


def machine():
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    bench_version = ""
    try:
        pins = json.load(open("Package.resolved"))["pins"]
        bench_version = next(p["state"].get("version", "") for p in pins if p["identity"] == "benchmark")
    except Exception:
        pass
    return {
        "CPU": f"{cpu} ({os.cpu_count()} logical cores)",
        "Memory": mem,
        "OS": f"{platform.system()} {platform.release()}",
        "Swift": sh("swift --version 2>/dev/null | head -n 1"),
        "OpenBLAS": sh("pkg-config --modversion openblas") + " (one BLAS thread: `BLASThreads.set(1)`)",
        "package-benchmark": bench_version + " (MallocInterposer trait)",
        "Commit": sh("git rev-parse --short HEAD") + (" + uncommitted changes" if sh("git status --porcelain") else ""),
    }


def main():
    files = read_percentiles()
    if not files:
        sys.exit(f"make_perf_md: no benchmark export in {OUT}/raw (run `make perf`)")
    peers = None
    if os.path.exists(os.path.join(OUT, "peers.json")):
        peers = json.load(open(os.path.join(OUT, "peers.json")))
    sweep = None
    if os.path.exists(os.path.join(OUT, "sweep.json")):
        sweep = json.load(open(os.path.join(OUT, "sweep.json")))

    step = {}     # seconds per step (median)
    step90 = {}
    mallocs = {}  # mallocs per iteration (median) and steps per iteration
    for key, name, metric, *_ in [(k, n, "step_ps") for k, n, *_ in WORKLOADS] + PAIRED:
        ps = find(files, name, metric)
        if ps is None:
            continue
        step[key] = ps[50] * 1e-12
        step90[key] = ps[90] * 1e-12
        m = find(files, name, "mallocCountTotal")
        if m is not None:
            mallocs[key] = (m[100], dict((k, s) for k, _, s, *_ in WORKLOADS)[key])

    out = ["# lrbench performance", "",
           "Generated by `Benchmarks/perf/make_perf_md.py` from `make perf` (package-benchmark), "
           "`make perf-peers` (NumPy) and `Benchmarks/perf/sweep_scaling.sh`. Times are medians (p50) over the "
           "benchmark's iterations; one step = (sampled) loss + gradient + one torch-exact Adam update at lr 1e-3 "
           "through `RunWorkspace.execute` (constant schedule, NullObserver), float64 unless said. "
           "One BLAS thread everywhere. The machine is shared: compare ratios, which are taken within one run.", "",
           "## Machine", ""]
    for k, v in machine().items():
        out.append(f"- {k}: {v}")
    if peers:
        out.append(f"- NumPy: {peers['numpy']} (Python {peers['python']}, BLAS {peers['blas']}; "
                   f"{peers['threads']})")
    out += ["", "## Time and allocations per step", ""]
    header = "| Workload | Time per step (p50) | p90 | Mallocs per step (max over iterations) |"
    sep = "|---|---:|---:|---:|"
    if peers:
        header += " NumPy time per step | NumPy time / our time |"
        sep += "---:|---:|"
    out += [header, sep]
    for key, name, steps, peer, desc in WORKLOADS:
        if key not in step:
            continue
        m = mallocs.get(key)
        mtext = "–" if m is None else (f"0 (0 in {m[1]} steps)" if m[0] == 0 else f"{m[0] / m[1]:.3g} ({m[0]:.0f} in {m[1]} steps)")
        row = f"| {key} {desc} | {fmt_time(step[key])} | {fmt_time(step90[key])} | {mtext} |"
        if peers:
            p = peers["seconds_per_step"].get(peer)
            row += f" {fmt_time(p)} | {p / step[key]:.3g}× |" if p else " – | – |"
        out.append(row)
    out += ["", "Paired measurements (the sides of each ratio below, timed one after the other in every "
            "iteration of one benchmark, so that load from other processes hits both alike):", "",
            "| Measurement | Time (p50) | p90 |", "|---|---:|---:|"]
    for key, name, metric, per_step, desc in PAIRED:
        if key in step:
            out.append(f"| {desc} | {fmt_time(step[key])}{' per step' if per_step else ''} | {fmt_time(step90[key])} |")

    # targets
    out += ["", "## Targets", "", "| Target | Measured | Met |", "|---|---:|:---:|"]

    def target(label, value, ok, text):
        if value is None:
            out.append(f"| {label} | not measured | – |")
        else:
            out.append(f"| {label} | {text} | {'yes' if ok else '**no**'} |")

    all_zero = all(m[0] == 0 for m in mallocs.values()) if mallocs else None
    target("Zero allocations per step, every workload (steady state)", all_zero, bool(all_zero),
           "0 on all" if all_zero else ", ".join(f"{k}: {m[0]:.0f}/{m[1]}" for k, m in mallocs.items() if m[0]))
    if "W4fused" in step and "W4naive" in step:
        r = step["W4naive"] / step["W4fused"]
        target("W4 fused gradient ≥ 1.6× faster than naive two-pass", r, r >= 1.6, f"{r:.2f}×")
    if "W4fused" in step and "W4floor" in step:
        r = step["W4fused"] / step["W4floor"]
        target("W4 fused gradient within 1.3× of the memory floor (read X once)", r, r <= 1.3, f"{r:.2f}×")
    if "W2lib" in step and "W2ref" in step:
        r = step["W2lib"] / step["W2ref"]
        target("W2 full step within 2× of the hand-written loop", r, r <= 2, f"{r:.2f}×")
    for kind in ("W6s", "W6m"):
        a, b = step.get(f"{kind}64"), step.get(f"{kind}32")
        if a and b:
            target(f"{kind} f32 ≥ 1.6× faster than f64", a / b, a / b >= 1.6, f"{a / b:.2f}×")
    if sweep:
        r = sweep["workers1"]["wall_seconds"] / sweep["workers2"]["wall_seconds"]
        target("`standard` sweep: 2 workers ≥ 1.8× faster than 1 (wall clock)", r, r >= 1.8,
               f"{r:.2f}× ({sweep['workers1']['wall_seconds']:.0f} s vs {sweep['workers2']['wall_seconds']:.0f} s)")
        target("`standard` sweep: results bit-identical on 1 and 2 workers", True, sweep["identical"],
               "identical" if sweep["identical"] else "DIFFERENT")
    if peers:
        ps = peers["seconds_per_step"]
        for label, keys, goal in (("W4", ["W4"], 1.5), ("W6", ["W6s-f64", "W6s-f32", "W6m-f64", "W6m-f32"], 1.5),
                                  ("W2", ["W2"], 100), ("W3", ["W3"], 8)):
            rs = [ps[k] / step[k] for k in keys if k in ps and k in step]
            if rs:
                target(f"{label}: NumPy time / our time ≥ {goal:g}", min(rs), min(rs) >= goal,
                       ", ".join(f"{k} {ps[k] / step[k]:.3g}×" for k in keys if k in ps and k in step))
    if sweep:
        out += ["", "## Sweep scaling", "",
                f"`{sweep['command']}` on 1 and 2 workers (the machine is shared: CPU time shows the work done):", "",
                "| Workers | Wall clock | User CPU | System CPU | CPU utilisation |", "|---:|---:|---:|---:|---:|"]
        for w in ("workers1", "workers2"):
            s = sweep[w]
            out.append(f"| {w[-1]} | {s['wall_seconds']:.1f} s | {s['user_seconds']:.1f} s | {s['sys_seconds']:.1f} s | "
                       f"{(s['user_seconds'] + s['sys_seconds']) / s['wall_seconds'] * 100:.0f} % |")
        out += ["", f"runs.jsonl without timing fields: {'bit-identical' if sweep['identical'] else 'DIFFERENT'} "
                f"({sweep.get('runs', '?')} runs)."]
    out += ["", "## Reproduce", "", "```sh",
            "make perf          # benchmarks + threshold check + this file",
            "make perf-peers    # NumPy column (NumPy in a throw-away venv, removed afterwards)",
            "Benchmarks/perf/sweep_scaling.sh   # sweep on 1 and 2 workers (~15 min), then make perf again",
            "```", ""]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "PERF.md"), "w") as f:
        f.write("\n".join(out))
    print(f"wrote {os.path.join(OUT, 'PERF.md')}")


if __name__ == "__main__":
    main()
