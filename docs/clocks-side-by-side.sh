#!/usr/bin/env bash
# Every preset on both clocks, side by side: requests per node, hit ratio and mean latency
# (10,000 requests each by default; a preset whose faults come later sees none of them).
# Usage: bash docs/clocks-side-by-side.sh [path/to/loadlab-cli]   (default build/release/loadlab-cli)
# Run it on a quiet machine: the real clock's latency includes what the machine adds.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-build/release/loadlab-cli}
requests=${REQUESTS:-10000}  # per preset, so the real runs take seconds (REQUESTS=0 keeps each preset's own)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '| preset | requests per node, real | virtual | hit ratio real / virtual | mean latency real / virtual |\n|---|---|---|---|---|\n'
for preset in resources/presets/*.json; do
  name=$(basename "$preset" .json)
  for clock in real virtual; do
    "$cli" run "$preset" --clock "$clock" --requests "$requests" -q --csv "$out/$clock" > /dev/null
  done
  row() {  # node requests joined by '/', then total hit ratio and mean
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
             $col["node"] == "total" { hit = $col["hit_ratio"]; mean = $col["mean_us"]; next }
             { reqs = reqs (reqs == "" ? "" : "/") $col["requests"] }
             END { printf "%s,%.3f,%.0f", reqs, hit, mean }' "$1/summary.csv"
  }
  IFS=, read -r rq rh rm <<< "$(row "$out/real")"
  IFS=, read -r vq vh vm <<< "$(row "$out/virtual")"
  printf '| %s | %s | %s | %s / %s | %s / %s µs |\n' "$name" "$rq" "$vq" "$rh" "$vh" "$rm" "$vm"
done
