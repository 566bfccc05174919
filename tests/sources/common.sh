# common.sh -- the harness the table source tests share (sourced after
# tests/lib.sh). A test sets $db (the source: sqlite, postgres) and defines
#   load_case CASE DIR   a copy of $work/cases/CASE whose tables are in the
#                        database, in DIR (exported variables stay set)
# then calls, in order:
#   make_cases              $work/cases/{gen,bench,asean,sparse,wide}: each
#                           a model.json over CSV files (the reference)
#   compare_cases           every case's reports (json, text, csv) from the
#                           database the CSV source's, byte for byte, pushed
#                           down and with the rows read (TOCM_PUSH_DOWN=0,
#                           folded in blocks as they come)
#   check_statements        what went to the database (TOCM_SQL_TRACE=1)
#   fault NAME CODE WANT TABLE-JSON [SETUP]   a model over one good CSV
#                           table and the database table TABLE-JSON: tocm
#                           exits 1 with one error line (CODE ... WANT)
#                           naming the table and its source, never a
#                           password, and only that table's indicators fail;
#                           SETUP runs in the model's folder first
# and, for its own checks:
#   report DIR NAME ARGS... tocm report in DIR; stdout, stderr and status in
#                           $work/NAME.{out,err,rc}
#   same_report NAME REF    NAME's stdout and status equal REF's
#   fault_model DIR TABLE-JSON, fault_check NAME CODE WANT

python=/usr/bin/python3
[[ -x $python ]] || python=python3
unset TOCM_ENGINE_ROWS TOCM_PUSH_DOWN TOCM_SQL_TRACE

make_cases() {
  mkdir -p "$work/cases/gen" "$work/cases/bench"
  "$python" "$src/tests/sources/gen_cases.py" "$work/cases/gen"
  # The benchmark's model over a small table of the same shape.
  cp "$src/tests/indicators/bench/model.json" "$work/cases/bench/"
  "$python" "$src/tests/indicators/bench/gen_data.py" -n 20000 "$work/cases/bench/data.csv"
  cp -r "$src/models/asean-act-2021" "$work/cases/asean"
  "$python" "$src/tests/sources/gen_sparse.py" "$work/cases/sparse"
  "$python" "$src/tests/sources/gen_sparse.py" "$work/cases/wide" wide
}

report() {
  local dir=$1 name=$2
  shift 2
  (cd "$dir" && "$tocm" report model.json "$@" >"$work/$name.out" 2>"$work/$name.err"
   echo $? >"$work/$name.rc")
}

same_report() {
  local name=$1 ref=$2 same=same
  for k in out rc; do
    cmp -s "$work/$ref.$k" "$work/$name.$k" ||
      same="$k differs from $ref: $(diff "$work/$ref.$k" "$work/$name.$k" | head -6)$(head -c 300 "$work/$name.err")"
  done
  expect_eq "$name" same "$same"
}

compare_cases() {
  local case fmt fmts
  for case in gen bench asean sparse wide; do
    load_case "$case" "$work/$db-$case" && pass "load-$case" || fail "load-$case"
    fmts="json text csv"
    [[ $case == wide ]] && fmts=json # (a failure: the other formats show no more)
    for fmt in $fmts; do
      report "$work/cases/$case" "csv-$case-$fmt" --format "$fmt"
      (export TOCM_SQL_TRACE=1; report "$work/$db-$case" "$db-$case-$fmt" --format "$fmt")
      same_report "$db-$case-$fmt" "csv-$case-$fmt"
      # (Blocks of 777 rows: many per table, none aligned with anything.)
      (export TOCM_SQL_TRACE=1 TOCM_PUSH_DOWN=0 TOCM_SOURCE_BLOCK_ROWS=777
       report "$work/$db-$case" "$db-rows-$case-$fmt" --format "$fmt")
      same_report "$db-rows-$case-$fmt" "csv-$case-$fmt"
    done
    # (wide: more cells than a report holds, from every source.)
    expect_eq "csv-$case-exit" "$([[ $case == wide ]] && echo 1 || echo 0)" \
      "$(cat "$work/csv-$case-json.rc")"
  done
  local err
  for err in "$work/csv-wide-json.err" "$work/$db-wide-json.err" "$work/$db-rows-wide-json.err"; do
    expect_eq "wide-says-E413: ${err##*/}" 1 "$(grep -c "error: E413 .*indicator 'wide'" "$err")"
  done
}

