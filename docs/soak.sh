#!/usr/bin/env bash
# Soak: 10 minutes at full rate with a kill or revive every 3 seconds, replication, writes
# and retries; prints the resident memory every 10 s, then the run's table.
# Usage: bash docs/soak.sh [path/to/loadlab-cli]   (default build/release/loadlab-cli)
set -u
cli=${1:-build/release/loadlab-cli}
faults=()
names=(a b c d e f g h)
for ((t=3; t<600; t+=3)); do
  i=$(( (t/3) % 8 )); n=${names[$i]}
  # each node in turn: killed on one pass over the nodes, revived on the next
  if (( (t/24) % 2 == 0 )); then faults+=(--fault "$t:kill:$n"); else faults+=(--fault "$t:revive:$n"); fi
done
"$cli" run --max --nodes 8 --cache lru --cache-capacity 1000 --keys 100000 --zipf 1.0 \
  --hit-us 0 --miss-us 0 --duration 600 --requests 0 --max-fails 1 --fail-timeout 1 --slow-start 2 --retries 1 \
  --partitioning hash --replication 3 --write-quorum 2 --writes 0.1 "${faults[@]}" &
pid=$!
while kill -0 $pid 2>/dev/null; do
  echo "t=$(( SECONDS ))s rss=$(grep VmRSS /proc/$pid/status 2>/dev/null | awk '{print $2}') kB"
  sleep 10
done
wait $pid
