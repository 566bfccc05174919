#!/usr/bin/env bash
# Every editing command on a copy of the fixture (tests/edit/fixture): what each writes,
# what each refuses (leaving the file byte-identical), the one-line git diff,
# unknown fields, file mode, symlinks, indicators, and tocm diff basics.
# Usage: test_edit.sh TOCM MODEL_DIR
set -uo pipefail
tocm=$1 model_dir=$2
. "$(dirname "$0")/lib.sh"

fresh
run 0 "the fixture is valid" "$tocm" validate "$M"

echo "== help"
for c in add set link unlink rename rm diff; do
  run 0 "tocm $c --help" "$tocm" "$c" --help
  has "$work/out" "Usage: tocm $c" "tocm $c --help prints its usage"
done
run 2 "an unknown option is a usage error" "$tocm" set "$M" C202 status=x --bogus
run 2 "set without a change is a usage error" "$tocm" set "$M" C202
run 2 "add without --level is a usage error" "$tocm" add "$M" --id X --title T

echo "== one tocm set is a one-line git diff"
if command -v git >/dev/null; then
  repo=$work/repo
  mkdir -p "$repo"
  cp -R "$model_dir"/. "$repo"/
  git -C "$repo" init -q
  git -C "$repo" add -A
  git -C "$repo" -c user.name=t -c user.email=t@example.org commit -qm base
  run 0 "set a node's title" "$tocm" set "$repo/model.json" C202 title="Cross-border investigations"
  numstat=$(git -C "$repo" diff --numstat)
  if [ "$numstat" = "$(printf '1\t1\tmodel.json')" ]; then
    pass "git diff: one line out, one line in ($numstat)"
  else
    fail "git diff after one set: $numstat"
    git -C "$repo" diff | head -30
  fi
  changed=$(git -C "$repo" diff -U0 | grep -E '^[-+] ' || true)
  case "$changed" in
    *'"title": "Cross-border investigations",'*) pass "the changed line is the title" ;;
    *) fail "the changed lines: $changed" ;;
  esac
  git -C "$repo" checkout -q model.json
  run 0 "set a field the node did not have" "$tocm" set "$repo/model.json" C202 status="some delays"
  numstat=$(git -C "$repo" diff --numstat)
  [ "$numstat" = "$(printf '1\t0\tmodel.json')" ] && pass "git diff: one line in ($numstat)" ||
    fail "git diff after adding a field: $numstat"
else
  echo "skip: git not found"
fi

echo "== refused edits leave the file byte-identical"
fresh
before=$(fingerprint "$M")
run 1 "a country that is not a code is refused" "$tocm" set "$M" C202 country=XX
has "$work/err" "E107" "the refusal names the rule (E107)"
has "$work/err" "nothing written" "the refusal says nothing was written"
run 1 "a link downwards (and a cycle) is refused" "$tocm" link "$M" GOAL C202
has "$work/err" "E105" "the refusal names E105"
run 1 "an unknown level is refused" "$tocm" add "$M" --id PX --level nosuch --title "A project"
has "$work/err" "E102" "the refusal lists the levels (E102)"
run 1 "a link to an unknown node is refused" "$tocm" add "$M" --id PX --level project --title T --contributes-to NOPE
has "$work/err" "unknown node 'NOPE'" "the refusal names the unknown node"
run 1 "a taken id is refused" "$tocm" add "$M" --id C202 --level project --title T
has "$work/err" "already a node 'C202'" "the refusal names the node that has the id"
run 1 "an empty title is refused" "$tocm" set "$M" C202 title=
run 1 "removing a node something contributes to is refused" "$tocm" rm "$M" O2.4
has "$work/err" "'O2.1' still contributes to it" "rm says what still contributes"
has "$work/err" "--cascade" "rm says what to do about it"
run 1 "renaming to a taken id is refused" "$tocm" rename "$M" O2.4 O2.5
run 1 "renaming an unknown node is refused" "$tocm" rename "$M" NOPE NEW
run 1 "unlinking a link that is not there is refused" "$tocm" unlink "$M" C202 GOAL
run 1 "setting the id is refused (rename does it)" "$tocm" set "$M" C202 id=C999
has "$work/err" "tocm rename" "set id= points to rename"
run 1 "a plain text for a list is refused with a hint" "$tocm" set "$M" C202 partners=UNODC
has "$work/err" "partners+=TEXT" "the hint shows partners+=TEXT"
run 1 "invalid JSON after := is refused" "$tocm" set "$M" C202 'notes:={bad'
run 1 "unsetting the title is refused" "$tocm" set "$M" C202 --unset title
run 1 "a later failing assignment refuses the whole command" "$tocm" set "$M" C202 status=ok country=XX
[ "$(fingerprint "$M")" = "$before" ] && pass "after all refusals the file is byte-identical (same inode and time)" ||
  fail "a refused edit touched the file"

