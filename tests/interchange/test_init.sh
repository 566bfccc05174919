#!/usr/bin/env bash
# test_init.sh -- `tocm init DIR [--template NAME]` end to end.
#
# Usage: test_init.sh TOCM SOURCE_DIR
# Each template gives a model that validates without a warning, is in the
# canonical layout, reports (its indicator's targets, nothing measured yet)
# and names the program after the folder; a folder that is not empty, a file,
# a missing parent and an unknown template are refused with one line and
# nothing written; no temporary folder is left behind.
set -uo pipefail
if (($# != 2)); then
  echo "usage: $0 TOCM SOURCE_DIR" >&2
  exit 2
fi
tocm=$1 src=$2
[[ $tocm == /* ]] || tocm="$PWD/$tocm"
. "$src/tests/lib.sh"

# What the folder holds, for "nothing changed" checks.
listing() { (cd "$1" && find . -printf '%p %s %m\n' | sort); }

for t in toc logframe usaid; do
  dir=$work/new-$t
  expect_status 0 "$tocm" init "$dir" --template "$t"
  grep -q "Created $dir/model.json (template $t)" "$work/out" ||
    fail "$t: says what it created" "$(cat "$work/out")"
  expect_status 0 "$tocm" validate "$dir/model.json"
  expect_eq "$t: no warnings" "$dir/model.json: 0 error(s), 0 warning(s)" \
    "$(sed -n 's/^.*model.json: [0-9]* node(s), [0-9]* link(s): /'"${dir//\//\\/}"'\/model.json: /p' "$work/out")"
  expect_status 0 "$tocm" fmt --check "$dir/model.json"
  expect_eq "$t: program id is the folder's name" "new-$t" \
    "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["program"]["id"])' "$dir/model.json")"
  [[ -d $dir/data && -f $dir/data/results.csv ]] && pass "$t: data folder" || fail "$t: data folder"
  expect_status 0 "$tocm" report "$dir/model.json" --format md
  grep -Eq "not reported|not yet due" "$work/out" && pass "$t: report shows the targets, nothing measured yet" ||
    fail "$t: report" "$(head -20 "$work/out")"
  # The written model differs from the shipped example only in its id.
  expect_eq "$t: the model is the shipped template" "" \
    "$(/usr/bin/python3 - "$dir/model.json" "$src/examples/templates/$t/model.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
a["program"]["id"] = b["program"]["id"]
print("" if a == b else "differs")
PY
)"
done

# The levels of each template, as the issue names them.
levels() { /usr/bin/python3 -c 'import json,sys; print(" ".join(l["id"] for l in json.load(open(sys.argv[1]))["levels"]))' "$1"; }
expect_eq "toc levels" "goal eopo intermediate immediate cluster project" "$(levels "$work/new-toc/model.json")"
expect_eq "logframe levels" "impact outcome output activity" "$(levels "$work/new-logframe/model.json")"
expect_eq "usaid levels" "goal do ir subir" "$(levels "$work/new-usaid/model.json")"

# The default template is toc; an empty existing folder is used, keeping its mode.
mkdir -m 0750 "$work/empty"
expect_status 0 "$tocm" init "$work/empty/"
expect_eq "an empty folder is filled" "goal" "$(levels "$work/empty/model.json" | cut -d' ' -f1)"
expect_eq "the empty folder's mode is kept" "750" "$(stat -c %a "$work/empty")"

# A name that is no id keeps the template's.
expect_status 0 "$tocm" init "$work/my program" --template logframe
expect_eq "a folder name with a space is not the id" "my-project" \
  "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["program"]["id"])' "$work/my program/model.json")"

# Refusals: one line, exit 2, nothing written.
mkdir "$work/full" && echo keep >"$work/full/notes.txt"
before=$(listing "$work/full")
expect_status 2 "$tocm" init "$work/full" --template usaid
expect_eq "a non-empty folder: one line" 1 "$(wc -l <"$work/err")"
grep -q "is not empty" "$work/err" && pass "a non-empty folder: says so" || fail "non-empty" "$(cat "$work/err")"
expect_eq "a non-empty folder is left as it was" "$before" "$(listing "$work/full")"

echo text >"$work/afile"
expect_status 2 "$tocm" init "$work/afile"
grep -q "exists and is not a folder" "$work/err" && pass "a file: refused" || fail "a file" "$(cat "$work/err")"
expect_eq "the file is left as it was" text "$(cat "$work/afile")"

expect_status 2 "$tocm" init "$work/no/such/parent"
grep -q "cannot create a folder in '$work/no/such'" "$work/err" && pass "a missing parent: refused" ||
  fail "a missing parent" "$(cat "$work/err")"

expect_status 2 "$tocm" init "$work/x" --template dfid
grep -q "no template 'dfid'" "$work/err" && grep -q "^logframe " "$work/err" &&
  pass "an unknown template: the templates listed" || fail "unknown template" "$(cat "$work/err")"
[[ ! -e $work/x ]] && pass "an unknown template writes nothing" || fail "unknown template wrote $work/x"

expect_status 2 "$tocm" init
expect_status 2 "$tocm" init a b
expect_status 0 "$tocm" init --list
expect_eq "--list names three templates" "toc logframe usaid" "$(cut -d' ' -f1 "$work/out" | tr '\n' ' ' | sed 's/ $//')"

# No temporary folder left anywhere.
left=$(find "$work" -name '.*init-*')
expect_eq "no temporary folder left" "" "$left"

# A template that cannot be written completely leaves nothing: a read-only
# parent (not for root, who writes anyway).
if [[ $(id -u) != 0 ]]; then
  mkdir "$work/ro" && chmod 0555 "$work/ro"
  expect_status 2 "$tocm" init "$work/ro/new"
  expect_eq "a read-only parent: nothing left" "" "$(ls -A "$work/ro")"
fi
finish
