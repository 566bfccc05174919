#!/usr/bin/env bash
# Data-driven cases of the editing commands on the plan fixture
# (tests/edit/plan): each case runs one tocm command on a fresh copy and
# checks its exit status, its output, the files it wrote, and -- for every
# refusal -- that no file in the copy changed at all.
#
# Usage: run_cases.sh TOCM FIXTURE_DIR CASES_FILE...
#
# A cases file is blocks separated by blank lines ('#' lines are comments):
#   name:   what the case shows
#   before: a command run first on the copy, which must succeed (repeatable)
#   run:    the command, as shell words after 'tocm' ($MODEL is the copy's
#           model.json, $DIR its folder); exactly one
#   status: its exit status (default 0)
#   out:    text its standard output holds (repeatable; err: for stderr)
#   not:    text neither output holds (repeatable)
#   check:  a Python expression true of the copy afterwards (repeatable):
#           d (the model), ind(id), node(id), table(name), rows(path) (a
#           CSV file of the copy as lists, header first), text(path),
#           orig(path) (the fixture's own file)
#   diff:   text 'tocm diff' of the fixture and the copy prints (repeatable)
#   json:   a Python expression true of j, the command's standard output
#           read as JSON (repeatable); cell(id, period, **dims) is a cell of
#           tocm report's JSON
# A case with a non-zero status also checks that every file of the copy is
# byte-identical, with the same inode and modification time, afterwards.
set -uo pipefail
tocm=$1 fixture=$(cd "$2" && pwd)
shift 2
. "$(dirname "$0")/../lib.sh"

fingerprint_dir() {
  (cd "$1" && find . -type f | LC_ALL=C sort | while read -r f; do
    echo "$f $(sha256sum <"$f") $(stat -c '%i %Y.%y' "$f")"
  done)
}

has_text() { # FILE TEXT
  grep -qF -- "$2" "$1"
}

run_case() {
  local name=$1 status=$2 cmd=$3
  shift 3
  rm -rf "$work/m"
  mkdir -p "$work/m"
  cp -R "$fixture"/. "$work/m"/
  local MODEL=$work/m/model.json DIR=$work/m b
  for b in "${befores[@]}"; do
    if ! eval "\"\$tocm\" $b" >"$work/out" 2>"$work/err"; then
      fail "$name: the step before failed: $b" "$(cat "$work/err")"
      return
    fi
  done
  local before
  before=$(fingerprint_dir "$work/m")
  eval "\"\$tocm\" $cmd" >"$work/out" 2>"$work/err"
  local got=$?
  local ok=1
  if [ "$got" -ne "$status" ]; then
    fail "$name: exit $got, wanted $status: tocm $cmd" "$(sed 's/^/out: /' "$work/out" | head -20)" \
      "$(sed 's/^/err: /' "$work/err" | head -20)"
    return
  fi
  local t
  for t in "${outs[@]}"; do
    has_text "$work/out" "$t" || { fail "$name: '$t' not on stdout" "$(head -20 "$work/out")"; ok=0; }
  done
  for t in "${errs[@]}"; do
    has_text "$work/err" "$t" || { fail "$name: '$t' not on stderr" "$(head -20 "$work/err")"; ok=0; }
  done
  for t in "${nots[@]}"; do
    if has_text "$work/out" "$t" || has_text "$work/err" "$t"; then
      fail "$name: '$t' should not be printed" "$(cat "$work/out" "$work/err" | head -20)"
      ok=0
    fi
  done
  if [ "$status" -ne 0 ] && [ "$(fingerprint_dir "$work/m")" != "$before" ]; then
    fail "$name: a refusal changed a file" "$(diff <(echo "$before") <(fingerprint_dir "$work/m"))"
    ok=0
  fi
  for t in "${checks[@]}"; do
    if ! (cd "$work/m" && FIXTURE=$fixture python3 - "$t" <<'PY'); then
import csv, json, os, sys
d = json.load(open("model.json"))
def ind(i): return next((x for x in d.get("indicators", []) if x["id"] == i), None)
def node(i): return next((x for x in d["nodes"] if x["id"] == i), None)
def table(n): return d.get("tables", {}).get(n)
def rows(p): return list(csv.reader(open(p, newline="", encoding="utf-8")))
def text(p): return open(p, encoding="utf-8").read()
def orig(p): return open(os.path.join(os.environ["FIXTURE"], p), encoding="utf-8").read()
sys.exit(0 if eval(sys.argv[1]) else 1)
PY
      fail "$name: not true: $t" "$(head -20 "$work/err")"
      ok=0
    fi
  done
  for t in "${jsons[@]}"; do
    if ! python3 - "$t" "$work/out" <<'PY'; then
import json, sys
j = json.load(open(sys.argv[2]))
def cell(i, period, **dims):
    ind = next(x for x in j["indicators"] if x["id"] == i)
    return next(c for c in ind["cells"] if c["period"] == period and c["dims"] == dims)
sys.exit(0 if eval(sys.argv[1]) else 1)
PY
      fail "$name: not true of the output: $t" "$(head -c 600 "$work/out")"
      ok=0
    fi
  done
  if [ "${#diffs[@]}" -gt 0 ]; then
    "$tocm" diff "$fixture/model.json" "$work/m/model.json" >"$work/diff" 2>&1
    for t in "${diffs[@]}"; do
      has_text "$work/diff" "$t" || { fail "$name: '$t' not in tocm diff" "$(cat "$work/diff")"; ok=0; }
    done
  fi
  [ "$ok" = 1 ] && pass "$name"
}

for cases in "$@"; do
  name="" status=0 cmd=""
  befores=() outs=() errs=() nots=() checks=() diffs=() jsons=()
  flush() {
    if [ -n "$cmd" ]; then
      run_case "$name" "$status" "$cmd"
    elif [ -n "$name" ]; then
      fail "$name: no run: line in $cases"
    fi
    name="" status=0 cmd=""
    befores=() outs=() errs=() nots=() checks=() diffs=() jsons=()
  }
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
    '#'*) ;;
    '') flush ;;
    name:*) name=${line#name: } ;;
    before:*) befores+=("${line#before: }") ;;
    run:*) cmd=${line#run: } ;;
    status:*) status=${line#status: } ;;
    out:*) outs+=("${line#out: }") ;;
    err:*) errs+=("${line#err: }") ;;
    not:*) nots+=("${line#not: }") ;;
    check:*) checks+=("${line#check: }") ;;
    diff:*) diffs+=("${line#diff: }") ;;
    json:*) jsons+=("${line#json: }") ;;
    *) fail "$cases: a line of no known kind: $line" ;;
    esac
  done <"$cases"
  flush
done
finish