echo "== --force and models that already have errors"
run 0 "--force writes a change that adds an error" "$tocm" set "$M" C202 country=XX --force
has "$work/err" "with --force" "--force says it wrote anyway"
has "$work/err" "E107" "--force says what it breaks"
check "$M" "node('C202')['country'] == 'XX'" "the forced value is in the file"
run 1 "the model now fails validation" "$tocm" validate "$M"
run 0 "an edit that adds no new error to a broken model is accepted" "$tocm" set "$M" A101 status=completed
run 0 "an edit that fixes the error is accepted" "$tocm" set "$M" C202 country=KH
run 0 "the model validates again" "$tocm" validate "$M"
python3 - "$M" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["nodes"].append(dict(d["nodes"][-1]))  # a duplicate id: E101 names "/nodes/N"
json.dump(d, open(sys.argv[1], "w"), ensure_ascii=False, indent=2)
PY
"$tocm" fmt -w "$M"
run 1 "(a model with a duplicate id has an error)" "$tocm" validate "$M"
run 0 "adding a node before it (shifting every index) is not a new error" "$tocm" add "$M" --id O1.0 --level immediate --title T --contributes-to O1.4 --after O1.1
run 1 "but a second duplicate is" "$tocm" add "$M" --id O1.0 --level immediate --title T

echo "== set"
fresh
run 0 "KEY=TEXT" "$tocm" set "$M" C202 status="some delays" donor_ref=KH-2021-07
check "$M" "node('C202')['status'] == 'some delays' and node('C202')['donor_ref'] == 'KH-2021-07'" "texts are set, unknown fields too"
run 0 "KEY:=JSON" "$tocm" set "$M" C202 'budget:=120000' 'inferred:=true' 'tags:={"a": [1, 2.5]}'
check "$M" "node('C202')['budget'] == 120000 and node('C202')['inferred'] is True and node('C202')['tags'] == {'a': [1, 2.5]}" "JSON values keep their types"
run 0 "KEY+=TEXT" "$tocm" set "$M" C202 partners+=UNODC assumptions+="Staff stay in post"
check "$M" "node('C202')['partners'][-1] == 'UNODC' and node('C202')['assumptions'] == ['Staff stay in post']" "+= adds to a list, making it if absent"
run 0 "KEY+=TEXT already there changes nothing" "$tocm" set "$M" C202 partners+=UNODC
has "$work/out" "nothing to change" "it says so"
run 0 "KEY-=TEXT" "$tocm" set "$M" C202 partners-=UNODC assumptions-="Staff stay in post"
check "$M" "'UNODC' not in node('C202')['partners'] and 'assumptions' not in node('C202')" "-= takes out, an emptied list goes"
run 1 "KEY-=TEXT of an absent entry is refused" "$tocm" set "$M" C202 partners-=Nobody
run 0 "--unset" "$tocm" set "$M" C202 --unset budget --unset tags
check "$M" "'budget' not in node('C202') and 'tags' not in node('C202') and node('C202')['donor_ref'] == 'KH-2021-07'" "--unset removes fields, others stay"
check "$M" "d['program']['country_status']['MM'].startswith('on hold')" "unknown program fields are kept"
before=$(fingerprint "$M")
run 0 "setting the value a field already has" "$tocm" set "$M" C202 status="some delays"
[ "$(fingerprint "$M")" = "$before" ] && pass "a no-op does not rewrite the file" || fail "a no-op rewrote the file"
run 1 "setting a field of an unknown node is refused" "$tocm" set "$M" NOPE status=x

