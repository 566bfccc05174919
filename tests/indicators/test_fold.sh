#!/usr/bin/env bash
# test_fold.sh -- the one-pass engine (calculators as mergeable aggregates,
# plugin ABI 1.4) gives byte for byte the report that computing every cell
# from its rows gives (TOCM_ENGINE_ROWS=1, the engine before ABI 1.4): the
# same standard output, standard error and exit status, in every format,
# on the bundled model, the examples, every CSV case and the benchmark's
# model over a generated table with filters, every aggregation and every
# calc-basic calculator.
#
# Usage: test_fold.sh TOCM SOURCE_DIR
set -uo pipefail
tocm=$1 src=$2
. "$src/tests/lib.sh"
unset TOCM_ENGINE_ROWS

# Runs `tocm report MODEL ARGS...` both ways from DIR; compares everything.
both() {
  local name=$1 dir=$2
  shift 2
  (cd "$dir" && "$tocm" report "$@" >"$work/fold.out" 2>"$work/fold.err"; echo $? >"$work/fold.rc")
  (cd "$dir" && TOCM_ENGINE_ROWS=1 "$tocm" report "$@" >"$work/rows.out" 2>"$work/rows.err"
   echo $? >"$work/rows.rc")
  local same=same
  for k in out err rc; do
    cmp -s "$work/fold.$k" "$work/rows.$k" || same="$k differs: $(diff "$work/rows.$k" "$work/fold.$k" | head -5)"
  done
  expect_eq "$name" same "$same"
}

for fmt in json text csv; do
  both "asean-$fmt" "$src/models/asean-act-2021" model.json --format "$fmt"
  both "iptt-$fmt" "$src/examples/iptt" model.json --format "$fmt"
done
both asean-period "$src/models/asean-act-2021" model.json --format json --period 2021
for case in "$src/tests/indicators/csv_cases"/*/; do
  args=()
  [[ -f $case/args ]] && mapfile -t args <"$case/args"
  both "csv-case-$(basename "$case")" "$case" model.json "${args[@]}"
done

# A generated table through every calculator, filter and aggregation.
python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
rng = random.Random(14)
with open(work + "/data.csv", "w") as f:
    f.write("year,country,sex,kind,people,amount,person\n")
    for i in range(3000):
        people = "" if rng.random() < 0.05 else str(rng.randrange(-5, 60))
        amount = "" if rng.random() < 0.05 else "%.2f" % rng.uniform(0, 100)
        sex = rng.choice(["female", "male", "other", "", "f"])
        f.write("%d,%s,%s,%s,%s,%s,P%d\n" % (
            2019 + rng.randrange(4), rng.choice(["KH", "LA", "VN", "TH"]), sex,
            rng.choice(["training", "meeting", "visit"]), people, amount, rng.randrange(400)))
calcs = [
    ("count", {}), ("count", {"where": {"kind": "training"}}),
    ("sum", {"column": "people"}), ("sum", {"column": "amount"}),
    ("sum", {"column": "people", "where": {"kind": ["training", "visit"]}}),
    ("mean", {"column": "people"}), ("mean", {"column": "people", "weight": "people"}),
    ("mean", {"column": "amount"}),
    ("share", {"numerator": {"kind": "training"}, "denominator": {"sex": ["female", "male"]}}),
    ("share", {"column": "people", "numerator": {"sex": "female"}}),
    ("ratio", {"numerator_column": "people", "denominator_column": "year"}),
    ("gesi", {}), ("gesi", {"column": "people", "female": "f"}),
    ("distinct", {"column": "person"}), ("distinct", {"column": "person", "where": {"sex": "female"}}),
]
indicators = []
for i, (calc, params) in enumerate(calcs):
    for agg in ("periodic", "cumulative", "latest"):
        ind = {"id": "i%d-%s" % (i, agg), "title": "%s %s" % (calc, agg), "nodes": ["G"],
               "calculator": calc, "table": "t", "params": params, "period": "year",
               "aggregation": agg, "disaggregate": [["country"], ["country", "sex"], []][i % 3]}
        if i % 4 == 1:
            ind["filter"] = {"country": ["KH", "LA", "TH"]}
        if i % 5 == 2:
            ind["zero_fill"] = True
        indicators.append(ind)
model = {"tocm": 1, "program": {"id": "fold", "title": "Fold"}, "levels": ["goal"],
         "nodes": [{"id": "G", "level": "goal", "title": "Goal"}],
         "tables": {"t": {"path": "data.csv", "columns": {
             "year": "integer", "people": "integer", "amount": "decimal"}}},
         "indicators": indicators}
json.dump(model, open(work + "/model.json", "w"), indent=1)
PY
for fmt in json text; do
  both "generated-$fmt" "$work" model.json --format "$fmt"
done
# The generated report must be a real one, not the same error twice.
expect_eq generated-exit 0 "$(cat "$work/fold.rc")"
expect_eq generated-cells yes "$(grep -q "i14-latest" "$work/fold.out" && echo yes)"
finish
