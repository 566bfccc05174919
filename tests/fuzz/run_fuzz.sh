#!/usr/bin/env bash
# run_fuzz.sh -- replays the seed corpora through the libFuzzer targets, then
# fuzzes each target for a fixed time, one after the other.
#
# Usage: run_fuzz.sh [--time SECONDS] [--timeout SECONDS] [--seed N] [--replay-only] BUILD_DIR [TARGET...]
#
#   BUILD_DIR   a build configured with -DTOCM_FUZZ=ON (see README.md here);
#               the targets are BUILD_DIR/fuzz/fuzz_NAME
#   TARGET      fuzz_NAME (default: every target built)
#   --time      seconds of fuzzing per target (default 15); .ci/run uses 12,
#               the long runs 3600
#   --timeout   wall-clock seconds one input may take before libFuzzer calls
#               it a hang (default 60); raise it when the fuzzers share a
#               busy machine at low priority, where a starved process can sit
#               that long on a 100-byte input (seen at a load average of 20)
#   --seed      libFuzzer's random seed (default: a new one each run). CI
#               passes a fixed seed so that its short runs are reproducible:
#               a gate that fails on one run in five for a bug nobody can
#               replay helps no one. Finding new bugs is the job of the long
#               runs, with fresh seeds; what they find goes into regress/.
#
# Each target's source (tests/fuzz/fuzz_NAME.c) says in its header comment
#   seeds: DIR:PATTERN ...   seed files: `find DIR -name PATTERN` (repo paths)
#   dict: FILE               its dictionary, in tests/fuzz
#   seed-prefix: HEX ...     bytes put before each seed, one copy per byte
# Seeds are copied into BUILD_DIR/fuzz-corpus/fuzz_NAME, which keeps what the
# fuzzer finds across runs; tests/fuzz/regress/fuzz_NAME/ holds inputs that
# once failed and is replayed every time. A failing input is saved as
# BUILD_DIR/fuzz-artifacts/fuzz_NAME-crash-... (or leak-, timeout-, oom-).
#
# Prints one line per target: executions, new corpus size, and the result.
# Exit status: 0 when no target failed, 1 otherwise, 2 on usage errors.
set -uo pipefail

seconds=15
per_input=60
seed=
replay_only=0
while (($#)); do
  case $1 in
    --time) seconds=$2; shift 2 ;;
    --timeout) per_input=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --replay-only) replay_only=1; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
if (($# < 1)) || [[ ! $seconds =~ ^[0-9]+$ ]] || [[ ! $per_input =~ ^[1-9][0-9]*$ ]] ||
   [[ -n $seed && ! $seed =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [--time SECONDS] [--timeout SECONDS] [--seed N] [--replay-only] BUILD_DIR [TARGET...]" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 2
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

targets=("$@")
if ((${#targets[@]} == 0)); then
  for bin in "$build"/fuzz/fuzz_*; do
    [[ -x $bin ]] && targets+=("$(basename "$bin")")
  done
fi
if ((${#targets[@]} == 0)); then
  echo "$0: no fuzz targets in $build/fuzz (configure with -DTOCM_FUZZ=ON)" >&2
  exit 2
fi

# A header field of a target's source: the words after " * NAME:".
field() { sed -n "s/^ \* $2: //p" "$1" | head -1; }

max_len=32768
# The targets write their inputs to files: keep those in memory when we can.
if [[ -z ${TMPDIR:-} && -d /dev/shm && -w /dev/shm ]]; then
  export TMPDIR=/dev/shm
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"
failed=0
for name in "${targets[@]}"; do
  bin=$build/fuzz/$name src=$here/$name.c
  if [[ ! -x $bin || ! -f $src ]]; then
    echo "$name: no such target"; failed=1; continue
  fi
  corpus=$build/fuzz-corpus/$name
  mkdir -p "$corpus"
  read -ra prefixes <<<"$(field "$src" seed-prefix)"
  for spec in $(field "$src" seeds); do
    dir=${spec%%:*} pattern=${spec#*:}
    [[ -d $root/$dir ]] || { echo "$name: seed folder $dir is missing"; failed=1; continue; }
    while IFS= read -r -d '' f; do
      (($(stat -c %s "$f") <= max_len)) || continue
      base=$(printf '%s' "${f#"$root"/}" | tr '/' '_')
      if ((${#prefixes[@]})); then
        for p in "${prefixes[@]}"; do
          { printf "\\x$p"; cat "$f"; } >"$corpus/seed-$p-$base"
        done
      else
        cp "$f" "$corpus/seed-$base"
      fi
    done < <(find "$root/$dir" -type f -name "$pattern" -print0)
  done
  dict=$(field "$src" dict)
  args=(-rss_limit_mb=2048 -timeout=$per_input -max_len=$max_len -print_final_stats=1
        "-artifact_prefix=$build/fuzz-artifacts/$name-")
  [[ -n $dict ]] && args+=("-dict=$here/$dict")
  [[ -n $seed ]] && args+=("-seed=$seed")
  regress=$here/regress/$name
  log=$build/fuzz-logs/$name.log

  # Replay: every seed and every past failure, once.
  dirs=("$corpus")
  [[ -d $regress ]] && dirs+=("$regress")
  inputs=$(find "${dirs[@]}" -type f | wc -l)
  if ! "$bin" "${args[@]}" -runs=0 "${dirs[@]}" >"$log" 2>&1; then
    echo "$name: FAILED replaying the corpus ($inputs inputs); see $log"
    grep -m5 -E 'ERROR|SUMMARY|check failed|runtime error' "$log" | sed 's/^/  /'
    failed=1
    continue
  fi
  if ((replay_only)); then
    echo "$name: replayed $inputs inputs: ok"
    continue
  fi

  "$bin" "${args[@]}" -max_total_time="$seconds" "$corpus" >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  size=$(find "$corpus" -type f | wc -l)
  if ((status == 0)); then
    echo "$name: ${runs:-?} executions in ${seconds} s, corpus $size inputs: ok"
  else
    echo "$name: FAILED after ${runs:-?} executions (exit $status); see $log"
    grep -m5 -E 'ERROR|SUMMARY|check failed|runtime error|Test unit written' "$log" | sed 's/^/  /'
    failed=1
  fi
done
exit $failed