echo "== add"
fresh
run 0 "add a project with links and fields" "$tocm" add "$M" --id C210 --level project --title "Victim referral pilot" \
  --contributes-to O2.1 --contributes-to CL-NAT --set country=KH --set partners+=UNODC --set 'budget:=5000'
check "$M" "node('C210') == {'id': 'C210', 'level': 'project', 'title': 'Victim referral pilot', 'contributes_to': ['O2.1', 'CL-NAT'], 'country': 'KH', 'partners': ['UNODC'], 'budget': 5000}" "the node has what was asked"
check "$M" "ids[-1] == 'C210'" "a project goes after the last project"
run 0 "add an immediate outcome" "$tocm" add "$M" --id O2.7 --level immediate --title "Referral works" --contributes-to O2.4
check "$M" "[node(i)['level'] for i in ids[:ids.index('O2.7') + 1]].count('cluster') == 0 and node(ids[ids.index('O2.7') + 1])['level'] in ('intermediate', 'cluster', 'project')" "an outcome goes after the last node of its level or above"
run 0 "add --after" "$tocm" add "$M" --id O1.7 --level immediate --title "Something" --contributes-to O1.4 --after O1.3
check "$M" "ids[ids.index('O1.3') + 1] == 'O1.7'" "--after places the node"
run 1 "add --after an unknown node is refused" "$tocm" add "$M" --id O1.8 --level immediate --title T --after NOPE
run 0 "the model is still valid" "$tocm" validate "$M"

echo "== link and unlink"
run 0 "link --inferred" "$tocm" link "$M" C210 O2.2 --inferred
check "$M" "node('C210')['contributes_to'] == ['O2.1', 'CL-NAT', 'O2.2'] and node('C210')['inferred'] == ['O2.2']" "the link and its inferred mark are added"
run 0 "link an existing link" "$tocm" link "$M" C210 O2.2
has "$work/out" "already contributes" "it says the link is there"
run 0 "unlink" "$tocm" unlink "$M" C210 O2.2
check "$M" "node('C210')['contributes_to'] == ['O2.1', 'CL-NAT'] and 'inferred' not in node('C210')" "the link and its mark go"
run 0 "link several targets at once" "$tocm" link "$M" C210 O2.2 O2.3
check "$M" "node('C210')['contributes_to'] == ['O2.1', 'CL-NAT', 'O2.2', 'O2.3']" "both links added"
run 0 "unlink leaving an orphan is written, with a warning" "$tocm" unlink "$M" C210 O2.1 CL-NAT O2.2 O2.3
has "$work/err" "W201" "the orphan warning is shown"
check "$M" "'contributes_to' not in node('C210')" "an emptied contributes_to goes"

echo "== rename"
fresh
refs_before=$(python3 - "$M" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = sum(n.get("contributes_to", []).count("O2.2") for n in d["nodes"])
c += sum(n["inferred"].count("O2.2") for n in d["nodes"] if isinstance(n.get("inferred"), list))
c += sum(i.get("nodes", []).count("O2.2") for i in d.get("indicators", []))
print(c)
PY
)
run 0 "rename an outcome" "$tocm" rename "$M" O2.2 O2.2-R
has "$work/out" "inferred mark" "the note counts the inferred marks updated"
check "$M" "node('O2.2') is None and node('O2.2-R')['level'] == 'immediate' and refs('O2.2') == 0 and refs('O2.2-R') == $refs_before" "every reference follows the rename"
check "$M" "'O2.2-R' in node('L204')['inferred']" "inferred lists are updated"
run 0 "the renamed model is valid" "$tocm" validate "$M"
run 1 "the old id is gone" "$tocm" rename "$M" O2.2 O2.2-S

