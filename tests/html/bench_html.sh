#!/usr/bin/env bash
# bench_html.sh -- times `tocm report --format html` on the bundled model and
# on a generated model with 500 indicators (gen_big.py), and prints the page
# sizes. Not run by ctest (timings depend on the machine); the figures go in
# the notes with the load average beside them.
#   tests/html/bench_html.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
runs=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 tests/html/gen_big.py "$work/big" 500 >/dev/null
echo "load: $(uptime | sed 's/.*load average: //')"
for model in models/asean-act-2021/model.json "$work/big/model.json"; do
  best=
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    "$build/tocm" report "$model" --format html -o "$work/page.html"
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  json_start=$(date +%s.%N)
  "$build/tocm" report "$model" --format json -o "$work/report.json"
  json_t=$(echo "$(date +%s.%N) - $json_start" | bc)
  printf '%s: html %.2f s (best of %s), json alone %.2f s, page %s bytes\n' \
    "$model" "$best" "$runs" "$json_t" "$(stat -c %s "$work/page.html")"
done
