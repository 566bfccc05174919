#!/usr/bin/env bash
# check_readme.sh -- tests/README.md names every ctest test, and names no
# test that does not exist.
#
# Usage: check_readme.sh CTEST BUILD_DIR README
set -uo pipefail
if (($# != 3)); then
  echo "usage: $0 CTEST BUILD_DIR README" >&2
  exit 2
fi
ctest=$1 build=$2 readme=$3
. "$(dirname "$0")/lib.sh"

"$ctest" --test-dir "$build" -N >"$work/list" 2>&1 ||
  fail "ctest -N failed" "$(cat "$work/list")"
sed -n 's/^ *Test *#[0-9]*: //p' "$work/list" | sort >"$work/tests"
# The table's first column: | `name` | ...
sed -n 's/^| `\([^`]*\)` |.*/\1/p' "$readme" | sort >"$work/listed"

[[ -s $work/tests ]] || fail "ctest lists no tests"
while read -r t; do
  if grep -qxF -- "$t" "$work/listed"; then
    pass "README lists $t"
  else
    fail "README lists $t" "add a row for '$t' to the table in $readme"
  fi
done <"$work/tests"
while read -r t; do
  grep -qxF -- "$t" "$work/tests" ||
    fail "README lists '$t', which is not a ctest test" "remove or rename its row in $readme"
done <"$work/listed"
finish
