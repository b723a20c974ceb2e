#!/usr/bin/env bash
# Regenerates every screenshot in docs/ from the real program: each preset runs for eight
# seconds in the window (offscreen, no display needed) and the whole window is saved.
# Usage: bash docs/make-screenshots.sh [path/to/loadlab]   (default build/release/loadlab)
set -euo pipefail
cd "$(dirname "$0")/.."
loadlab=${1:-build/release/loadlab}
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
for preset in resources/presets/*.json; do
  name=$(basename "$preset" .json)
  "$loadlab" --preset "$name" --autostart --quit-after 8 --screenshot "docs/screenshots/$name.png" 2> /dev/null
  echo "docs/screenshots/$name.png"
done
cp docs/screenshots/weights-5-3-1.png docs/screenshot.png
# The views beyond the default four charts, each on the preset whose lesson it shows.
export XDG_CONFIG_HOME=$(mktemp -d)  # no remembered window layout
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
"$loadlab" --preset weights-5-3-1 --clock 10x --latency-view mean --autostart --quit-after 8 \
  --screenshot docs/screenshots/latency-per-node.png 2> /dev/null
"$loadlab" --preset slow-node --clock 10x --latency-view distribution --autostart --quit-after 8 \
  --screenshot docs/screenshots/latency-distribution.png 2> /dev/null
"$loadlab" --preset weights-5-3-1 --proxy-config nginx --autostart --quit-after 4 \
  --screenshot docs/screenshots/proxy-configuration.png 2> /dev/null
# The What-if tab: latency against load for three balancers, swept while the window waits.
"$loadlab" --preset weights-5-3-1 --what-if rate=1000:6000:500 \
  --what-if-by balancer=weighted-round-robin,least-connections,p2c --what-if-target 20 --quit-after 25 \
  --screenshot docs/screenshots/what-if.png 2> /dev/null
# A/B: weights 5/3/1 under weighted round robin against least connections, same requests.
"$loadlab" --preset weights-5-3-1 --ab balancer=least-connections --quit-after 8 \
  --screenshot docs/screenshots/ab.png 2> /dev/null
# The same question headless: a sweep's CSV drawn by loadlab-cli plot.
cli="$(dirname "$loadlab")/loadlab-cli"
sweep_csv=$(mktemp --suffix .csv)
"$cli" sweep resources/presets/hockey-stick.json --vary rate=100:950:50 --seeds 5 --requests 50000 -q \
  --csv "$sweep_csv"
"$cli" plot "$sweep_csv" --x rate --y mean_us --target 10000 --size 1000x600 \
  --out docs/screenshots/plot-hockey-stick.png 2> /dev/null
rm -f "$sweep_csv"
echo docs/screenshots/latency-per-node.png docs/screenshots/latency-distribution.png \
  docs/screenshots/proxy-configuration.png docs/screenshots/what-if.png docs/screenshots/ab.png docs/screenshots/plot-hockey-stick.png
