#!/usr/bin/env bash
# test_postgres.sh -- the postgres table source (plugin ABI 1.5) against a
# private PostgreSQL cluster the test starts (initdb, pg_ctl; a Unix socket
# only) and stops on exit, also when a check fails: every report of the
# generated model (every calculator, filter form and aggregation, hostile
# filter values), the benchmark's model, the bundled ASEAN-ACT model and a
# breakdown too sparse to push down byte for byte the CSV source's, pushed
# down and with the rows read; what is pushed down; faults (a refused
# connection, a wrong password, missing table and column, a query error, a
# column of the wrong type, the server going away mid-query, also while
# rows are folded as they come), each one line naming the table and its
# source, never the password, failing only that table's indicators. The
# harness is common.sh's.
#
# Usage: test_postgres.sh TOCM SOURCE_DIR
set -uo pipefail
tocm=$1 src=$2 db=postgres
. "$src/tests/lib.sh"
. "$src/tests/sources/common.sh"
. "$src/tests/sources/pg_cluster.sh"
"$tocm" plugins | grep -q '^    source     postgres' || skip "the postgres plugin is not built"
pg_start

load_case() {  # CASE DIR
  "$python" "$src/tests/sources/convert.py" postgres "$work/cases/$1" "$2" TOCM_TEST_PG &&
    pg_psql -d postgres -c "CREATE DATABASE \"$1\"" &&
    (cd "$2" && pg_psql -d "$1" -f load.sql) &&
    export TOCM_TEST_PG=$(pg_dsn "$1")
}
make_cases
compare_cases
check_statements
grep -q 'COLLATE "C" >= CAST(\$[0-9]* AS TEXT)' "$work/gen.sql" && pass numbered-params ||
  fail numbered-params "$(head -3 "$work/gen.sql")"
# The hostile values did not touch the data.
expect_eq table-intact 3000 "$(pg_psql -d gen -At -c 'SELECT count(*) FROM t')"

# ---- faults -------------------------------------------------------------
pg_psql -d postgres -c "CREATE ROLE reader LOGIN PASSWORD 'right-s3cret'"
pg_psql -d gen -c "GRANT SELECT ON t TO reader"
pg_fault() {  # NAME CODE WANT DSN TABLE-JSON
  (export TOCM_TEST_PG=$4; fault "$1" "$2" "$3" "$5")
}
t='{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "table": "t"}'
pg_fault refused E310 "cannot connect: connection to server on socket \"$pg_root/none/.s.PGSQL.[0-9]*\" failed: No such file" \
  "host=$pg_root/none dbname=gen" "$t"
pg_fault password E310 'password authentication failed for user "reader"' \
  "$(pg_dsn gen reader wrong-s3cret)" "$t"
pg_fault password-uri E310 'password authentication failed for user "reader"' \
  "postgresql://reader:wrong-s3cret@%2F${pg_sock//\//%2F}/gen" "$t"
pg_fault bad-dsn E310 "the connection string in TOCM_TEST_PG is not one libpq reads" \
  "host=$pg_sock password s3cret" "$t"
pg_fault no-env E310 "the environment variable TOCM_NO_SUCH_VAR (its \"dsn_env\") is not set" "" \
  '{"database": "postgres", "dsn_env": "TOCM_NO_SUCH_VAR", "table": "t"}'
pg_fault missing-table E311 'relation "nope" does not exist' "$(pg_dsn gen)" \
  '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "table": "nope"}'
pg_fault missing-column E311 "no column 'weight'" "$(pg_dsn gen)" \
  '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "table": "t", "columns": {"weight": "integer"}}'
pg_fault query-error E313 "division by zero" "$(pg_dsn gen)" \
  '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "query": "SELECT * FROM t WHERE 1 / (year - year) = 1"}'
pg_fault wrong-type E312 "column 'kind' is text in the database, but the model's \"columns\" says integer" \
  "$(pg_dsn gen)" '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "table": "t", "columns": {"kind": "integer"}}'
pg_fault writes E311 "syntax error" "$(pg_dsn gen)" \
  '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "query": "DELETE FROM t RETURNING *"}'
# A value of the wrong type part way through rows folded as they come (a
# text column the model types as a date), blocks already folded.
(export TOCM_PUSH_DOWN=0 TOCM_SOURCE_BLOCK_ROWS=500
 pg_fault late-bad-value E303 "bad value: row 2000, column 'year': 'soon' is not a date" "$(pg_dsn gen)" \
   '{"database": "postgres", "dsn_env": "TOCM_TEST_PG", "columns": {"year": "date"},
     "query": "SELECT kind, people, CASE WHEN n = 2000 THEN '"'soon'"' ELSE CAST(year AS TEXT) END AS year FROM (SELECT *, row_number() OVER () AS n FROM t) r ORDER BY n"}')
# The right password reads.
fault_model "$work/reader" "$t"
(export TOCM_TEST_PG=$(pg_dsn gen reader right-s3cret); report "$work/reader" reader --format json)
expect_eq reader-exit 0 "$(cat "$work/reader.rc")"

# The server going away mid-query: the table's query sleeps in the server;
# the test ends tocm's connection from the server side meanwhile. Pushed
# down, it sleeps before the first group; with the rows read, after the
# first FETCH's 10,000 rows (4 copies of t's 3,000, the 5th sleeps), so
# blocks have been folded when the connection goes.
gone() {  # NAME QUERY [ENV=VALUE...]
  local name=$1 query=$2 tocm_job killed=
  shift 2
  fault_model "$work/f-$name" "{\"database\": \"postgres\", \"dsn_env\": \"TOCM_TEST_PG\", \"query\": \"$query\"}"
  (export TOCM_TEST_PG=$(pg_dsn gen) "$@"; report "$work/f-$name" "f-$name" --format json) &
  tocm_job=$!
  for _ in $(seq 150); do
    killed=$(pg_psql -d gen -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                    WHERE application_name = 'tocm' AND wait_event = 'PgSleep'")
    [[ -n $killed ]] && break
    sleep 0.1
  done
  expect_eq "$name-terminated" t "$killed"
  wait "$tocm_job"
  fault_check "$name" E313 "reading failed: terminating connection due to administrator command$"
}
gone gone "SELECT t.* FROM t CROSS JOIN pg_sleep(20)"
gone gone-folding "SELECT u.* FROM generate_series(1, 5) g, LATERAL (SELECT t.* FROM t WHERE g < 5 OR pg_sleep(20) IS NULL) u" \
  TOCM_PUSH_DOWN=0 TOCM_SOURCE_BLOCK_ROWS=1000

# Stopping the cluster: every check above ran against it; the trap stops
# it on any exit.
pg_stop
[[ ! -d ${pg_root:-/nonexistent} ]] && pass pg-stopped || fail pg-stopped
finish
