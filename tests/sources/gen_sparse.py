#!/usr/bin/env python3
"""gen_sparse.py -- models whose breakdowns are too big for the usual ways.

Usage: gen_sparse.py OUT_DIR [sparse|wide]

sparse (the default): one indicator breaks a sum down by three columns of
170 values each, on 170 rows: 170 x 170 x 170 x 3 years (14.7 million)
possible combinations, more than tocm combines from a database's groups
(TOCMP_FOLD_MAX_KEYS, 4,194,304), though only 170 occur. Pushed down, the
indicator must fall back to reading the rows (W314) and report what the
CSV source reports.

wide: a count broken down by an identifier with 60,000 values, more cells
than a report holds (50,000): every source must fail it with E413, a
database's also when its rows are folded as they come (the fold stops
part way, and the rows are then read whole on the same connection).
"""
import csv
import json
import os
import sys

VALUES = 170
IDS = 60000


def main():
    out = sys.argv[1]
    mode = sys.argv[2] if len(sys.argv) > 2 else "sparse"
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "data.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["year", "a", "b", "c", "n"])
        for i in range(VALUES if mode == "sparse" else IDS):
            # Three permutations of 0..169 (7 and 13 are prime to 170).
            w.writerow([2020 + i % 3, "a%05d" % i, "b%03d" % (i * 7 % VALUES),
                        "c%03d" % (i * 13 % VALUES), i % 5])
    if mode == "sparse":
        indicator = {"id": "sparse", "title": "Sum by a, b and c", "calculator": "sum",
                     "params": {"column": "n"}, "period": "year",
                     "disaggregate": ["a", "b", "c"]}
    else:
        indicator = {"id": "wide", "title": "Count by a", "calculator": "count",
                     "disaggregate": ["a"]}
    indicator.update({"nodes": ["G"], "table": "t"})
    model = {
        "tocm": 1,
        "program": {"id": mode, "title": "Breakdowns too big"},
        "levels": ["goal"],
        "nodes": [{"id": "G", "level": "goal", "title": "Goal"}],
        "tables": {"t": {"path": "data.csv", "columns": {"year": "integer", "n": "integer"}}},
        "indicators": [indicator],
    }
    with open(os.path.join(out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(model, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
