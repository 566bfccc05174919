// duckdb_agg.mjs -- the benchmark's indicators computed by DuckDB (through
// its node bindings, @duckdb/node-api): what an analyst with a SQL engine
// would run instead of tocm. The fastest formulation we know: one scan of
// the CSV with every breakdown as a grouping set, so DuckDB reads and
// parses the file once, on every core.
//
// Usage: node duckdb_agg.mjs DATA.csv > figures.json
// Prints the document aggregate.py prints (the same cells, the same order
// does not matter), so run_bench.py can check the figures before timing.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
if (!file) {
  console.error('usage: node duckdb_agg.mjs DATA.csv');
  process.exit(2);
}

// Empty fields read as NULL: an empty count is left out of sums (as tocm
// does); an empty sex is a value of its own in the breakdown (tocm shows
// it as ""), so the grouping columns say which NULLs are "all".
const sql = `
SELECT year, country, sex,
       GROUPING(year) AS all_years, GROUPING(country) AS all_countries, GROUPING(sex) AS all_sexes,
       SUM(participants) AS total, COUNT(participants) AS present, COUNT(*) AS n,
       SUM(participants) FILTER (WHERE sex = 'female') AS f,
       SUM(participants) FILTER (WHERE sex = 'male') AS m,
       SUM(participants) FILTER (WHERE sex NOT IN ('female', 'male')) AS o,
       COUNT(participants) FILTER (WHERE sex IS NOT NULL) AS sexed
FROM read_csv(?, header = true, delim = ',', quote = '"',
              columns = {'year': 'INTEGER', 'country': 'VARCHAR', 'sex': 'VARCHAR',
                         'event_type': 'VARCHAR', 'participants': 'INTEGER',
                         'person_id': 'VARCHAR'})
GROUP BY GROUPING SETS ((year, country, sex), (year, country), (year, sex), (year),
                        (country, sex), (country), (sex), ())`;

const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const reader = await con.runAndReadAll(sql, [file]);
const rows = reader.getRowObjects();

const num = (v) => (v === null ? 0 : Number(v));
const years = [...new Set(rows.filter((r) => r.all_years === 0 || r.all_years === 0n)
  .map((r) => Number(r.year)))].sort((a, b) => a - b);
const multi = years.length > 1;
const participants = [];
const women = [];
for (const r of rows) {
  const allYears = Number(r.all_years) === 1;
  if (allYears && !multi) continue; // one year: no "total" column
  const period = allYears ? 'total' : String(r.year);
  const dims = {};
  if (Number(r.all_countries) === 0) dims.country = r.country ?? '';
  if (Number(r.all_sexes) === 0) dims.sex = r.sex ?? '';
  const present = num(r.present);
  participants.push({ period, dims, value: present ? num(r.total) : null });
  if (Number(r.all_sexes) === 1 && num(r.sexed) > 0) {
    const f = num(r.f), m = num(r.m), o = num(r.o);
    const den = f + m + o;
    women.push({ period, dims, value: den ? f / den : null, numerator: f, denominator: den });
  }
}
const periods = years.map(String).concat(multi ? ['total'] : []);
process.stdout.write(JSON.stringify({ periods, indicators: [
  { id: 'participants', cells: participants }, { id: 'women', cells: women }] }) + '\n');
