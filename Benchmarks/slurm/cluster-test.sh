#!/bin/bash
# `make cluster-test`: the Slurm path run for real, on a one-node cluster on this machine.
#   Benchmarks/slurm/cluster-test.sh LRBENCH [REFERENCE]
# Starts munged, slurmctld and slurmd (loopback addresses, free ports, a generated slurm.conf,
# all state, sockets and logs in a temporary folder), then
#   1. submits the quick sweep as a job array of $SHARDS shards plus the merge job after it
#      (submit.sh), waits, and checks the merged result equals the unsharded run: targets.csv
#      byte for byte, summary.csv cell for cell (exact text) apart from its two wall-clock columns
#      (seconds_to_target_median, seconds_per_step_median), runs.jsonl record for record
#      without timing fields (Benchmarks/perf/compare_runs.py);
#   2. cuts one shard's runs.jsonl in half (what a killed shard leaves), resubmits that shard
#      alone with a new merge job, checks that it resumed (reused the surviving runs) and that
#      the merged result still equals the unsharded run;
#   3. submits a shard that fails and checks that Slurm cancels its merge job (afterok).
# REFERENCE is an unsharded result folder of the same sweep (make regress's results/quick) reused
# when it is complete and newer than LRBENCH; otherwise the unsharded sweep is run here.
# Stops the daemons it started, by PID, on success and on failure; prints their logs and the
# job logs on failure. Needs root (slurmd runs the jobs) and slurm-wlm and munge installed
# (`make cluster-test` installs them). Environment: SWEEP (Benchmarks/sweeps/quick.yaml),
# SHARDS (3), CLUSTER_TIMEOUT (seconds per wait, 600), KEEP=1 keeps the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=Benchmarks/slurm
if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: $0 LRBENCH [REFERENCE]" >&2; exit 2; fi
LRBENCH=$(realpath "$1"); export LRBENCH
reference=${2:-}
sweep=${SWEEP:-Benchmarks/sweeps/quick.yaml}
shards=${SHARDS:-3}
timeout=${CLUSTER_TIMEOUT:-600}
[ -x "$LRBENCH" ] || { echo "cluster-test: no lrbench binary at $1 (make build)" >&2; exit 2; }
for tool in munged slurmctld slurmd sbatch squeue scontrol; do
    command -v "$tool" >/dev/null || { echo "cluster-test: $tool not found (install slurm-wlm and munge)" >&2; exit 2; }
done

start=$(date +%s)
tmp=$(mktemp -d /tmp/lrbench-cluster.XXXXXX)
chmod 711 "$tmp"   # the munge socket needs x on its folder; the key itself is 0400
work=$tmp/sweep            # the shards, their logs and the merged result
pids=()                    # the daemons we started, stopped in reverse order
submitted=()               # the jobs we submitted, cancelled before the daemons stop
say() { echo "cluster-test: $*"; }

