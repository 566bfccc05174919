#!/usr/bin/env bash
# A scripted mid-term review of the fixture model (tests/edit/fixture),
# done with the editing commands and checked with tocm diff: an outcome is renamed (and reworded),
# two projects are added, one project is re-mapped to another outcome, and
# one project is removed. tocm diff must report exactly these changes, in
# text and in JSON.
# Usage: test_midterm.sh TOCM MODEL_DIR
set -uo pipefail
tocm=$1 model_dir=$2
. "$(dirname "$0")/lib.sh"

fresh
check "$M" "node('T206')['contributes_to'] == ['O2.3', 'CL-NAT'] and refs('T208') == 0" "the review starts from the fixture"
old=$work/before-review.json
cp "$M" "$old"
old_title=$(python3 -c "import json, sys; print(next(n['title'] for n in json.load(open(sys.argv[1]))['nodes'] if n['id'] == 'O3.5'))" "$M")
export old_title

echo "== the review"
# 1. An outcome gets a new id and clearer wording.
run 0 "rename outcome O3.5" "$tocm" rename "$M" O3.5 O3.5-MTR
run 0 "reword it" "$tocm" set "$M" O3.5-MTR title="Victims' rights are upheld in criminal justice processes"
# 2. Two new projects.
run 0 "add project C210" "$tocm" add "$M" --id C210 --level project --title "Victim referral pilot" \
  --contributes-to O2.1 --contributes-to CL-NAT --set country=KH --set partners+="Ministry of Social Affairs"
run 0 "add project V210" "$tocm" add "$M" --id V210 --level project --title "Judicial training on ACTIP" \
  --contributes-to O2.3 --contributes-to CL-NAT --set country=VN
# 3. A project re-mapped from one outcome to another.
run 0 "re-map T206: unlink O2.3" "$tocm" unlink "$M" T206 O2.3
run 0 "re-map T206: link O2.2" "$tocm" link "$M" T206 O2.2
# 4. A project dropped.
run 0 "remove project T208" "$tocm" rm "$M" T208
run 0 "the reviewed model is valid" "$tocm" validate "$M"

echo "== tocm diff, JSON"
run 1 "diff says the versions differ (exit 1)" "$tocm" diff "$old" "$M" --format json
cp "$work/out" "$work/diff.json"
python3 - "$work/diff.json" <<'PY' && pass "the JSON diff is exactly the review" || fail "the JSON diff"
import json, os, sys
r = json.load(open(sys.argv[1]))
got = sorted(json.dumps({k: v for k, v in c.items() if k in ("what", "change", "id", "from", "to", "field")},
                        sort_keys=True) for c in r["changes"])
want = sorted(json.dumps(c, sort_keys=True) for c in [
    {"what": "node", "change": "renamed", "id": "O3.5-MTR", "from": "O3.5"},
    {"what": "node", "change": "field", "id": "O3.5-MTR", "field": "title",
     "from": os.environ["old_title"],
     "to": "Victims' rights are upheld in criminal justice processes"},
    {"what": "node", "change": "added", "id": "C210"},
    {"what": "node", "change": "added", "id": "V210"},
    {"what": "node", "change": "link_removed", "id": "T206", "to": "O2.3"},
    {"what": "node", "change": "link_added", "id": "T206", "to": "O2.2"},
    {"what": "node", "change": "removed", "id": "T208"},
])
if got != want:
    print("got:"); [print("  ", g) for g in got]
    print("want:"); [print("  ", w) for w in want]
    sys.exit(1)
s = r["summary"]
assert r["equal"] is False
assert (s["nodes_added"], s["nodes_removed"], s["nodes_renamed"], s["nodes_changed"]) == (2, 1, 1, 2), s
# C210 and V210 bring 2 links each, T206 one; T206 loses one and T208 its one.
assert (s["links_added"], s["links_removed"]) == (5, 2), s
added = {c["id"]: c for c in r["changes"] if c["change"] == "added"}
assert added["C210"]["contributes_to"] == ["O2.1", "CL-NAT"] and added["C210"]["level"] == "project"
PY

echo "== tocm diff, text"
run 1 "the text diff" "$tocm" diff "$old" "$M"
has "$work/out" "2 nodes added, 1 node removed, 1 node renamed, 2 nodes changed, 5 links added, 2 links removed" "the summary line"
has "$work/out" "'O3.5' is now 'O3.5-MTR': Intermediate outcome \"Victims' rights are upheld in criminal justice processes\"" "the rename, in words"
has "$work/out" "'C210': Project \"Victim referral pilot\"" "the first added project"
has "$work/out" "contributes to 'O2.1' and 'CL-NAT'" "with its links"
has "$work/out" "'T208': Project" "the removed project"
has "$work/out" "no longer contributes to 'O2.3'" "the re-mapping: link removed"
has "$work/out" "now contributes to 'O2.2'" "the re-mapping: link added"
has "$work/out" "title changed from \"$old_title\" to \"Victims' rights are upheld" "the rewording"
echo "----- tocm diff output -----"
cat "$work/out"
echo "----------------------------"

echo "== and back"
run 1 "the reverse diff also differs" "$tocm" diff "$M" "$old" --format json
python3 - "$work/out" <<'PY' && pass "the reverse diff is the review undone" || fail "the reverse diff"
import json, sys
r = json.load(open(sys.argv[1]))
s = r["summary"]
assert (s["nodes_added"], s["nodes_removed"], s["nodes_renamed"]) == (1, 2, 1), s
assert {"what": "node", "change": "renamed", "id": "O3.5", "from": "O3.5-MTR"} in r["changes"]
PY
run 0 "a version compared with itself is equal (exit 0)" "$tocm" diff "$M" "$M"

finish
