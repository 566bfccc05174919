# tests/lib.sh -- what every shell test of tocm shares. Source it first:
#
#     . "$(dirname "$0")/../lib.sh"      (from tests/NAME/test_x.sh)
#
# It gives a scratch directory and one way to count and print results, so a
# failure looks the same in every test and no test can end green after a
# failed check:
#
#   $work                     a scratch directory, removed when the script
#                             exits (made writable first, so a test may
#                             chmod inside it)
#   pass NAME                 a check that held:    "ok   NAME"
#   fail NAME [DETAIL...]     a check that failed:  "FAIL NAME", then each
#                             DETAIL indented
#   expect_eq NAME WANT GOT   pass when GOT is exactly WANT; otherwise fail
#                             showing both
#   expect_status WANT CMD... runs CMD with its standard output in $work/out
#                             and its standard error in $work/err; passes
#                             when it exits WANT, otherwise fails showing
#                             the start of both (the check is named after
#                             the command, its program without directory)
#   skip REASON               the whole test is skipped (exit 77, which
#                             ctest reports as skipped where the test sets
#                             SKIP_RETURN_CODE 77)
#   finish                    prints "N passed, M failed" and exits 1 when a
#                             check failed, 0 otherwise
#   passed_count, failed_count  the numbers so far
#
# The counts live in files, so a check made in a subshell or a pipeline
# counts too. A script that exits without calling finish still fails if a
# check failed.

# Debian's Python where there is one: it has the test-only readers, and a
# version manager's shim first on PATH costs a second a call on a busy
# machine. (A function: scripts that source this file and their subshells
# get it; a python3 started by another program still goes by PATH.)
if [[ -x /usr/bin/python3 ]]; then
  python3() { /usr/bin/python3 "$@"; }
fi

tl_state=$(mktemp -d)
work=$(mktemp -d)
: >"$tl_state/passed"
: >"$tl_state/failed"
tl_finished=0

tl_cleanup() {
  local status=$?
  chmod -R u+w "$work" 2>/dev/null
  rm -rf "$work"
  if ((!tl_finished && status == 0)) && [[ -s $tl_state/failed ]]; then
    status=1
  fi
  rm -rf "$tl_state"
  exit "$status"
}
trap tl_cleanup EXIT

pass() {
  echo "ok   $1"
  echo . >>"$tl_state/passed"
}

fail() {
  echo "FAIL $1"
  shift
  local line
  for line in "$@"; do
    printf '%s\n' "$line" | sed 's/^/     /'
  done
  echo . >>"$tl_state/failed"
}

expect_eq() {
  if [[ $2 == "$3" ]]; then
    pass "$1"
  else
    fail "$1" "expected: $2" "actual:   $3"
  fi
}

expect_status() {
  local want=$1
  shift
  "$@" >"$work/out" 2>"$work/err"
  local got=$? name="${1##*/} ${*:2}"
  if [[ $got == "$want" ]]; then
    pass "$name (exit $want)"
  else
    fail "$name exited $got, not $want" "stdout: $(head -c 400 "$work/out")" \
      "stderr: $(head -c 400 "$work/err")"
  fi
  return 0
}

skip() {
  echo "SKIP: $*"
  tl_finished=1
  exit 77
}

# The number of checks that passed and failed so far.
passed_count() { wc -l <"$tl_state/passed" | tr -d ' '; }
failed_count() { wc -l <"$tl_state/failed" | tr -d ' '; }

finish() {
  local p f
  p=$(passed_count)
  f=$(failed_count)
  tl_finished=1
  echo "$p passed, $f failed"
  ((f == 0)) || exit 1
  exit 0
}
