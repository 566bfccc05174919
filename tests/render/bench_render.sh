#!/usr/bin/env bash
# bench_render.sh -- how long `tocm render` takes on large models (issue 4,
# item 6). Not run by ctest.
#
# Usage: tests/render/bench_render.sh [-r RUNS] [-t TOCM] [-v VIEW] [-T FORMAT] [SIZES...]
#   -r RUNS    runs per size (default 5; the median is reported)
#   -t TOCM    the tocm binary (default build/tocm)
#   -v VIEW    the view (default full)
#   -T FORMAT  the format (default svg)
#   SIZES      node counts (default 500 2000 5000)
#
# Generates each model with tests/bench/gen_model.py (seed 1), then renders it
# RUNS times with --force (so sizes above the limit are timed too) and
# prints the median and the range of the wall times, and the size of the
# output. Use a Release or RelWithDebInfo build; a sanitizer build is
# several times slower.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=5
tocm=$root/build/tocm
view=full
format=svg
while getopts "r:t:v:T:h" opt; do
  case $opt in
  r) runs=$OPTARG ;;
  t) tocm=$OPTARG ;;
  v) view=$OPTARG ;;
  T) format=$OPTARG ;;
  *)
    sed -n '2,17s/^# \{0,1\}//p' "$0"
    [[ $opt == h ]] && exit 0 || exit 2
    ;;
  esac
done
shift $((OPTIND - 1))
sizes=("$@")
((${#sizes[@]})) || sizes=(500 2000 5000)
if [[ ! -x $tocm ]]; then
  echo "bench_render.sh: $tocm not found: build first (cmake --build build)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-7s %-12s %-6s %9s %14s %8s\n' nodes view format "median s" "range s" output
for n in "${sizes[@]}"; do
  model=$work/model-$n.json
  python3 "$root/tests/bench/gen_model.py" -n "$n" --seed 1 -o "$model"
  times=()
  for ((i = 1; i <= runs; i++)); do
    start=$EPOCHREALTIME
    "$tocm" render "$model" --view "$view" -T "$format" --force -o "$work/out" 2>/dev/null
    end=$EPOCHREALTIME
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(echo "$sorted" | sed -n "$(((runs + 1) / 2))p")
  low=$(echo "$sorted" | head -1)
  high=$(echo "$sorted" | tail -1)
  printf '%-7s %-12s %-6s %9.2f %14s %8s\n' "$n" "$view" "$format" "$median" \
    "$(printf '%.2f-%.2f' "$low" "$high")" "$(du -h "$work/out" | cut -f1)"
done