show_logs() {
    for f in "$tmp"/*.out "$tmp"/munged.log "$tmp"/slurmctld.log "$tmp"/slurmd.log "$work"/logs/* "$tmp"/bad/logs/*; do
        [ -f "$f" ] || continue
        echo "----- $f (last 40 lines)"; tail -n 40 "$f"
    done
    echo "----- end of logs"
}
cleanup() {
    rc=$?
    trap - EXIT INT TERM
    if [ "$rc" != 0 ]; then echo "cluster-test: FAILED (exit $rc); logs follow" >&2; show_logs >&2; fi
    local i pid
    if [ ${#submitted[@]} -gt 0 ] && [ -n "$(squeue -h -j "$(IFS=,; echo "${submitted[*]}")" -o %i 2>/dev/null)" ]; then
        scancel "${submitted[@]}" 2>/dev/null || true
        for _ in $(seq 1 20); do
            [ -z "$(squeue -h -j "$(IFS=,; echo "${submitted[*]}")" -o %i 2>/dev/null)" ] && break; sleep 0.5
        done
    fi
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid=${pids[i]}
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "${KEEP:-0}" = 1 ]; then say "kept $tmp"; else rm -rf "$tmp"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
fail() { echo "cluster-test: $*" >&2; exit 1; }

# Every daemon must still be alive while we wait on it.
check_daemons() {
    local name pid
    for name in munged slurmctld slurmd; do
        pid=$(cat "$tmp/$name.started" 2>/dev/null) || continue
        kill -0 "$pid" 2>/dev/null || fail "$name (pid $pid) exited; see $tmp/$name.log below"
    done
}
# wait_for DESCRIPTION COMMAND...: polls COMMAND every half second, at most $timeout seconds.
wait_for() {
    local what=$1; shift
    local deadline=$(($(date +%s) + timeout))
    until "$@" >/dev/null 2>&1; do
        check_daemons
        [ "$(date +%s)" -lt "$deadline" ] || fail "timed out after $timeout s waiting for $what (CLUSTER_TIMEOUT)"
        sleep 0.5
    done
}
daemon() {  # daemon NAME COMMAND...: starts COMMAND in the foreground of a background job
    local name=$1; shift
    "$@" >"$tmp/$name.out" 2>&1 &
    pids+=($!)
    echo $! >"$tmp/$name.started"
}
# Two distinct free ports, for slurmctld and slurmd (both sockets held open until both are known).
free_ports() {
    python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))'
}

# --- munge: our own key and socket, nothing in /etc/munge is used or changed.
if command -v mungekey >/dev/null; then
    mungekey --create --keyfile="$tmp/munge.key" >/dev/null
else
    dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 status=none
fi
chmod 400 "$tmp/munge.key"
daemon munged munged --foreground --force --key-file="$tmp/munge.key" --socket="$tmp/munge.sock" \
    --pid-file="$tmp/munged.pid" --log-file="$tmp/munged.log" --seed-file="$tmp/munge.seed"
wait_for "munged's socket" test -S "$tmp/munge.sock"

# --- Slurm: one node (this machine under its own name, at 127.0.0.1), two CPUs.
node=$(hostname -s)
read -r ctld_port slurmd_port <<<"$(free_ports)"
[ -n "$slurmd_port" ] || fail "could not find two free ports on 127.0.0.1"
mkdir -p "$tmp/state" "$tmp/spool"
cat >"$tmp/slurm.conf" <<CONF
ClusterName=lrbench-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge.sock
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge=600
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=2 State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
daemon slurmctld slurmctld -D -i -f "$SLURM_CONF"
daemon slurmd slurmd -D -f "$SLURM_CONF" -N "$node"
node_idle() { [ "$(sinfo -h -n "$node" -o %T 2>/dev/null)" = idle ]; }
wait_for "slurmctld to answer" scontrol ping
wait_for "node $node to be idle" node_idle
say "one-node cluster up ($node, slurm.conf in $tmp) after $(($(date +%s) - start)) s"

# --- Jobs.
# finished JOB...: none of the jobs is pending or running any more.
finished() { local q; q=$(squeue -h -j "$(IFS=,; echo "$*")" -o %i) && [ -z "$q" ]; }
# states JOB: the state of every task of the job, one per line.
states() { scontrol -o show job "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }
submit() {  # submit [TASKS]: sets $array and $merge
    local ids
    ids=$("$here/submit.sh" "$sweep" "$shards" "$work" "$@") || fail "submit.sh failed"
    read -r array merge <<<"$ids"
    submitted+=("$array" "$merge")
}
run_and_check() {  # run_and_check WHAT: waits for $array and $merge, which must complete
    wait_for "$1 (jobs $array and $merge)" finished "$array" "$merge"
    local bad
    bad=$( { states "$array"; states "$merge"; } | grep -vx COMPLETED || true)
    [ -z "$bad" ] || fail "$1: a job ended $(echo $bad) instead of COMPLETED (scontrol show job $array / $merge)"
}
compare() {  # compare WHAT: the merged result against the unsharded reference
    local m=$work/merged
    cmp "$reference/targets.csv" "$m/targets.csv" || fail "$1: targets.csv differs from the unsharded run's"
    python3 - "$reference/summary.csv" "$m/summary.csv" <<'PY' || fail "$1: summary.csv differs from the unsharded run's"
import csv, sys
WALL_CLOCK = {"seconds_to_target_median", "seconds_per_step_median"}
def rows(path):
    with open(path, newline="") as f:
        table = list(csv.reader(f))
    keep = [i for i, name in enumerate(table[0]) if name not in WALL_CLOCK]
    return [[r[i] for i in keep] for r in table]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
for i, (x, y) in enumerate(zip(a, b)):
    if x != y:
        sys.exit(f"first difference at line {i + 1}:\n  unsharded {x}\n  merged    {y}")
if len(a) != len(b):
    sys.exit(f"{len(a)} lines unsharded, {len(b)} merged")
PY
    local verdict
    verdict=$(python3 Benchmarks/perf/compare_runs.py "$reference/runs.jsonl" "$m/runs.jsonl")
    case $verdict in *'"identical": true'*) ;; *) fail "$1: runs.jsonl differs from the unsharded run's: $verdict";; esac
    say "$1: merged summary.csv, targets.csv and runs.jsonl equal the unsharded run's ($verdict)"
}

t0=$(date +%s)
submit
say "submitted $shards shards of $sweep (array job $array) and the merge (job $merge)"

# The unsharded reference, while the cluster works (or make regress's, when it is current).
if [ -n "$reference" ] && [ -f "$reference/summary.csv" ] && [ -f "$reference/targets.csv" ] &&
   [ -f "$reference/runs.jsonl" ] && [ "$reference/summary.csv" -nt "$LRBENCH" ] &&
   cmp -s "$reference/sweep.yaml" "$sweep"; then
    say "unsharded reference: $reference (newer than $LRBENCH)"
else
    say "unsharded reference: running $sweep unsharded"
    "$LRBENCH" sweep "$sweep" --out "$tmp/unsharded" --quiet
    reference=$tmp/unsharded
fi

run_and_check "the array and the merge"
say "array and merge done in $(($(date +%s) - t0)) s"
compare "sharded run"

# A shard killed half way, resubmitted alone: it resumes and the merge is redone.
cut=2
jsonl=$work/shard-$cut/runs.jsonl
total=$(grep -c . "$jsonl")
keep=$((total / 2))
head -n "$keep" "$jsonl" >"$jsonl.cut" && mv "$jsonl.cut" "$jsonl"
rm -rf "$work/merged"
submit "$cut"
say "shard $cut cut to $keep of $total runs and resubmitted alone (job $array), merge job $merge"
run_and_check "the resubmitted shard"
log=$work/logs/shard-$cut-job-$array.out
[ -f "$log" ] || fail "the resubmitted shard left no log at $log"
grep -q " $((total - keep)) runs done, $keep reused" "$log" ||
    fail "shard $cut did not resume: its log does not say '$((total - keep)) runs done, $keep reused' ($log)"
compare "resubmitted shard"

# A failing shard: the merge job after it never runs (afterok), Slurm cancels it.
bad=$tmp/bad
mkdir -p "$bad/logs"
cat /dev/null >"$tmp/not-a-sweep.yaml"
ids=$(LRBENCH=/bin/false "$here/submit.sh" "$tmp/not-a-sweep.yaml" 1 "$bad") || fail "submit.sh failed"
read -r array merge <<<"$ids"
submitted+=("$array" "$merge")
wait_for "the failing shard (jobs $array and $merge)" finished "$array" "$merge"
[ "$(states "$array")" = FAILED ] || fail "the failing shard ended $(states "$array"), not FAILED"
[ "$(states "$merge")" = CANCELLED ] || fail "the merge after a failed shard ended $(states "$merge"), not CANCELLED"
[ ! -e "$bad/merged" ] || fail "the merge after a failed shard wrote $bad/merged"
say "a failed shard: its merge job was cancelled, nothing merged"

say "passed in $(($(date +%s) - start)) s"
