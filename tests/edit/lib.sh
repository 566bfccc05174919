# lib.sh -- helpers shared by the tests/edit shell tests, on top of
# tests/lib.sh ($work, pass, fail, finish). Source it after setting $tocm
# and $model_dir (the tests' own fixture, tests/edit/fixture).

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

[ -f "$model_dir/model.json" ] || {
  fail "the fixture $model_dir/model.json is missing"
  finish
}

# A fresh copy of the fixture's directory in $work/m; M is its model.
fresh() {
  rm -rf "$work/m"
  mkdir -p "$work/m"
  cp -R "$model_dir"/. "$work/m"/
  M=$work/m/model.json
}

# run WANT_STATUS DESCRIPTION CMD...: runs CMD with its output in $work/out
# and $work/err, and checks its exit status.
run() {
  local want=$1 desc=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then
    pass "$desc"
  else
    fail "$desc (exit $got, wanted $want): $*"
    sed 's/^/     out: /' "$work/out" | head -20
    sed 's/^/     err: /' "$work/err" | head -20
  fi
}

# has FILE TEXT DESCRIPTION: FILE ($work/out, $work/err) contains TEXT.
has() {
  if grep -qF -- "$2" "$1"; then
    pass "$3"
  else
    fail "$3: '$2' not in $(basename "$1")"
    sed 's/^/     /' "$1" | head -20
  fi
}

# check FILE PYTHON_EXPRESSION DESCRIPTION: the expression is true of the
# model in FILE. In it: d (the document), node(id), ind(id), ids (node ids
# in order), refs(id) (how many contributes_to/inferred/indicator entries
# name id).
check() {
  if python3 - "$1" "$2" <<'PY'; then
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["nodes"]}
inds = {i["id"]: i for i in d.get("indicators", [])}
ids = [n["id"] for n in d["nodes"]]
def node(i): return nodes.get(i)
def ind(i): return inds.get(i)
def refs(i):
    c = 0
    for n in d["nodes"]:
        c += n.get("contributes_to", []).count(i)
        if isinstance(n.get("inferred"), list):
            c += n["inferred"].count(i)
    for x in d.get("indicators", []):
        c += x.get("nodes", []).count(i)
    return c
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
    pass "$3"
  else
    fail "$3: not true: $2"
  fi
}

# A fingerprint of a file: content hash, inode and modification time, so a
# file rewritten with the same bytes does not pass for untouched.
fingerprint() { echo "$(sha256sum <"$1") $(stat -c '%i %Y.%y' "$1")"; }