echo "== rm"
fresh
run 0 "rm a node nothing points at" "$tocm" rm "$M" T208
check "$M" "node('T208') is None and refs('T208') == 0" "the node is gone"
run 0 "rm --reattach-to" "$tocm" rm "$M" O2.4 --reattach-to O2.5
check "$M" "node('O2.4') is None and refs('O2.4') == 0 and 'O2.5' in node('O2.1')['contributes_to']" "what contributed to it now contributes to the other node"
run 1 "rm --reattach-to an unknown node is refused" "$tocm" rm "$M" O2.5 --reattach-to NOPE
run 2 "rm --cascade --reattach-to is a usage error" "$tocm" rm "$M" O2.5 --cascade --reattach-to O2.6
run 0 "a small chain for the cascade" "$tocm" add "$M" --id O2.9 --level immediate --title "Chain top" --contributes-to O2.5
run 0 "a project only under it" "$tocm" add "$M" --id PX --level project --title "Only under O2.9" --contributes-to O2.9
run 0 "a project also elsewhere" "$tocm" add "$M" --id PY --level project --title "Also elsewhere" --contributes-to O2.9 --contributes-to CL-NAT
run 1 "rm without an option refuses" "$tocm" rm "$M" O2.9
has "$work/err" "'PX' and 'PY' still contribute" "it names both contributors"
run 0 "rm --dry-run --cascade" "$tocm" rm "$M" O2.9 --cascade --dry-run
has "$work/out" "'PX': Project" "the dry run shows the cascade"
check "$M" "node('O2.9') is not None" "a dry run writes nothing"
run 0 "rm --cascade" "$tocm" rm "$M" O2.9 --cascade
has "$work/out" "'PX'" "the note names what went with it"
check "$M" "node('O2.9') is None and node('PX') is None and node('PY')['contributes_to'] == ['CL-NAT']" "the cascade takes what hung only on the node"
run 1 "rm an unknown node is refused" "$tocm" rm "$M" NOPE
run 0 "the model is valid after the removals" "$tocm" validate "$M"

echo "== indicators"
fresh
python3 - "$M" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d.setdefault("tables", {})["edit_test_events"] = {"path": "edit-test-events.csv"}
d.setdefault("indicators", []).append({"id": "EDIT-A", "title": "Events held", "nodes": ["O2.1", "O2.4"],
                                       "calculator": "count", "table": "edit_test_events"})
json.dump(d, open(sys.argv[1], "w"), ensure_ascii=False)
PY
run 0 "the fixture gets the canonical layout" "$tocm" fmt -w "$M"
run 0 "the model with an indicator is valid" "$tocm" validate "$M"
run 0 "add an indicator" "$tocm" add "$M" --indicator --id EDIT-B --title "People trained" --attach-to O2.1 \
  --set calculator=count --set table=edit_test_events
