#!/usr/bin/env python3
"""gen_sparse.py -- a model whose one indicator breaks a sum down by three
columns of 170 values each, on 170 rows: 170 x 170 x 170 x 3 years
(14.7 million) possible combinations, more than tocm combines from a
database's groups (TOCMP_FOLD_MAX_KEYS, 4,194,304), though only 170 occur.
Pushed down, the indicator must fall back to reading the rows (W314) and
report what the CSV source reports.

Usage: gen_sparse.py OUT_DIR
"""
import csv
import json
import os
import sys

VALUES = 170


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "data.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["year", "a", "b", "c", "n"])
        for i in range(VALUES):
            # Three permutations of 0..169 (7 and 13 are prime to 170).
            w.writerow([2020 + i % 3, "a%03d" % i, "b%03d" % (i * 7 % VALUES),
                        "c%03d" % (i * 13 % VALUES), i % 5])
    model = {
        "tocm": 1,
        "program": {"id": "sparse", "title": "Sparse breakdown"},
        "levels": ["goal"],
        "nodes": [{"id": "G", "level": "goal", "title": "Goal"}],
        "tables": {"t": {"path": "data.csv", "columns": {"year": "integer", "n": "integer"}}},
        "indicators": [{"id": "sparse", "title": "Sum by a, b and c", "nodes": ["G"],
                        "calculator": "sum", "table": "t", "params": {"column": "n"},
                        "period": "year", "disaggregate": ["a", "b", "c"]}],
    }
    with open(os.path.join(out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(model, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
