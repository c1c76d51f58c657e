#!/bin/bash
# One shard of a sharded sweep, as a task of a Slurm job array: task K of
#   sbatch --array=1-N Benchmarks/slurm/sweep-array.sh SWEEP.yaml N DIR
# runs `lrbench sweep SWEEP.yaml --shard K/N --out DIR/shard-K` on the task's CPUs.
# A failed or killed shard is resubmitted alone with the same arguments and --array=K: the sweep
# finds its finished runs by id in DIR/shard-K/runs.jsonl and runs only the rest.
# The lrbench binary is $LRBENCH (default .build/release/lrbench, from the submission folder).
# Benchmarks/slurm/submit.sh submits this array and the merge job after it.
#SBATCH --job-name=lrbench-shard
set -euo pipefail
if [ $# -ne 3 ]; then
    echo "usage: sbatch --array=1-N $0 SWEEP.yaml N DIR" >&2; exit 2
fi
file=$1 n=$2 dir=$3
k=${SLURM_ARRAY_TASK_ID:-}
case $n in ''|*[!0-9]*|0) echo "sweep-array.sh: N must be a whole number >= 1, got '$n'" >&2; exit 2;; esac
case $k in ''|*[!0-9]*) echo "sweep-array.sh: not a task of a job array (submit with sbatch --array=1-$n)" >&2; exit 2;; esac
if [ "$k" -lt 1 ] || [ "$k" -gt "$n" ]; then
    echo "sweep-array.sh: array task $k is outside 1-$n" >&2; exit 2
fi
echo "lrbench shard $k/$n of $file into $dir/shard-$k (job ${SLURM_JOB_ID:-?} on $(hostname))"
exec "${LRBENCH:-.build/release/lrbench}" sweep "$file" --shard "$k/$n" --out "$dir/shard-$k" \
     --workers "${SLURM_CPUS_PER_TASK:-1}"
