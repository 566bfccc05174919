# common.sh -- what the table source tests share (sourced after tests/lib.sh).
#
#   make_cases              $work/cases/{gen,bench,asean}: each a model.json
#                           over CSV files (the reference)
#   report DIR NAME ARGS... tocm report in DIR; stdout, stderr and status in
#                           $work/NAME.{out,err,rc}
#   same_report NAME REF    NAME's stdout and status equal REF's

python=/usr/bin/python3
[[ -x $python ]] || python=python3

make_cases() {
  mkdir -p "$work/cases/gen" "$work/cases/bench"
  "$python" "$src/tests/sources/gen_cases.py" "$work/cases/gen"
  # The benchmark's model over a small table of the same shape.
  cp "$src/tests/indicators/bench/model.json" "$work/cases/bench/"
  "$python" "$src/tests/indicators/bench/gen_data.py" -n 20000 "$work/cases/bench/data.csv"
  cp -r "$src/models/asean-act-2021" "$work/cases/asean"
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

# The statements of a TOCM_SQL_TRACE=1 run's standard error, without the
# values bound.
statements() { grep '^tocm: sql: ' "$1" | sed 's/ -- bound: .*//'; }
