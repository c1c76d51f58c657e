#!/usr/bin/env python3
"""Seconds per run-step of lrbench's runs of Benchmarks/perf/vmap_slice.yaml, for PERF.md.

Usage: slice_seconds.py GROUPED/runs.jsonl ALONE/runs.jsonl > lrbench_slice.json

Reads the tuning runs (9 rates x 4 seeds per problem; the one evaluation run of each problem is
left out) of a grouped sweep and of the same sweep one run at a time (--group-size 1), and gives
per problem the sum of the runs' update seconds (seconds_per_step x steps_run: training steps
only, as the JAX vmap peer times them) over the sum of their steps.
"""
import json
import sys


def per_run_step(path):
    problems = {}
    for line in open(path):
        r = json.loads(line)
        if r["phase"] != "tuning":
            continue
        p = problems.setdefault(r["problem"], {"runs": 0, "steps": 0, "seconds": 0.0})
        p["runs"] += 1
        p["steps"] += r["steps_run"]
        p["seconds"] += r["seconds_per_step"] * r["steps_run"]
    for p in problems.values():
        p["seconds_per_run_step"] = p["seconds"] / p["steps"]
    return problems


def main():
    grouped, alone = per_run_step(sys.argv[1]), per_run_step(sys.argv[2])
    if set(grouped) != set(alone):
        sys.exit(f"slice_seconds.py: the two sweeps ran different problems: {sorted(grouped)} vs {sorted(alone)}")
    out = {"problems": {k: {"grouped": grouped[k], "alone": alone[k]} for k in grouped},
           "slice_grouped_seconds_per_run_step":
               sum(p["seconds"] for p in grouped.values()) / sum(p["steps"] for p in grouped.values())}
    json.dump(out, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
