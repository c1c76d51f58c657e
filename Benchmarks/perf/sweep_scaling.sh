#!/bin/sh
# The `standard` sweep on 1 and then 2 workers (~15 min on 2 cores): wall clock, user and
# system CPU time, and whether runs.jsonl agrees without its timing fields. Writes
# results/perf/sweep.json, which Benchmarks/perf/make_perf_md.py puts into PERF.md.
# Usage: Benchmarks/perf/sweep_scaling.sh [lrbench binary]   (default .build/release/lrbench)
set -eu
BIN=${1:-.build/release/lrbench}
SWEEP=Benchmarks/sweeps/standard.yaml
TMP=$(mktemp -d)
cp "$BIN" "$TMP/lrbench"   # others may rebuild .build while this runs
for n in 1 2; do
    /usr/bin/env python3 - "$TMP/lrbench" "$SWEEP" "$n" "$TMP/s$n" > "$TMP/w$n.json" <<'PY'
import json, os, resource, subprocess, sys, time
binary, sweep, n, out = sys.argv[1:]
t0 = time.monotonic()
subprocess.run([binary, "sweep", sweep, "--workers", n, "--out", out, "--quiet"], check=True)
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall_seconds": wall, "user_seconds": ru.ru_utime, "sys_seconds": ru.ru_stime}))
PY
done
mkdir -p results/perf
python3 - "$TMP" "$SWEEP" <<'PY'
import json, subprocess, sys
tmp, sweep = sys.argv[1:]
cmp = json.loads(subprocess.run([sys.executable, "Benchmarks/perf/compare_runs.py", f"{tmp}/s1/runs.jsonl", f"{tmp}/s2/runs.jsonl"],
                                capture_output=True, text=True, check=True).stdout)
out = {"command": f".build/release/lrbench sweep {sweep} --workers N --out DIR --quiet",
       "workers1": json.load(open(f"{tmp}/w1.json")), "workers2": json.load(open(f"{tmp}/w2.json")),
       "identical": cmp["identical"], "runs": cmp["runs_compared"], "comparison": cmp}
json.dump(out, open("results/perf/sweep.json", "w"), indent=2)
print(json.dumps(out, indent=2))
PY
rm -rf "$TMP"
