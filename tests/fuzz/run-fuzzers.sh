#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60) from its seed corpus (the presets and one
# scenario per service and arrival model for the scenario parser, small traces of each format
# for the readers). Fails on a crash, a leak, a timeout or an out-of-memory. Runs from the
# repository root: the empirical seeds name latency files under tests/fuzz/data/.
# Inputs up to 64 KiB (libFuzzer guesses ~4 KB otherwise) so that deep nesting and long files
# are tried too.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
build=${2:-build/fuzz}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/scenario" "$work/trace" "$work/proxy_import" "$work/http_request"
cp resources/presets/*.json tests/fuzz/corpus/scenario/*.json "$work/scenario/"
cp tests/fuzz/corpus/trace/* "$work/trace/"
cp tests/fuzz/corpus/proxy/* "$work/proxy_import/"
cp tests/fuzz/corpus/http/* "$work/http_request/"
for target in scenario trace proxy_import http_request; do
  echo "fuzzing ${target} for ${seconds}s"
  "$build/${target}_fuzz" "$work/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/" 2>&1 | tail -12
done
