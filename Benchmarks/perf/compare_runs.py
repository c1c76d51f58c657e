#!/usr/bin/env python3
"""Compares two sweeps' runs.jsonl without the timing fields; prints a JSON verdict.

Timing fields (seconds, seconds_per_step, total_seconds, seconds_to_target) are dropped.
Runs of wall-clock-driven schedules (`time_driven`: time_decay) depend on timing by design and
are left out (their tuned rates depend on timing, by design); they are counted separately.
Usage: compare_runs.py A/runs.jsonl B/runs.jsonl
"""
import json
import sys

TIMING = {"seconds", "seconds_per_step", "total_seconds", "seconds_to_target"}


def load(path):
    runs = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                runs[r["id"]] = r
    return runs


a, b = load(sys.argv[1]), load(sys.argv[2])
# Time-driven runs' tuned rates (hence their evaluation runs' ids) depend on timing: leave them out.
time_driven = sum(1 for r in a.values() if r.get("time_driven"))
a = {k: v for k, v in a.items() if not v.get("time_driven")}
b = {k: v for k, v in b.items() if not v.get("time_driven")}
same_ids = set(a) == set(b)
differ = []
for rid in sorted(set(a) & set(b)):
    ra = {k: v for k, v in a[rid].items() if k not in TIMING}
    rb = {k: v for k, v in b[rid].items() if k not in TIMING}
    if json.dumps(ra, sort_keys=True) != json.dumps(rb, sort_keys=True):
        differ.append(rid)
print(json.dumps({"runs_compared": len(a), "same_run_ids": same_ids, "time_driven_runs_skipped": time_driven,
                  "differing_runs": len(differ), "identical": same_ids and not differ}))
