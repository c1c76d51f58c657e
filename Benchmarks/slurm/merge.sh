#!/bin/bash
# The merge job of a sharded sweep: joins DIR/shard-1 ... DIR/shard-N into OUT (default DIR/merged)
# once every shard has succeeded:
#   sbatch --dependency=afterok:ARRAY_JOB_ID Benchmarks/slurm/merge.sh N DIR [OUT]
# The shards are named one by one, so a missing or unfinished shard is an error, not a gap.
# The lrbench binary is $LRBENCH (default .build/release/lrbench, from the submission folder).
#SBATCH --job-name=lrbench-merge
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: sbatch --dependency=afterok:ARRAY_JOB_ID $0 N DIR [OUT]" >&2; exit 2
fi
n=$1 dir=$2 out=${3:-$2/merged}
case $n in ''|*[!0-9]*|0) echo "merge.sh: N must be a whole number >= 1, got '$n'" >&2; exit 2;; esac
shards=()
for k in $(seq 1 "$n"); do shards+=("$dir/shard-$k"); done
exec "${LRBENCH:-.build/release/lrbench}" merge "${shards[@]}" --out "$out"
