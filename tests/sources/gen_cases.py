#!/usr/bin/env python3
"""gen_cases.py -- a model and table that put every calc-basic calculator,
filter form and aggregation through a table source, with values that are
hostile to SQL written by pasting text.

Usage: gen_cases.py OUT_DIR [ROWS]

Writes OUT_DIR/data.csv and OUT_DIR/model.json. The "kind" column holds
texts with quotes, semicolons, backslashes, comment markers and non-ASCII
letters, and the indicators filter on exactly those texts, so a filter
that reached the database as pasted text would either fail or count other
rows; bound as a parameter, it counts the rows the CSV source counts.
"""
import json
import random
import sys

HOSTILE = [
    "training",
    "it's a meeting",
    'say "hi"',
    "x'; DROP TABLE t; --",
    "back\\slash",
    "semi;colon",
    "100% $1 ?",
    "Lào – Việt",
]


def main():
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    rng = random.Random(15)
    with open(out + "/data.csv", "w", newline="", encoding="utf-8") as f:
        f.write("year,country,sex,kind,people,amount,person,day\n")
        for _ in range(rows):
            people = "" if rng.random() < 0.05 else str(rng.randrange(-5, 60))
            amount = "" if rng.random() < 0.05 else "%.2f" % rng.uniform(0, 100)
            sex = rng.choice(["female", "male", "other", "", "f"])
            kind = rng.choice(HOSTILE + [""])
            quoted = '"' + kind.replace('"', '""') + '"'
            day = "" if rng.random() < 0.1 else "%d-%02d-%02d" % (
                2019 + rng.randrange(4), 1 + rng.randrange(12), 1 + rng.randrange(28))
            f.write("%d,%s,%s,%s,%s,%s,P%d,%s\n" % (
                2019 + rng.randrange(4), rng.choice(["KH", "LA", "VN", "TH"]), sex, quoted,
                people, amount, rng.randrange(400), day))
    calcs = [
        ("count", {}),
        ("count", {"where": {"kind": "x'; DROP TABLE t; --"}}),
        ("count", {"where": {"kind": ["back\\slash", "semi;colon", 'say "hi"']}}),
        ("count", {"where": {"kind": {"not": ["it's a meeting", "100% $1 ?"]}}}),
        ("count", {"where": {"kind": {"min": "back", "max": "semi;colon"}}}),
        ("count", {"where": {"people": {"min": 10, "max": 20.5}, "sex": {"not": ""}}}),
        ("count", {"where": {"day": {"min": "2020-03", "max": "2021-06-30"}}}),
        ("count", {"where": {"year": 2020}}),
        ("count", {"where": {"no_such_column": "x"}}),
        ("sum", {"column": "people"}),
        ("sum", {"column": "amount"}),
        ("sum", {"column": "people", "where": {"kind": ["training", "Lào – Việt"]}}),
        ("mean", {"column": "people"}),
        ("mean", {"column": "people", "weight": "people"}),
        ("mean", {"column": "amount"}),
        ("share", {"numerator": {"kind": "training"}, "denominator": {"sex": ["female", "male"]}}),
        ("share", {"column": "people", "numerator": {"sex": "female"}}),
        ("ratio", {"numerator_column": "people", "denominator_column": "year"}),
        ("gesi", {}),
        ("gesi", {"column": "people", "female": "f"}),
        ("distinct", {"column": "person"}),
        ("distinct", {"column": "person", "where": {"sex": "female"}}),
        # A number against a text column: said the way filter.c reads it,
        # which SQL cannot: the rows are read instead.
        ("count", {"where": {"person": 5}}),
    ]
    indicators = []
    for i, (calc, params) in enumerate(calcs):
        for agg in ("periodic", "cumulative", "latest"):
            ind = {"id": "i%d-%s" % (i, agg), "title": "%s %s" % (calc, agg), "nodes": ["G"],
                   "calculator": calc, "table": "t", "params": params, "period": "year",
                   "aggregation": agg,
                   "disaggregate": [["country"], ["country", "sex"], [], ["kind"]][i % 4]}
            if i % 4 == 1:
                ind["filter"] = {"country": ["KH", "LA", "TH"], "kind": {"not": "semi;colon"}}
            if i % 5 == 2:
                ind["zero_fill"] = True
            indicators.append(ind)
    indicators.append({"id": "no-period", "title": "count, one period", "nodes": ["G"],
                       "calculator": "count", "table": "t", "disaggregate": ["sex"]})
    indicators.append({"id": "none", "title": "count of nothing", "nodes": ["G"],
                       "calculator": "sum", "table": "t", "params": {"column": "people"},
                       "period": "year", "filter": {"country": "XX"}})
    model = {"tocm": 1, "program": {"id": "sources", "title": "Sources"}, "levels": ["goal"],
             "nodes": [{"id": "G", "level": "goal", "title": "Goal"}],
             "tables": {"t": {"path": "data.csv", "columns": {
                 "year": "integer", "people": "integer", "amount": "decimal", "day": "date"}}},
             "indicators": indicators}
    with open(out + "/model.json", "w", encoding="utf-8") as f:
        json.dump(model, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
