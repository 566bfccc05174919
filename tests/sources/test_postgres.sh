#!/usr/bin/env bash
# test_postgres.sh -- the postgres table source (plugin ABI 1.5) against a
# private PostgreSQL cluster the test starts (initdb, pg_ctl; a Unix socket
# only) and stops on exit, also when a check fails: every report of the
# generated model (every calculator, filter form and aggregation, hostile
# filter values), the benchmark's model and the bundled ASEAN-ACT model
# byte for byte the CSV source's, pushed down and with the rows read; what
# is pushed down; faults (a refused connection, a wrong password, missing
# table and column, a query error, a column of the wrong type, the server
# going away mid-query), each one line naming the table and its source,
# never the password, failing only that table's indicators.
#
# Usage: test_postgres.sh TOCM SOURCE_DIR
set -uo pipefail
tocm=$1 src=$2
. "$src/tests/lib.sh"
. "$src/tests/sources/common.sh"
. "$src/tests/sources/pg_cluster.sh"
unset TOCM_ENGINE_ROWS TOCM_PUSH_DOWN TOCM_SQL_TRACE
"$tocm" plugins | grep -q '^    source     postgres' || skip "the postgres plugin is not built"
pg_start

make_cases
for case in gen bench asean; do
  "$python" "$src/tests/sources/convert.py" postgres "$work/cases/$case" "$work/pg-$case" TOCM_TEST_PG
  pg_psql -d postgres -c "CREATE DATABASE \"$case\""
  (cd "$work/pg-$case" && pg_psql -d "$case" -f load.sql) && pass "load-$case" || fail "load-$case"
  export TOCM_TEST_PG=$(pg_dsn "$case")
  for fmt in json text csv; do
    report "$work/cases/$case" "csv-$case-$fmt" --format "$fmt"
    (export TOCM_SQL_TRACE=1; report "$work/pg-$case" "pg-$case-$fmt" --format "$fmt")
    same_report "pg-$case-$fmt" "csv-$case-$fmt"
    (export TOCM_PUSH_DOWN=0; report "$work/pg-$case" "pg-rows-$case-$fmt" --format "$fmt")
    same_report "pg-rows-$case-$fmt" "csv-$case-$fmt"
  done
  expect_eq "csv-$case-exit" 0 "$(cat "$work/csv-$case-json.rc")"
done

statements "$work/pg-bench-json.err" >"$work/bench.sql"
expect_eq bench-grouped 2 "$(grep -c 'GROUP BY' "$work/bench.sql")"
expect_eq bench-no-scan 0 "$(grep -c 'SELECT \* FROM' "$work/bench.sql")"
statements "$work/pg-gen-json.err" >"$work/gen.sql"
expect_eq gen-one-scan 1 "$(grep -c 'SELECT \* FROM "t"$' "$work/gen.sql")"
(($(grep -c 'GROUP BY' "$work/gen.sql") >= 25)) && pass gen-grouped ||
  fail gen-grouped "$(grep -c 'GROUP BY' "$work/gen.sql") statements grouped"
grep -q 'COLLATE "C" >= CAST(\$[0-9]* AS TEXT)' "$work/gen.sql" && pass numbered-params ||
  fail numbered-params "$(head -3 "$work/gen.sql")"
for text in "DROP TABLE" "semi;colon" "back" "say " "it's" "Việt" "100%"; do
  grep -qF -- "$text" "$work/gen.sql" && fail "not-in-sql: $text" "$(grep -F -- "$text" "$work/gen.sql" | head -1)" ||
    pass "not-in-sql: $text"
done
# The hostile values did not touch the data.
expect_eq table-intact 3000 "$(pg_psql -d gen -At -c 'SELECT count(*) FROM t')"

