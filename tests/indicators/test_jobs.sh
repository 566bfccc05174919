#!/usr/bin/env bash
# test_jobs.sh -- tables read in chunks and folded as they come, on one
# thread or several (`tocm report --jobs N`), give byte for byte the report
# of reading each table whole and computing every cell from its rows
# (TOCM_ENGINE_ROWS=1): the same standard output, standard error and exit
# status, in every format. TOCM_STREAM_CHUNK (bytes) cuts the files into
# tiny chunks here, so that records, quoted line breaks, CRLF pairs and
# errors fall on every side of a chunk's end and the chunks outnumber the
# threads.
#
# Usage: test_jobs.sh TOCM SOURCE_DIR
set -uo pipefail
tocm=$1 src=$2
. "$src/tests/lib.sh"
unset TOCM_ENGINE_ROWS TOCM_STREAM_CHUNK

# run NAME DIR ENV... -- ARGS...: `tocm report ARGS` from DIR with ENV,
# into $work/NAME.{out,err,rc}.
run() {
  local name=$1 dir=$2
  shift 2
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  (cd "$dir" && env "${envs[@]}" "$tocm" report "$@" >"$work/$name.out" 2>"$work/$name.err"
   echo $? >"$work/$name.rc")
}

# same NAME A B: runs A and B compared, every stream.
same() {
  local name=$1 a=$2 b=$3 result=same
  for k in out err rc; do
    cmp -s "$work/$a.$k" "$work/$b.$k" ||
      result="$k differs: $(diff "$work/$a.$k" "$work/$b.$k" | head -5)"
  done
  expect_eq "$name" same "$result"
}

# check NAME DIR ARGS...: rows vs -j1 vs -j2 vs -j3 with small chunks vs
# -j1 with tiny ones.
check() {
  local name=$1 dir=$2
  shift 2
  run rows "$dir" TOCM_ENGINE_ROWS=1 -- "$@"
  run j1 "$dir" -- "$@" -j 1
  run j2 "$dir" -- "$@" -j 2
  run j3small "$dir" TOCM_STREAM_CHUNK=300 -- "$@" -j 3
  run j1tiny "$dir" TOCM_STREAM_CHUNK=20 -- "$@" -j 1
  same "$name -j1 = rows" rows j1
  same "$name -j2 = -j1" j1 j2
  same "$name -j3, small chunks = -j1" j1 j3small
  same "$name -j1, tiny chunks = -j1" j1 j1tiny
}

for fmt in text json csv; do
  check "asean $fmt" "$src/models/asean-act-2021" model.json --format "$fmt"
done
check "iptt json" "$src/examples/iptt" model.json --format json

# Every CSV case, errors and all: their lines and columns must not depend
# on where the chunks end.
for case in "$src/tests/indicators/csv_cases"/*/; do
  args=()
  [[ -f $case/args ]] && mapfile -t args <"$case/args"
  check "csv case $(basename "$case")" "$case" model.json "${args[@]}"
done

# The benchmark's model over a small generated table.
mkdir "$work/bench"
cp "$src/tests/indicators/bench/model.json" "$work/bench/"
# 20,000 rows give every chunk size many chunks; the sanitizer build, ten
# times slower a row, gets 4,000 (still over 400 tiny chunks).
bench_rows=20000
[[ ${TOCM_SANITIZED:-0} == 1 ]] && bench_rows=4000
python3 "$src/tests/indicators/bench/gen_data.py" -n "$bench_rows" "$work/bench/data.csv" ||
  fail "gen_data.py"
for fmt in text json csv; do
  check "bench $fmt" "$work/bench" model.json --format "$fmt"
done
expect_eq "bench exit" 0 "$(cat "$work/j2.rc")"

# A generated table every one of whose indicators folds (integer columns
# only), so it is streamed: quoted fields with commas, quotes and line
# breaks, CRLF line ends, UTF-8, empty cells; filters; every aggregation.
python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
rng = random.Random(14)
with open(work + "/data.csv", "w", newline="") as f:
    f.write("year,country,sex,kind,people,person,note\r\n")
    for i in range(4000):
        people = "" if rng.random() < 0.05 else str(rng.randrange(-5, 60))
        sex = rng.choice(["female", "male", "other", "", "f", "Phụ nữ"])
        kind = rng.choice(["training", "meeting", "visit", '"site, visit"', '"say ""hi"""'])
        note = rng.choice(["", "ok", '"two\nlines"', '"a,b"', "été"])
        f.write("%d,%s,%s,%s,%s,P%d,%s%s" % (
            2019 + rng.randrange(4), rng.choice(["KH", "LA", "VN", "TH"]), sex, kind, people,
            rng.randrange(400), note, "\r\n" if i % 3 else "\n"))
calcs = [
    ("count", {}), ("count", {"where": {"kind": "training"}}),
    ("sum", {"column": "people"}),
    ("sum", {"column": "people", "where": {"kind": ["training", "site, visit"]}}),
    ("mean", {"column": "people"}), ("mean", {"column": "people", "weight": "people"}),
    ("share", {"numerator": {"kind": "training"}, "denominator": {"sex": ["female", "male"]}}),
    ("share", {"column": "people", "numerator": {"sex": "female"}}),
    ("ratio", {"numerator_column": "people", "denominator_column": "year"}),
    ("gesi", {}), ("gesi", {"column": "people", "female": "f"}),
    ("distinct", {"column": "person"}), ("distinct", {"column": "note", "where": {"sex": "female"}}),
]
indicators = []
for i, (calc, params) in enumerate(calcs):
    for agg in ("periodic", "cumulative", "latest"):
        ind = {"id": "i%d-%s" % (i, agg), "title": "%s %s" % (calc, agg), "nodes": ["G"],
               "calculator": calc, "table": "t", "params": params, "period": "year",
               "aggregation": agg,
               "disaggregate": [["country"], ["country", "sex"], [], ["kind"]][i % 4]}
        if i % 4 == 1:
            ind["filter"] = {"country": ["KH", "LA", "TH"]}
        if i % 5 == 2:
            ind["zero_fill"] = True
        if i % 3 == 0:
            ind["targets"] = {"2024": 10}
        indicators.append(ind)
model = {"tocm": 1, "program": {"id": "jobs", "title": "Jobs"}, "levels": ["goal"],
         "nodes": [{"id": "G", "level": "goal", "title": "Goal"}],
         "tables": {"t": {"path": "data.csv", "columns": {"year": "integer", "people": "integer"}}},
         "indicators": indicators}
json.dump(model, open(work + "/model.json", "w"), indent=1)
PY
for fmt in json text csv; do
  check "generated $fmt" "$work" model.json --format "$fmt"
done
expect_eq "generated exit" 0 "$(cat "$work/j2.rc")"
expect_eq "generated cells" yes "$(grep -q "i12-latest" "$work/j2.out" && echo yes)"

# The same table with a bad cell far down and a row too short: the errors
# (lines, columns, order) are those of reading it whole.
cp "$work/data.csv" "$work/good.csv"
sed -i '3000s/^[0-9]*,/20x1,/; 3500s/,[^,]*$//' "$work/data.csv"
check "generated errors" "$work" model.json --format json
expect_eq "generated errors exit" 1 "$(cat "$work/j2.rc")"
expect_eq "generated errors listed" yes "$(grep -q "E303" "$work/j2.err" && echo yes)"

# --jobs takes a number of threads.
expect_status 2 "$tocm" report "$work/model.json" --jobs 0
expect_status 2 "$tocm" report "$work/model.json" --jobs x
finish
