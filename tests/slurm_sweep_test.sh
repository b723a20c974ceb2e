#!/usr/bin/env bash
# `loadlab-cli sweep --executor slurm` on a real one-node Slurm cluster that this test starts
# and stops itself: munged, slurmctld and slurmd from Debian's packages (slurm-wlm, munge),
# with every state, spool, pid, log and socket file in a temporary directory and ports that
# were free a moment ago, so it touches nothing of the machine's own (no systemd, no
# /etc/slurm, no /run/munge: munged gets a socket of its own, in a directory owned by munge).
# Each daemon is stopped by its process id when the test ends, passed or failed.
#
# It checks: the merged result is byte for byte the local sweep's; a shard that fails (its
# output cannot be written) is named with its log and no result is written, and --resume
# reruns just that shard and completes; Ctrl-C cancels the array and leaves no job in the
# queue; sbatch's refusal and an unwritable work directory exit 2 with nothing submitted.
#
# Without the packages or root it is skipped (exit 77, ctest's SKIP_RETURN_CODE), unless
# LOADLAB_REQUIRE_SLURM=1 (CI sets it): then a missing Slurm is a failure.
set -euo pipefail
cli=$1
[[ -x $cli ]] || { echo "usage: $0 PATH/TO/loadlab-cli"; exit 1; }

skip() {
  if [[ ${LOADLAB_REQUIRE_SLURM:-0} == 1 ]]; then
    echo "FAILED: $* (LOADLAB_REQUIRE_SLURM=1: Slurm must be there; bash packaging/install-deps.sh)"
    exit 1
  fi
  echo "SKIPPED: $* (bash packaging/install-deps.sh installs slurm-wlm and munge)"
  exit 77
}
export PATH=$PATH:/usr/sbin:/sbin
for program in munged mungekey slurmctld slurmd sbatch squeue scancel sinfo setpriv; do
  command -v "$program" > /dev/null || skip "'$program' is not installed"
done
[[ $(id -u) == 0 ]] || skip "a test cluster needs root (SlurmUser=root, munged as the munge user)"
id munge > /dev/null 2>&1 || skip "there is no 'munge' user (the munge package creates it)"