# ---- faults -------------------------------------------------------------
pg_psql -d postgres -c "CREATE ROLE reader LOGIN PASSWORD 'right-s3cret'"
pg_psql -d gen -c "GRANT SELECT ON t TO reader"
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
fault_check() {  # NAME CODE WANT
  local name=$1 code=$2 want=$3 err=$work/f-$1.err
  [[ -n ${TOCM_SHOW_FAULTS:-} ]] && sed "s/^/  $name: /" "$err"
  expect_eq "fault-$name-exit" 1 "$(cat "$work/f-$name.rc")"
  expect_eq "fault-$name-one-line" 1 "$(grep -c "error" "$err")"
  grep -q "$code.*table 'bad' (postgres): .*$want" "$err" && pass "fault-$name-says" ||
    fail "fault-$name-says" "wanted $code and '$want' in:" "$(cat "$err")"
  grep -q "s3cret" "$err" "$work/f-$name.out" && fail "fault-$name-no-password" "$(cat "$err")" ||
    pass "fault-$name-no-password"
  expect_eq "fault-$name-others" '["ok"] ["b1","b2"]' "$("$python" -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps([i["id"] for i in r["indicators"]], separators=(",", ":")),
      json.dumps([f["indicator"] for f in r["failed"]], separators=(",", ":")))' "$work/f-$name.out")"
}
fault() {  # NAME CODE WANT DSN TABLE-JSON
  fault_model "$work/f-$1" "$5"
  (export TOCM_TEST_PG=$4; report "$work/f-$1" "f-$1" --format json)
  fault_check "$1" "$2" "$3"
}
t='{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "table": "t"}'
fault refused E310 "cannot connect: connection to server on socket \"$pg_root/none/.s.PGSQL.[0-9]*\" failed: No such file" \
  "host=$pg_root/none dbname=gen" "$t"
fault password E310 'password authentication failed for user "reader"' \
  "$(pg_dsn gen reader wrong-s3cret)" "$t"
fault password-uri E310 'password authentication failed for user "reader"' \
  "postgresql://reader:wrong-s3cret@%2F${pg_sock//\//%2F}/gen" "$t"
fault bad-dsn E310 "the connection string in TOCM_TEST_PG is not one libpq reads" \
  "host=$pg_sock password s3cret" "$t"
fault no-env E310 "the environment variable TOCM_NO_SUCH_VAR (its \"dsn_env\") is not set" "" \
  '{"database": "postgres", "dsn_env": "TOCM_NO_SUCH_VAR", "table": "t"}'
fault missing-table E311 'relation "nope" does not exist' "$(pg_dsn gen)" \
  '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "table": "nope"}'
fault missing-column E311 "no column 'weight'" "$(pg_dsn gen)" \
  '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "table": "t", "columns": {"weight": "integer"}}'
fault query-error E313 "division by zero" "$(pg_dsn gen)" \
  '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "query": "SELECT * FROM t WHERE 1 / (year - year) = 1"}'
fault wrong-type E312 "column 'kind' is text in the database, but the model's \"columns\" says integer" \
  "$(pg_dsn gen)" '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "table": "t", "columns": {"kind": "integer"}}'
fault writes E311 "syntax error" "$(pg_dsn gen)" \
  '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "query": "DELETE FROM t RETURNING *"}'
# The right password reads.
fault_model "$work/reader" "$t"
(export TOCM_TEST_PG=$(pg_dsn gen reader right-s3cret); report "$work/reader" reader --format json)
expect_eq reader-exit 0 "$(cat "$work/reader.rc")"

# The server going away mid-query: the table's query sleeps in the
# server; the test ends tocm's connection from the server side meanwhile.
fault_model "$work/f-gone" '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "query": "SELECT t.* FROM t CROSS JOIN pg_sleep(20)"}'
(export TOCM_TEST_PG=$(pg_dsn gen); report "$work/f-gone" f-gone --format json) &
tocm_job=$!
killed=
for _ in $(seq 150); do
  killed=$(pg_psql -d gen -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                  WHERE application_name = 'tocm' AND wait_event = 'PgSleep'")
  [[ -n $killed ]] && break
  sleep 0.1
done
expect_eq gone-terminated t "$killed"
wait "$tocm_job"
fault_check gone E313 "reading failed: terminating connection due to administrator command$"

# Stopping the cluster: every check above ran against it; the trap stops
# it on any exit.
pg_stop
[[ ! -d ${pg_root:-/nonexistent} ]] && pass pg-stopped || fail pg-stopped
finish