check "$M" "ind('EDIT-B') == {'id': 'EDIT-B', 'title': 'People trained', 'nodes': ['O2.1'], 'calculator': 'count', 'table': 'edit_test_events'}" "the indicator has what was asked"
run 1 "an indicator on an unknown node is refused" "$tocm" link "$M" EDIT-B NOPE
run 0 "attach an indicator to a node" "$tocm" link "$M" EDIT-B O2.4
run 0 "detach it from another" "$tocm" unlink "$M" EDIT-B O2.1
check "$M" "ind('EDIT-B')['nodes'] == ['O2.4']" "link and unlink work on an indicator's nodes"
run 0 "set an indicator's fields" "$tocm" set "$M" EDIT-B unit=people 'rounding:=1'
check "$M" "ind('EDIT-B')['unit'] == 'people' and ind('EDIT-B')['rounding'] == 1" "the indicator's fields are set"
run 0 "rename a node that indicators measure" "$tocm" rename "$M" O2.4 O2.4-R
has "$work/out" "2 indicators" "the note counts the indicators updated"
check "$M" "ind('EDIT-A')['nodes'] == ['O2.1', 'O2.4-R'] and ind('EDIT-B')['nodes'] == ['O2.4-R']" "indicators follow the rename"
run 0 "rename an indicator" "$tocm" rename "$M" EDIT-B EDIT-B2
check "$M" "ind('EDIT-B') is None and ind('EDIT-B2') is not None" "the indicator is renamed"
run 1 "rm a node indicators measure is refused" "$tocm" rm "$M" O2.1 --dry-run
has "$work/err" "attached to it" "the refusal names the indicators"
run 0 "rm --reattach-to moves the indicator too" "$tocm" rm "$M" O2.1 --reattach-to O2.3
check "$M" "ind('EDIT-A')['nodes'] == ['O2.3', 'O2.4-R'] and refs('O2.1') == 0" "the indicator measures the new node"
run 0 "a node for a cascade" "$tocm" add "$M" --id O2.9 --level immediate --title "Chain top" --contributes-to O2.5
run 0 "an indicator only on it" "$tocm" add "$M" --indicator --id EDIT-C --title T --attach-to O2.9 --set calculator=count --set table=edit_test_events
run 1 "rm a node an indicator measures is refused" "$tocm" rm "$M" O2.9
has "$work/err" "indicator 'EDIT-C' is attached to it" "the refusal names the indicator"
run 0 "rm --cascade removes an indicator left on nothing" "$tocm" rm "$M" O2.9 --cascade
check "$M" "ind('EDIT-C') is None" "the indicator measuring only removed nodes is gone"
run 0 "rm an indicator" "$tocm" rm "$M" EDIT-B2
check "$M" "ind('EDIT-B2') is None" "the indicator is gone"
python3 - "$M" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["nodes"].append({"id": "AMB", "level": "project", "title": "Same id as an indicator", "contributes_to": ["CL-NAT"]})
d["indicators"].append({"id": "AMB", "title": "Same id as a node", "calculator": "count", "table": "edit_test_events"})
json.dump(d, open(sys.argv[1], "w"), ensure_ascii=False, indent=2)
PY
"$tocm" fmt -w "$M"
run 1 "an id that is a node and an indicator is refused" "$tocm" set "$M" AMB status=x
has "$work/err" "--node or --indicator" "the refusal says how to choose"
run 0 "--node picks the node" "$tocm" set "$M" AMB status=x --node
run 0 "--indicator picks the indicator" "$tocm" set "$M" AMB unit=events --indicator
check "$M" "node('AMB')['status'] == 'x' and [i for i in d['indicators'] if i['id'] == 'AMB'][0]['unit'] == 'events'" "each got its own field"

