#!/usr/bin/env bash
# check_canonical.sh -- every model shipped under models/ and examples/ is in
# tocm's canonical layout (`tocm fmt --check`), so a hand edit cannot leave
# one that `tocm fmt -w` or the first `tocm set` would rewrite whole: users
# copy these files, and their first edit must give a one-line git diff.
#
# Usage: check_canonical.sh TOCM SOURCE_DIR
#   A model is a .json file whose top level is an object with a "tocm"
#   member (models/tocm.schema.json and plugin data are not models).
set -uo pipefail
if (($# != 2)); then
  echo "usage: $0 TOCM SOURCE_DIR" >&2
  exit 2
fi
tocm=$1 src=$2
. "$src/tests/lib.sh"

# The models, one path a line, relative to the source tree.
(cd "$src" && find models examples -name node_modules -prune -o -name '*.json' -type f -print) |
  LC_ALL=C sort >"$work/json"
python3 - "$src" "$work/json" >"$work/models" <<'PY'
import json, sys
for rel in open(sys.argv[2], encoding="utf-8").read().split("\n"):
    if not rel:
        continue
    try:
        with open(f"{sys.argv[1]}/{rel}", encoding="utf-8-sig") as f:
            doc = json.load(f)
    except ValueError:
        continue  # not JSON at all: not a model; tocm validate's tests cover broken ones
    if isinstance(doc, dict) and "tocm" in doc:
        print(rel)
PY

count=0
while read -r rel; do
  count=$((count + 1))
  if "$tocm" fmt --check "$src/$rel" >"$work/out" 2>&1; then
    pass "canonical: $rel"
  else
    fail "canonical: $rel" "$(cat "$work/out")"
  fi
done <"$work/models"
# The bundled model, the worked example, three templates and the plugin
# example at least: fewer means the search above went wrong.
if ((count >= 6)); then pass "found $count shipped models"; else fail "found only $count shipped models"; fi

# The check can fail: the bundled model on one line is not canonical.
python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1], encoding="utf-8"))))' \
  "$src/models/asean-act-2021/model.json" >"$work/one-line.json"
expect_status 1 "$tocm" fmt --check "$work/one-line.json"
finish
