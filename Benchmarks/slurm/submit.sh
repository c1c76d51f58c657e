#!/bin/bash
# Submits a sharded sweep to Slurm: the job array (sweep-array.sh) and the merge job
# (merge.sh), which starts only when every task of the array has succeeded (afterok; if one
# fails, Slurm cancels the merge job instead of leaving it pending).
#   Benchmarks/slurm/submit.sh SWEEP.yaml N DIR [TASKS]
# TASKS (default 1-N) is an --array list: give the failed shards (e.g. 3 or 2,5) to resubmit
# them alone; they resume, and a new merge job waits for them. Prints "ARRAY_JOB_ID MERGE_JOB_ID".
# Job logs go to DIR/logs/. Other sbatch options come from sbatch's own environment variables
# (SBATCH_PARTITION, SBATCH_TIMELIMIT, SBATCH_ACCOUNT, ...) and, for the shards only, from
# $SHARD_SBATCH_ARGS (e.g. "--cpus-per-task=4"). The binary is $LRBENCH (exported to the jobs).
set -euo pipefail
if [ $# -lt 3 ] || [ $# -gt 4 ]; then
    echo "usage: $0 SWEEP.yaml N DIR [TASKS]" >&2; exit 2
fi
file=$1 n=$2 dir=$3 tasks=${4:-1-$2}
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$file" ] || { echo "submit.sh: no sweep file '$file'" >&2; exit 2; }
case $n in ''|*[!0-9]*|0) echo "submit.sh: N must be a whole number >= 1, got '$n'" >&2; exit 2;; esac
mkdir -p "$dir/logs"
# shellcheck disable=SC2086  # SHARD_SBATCH_ARGS is a list of options
array=$(sbatch --parsable --array="$tasks" --output="$dir/logs/shard-%a-job-%A.out" ${SHARD_SBATCH_ARGS:-} \
        "$here/sweep-array.sh" "$file" "$n" "$dir")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --output="$dir/logs/merge-job-%j.out" \
        "$here/merge.sh" "$n" "$dir")
echo "${array} ${merge%%;*}"
