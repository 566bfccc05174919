#!/usr/bin/env bash
# run_csv_cases.sh -- the data-driven `tocm report` cases: one per kind of
# error in the data (E3xx) or in what an indicator asks of it (E407, E408),
# and valid files in the forms RFC 4180 and spreadsheets allow.
#
# Usage: run_csv_cases.sh [--update] TOCM CASES_DIR
#
# Each case is a directory CASES_DIR/NAME holding
#   model.json  the model, with its tables under data/ (a case about a
#               missing file simply lacks it);
#   expected    the exact standard error of `tocm report model.json`, run
#               from inside the case directory (so messages name the files
#               as a user there would see them);
#   status      the expected exit status (0, or 1 for errors in the data);
#   args        optional: more arguments for `tocm report`, one per line
#               (e.g. --format and csv, to compare the figures);
#   stdout      optional: the exact standard output. Without it, a case with
#               errors must print nothing on standard output.
# One line per case, then "N passed, M failed"; the exit status is 1 when any
# case failed.
#
# --update rewrites expected and status (and stdout, where the case has one)
# from what tocm does now, and says which changed. Read every changed file
# (git diff tests/indicators/csv_cases) before you keep it.
set -uo pipefail

update=0
if [[ ${1:-} == --update ]]; then
  update=1
  shift
fi
if (($# != 2)); then
  echo "usage: $0 [--update] TOCM CASES_DIR" >&2
  exit 2
fi
tocm=$1
cases=$2
[[ $tocm == /* ]] || tocm="$PWD/$tocm"
if [[ ! -x $tocm ]]; then
  echo "$0: $tocm is not an executable" >&2
  exit 2
fi

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
shopt -s nullglob
for dir in "$cases"/*/; do
  dir=${dir%/}
  name=${dir##*/}
  if [[ ! -f $dir/model.json ]]; then
    fail "$name: no model.json"
    continue
  fi
  args=()
  if [[ -f $dir/args ]]; then
    mapfile -t args <"$dir/args"
  fi
  (cd "$dir" && "$tocm" report model.json "${args[@]}" >"$work/stdout" 2>"$work/stderr")
  status=$?

  if ((update)); then
    changed=""
    cmp -s "$work/stderr" "$dir/expected" 2>/dev/null || changed=" (expected updated)"
    [[ -f $dir/status && $(<"$dir/status") == "$status" ]] || changed+=" (status updated)"
    cp "$work/stderr" "$dir/expected"
    echo "$status" >"$dir/status"
    if [[ -f $dir/stdout ]]; then
      cmp -s "$work/stdout" "$dir/stdout" || changed+=" (stdout updated)"
      cp "$work/stdout" "$dir/stdout"
    fi
    pass "updated $name$changed"
    continue
  fi

  problems=()
  if [[ ! -f $dir/expected || ! -f $dir/status ]]; then
    problems+=("missing expected or status (run with --update, then review)")
  else
    want_status=$(<"$dir/status")
    [[ $status == "$want_status" ]] || problems+=("exit status $status, expected $want_status")
    cmp -s "$work/stderr" "$dir/expected" || problems+=("standard error differs")
  fi
  if [[ -f $dir/stdout ]]; then
    cmp -s "$work/stdout" "$dir/stdout" || problems+=("standard output differs")
  elif [[ $status != 0 && -s $work/stdout ]]; then
    problems+=("wrote to standard output although it failed")
  fi

  if ((${#problems[@]} == 0)); then
    pass "$name"
  else
    fail "$name: $(IFS=';'; echo "${problems[*]}")"
    if [[ -f $dir/expected ]]; then
      diff -u --label "$name/expected" --label "$name/actual" "$dir/expected" "$work/stderr" |
        sed 's/^/     /'
    fi
    if [[ -f $dir/stdout ]]; then
      diff -u --label "$name/stdout" --label "$name/actual" "$dir/stdout" "$work/stdout" |
        sed 's/^/     /'
    fi
  fi
done

if (($(passed_count) + $(failed_count) == 0)); then
  echo "no cases found in $cases" >&2
  exit 2
fi
finish
