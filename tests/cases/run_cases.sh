#!/usr/bin/env bash
# run_cases.sh -- the data-driven `tocm validate` cases.
#
# Usage: run_cases.sh [--update] TOCM CASES_DIR
#
# Each case is a directory CASES_DIR/NAME holding
#   model.json  the input;
#   expected    the exact standard output of `tocm validate model.json`, run
#               from inside the case directory (so findings name `model.json`);
#   status      the expected exit status (0 valid, 1 the model has errors).
# A case passes when the output and the status match and nothing is written
# to standard error. One line per case, then "N passed, M failed"; the exit
# status is 1 when any case failed.
#
# --update rewrites every case's `expected` and `status` from what tocm does
# now, and reports each case whose files changed. Read every changed file
# (git diff tests/cases) before you keep it: it must be what a user should see.
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
# The binary is run from inside each case directory: make its path absolute.
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
  (cd "$dir" && "$tocm" validate model.json >"$work/stdout" 2>"$work/stderr")
  status=$?

  if ((update)); then
    changed=""
    cmp -s "$work/stdout" "$dir/expected" 2>/dev/null || changed=" (expected updated)"
    [[ -f $dir/status && $(<"$dir/status") == "$status" ]] || changed+=" (status updated)"
    cp "$work/stdout" "$dir/expected"
    echo "$status" >"$dir/status"
    pass "updated $name$changed"
    continue
  fi

  problems=()
  if [[ ! -f $dir/expected || ! -f $dir/status ]]; then
    problems+=("missing expected or status (run with --update, then review)")
  else
    want_status=$(<"$dir/status")
    [[ $status == "$want_status" ]] || problems+=("exit status $status, expected $want_status")
    cmp -s "$work/stdout" "$dir/expected" || problems+=("output differs")
  fi
  [[ -s $work/stderr ]] && problems+=("wrote to standard error")

  if ((${#problems[@]} == 0)); then
    pass "$name"
  else
    fail "$name: $(IFS=';'; echo "${problems[*]}")"
    if [[ -f $dir/expected ]]; then
      diff -u --label "$name/expected" --label "$name/actual" "$dir/expected" "$work/stdout" |
        sed 's/^/     /'
    fi
    if [[ -s $work/stderr ]]; then
      sed 's/^/     stderr: /' "$work/stderr"
    fi
  fi
done

if (($(passed_count) + $(failed_count) == 0)); then
  echo "no cases found in $cases" >&2
  exit 2
fi
finish
