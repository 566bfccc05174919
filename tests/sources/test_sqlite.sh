#!/usr/bin/env bash
# test_sqlite.sh -- the sqlite table source (plugin ABI 1.5): every report of
# the generated model (every calculator, filter form and aggregation, with
# filter values hostile to pasted SQL), the benchmark's model and the
# bundled ASEAN-ACT model is byte for byte the CSV source's, pushed down and
# with the rows read; what is pushed down; faults, each one line naming the
# table and its source, failing only that table's indicators.
#
# Usage: test_sqlite.sh TOCM SOURCE_DIR
set -uo pipefail
tocm=$1 src=$2
. "$src/tests/lib.sh"
. "$src/tests/sources/common.sh"
unset TOCM_ENGINE_ROWS TOCM_PUSH_DOWN TOCM_SQL_TRACE
"$tocm" plugins | grep -q '^    source     sqlite' || skip "the sqlite plugin is not built"

make_cases
for case in gen bench asean; do
  "$python" "$src/tests/sources/convert.py" sqlite "$work/cases/$case" "$work/sq-$case"
  for fmt in json text csv; do
    report "$work/cases/$case" "csv-$case-$fmt" --format "$fmt"
    (export TOCM_SQL_TRACE=1; report "$work/sq-$case" "sqlite-$case-$fmt" --format "$fmt")
    same_report "sqlite-$case-$fmt" "csv-$case-$fmt"
    (export TOCM_PUSH_DOWN=0; report "$work/sq-$case" "sqlite-rows-$case-$fmt" --format "$fmt")
    same_report "sqlite-rows-$case-$fmt" "csv-$case-$fmt"
  done
  expect_eq "csv-$case-exit" 0 "$(cat "$work/csv-$case-json.rc")"
done

# What went to the database. The benchmark's indicators (sum, gesi) are
# pushed down whole: GROUP BY, and no row read.
statements "$work/sqlite-bench-json.err" >"$work/bench.sql"
expect_eq bench-grouped 2 "$(grep -c 'GROUP BY' "$work/bench.sql")"
expect_eq bench-no-scan 0 "$(grep -c 'SELECT \* FROM' "$work/bench.sql")"
# The generated model: pushed down but for sums of decimals and a number
# compared with a text column, which read the rows once.
statements "$work/sqlite-gen-json.err" >"$work/gen.sql"
expect_eq gen-one-scan 1 "$(grep -c 'SELECT \* FROM "t"$' "$work/gen.sql")"
# (Once a table's rows are read, later indicators use them.)
(($(grep -c 'GROUP BY' "$work/gen.sql") >= 25)) && pass gen-grouped ||
  fail gen-grouped "$(grep -c 'GROUP BY' "$work/gen.sql") statements grouped"
# Hostile filter values are bound, never part of the SQL text.
for text in "DROP TABLE" "semi;colon" "back" "say " "it''s" "it's" "Việt" "100%"; do
  grep -qF -- "$text" "$work/gen.sql" && fail "not-in-sql: $text" "$(grep -F -- "$text" "$work/gen.sql" | head -1)" ||
    pass "not-in-sql: $text"
done
grep -qF -- "-- bound: 'x'; DROP TABLE t; --'" "$work/sqlite-gen-json.err" && pass hostile-bound ||
  fail hostile-bound "the DROP TABLE value was not bound"
# The filter matched the hostile rows (the table still has them all).
expect_eq hostile-counted yes "$("$python" - "$work/csv-gen-json.out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
cell = next(i for i in r["indicators"] if i["id"] == "i1-periodic")["cells"][0]
print("yes" if cell["value"] and cell["value"] > 0 else "no: %r" % cell)
PY
)"

