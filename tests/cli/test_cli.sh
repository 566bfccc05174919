#!/usr/bin/env bash
# test_cli.sh -- the tocm command line, end to end.
#
# Usage: test_cli.sh TOCM SOURCE_DIR
#   TOCM        the tocm binary (ctest passes $<TARGET_FILE:tocm>)
#   SOURCE_DIR  the top of the source tree (for tests/cases, tests/cli and
#               the bundled model models/asean-act-2021/model.json)
# Prints one line per check and "N passed, M failed"; exits 1 on a failure.
set -uo pipefail

if (($# != 2)); then
  echo "usage: $0 TOCM SOURCE_DIR" >&2
  exit 2
fi
tocm=$1
src=$2
[[ $tocm == /* ]] || tocm="$PWD/$tocm"
fixture=$src/tests/cli/small.json
bundled=$src/models/asean-act-2021/model.json

. "$src/tests/lib.sh"

# run ARGS...: runs tocm; sets $status, $out, $err.
run() {
  "$tocm" "$@" >"$work/out" 2>"$work/err"
  status=$?
  out=$(<"$work/out")
  err=$(<"$work/err")
}

# check NAME WANT_STATUS [TEST]...: after `run`, the status must be
# WANT_STATUS and each TEST (a bash condition, as a string) must hold.
check() {
  local name=$1 want=$2
  shift 2
  local problems=()
  [[ $status == "$want" ]] || problems+=("exit status $status, expected $want")
  local t
  for t in "$@"; do
    eval "$t" || problems+=("not true: $t")
  done
  if ((${#problems[@]} == 0)); then
    pass "$name"
  else
    fail "$name" "${problems[@]}" "stdout: ${out:0:400}" "stderr: ${err:0:400}"
  fi
}

# json_check FILE PYTHON_EXPR: the expression, with `d` the parsed JSON of
# FILE, must be true.
json_check() {
  python3 -c '
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    d = json.load(f)
sys.exit(0 if eval("(" + sys.argv[2].strip() + ")") else 1)' "$1" "$2" 2>>"$work/pyerr"
}

# ---- help, version, usage errors -----------------------------------------

run --help
check "tocm --help" 0 '[[ $out == *Usage:* ]]' '[[ -z $err ]]'
run -h
check "tocm -h" 0 '[[ $out == *Usage:* ]]'

# Every command the top-level help lists, which must include the core four.
commands=$("$tocm" --help | awk '/^Commands:/ { f = 1; next } f && /^$/ { exit } f { print $1 }')
for c in validate show stats fmt; do
  if grep -qx "$c" <<<"$commands"; then pass "--help lists $c"; else fail "--help lists $c"; fi
done
for c in $commands; do
  run "$c" --help
  check "tocm $c --help" 0 '[[ $out == *Usage:* ]]' '[[ $out == *"$c"* ]]' '[[ -z $err ]]'
  run "$c" -h
  check "tocm $c -h" 0 '[[ $out == *Usage:* ]]'
  run "$c" --no-such-option "$fixture"
  check "tocm $c --no-such-option exits 2" 2 '[[ -z $out ]]' '[[ -n $err ]]'
done

version=$(sed -n 's/^project(tocm VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
run --version
check "tocm --version" 0 '[[ $out == "tocm $version"* ]]' '[[ -n $version ]]'

run no-such-command
check "unknown command exits 2" 2 '[[ $err == *"unknown command '\''no-such-command'\''"* ]]' '[[ -z $out ]]'
run --no-such-option
check "unknown global option exits 2" 2 '[[ -z $out ]]' '[[ $err == *Usage:* ]]'
run
check "no command exits 2" 2 '[[ $err == *Usage:* ]]'
run validate
check "validate without a file exits 2" 2 '[[ -n $err ]]'
run validate "$fixture" "$fixture"
check "validate with two files exits 2" 2 '[[ -n $err ]]'
run fmt --check -w "$fixture"
check "fmt --check -w exits 2" 2 '[[ $err == *"cannot be used together"* ]]'

# ---- a file that is not there ---------------------------------------------

missing=$work/no-such-model.json
for c in validate show stats fmt; do
  run "$c" "$missing"
  check "$c of a missing file exits 2 naming it" 2 \
    '[[ $err == *"$missing"* ]]' '[[ $err == *"No such file"* ]]' '[[ -z $out ]]'
done
run fmt --check "$missing"
check "fmt --check of a missing file exits 2" 2 '[[ $err == *"$missing"* ]]'
run validate "$work"
check "validate of a directory exits 2" 2 '[[ $err == *"$work"* ]]'

# ---- validate ---------------------------------------------------------------

run validate "$fixture"
check "validate fixture" 0 \
  '[[ $out == *"9 node(s), 9 link(s): 0 error(s), 1 warning(s)"* ]]' \
  '[[ $out == *"W203"*"cluster"* ]]'
run validate --json "$fixture"
echo "$out" >"$work/v.json"
check "validate --json" 0 'json_check "$work/v.json" "
  isinstance(d, list) and len(d) == 1 and d[0][\"code\"] == \"W203\" and
  d[0][\"severity\"] == \"warning\" and d[0][\"file\"] == \"$fixture\" and
  d[0][\"node\"] is None and d[0][\"line\"] is None and
  sorted(d[0]) == sorted([\"file\", \"line\", \"column\", \"severity\", \"code\",
                          \"path\", \"node\", \"message\"])"'
printf '{"tocm": 1,\n  "nodes": [}\n' >"$work/syntax.json"
run validate --json "$work/syntax.json"
echo "$out" >"$work/v.json"
check "validate --json on a syntax error" 1 'json_check "$work/v.json" "
  d[0][\"code\"] == \"E001\" and d[0][\"line\"] == 2 and d[0][\"column\"] > 0"'

# ---- show -------------------------------------------------------------------

run show "$fixture"
expected_tree='G [goal] Goal
├── E1 [eopo] First outcome
│   └── I1 [intermediate] Shared result
│       └── M1 [immediate] Immediate result
│           ├── P1 [project, KH, completed] Project one
│           │   └── A1 [activity, KH] Activity
│           ├── P2 [project, VN] Project two
│           └── P3 [project] Regional project
└── E2 [eopo] Second outcome
    └── I1 [intermediate] Shared result (repeat)'
check "show: the whole tree, a node with two parents marked (repeat)" 0 \
  '[[ $out == "$expected_tree" ]]' '[[ $(grep -c "(repeat)" <<<"$out") == 1 ]]'
run show --node M1 "$fixture"
check "show --node" 0 '[[ ${out%%$'\''\n'\''*} == "M1 [immediate] Immediate result" ]]' \
  '[[ $(wc -l <<<"$out") == 5 ]]' '[[ $out != *"G [goal]"* ]]'
run show --node I1 --depth 1 "$fixture"
check "show --node --depth 1" 0 \
  '[[ $out == "I1 [intermediate] Shared result
└── M1 [immediate] Immediate result (+3 contributing, not shown)" ]]'
run show "$fixture" --depth 0
check "show --depth 0" 0 '[[ $out == "G [goal] Goal (+2 contributing, not shown)" ]]'
run show "$fixture" --depth 2
check "show --depth 2" 0 '[[ $(wc -l <<<"$out") == 5 ]]' \
  '[[ $out == *"I1 [intermediate] Shared result (+1 contributing, not shown)"* ]]' \
  '[[ $out != *M1* ]]'
run show --node NOPE "$fixture"
check "show --node of an unknown id exits 2" 2 '[[ $err == *"NOPE"* ]]'
run show --depth -1 "$fixture"
check "show --depth -1 exits 2" 2 '[[ $err == *"--depth"* ]]'
run show "$src/tests/cases/e104-unknown-target/model.json"
check "show refuses a model with errors" 1 '[[ $err == *E104* ]]' '[[ -z $out ]]'

# ---- stats ------------------------------------------------------------------

run stats --json "$fixture"
echo "$out" >"$work/s.json"
check "stats --json counts" 0 'json_check "$work/s.json" "
  d[\"nodes\"] == 9 and d[\"edges\"] == 9 and
  d[\"by_level\"] == {\"goal\": 1, \"eopo\": 2, \"intermediate\": 1, \"immediate\": 1,
                    \"cluster\": 0, \"project\": 3, \"activity\": 1} and
  list(d[\"by_level\"]) == [\"goal\", \"eopo\", \"intermediate\", \"immediate\",
                           \"cluster\", \"project\", \"activity\"] and
  d[\"by_country\"] == {\"KH\": 2, \"VN\": 1} and d[\"without_country\"] == 6"'
run stats "$fixture"
check "stats (text)" 0 '[[ $out == *"9 nodes, 9 links"* ]]' '[[ $out == *"(no country)"*6* ]]'

# ---- fmt ----------------------------------------------------------------------

# fmt_idempotent NAME FILE: fmt of fmt output is byte-identical, means the
# same JSON as FILE, and passes --check. Returns 1 when FILE does not load.
fmt_idempotent() {
  local name=$1 file=$2
  "$tocm" fmt "$file" >"$work/f1.json" 2>"$work/f1.err"
  local st=$?
  if ((st != 0)); then
    if ((st == 1)) && [[ -s $work/f1.err ]]; then return 1; fi
    fail "fmt $name" "exit status $st" "$(<"$work/f1.err")"
    return 0
  fi
  local problems=()
  "$tocm" fmt "$work/f1.json" >"$work/f2.json" 2>/dev/null || problems+=("fmt of the output failed")
  cmp -s "$work/f1.json" "$work/f2.json" || problems+=("fmt of fmt output differs")
  "$tocm" fmt --check "$work/f1.json" 2>/dev/null || problems+=("fmt --check rejects fmt output")
  python3 - "$file" "$work/f1.json" <<'PY' || problems+=("fmt changed the JSON's meaning")
import json, sys
def load(p):
    with open(p, encoding="utf-8-sig") as f:
        return json.load(f)
sys.exit(0 if load(sys.argv[1]) == load(sys.argv[2]) else 1)
PY
  if ((${#problems[@]} == 0)); then pass "fmt idempotent: $name"; else fail "fmt idempotent: $name" "${problems[@]}"; fi
  return 0
}

# Every case model loads except the E001 and E002 ones, which fmt refuses.
formatted=0
for model in "$src"/tests/cases/*/model.json "$fixture"; do
  name=${model#"$src/tests/"}
  if fmt_idempotent "$name" "$model"; then
    formatted=$((formatted + 1))
    [[ $name != cases/e00[12]-* ]] || fail "fmt $name" "formatted a model that does not load"
  elif [[ $name == cases/e00[12]-* ]]; then
    pass "fmt refuses $name"
  else
    fail "fmt $name" "does not load" "$(<"$work/f1.err")"
  fi
done
if ((formatted >= 15)); then pass "fmt checked on $formatted models"; else fail "fmt checked on only $formatted models"; fi

# --check
"$tocm" fmt "$fixture" >"$work/canonical.json"
run fmt --check "$work/canonical.json"
check "fmt --check on a canonical file" 0 '[[ -z $out && -z $err ]]'
run fmt --check "$fixture"
check "fmt --check on a non-canonical file" 1 '[[ -z $out ]]' '[[ $err == *"$fixture"* ]]'
printf '{"tocm": 1, "nodes": [' >"$work/broken.json"
run fmt --check "$work/broken.json"
check "fmt --check on a syntax error" 1 '[[ $err == *E001* ]]'
# A model with validation errors can still be formatted.
run fmt "$src/tests/cases/e104-unknown-target/model.json"
check "fmt formats a model with validation errors" 0 '[[ $out == *O2.9* ]]'

# -w keeps the file's mode and every unknown field.
cp "$fixture" "$work/w.json"
chmod 0640 "$work/w.json"
run fmt -w "$work/w.json"
check "fmt -w" 0 '[[ -z $out ]]' '[[ -z $err ]]' \
  'cmp -s "$work/w.json" "$work/canonical.json"' \
  '[[ $(stat -c %a "$work/w.json") == 640 ]]' \
  'json_check "$work/w.json" "d[\"x-top\"] == {\"kept\": True} and
     d[\"program\"][\"x-program\"] == 1 and d[\"nodes\"][0][\"x-node\"] == [\"a\", {\"b\": 0.1}]"' \
  '[[ $(ls -A "$work" | grep -c "^\.w\.json") == 0 ]]'
run fmt --check "$work/w.json"
check "fmt --check after fmt -w" 0
inode=$(stat -c %i "$work/w.json")
run fmt -w "$work/w.json"
check "fmt -w on a canonical file leaves it alone" 0 '[[ $(stat -c %i "$work/w.json") == "$inode" ]]'
chmod 0600 "$work/w.json"
printf '{"tocm":1,"program":{"id":"p","title":"P"},"nodes":[]}' >"$work/w2.json"
chmod 0604 "$work/w2.json"
run fmt -w "$work/w2.json"
check "fmt -w keeps an unusual mode" 0 '[[ $(stat -c %a "$work/w2.json") == 604 ]]'
run fmt -w "$work/broken.json"
check "fmt -w does not touch a file that does not load" 1 \
  '[[ $(<"$work/broken.json") == "{\"tocm\": 1, \"nodes\": [" ]]'

# ---- the bundled model ----------------------------------------------------------

if [[ -f $bundled ]]; then
  fmt_idempotent "models/asean-act-2021/model.json" "$bundled" ||
    fail "fmt of the bundled model" "it does not load"
  run validate "$bundled"
  check "bundled model validates" 0 '[[ $out == *"0 error(s)"* ]]'
  run stats --json "$bundled"
  echo "$out" >"$work/b.json"
  check "bundled model: stats --json" 0 'json_check "$work/b.json" "
    d[\"by_level\"][\"goal\"] == 1 and d[\"by_level\"][\"eopo\"] == 3 and
    d[\"by_level\"][\"intermediate\"] + d[\"by_level\"][\"immediate\"] == 18 and
    d[\"by_level\"][\"project\"] >= 43 and d[\"nodes\"] == sum(d[\"by_level\"].values())"'
  run show "$bundled"
  check "bundled model: show" 0 '[[ $out == *"[goal]"* ]]'
else
  echo "skip the bundled model: $bundled does not exist yet"
fi

if [[ -s $work/pyerr ]]; then
  echo "python said:"
  sed 's/^/     /' "$work/pyerr"
fi
finish