tmp=$(mktemp -d /tmp/loadlab-slurm.XXXXXX)
chmod 755 "$tmp"  # the munge user must reach its own directory inside
daemons=()        # "name pid", stopped in reverse order
stop_daemons() {
  local status=$?
  trap - EXIT
  if [[ -n ${SLURM_CONF:-} ]] && ((${#daemons[@]} > 1)); then
    # Jobs of a failed check are cancelled first, so no task outlives the cluster.
    scancel --name=loadlab-sweep > /dev/null 2>&1 || true
  fi
  for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do
    read -r name pid <<< "${daemons[i]}"
    kill -TERM "$pid" 2> /dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2> /dev/null && echo "$name (pid $pid) did not stop on SIGTERM: killed"
    wait "$pid" 2> /dev/null || true
  done
  if ((status != 0)); then
    for log in "$tmp"/log/*; do echo "--- $log"; tail -20 "$log"; done
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap stop_daemons EXIT

fail() {
  echo "FAILED: $*"
  exit 1
}

# A TCP port nobody listens on: a random one, asked until a connection to it is refused.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
      echo "$port"
      return
    fi
  done
  fail "no free port found"
}

started=$(date +%s%N)  # munged, slurmctld and slurmd up: how long it takes is printed
mkdir -p "$tmp"/{munge,state,spool,log,work}
chown munge:munge "$tmp/munge"
chmod 755 "$tmp/munge"  # munged wants its socket directory searchable by all
key=/etc/munge/munge.key  # the one the munge package generates
if [[ ! -r $key ]]; then
  key=$tmp/munge/munge.key
  setpriv --reuid=munge --regid=munge --init-groups mungekey --create --keyfile="$key"
fi
socket=$tmp/munge/munge.socket
setpriv --reuid=munge --regid=munge --init-groups munged --foreground --key-file="$key" --socket="$socket" \
  --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/munged.seed" --log-file=/dev/null \
  > "$tmp/log/munged.log" 2>&1 &
daemons+=("munged $!")
for _ in $(seq 50); do [[ -S $socket ]] && break; sleep 0.1; done
[[ -S $socket ]] || fail "munged did not create its socket"

host=$(hostname -s)
ctld_port=$(free_port)
slurmd_port=$(free_port)
while [[ $slurmd_port == "$ctld_port" ]]; do slurmd_port=$(free_port); done
export SLURM_CONF=$tmp/slurm.conf
cat > "$SLURM_CONF" << EOF
ClusterName=loadlabtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" > "$tmp/log/slurmctld.out" 2>&1 &
daemons+=("slurmctld $!")
slurmd -D -N "$host" -f "$SLURM_CONF" > "$tmp/log/slurmd.out" 2>&1 &
daemons+=("slurmd $!")
up=false
for _ in $(seq 100); do
  if sinfo -h -o %T 2> /dev/null | grep -qx idle; then up=true; break; fi
  sleep 0.2
done
$up || fail "the one-node cluster did not come up within 20 s"
echo "cluster up in $((($(date +%s%N) - started) / 1000000)) ms: slurmctld on port $ctld_port, slurmd on" \
  "$slurmd_port, node $host with $(nproc) CPUs"

queue_is_empty() { [[ -z $(squeue -h -o %i) ]]; }
sweep=(sweep --nodes 3 --requests 3000 --hit-us 50 --miss-us 400 --vary rate=1000:3000:1000
  --vary balancer=round-robin,p2c --seeds 3)
work=$tmp/work

"$cli" "${sweep[@]}" -q --csv "$work/local.csv" --csv-runs "$work/local.runs.csv" --json "$work/local.json"

echo "== three shards on Slurm merge into the local sweep's bytes (--csv, --csv-runs, --json)"
"$cli" "${sweep[@]}" --executor slurm --jobs 3 --workdir "$work/a" --csv "$work/a.csv" \
  --csv-runs "$work/a.runs.csv" --json "$work/a.json" > "$work/a.out" 2>&1 ||
  { cat "$work/a.out"; fail "the sweep on Slurm exited $?"; }
cmp "$work/local.csv" "$work/a.csv" || fail "the merged CSV differs from the local sweep"
cmp "$work/local.runs.csv" "$work/a.runs.csv" || fail "the merged --csv-runs differs from the local sweep"
cmp "$work/local.json" "$work/a.json" || fail "the merged --json differs from the local sweep"
grep -q "0 pending, 0 running, 3 done, 0 failed of 3 shards" "$work/a.out" || { cat "$work/a.out"; fail "no progress"; }
queue_is_empty || fail "jobs left in the queue"

echo "== --assert on the merged result gives the local sweep's verdicts (--resume of a finished sweep)"
status=0
"$cli" "${sweep[@]}" -q --assert 'throughput_rps>1500' > "$work/assert-local.out" 2>&1 || status=$?
((status == 99)) || fail "the local sweep's assertion exited $status"
status=0
"$cli" sweep --resume "$work/a" -q --assert 'throughput_rps>1500' > "$work/assert-slurm.out" 2>&1 || status=$?
((status == 99)) || { cat "$work/assert-slurm.out"; fail "the assertion on Slurm's result exited $status, not 99"; }
diff "$work/assert-local.out" "$work/assert-slurm.out" || fail "the assertions' verdicts differ"
grep -c "assertion failed: throughput_rps>1500 at rate=1000" "$work/assert-slurm.out" | grep -qx 2 ||
  fail "not both rate=1000 points failed"
cmp "$work/local.csv" "$work/a.csv" || fail "the merged CSV changed on --resume"

echo "== a failed shard is named with its log, nothing is written, --resume completes"
mkdir -p "$work/b/shards/shard-1.csv.partial"  # a directory where shard 1 writes its CSV
status=0
"$cli" "${sweep[@]}" --executor slurm --jobs 3 --workdir "$work/b" --csv "$work/b.csv" > "$work/b.out" 2>&1 || status=$?
cat "$work/b.out"
((status == 1)) || fail "a failed shard exited $status, not 1"
grep -q "shard 1 failed" "$work/b.out" || fail "the failed shard is not named"
grep -q "| loadlab-cli: error: cannot write 'shards/shard-1.csv.partial'" "$work/b.out" ||
  fail "its log's last lines are not shown"
grep -q "1 of 3 shards failed (1); no --csv written" "$work/b.out" || fail "no summary"
[[ ! -e $work/b.csv ]] || fail "a partial result was written"
rmdir "$work/b/shards/shard-1.csv.partial"
"$cli" sweep --resume "$work/b" > "$work/b2.out" 2>&1 || { cat "$work/b2.out"; fail "--resume exited $?"; }
cat "$work/b2.out"
grep -q "1 of 3 shards submitted (array 1)" "$work/b2.out" || fail "--resume did not submit just shard 1"
cmp "$work/local.csv" "$work/b.csv" || fail "the resumed sweep differs from the local one"

echo "== Ctrl-C cancels the array and leaves nothing in the queue"
long=(sweep --nodes 3 --requests 2000000 --vary rate=1000:3000:1000 --seeds 2)
"$cli" "${long[@]}" --executor slurm --jobs 3 --workdir "$work/c" --csv "$work/c.csv" > "$work/c.out" 2>&1 &
sweep_pid=$!
running=false
for _ in $(seq 150); do
  if grep -q " [1-9] running" "$work/c.out"; then running=true; break; fi
  sleep 0.2
done
$running || { cat "$work/c.out"; fail "no shard started running within 30 s"; }
kill -INT "$sweep_pid"
status=0
wait "$sweep_pid" || status=$?
cat "$work/c.out"
((status == 130)) || fail "Ctrl-C exited $status, not 130"
grep -q "interrupted: cancelled Slurm job [0-9]*; 0 of 3 shards had finished" "$work/c.out" ||
  fail "it does not say what was cancelled and what finished"
queue_is_empty || { squeue; fail "jobs left in the queue after Ctrl-C"; }
[[ ! -e $work/c.csv ]] || fail "a result was written after Ctrl-C"

echo "== sbatch's refusal and an unwritable work directory: exit 2, nothing submitted"
for bad in "--sbatch-arg=--partition=no-such-partition|invalid partition specified" \
  "--sbatch-arg=--no-such-option|unrecognized option '--no-such-option'" \
  "--jobs=0|--jobs: 0" \
  "--workdir=$work/local.csv/under-a-file|cannot create the directory"; do
  flag=${bad%%|*}
  message=${bad#*|}
  [[ $flag == --workdir=* ]] || flag="$flag --workdir=$work/d"
  status=0
  # shellcheck disable=SC2086 # $flag is one or two words
  out=$("$cli" "${sweep[@]}" --executor slurm $flag --csv "$work/d.csv" 2>&1) || status=$?
  ((status == 2)) || { echo "$out"; fail "$flag exited $status, not 2"; }
  [[ $out == *"$message"* ]] || { echo "$out"; fail "$flag: sbatch's message is not shown"; }
  queue_is_empty || fail "$flag submitted a job"
  [[ ! -e $work/d/submitted.json && ! -e $work/d.csv ]] || fail "$flag left a submission behind"
done
echo "PASSED"
