#!/usr/bin/env bash
# scale_postgres.sh -- the benchmark's model over ROWS rows (default
# 20,000,000) in a private PostgreSQL cluster: the report pushed down, with
# the rows read (TOCM_PUSH_DOWN=0: folded in blocks as the cursor hands
# them over), and from the same rows as a CSV file; wall time and tocm's
# peak memory (GNU time) of each, the load average beside, and checks that
# the three reports are the same and that reading the rows did not hold
# them (its peak under 256 MiB, where holding 20,000,000 rows took 3.2 GB).
# Not a ctest: it takes minutes and gigabytes.
#
# Usage: scale_postgres.sh TOCM SOURCE_DIR [ROWS]
set -uo pipefail
tocm=$1 src=$2 rows=${3:-20000000}
. "$src/tests/lib.sh"
. "$src/tests/sources/pg_cluster.sh"
python=/usr/bin/python3
[[ -x $python ]] || python=python3
pg_start
pg_psql -d postgres -c "CREATE DATABASE scale"
# The shape of tests/indicators/bench/gen_data.py, made by the server.
pg_psql -d scale <<SQL
CREATE UNLOGGED TABLE participation AS
SELECT 2019 + floor(random() * 5)::int AS year,
       (ARRAY['BN','ID','KH','LA','MM','MY','PH','SG','TH','VN'])[1 + floor(random() * 10)::int]
         AS country,
       (ARRAY['female','male','other',NULL])[CASE WHEN r < 0.48 THEN 1 WHEN r < 0.96 THEN 2
                                                  WHEN r < 0.98 THEN 3 ELSE 4 END] AS sex,
       (ARRAY['training','workshop','meeting','webinar'])[1 + floor(random() * 4)::int]
         AS event_type,
       CASE WHEN random() < 0.01 THEN NULL ELSE 1 + floor(random() * 60)::int END
         AS participants,
       'P' || lpad(floor(random() * 400000)::int::text, 6, '0') AS person_id
FROM (SELECT random() AS r FROM generate_series(1, $rows)) g;
ANALYZE participation;
SQL
pg_psql -d scale -c "\\copy participation TO '$work/data.csv' WITH (FORMAT csv, HEADER true)"
mkdir -p "$work/csv" "$work/pg"
mv "$work/data.csv" "$work/csv/"
cp "$src/tests/indicators/bench/model.json" "$work/csv/"
"$python" - "$work" <<'PY'
import json, sys
w = sys.argv[1]
m = json.load(open(w + "/csv/model.json"))
t = m["tables"]["participation"]
del t["path"]
t.update({"database": "postgres", "dsn_env": "TOCM_SCALE_PG", "table": "participation"})
json.dump(m, open(w + "/pg/model.json", "w"), indent=1)
PY
export TOCM_SCALE_PG=$(pg_dsn scale)
run() {  # NAME DIR [ENV=VALUE...]
  local name=$1 dir=$2
  shift 2
  (cd "$dir" && env "$@" /usr/bin/time -f "%e %M" -o "$work/$name.time" \
     "$tocm" report model.json --format json >"$work/$name.out" 2>"$work/$name.err")
  read -r secs kb <"$work/$name.time"
  printf '%-12s %8s s %10s MiB   (load %s)\n' "$name" "$secs" "$((kb / 1024))" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  eval "${name//-/_}_kb=$kb"
}
echo "$rows rows; $(nproc) cores"
run pushed-down "$work/pg"
run rows-read "$work/pg" TOCM_PUSH_DOWN=0
run csv "$work/csv"
# What tocm asks for (the finest grain, margins combined by tocm) against
# GROUPING SETS (every margin grouped by the server: CUBE), for the sum
# indicator, timed in psql: the server's time is the scan either way.
grain() {  # NAME SQL
  local t0 t1
  t0=$(date +%s.%N)
  pg_psql -d scale -c "$2" >/dev/null
  t1=$(date +%s.%N)
  printf '%-24s %8.1f s   (load %s)\n' "$1" "$(awk "BEGIN { print $t1 - $t0 }")" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
}
sum='count(*), COALESCE(sum(CAST(participants AS NUMERIC)), 0) FROM participation'
grain finest-grain "SELECT year, country, sex, $sum GROUP BY 1, 2, 3"
grain grouping-sets "SELECT year, country, sex, $sum GROUP BY CUBE (year, country, sex)"
cmp -s "$work/pushed-down.out" "$work/csv.out" && pass pushed-same-as-csv || fail pushed-same-as-csv
cmp -s "$work/rows-read.out" "$work/csv.out" && pass rows-same-as-csv || fail rows-same-as-csv
((rows_read_kb < 256 * 1024)) && pass rows-read-bounded ||
  fail rows-read-bounded "peak $((rows_read_kb / 1024)) MiB reading $rows rows"
finish
