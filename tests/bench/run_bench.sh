#!/usr/bin/env bash
# run_bench.sh -- how much tocm's loader and validator cost over bare jansson
# (issue 2, item 4).
#
# Usage: tests/bench/run_bench.sh [-n NODES] [-r RUNS] [-b BENCH_LOAD] [-k FILE]
#                                 [-m MODEL]
#   -n NODES       size of the synthetic model (default 100000)
#   -r RUNS        runs of each mode (default 7)
#   -b BENCH_LOAD  the bench_load binary (default build/bench_load)
#   -k FILE        keep the generated model in FILE (default: a temporary file)
#   -m MODEL       time MODEL as it is instead of generating one (a kept one:
#                  1,000,000 nodes take a minute to generate)
#
# Generates a model with gen_model.py, then runs `bench_load jansson` and
# `bench_load tocm` alternately, each in a process of its own, and prints the
# median wall time, CPU time and peak RSS of each mode, and tocm/jansson
# ratios, with the load average (CPU time is the steadier figure when other
# work shares the machine).
# Build first (cmake --build build); a Release or RelWithDebInfo build gives
# meaningful figures, a sanitizer build does not.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
nodes=100000
runs=7
bench=$root/build/bench_load
keep=""
given=""
while getopts "n:r:b:k:m:h" opt; do
  case $opt in
  n) nodes=$OPTARG ;;
  r) runs=$OPTARG ;;
  b) bench=$OPTARG ;;
  k) keep=$OPTARG ;;
  m) given=$OPTARG ;;
  *)
    sed -n '2,21s/^# \{0,1\}//p' "$0"
    [[ $opt == h ]] && exit 0 || exit 2
    ;;
  esac
done
if [[ ! -x $bench ]]; then
  echo "run_bench.sh: $bench not found: build first (cmake --build build)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -n $given ]]; then
  model=$given
else
  model=${keep:-$work/model.json}
  echo "generating a $nodes-node model..."
  python3 "$here/gen_model.py" -n "$nodes" -o "$model"
fi
echo "model: $(du -h "$model" | cut -f1), $(wc -l <"$model") lines; $runs runs per mode, interleaved"

results=$work/results
: >"$results"
for ((i = 1; i <= runs; i++)); do
  for mode in jansson tocm; do
    line=$("$bench" "$mode" "$model")
    echo "  run $i: $line"
    echo "$line" >>"$results"
  done
done

python3 - "$results" <<'PY'
import os, statistics, sys
rows = [dict(f.split("=", 1) for f in line.split()) for line in open(sys.argv[1])]
med = {}
for mode in ("jansson", "tocm"):
    mine = [r for r in rows if r["mode"] == mode]
    med[mode] = (statistics.median(float(r["seconds"]) for r in mine),
                 statistics.median(float(r["cpu_seconds"]) for r in mine),
                 statistics.median(int(r["maxrss_kb"]) for r in mine),
                 mine[0]["nodes"])
print()
print(f"{'mode':<12} {'median time':>12} {'median CPU':>12} {'median peak RSS':>16} {'nodes':>8}")
for mode, (t, c, rss, n) in med.items():
    print(f"{mode:<12} {t * 1000:>9.1f} ms {c * 1000:>9.1f} ms {rss / 1024:>12.1f} MiB {n:>8}")
(tj, cj, rj, _), (tt, ct, rt, _) = med["jansson"], med["tocm"]
print(f"{'tocm/jansson':<12} {tt / tj:>11.2f}x {ct / cj:>11.2f}x {rt / rj:>15.2f}x")
print("load average: %.2f %.2f %.2f" % os.getloadavg())
PY
