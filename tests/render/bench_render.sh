#!/usr/bin/env bash
# bench_render.sh -- how long `tocm render` takes on large models (issue 12,
# item 8). Not run by ctest.
#
# Usage: tests/render/bench_render.sh [-r RUNS] [-t TOCM] [-T FORMAT] [-k SECONDS]
#                                     [-c CASE]... [SIZES...]
#   -r RUNS     runs per size and case (default 3; the median is reported)
#   -t TOCM     the tocm binary (default build/tocm)
#   -T FORMAT   the format (default svg)
#   -k SECONDS  give up on a render after this long (default 120; shown as >N)
#   -c CASE     what to draw, as render flags (repeatable); default:
#               "--view full", "--view outcomes", "--view country:KH",
#               "--view full --projects list", "--view full --projects count"
#   SIZES       node counts (default 500 2000 5000 20000)
#
# Generates each model with tests/bench/gen_model.py (seed 1), renders each
# case RUNS times with --force (so views above the size limit are timed
# too), and prints per case the nodes drawn, the median wall time, the
# median CPU time (user + system: on a shared machine the wall time grows
# with the load, the CPU time much less), the range of the wall times, and
# the load average before and after. Use a Release or RelWithDebInfo build;
# a sanitizer build is several times slower.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=3
tocm=$root/build/tocm
format=svg
limit=120
cases=()
while getopts "r:t:T:k:c:h" opt; do
  case $opt in
  r) runs=$OPTARG ;;
  t) tocm=$OPTARG ;;
  T) format=$OPTARG ;;
  k) limit=$OPTARG ;;
  c) cases+=("$OPTARG") ;;
  *)
    sed -n '2,22s/^# \{0,1\}//p' "$0"
    [[ $opt == h ]] && exit 0 || exit 2
    ;;
  esac
done
shift $((OPTIND - 1))
sizes=("$@")
((${#sizes[@]})) || sizes=(500 2000 5000 20000)
((${#cases[@]})) || cases=("--view full" "--view outcomes" "--view country:KH"
  "--view full --projects list" "--view full --projects count")
if [[ ! -x $tocm ]]; then
  echo "bench_render.sh: $tocm not found: build first (cmake --build build)" >&2
  exit 2
fi
[[ -x /usr/bin/time ]] || {
  echo "bench_render.sh: needs /usr/bin/time (Debian: time)" >&2
  exit 2
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
# The median of the arguments (the upper one of an even count).
median() { printf '%s\n' "$@" | sort -n | sed -n "$(($# / 2 + 1))p"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "load average before: $(load) on $(nproc) cores; $runs runs each, format $format"
printf '%-6s %-30s %6s %9s %8s %14s\n' nodes case drawn "wall s" "cpu s" "wall range"
for n in "${sizes[@]}"; do
  model=$work/model-$n.json
  python3 "$root/tests/bench/gen_model.py" -n "$n" --seed 1 -o "$model"
  for c in "${cases[@]}"; do
    # shellcheck disable=SC2086 # the case is a list of flags
    drawn=$("$tocm" render "$model" $c -T canon --force 2>/dev/null |
      grep -c 'class="level-' || true)
    walls=() cpus=() over=0
    for ((i = 1; i <= runs; i++)); do
      # shellcheck disable=SC2086
      if ! timeout "$limit" /usr/bin/time -f '%e %U %S' -o "$work/time" \
        "$tocm" render "$model" $c -T "$format" --force -o "$work/out" 2>/dev/null; then
        over=1
        break
      fi
      read -r wall user sys <"$work/time"
      walls+=("$wall")
      cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
    done
    if ((over)); then
      printf '%-6s %-30s %6s %9s %8s %14s\n' "$n" "$c" "$drawn" ">$limit" - -
      continue
    fi
    low=$(printf '%s\n' "${walls[@]}" | sort -n | head -1)
    high=$(printf '%s\n' "${walls[@]}" | sort -n | tail -1)
    printf '%-6s %-30s %6s %9.2f %8.2f %14s\n' "$n" "$c" "$drawn" \
      "$(median "${walls[@]}")" "$(median "${cpus[@]}")" \
      "$(printf '%.2f-%.2f' "$low" "$high")"
  done
done
echo "load average after: $(load)"
