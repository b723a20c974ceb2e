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
