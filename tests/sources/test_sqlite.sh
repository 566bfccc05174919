#!/usr/bin/env bash
# test_sqlite.sh -- the sqlite table source (plugin ABI 1.5): every report of
# the generated model (every calculator, filter form and aggregation, with
# filter values hostile to pasted SQL), the benchmark's model, the bundled
# ASEAN-ACT model and a breakdown too sparse to push down is byte for byte
# the CSV source's, pushed down and with the rows read; what is pushed down;
# faults, each one line naming the table and its source, failing only that
# table's indicators. The harness is common.sh's.
#
# Usage: test_sqlite.sh TOCM SOURCE_DIR
set -uo pipefail
tocm=$1 src=$2 db=sqlite
. "$src/tests/lib.sh"
. "$src/tests/sources/common.sh"
"$tocm" plugins | grep -q '^    source     sqlite' || skip "the sqlite plugin is not built"

load_case() {  # CASE DIR
  "$python" "$src/tests/sources/convert.py" sqlite "$work/cases/$1" "$2"
}
make_cases
compare_cases
check_statements

# ---- faults: one line naming the table and its source; only its
# indicators fail (exit 1); the CSV table's indicator is still reported.
db() { cp "$work/sqlite-gen/data.sqlite" db.sqlite; }
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
# A value of the wrong type part way through the rows folded as they come
# (a text column the model types as a date), blocks of 500 rows already
# folded: one line naming the row.
(export TOCM_PUSH_DOWN=0 TOCM_SOURCE_BLOCK_ROWS=500
 fault late-bad-value E303 "bad value: row 2000, column 'year': 'soon' is not a date" \
   '{"database": "sqlite", "path": "db.sqlite", "columns": {"year": "date"},
     "query": "SELECT kind, people, CASE WHEN rowid = 2000 THEN '"'soon'"' ELSE CAST(year AS TEXT) END AS year FROM t"}' db)
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