# The statements of a TOCM_SQL_TRACE=1 run's standard error, without the
# values bound or the table's name.
statements() { grep '^tocm: sql: ' "$1" | sed 's/ -- bound: .*//; s/^tocm: sql: table [^:]*: //'; }

check_statements() {
  # The benchmark's indicators (sum, gesi) are pushed down whole: GROUP BY,
  # and no row read.
  statements "$work/$db-bench-json.err" >"$work/bench.sql"
  expect_eq bench-grouped 2 "$(grep -c 'GROUP BY' "$work/bench.sql")"
  expect_eq bench-no-scan 0 "$(grep -c 'SELECT \* FROM' "$work/bench.sql")"
  # With the rows read instead, one pass folds them for both, and only the
  # four columns they read cross the wire.
  expect_eq bench-rows-one-pass 'SELECT "year", "country", "sex", "participants" FROM "participation"' \
    "$(statements "$work/$db-rows-bench-json.err")"
  # The generated model: pushed down but for sums of decimals and a number
  # compared with a text column, which read the rows once. (Once a table's
  # rows are read, later indicators use them.)
  statements "$work/$db-gen-json.err" >"$work/gen.sql"
  expect_eq gen-one-scan 1 "$(grep -c 'SELECT \* FROM "t"$' "$work/gen.sql")"
  (($(grep -c 'GROUP BY' "$work/gen.sql") >= 25)) && pass gen-grouped ||
    fail gen-grouped "$(grep -c 'GROUP BY' "$work/gen.sql") statements grouped"
  # Hostile filter values are bound, never part of the SQL text.
  local text
  for text in "DROP TABLE" "semi;colon" "back" "say " "it''s" "it's" "Việt" "100%"; do
    grep -qF -- "$text" "$work/gen.sql" && fail "not-in-sql: $text" "$(grep -F -- "$text" "$work/gen.sql" | head -1)" ||
      pass "not-in-sql: $text"
  done
  grep -qF -- "-- bound: 'x'; DROP TABLE t; --'" "$work/$db-gen-json.err" && pass hostile-bound ||
    fail hostile-bound "the DROP TABLE value was not bound"
  # The filter matched the hostile rows (the table still has them all).
  expect_eq hostile-counted yes "$("$python" - "$work/csv-gen-json.out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
cell = next(i for i in r["indicators"] if i["id"] == "i1-periodic")["cells"][0]
print("yes" if cell["value"] and cell["value"] > 0 else "no: %r" % cell)
PY
)"
  # A breakdown with more combinations than tocm combines from groups: the
  # rows are read instead, with a warning that says why (not E413).
  grep -q "W314 /indicators/0: indicator 'sparse': .*rows are read instead" "$work/$db-sparse-json.err" &&
    pass sparse-falls-back || fail sparse-falls-back "$(cat "$work/$db-sparse-json.err")"
}

# ---- faults ---------------------------------------------------------------

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
  grep -q "$code.*table 'bad' ($db): .*$want" "$err" && pass "fault-$name-says" ||
    fail "fault-$name-says" "wanted $code and '$want' in:" "$(cat "$err")"
  grep -q "s3cret" "$err" "$work/f-$name.out" && fail "fault-$name-no-password" "$(cat "$err")" ||
    pass "fault-$name-no-password"
  expect_eq "fault-$name-others" '["ok"] ["b1","b2"]' "$("$python" -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps([i["id"] for i in r["indicators"]], separators=(",", ":")),
      json.dumps([f["indicator"] for f in r["failed"]], separators=(",", ":")))' "$work/f-$name.out")"
}

fault() {  # NAME CODE WANT TABLE-JSON [SETUP]
  fault_model "$work/f-$1" "$4"
  [[ -n ${5:-} ]] && (cd "$work/f-$1" && eval "$5")
  report "$work/f-$1" "f-$1" --format json
  fault_check "$1" "$2" "$3"
}