echo "== files"
fresh
python3 -c "import json; d=json.load(open('$M')); json.dump(d, open('$M', 'w'))"
run 0 "edit a file not in the canonical layout" "$tocm" set "$M" C202 status=x
has "$work/err" "not in the canonical layout" "it says the whole file was rewritten"
run 0 "the file is now canonical" "$tocm" fmt --check "$M"
chmod 640 "$M"
run 0 "edit a file with mode 640" "$tocm" set "$M" C202 status=y
[ "$(stat -c %a "$M")" = 640 ] && pass "the file's mode is kept" || fail "mode is now $(stat -c %a "$M")"
ln -s model.json "$work/m/link.json"
run 0 "edit through a symbolic link" "$tocm" set "$work/m/link.json" C202 status=z
[ -L "$work/m/link.json" ] && pass "the link is still a link" || fail "the link was replaced by a file"
check "$M" "node('C202')['status'] == 'z'" "the file it points at is edited"
printf '{"tocm": 1, "program": ' >"$work/m/broken.json"
before=$(fingerprint "$work/m/broken.json")
run 1 "a file that is not JSON is refused" "$tocm" set "$work/m/broken.json" C202 status=x
has "$work/err" "fix it first" "it says to fix the file first"
[ "$(fingerprint "$work/m/broken.json")" = "$before" ] && pass "the broken file is untouched" || fail "the broken file changed"
run 2 "a missing file is an I/O error" "$tocm" set "$work/m/none.json" C202 status=x
ls -a "$work/m" | grep -q '\.tmp' && fail "temporary files were left behind" || pass "no temporary files are left behind"

echo "== diff basics"
fresh
cp "$M" "$work/a.json"
run 0 "diff of a file with itself: exit 0" "$tocm" diff "$work/a.json" "$M"
has "$work/out" "No changes" "it says there are none"
python3 - "$M" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["nodes"].reverse()
for n in d["nodes"]:
    n.get("contributes_to", []).reverse()
json.dump(d, open(sys.argv[1], "w"), indent=4)
PY
run 0 "node order, link order and layout do not count" "$tocm" diff "$work/a.json" "$M"
fresh
"$tocm" set -q "$M" C202 title="Cross-border investigations" status=completed --unset source
"$tocm" set -q "$M" CL-NAT level=immediate --force 2>/dev/null
run 1 "diff of changed files: exit 1" "$tocm" diff "$work/a.json" "$M"
has "$work/out" "title changed from \"Transnational investigative cooperation\" to \"Cross-border investigations\"" "a title change in words"
has "$work/out" "status set to \"completed\"" "a new field in words"
has "$work/out" "source removed (was" "a removed field in words"
has "$work/out" "moved from level Project cluster to Immediate outcome" "a level change in words"
run 1 "--format json" "$tocm" diff "$work/a.json" "$M" --format json
python3 -c "
import json, sys
r = json.load(open('$work/out'))
assert r['equal'] is False and r['summary']['nodes_changed'] == 2, r['summary']
c = [x for x in r['changes'] if x['id'] == 'C202']
assert {'what': 'node', 'change': 'field', 'id': 'C202', 'field': 'title', 'from': 'Transnational investigative cooperation', 'to': 'Cross-border investigations'} in c, c
assert {'what': 'node', 'change': 'level', 'id': 'CL-NAT', 'from': 'cluster', 'to': 'immediate'} in r['changes']
" && pass "the JSON form has the records" || fail "the JSON form"
cat "$work/a.json" | "$tocm" diff - "$M" >/dev/null
[ $? -eq 1 ] && pass "OLD can be standard input" || fail "diff - NEW"
python3 - "$work/a.json" "$work/c.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["program"]["budget"] = {"total": "$1", "by_year": {"2021": "$1", "2022": "$2"}}
d["nodes"][0]["extra"] = [{"k": 1}, {"k": 2}]
json.dump(d, open(sys.argv[1], "w"))
d["program"]["budget"]["by_year"]["2022"] = "$3"
d["nodes"][0]["extra"][1]["k"] = 5
json.dump(d, open(sys.argv[2], "w"))
PY
run 1 "diff of values deep inside fields" "$tocm" diff "$work/a.json" "$work/c.json"
has "$work/out" 'budget.by_year.2022 changed from "$2" to "$3"' "a change inside an object is named by its path"
has "$work/out" "extra[1].k changed from 2 to 5" "a change inside a list of objects is named by its path"
run 2 "diff with a missing file: exit 2" "$tocm" diff "$work/a.json" "$work/none.json"
run 2 "an unknown --format: exit 2" "$tocm" diff "$work/a.json" "$M" --format xml

finish