# ---- faults: one line naming the table and its source; only its
# indicators fail (exit 1); the CSV table's indicator is still reported.
fault_model() {  # DIR TABLE-JSON
  mkdir -p "$1"
  cp "$work/cases/gen/data.csv" "$1/good.csv"
  cat >"$1/model.json" <<JSON
{"tocm": 1, "program": {"id": "f", "title": "Faults"}, "levels": ["goal"],
 "nodes": [{"id": "G", "level": "goal", "title": "Goal"}],
 "tables": {"good": {"path": "good.csv"}, "bad": $2},
 "indicators": [
  {"id": "ok", "title": "ok", "nodes": ["G"], "calculator": "count", "table": "good"},
  {"id": "b1", "title": "b1", "nodes": ["G"], "calculator": "count", "table": "bad"},
  {"id": "b2", "title": "b2", "nodes": ["G"], "calculator": "sum", "table": "bad",
   "params": {"column": "people"}, "period": "year"}]}
JSON
}
fault() {  # NAME CODE WANT-TEXT TABLE-JSON [SETUP]
  local name=$1 code=$2 want=$3
  fault_model "$work/f-$name" "$4"
  [[ -n ${5:-} ]] && (cd "$work/f-$name" && eval "$5")
  report "$work/f-$name" "f-$name" --format json
  local err=$work/f-$name.err lines
  lines=$(grep -c "error" "$err")
  expect_eq "fault-$name-exit" 1 "$(cat "$work/f-$name.rc")"
  expect_eq "fault-$name-one-line" 1 "$lines"
  grep -q "$code.*table 'bad' (sqlite): .*$want" "$err" && pass "fault-$name-says" ||
    fail "fault-$name-says" "wanted $code and '$want' in:" "$(cat "$err")"
  expect_eq "fault-$name-others" '["ok"] ["b1","b2"]' "$("$python" -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps([i["id"] for i in r["indicators"]], separators=(",", ":")),
      json.dumps([f["indicator"] for f in r["failed"]], separators=(",", ":")))' "$work/f-$name.out")"
}
db() { cp "$work/sq-gen/data.sqlite" db.sqlite; }
fault missing-file E310 "no-such.sqlite: No such file" '{"database": "sqlite", "path": "no-such.sqlite", "table": "t"}'
fault not-a-db E310 "cannot connect" '{"database": "sqlite", "path": "good.csv", "table": "t"}'
fault missing-table E311 "no such table: nope" '{"database": "sqlite", "path": "db.sqlite", "table": "nope"}' db
fault query-error E311 "no such column: nope" '{"database": "sqlite", "path": "db.sqlite", "query": "SELECT nope FROM t"}' db
# The query is a subquery: a second statement, or one that writes, is not SQL there.
fault two-statements E311 "syntax error" '{"database": "sqlite", "path": "db.sqlite", "query": "SELECT * FROM t; DELETE FROM t"}' db
fault writes E311 "syntax error" '{"database": "sqlite", "path": "db.sqlite", "query": "DELETE FROM t RETURNING *"}' db
fault missing-column E311 "no column 'weight'" '{"database": "sqlite", "path": "db.sqlite", "table": "t", "columns": {"weight": "integer"}}' db
fault wrong-type E312 "column 'kind' is text in the database, but the model's \"columns\" says integer" \
  '{"database": "sqlite", "path": "db.sqlite", "table": "t", "columns": {"kind": "integer"}}' db
# SQLite keeps any value in any column: a numeric one is checked first.
fault bad-value E311 "column 'people' holds 'many', which is not a whole number" \
  '{"database": "sqlite", "path": "db.sqlite", "table": "t"}' \
  "db; sqlite3 db.sqlite \"UPDATE t SET people = 'many' WHERE rowid = 7\" 2>/dev/null || $python -c 'import sqlite3; c = sqlite3.connect(\"db.sqlite\"); c.execute(\"UPDATE t SET people = ? WHERE rowid = 7\", (\"many\",)); c.commit()'"
# Where in the database the rows are is checked with the model.
fault_model "$work/no-where" '{"database": "sqlite", "path": "db.sqlite"}'
expect_status 1 "$tocm" validate "$work/no-where/model.json"
cat "$work/out" "$work/err" | grep -q "E003 /tables/bad: table .bad. needs .table. or .query." && pass no-where-says ||
  fail no-where-says "$(cat "$work/err")"
# The database file is never written.
fault_model "$work/ro" '{"database": "sqlite", "path": "db.sqlite", "table": "t"}'
(cd "$work/ro" && db && sha256sum db.sqlite >sum && chmod a-w db.sqlite)
report "$work/ro" ro --format json
expect_eq read-only-exit 0 "$(cat "$work/ro.rc")"
(cd "$work/ro" && sha256sum -c --quiet sum) && pass read-only-untouched || fail read-only-untouched
finish
