#!/usr/bin/env python3
"""aggregate.py -- the benchmark's indicators computed with Python's csv
module: what a person would write instead of using tocm.

Usage: aggregate.py DATA.csv > figures.json

Computes the two indicators of bench/model.json from the benchmark table:
  participants  sum of participants by year, broken down by country and sex
                (every margin, and the total over the years);
  women         gesi: women / (women + men + other), by year and country.
Empty counts are left out; a group whose counts are all empty has no value;
rows with an empty sex count for no share. Prints
  {"indicators": [{"id", "cells": [{"period", "dims", "value",
                                     "numerator", "denominator"}]}]}
with the cells that have rows (tocm also prints the empty combinations).
"""
import csv
import json
import sys
from collections import defaultdict


def main():
    # One pass: the finest breakdown, then every margin from it.
    sums = defaultdict(int)      # (year, country, sex) -> participants
    present = defaultdict(int)   # (year, country, sex) -> non-empty cells
    rows = defaultdict(int)      # (year, country, sex) -> rows
    parts = defaultdict(lambda: [0, 0, 0])  # (year, country) -> female, male, other
    with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader)
        iy, ic, isx, ip = (header.index(c) for c in ("year", "country", "sex", "participants"))
        for r in reader:
            if not r:
                continue
            key = (int(r[iy]), r[ic], r[isx])
            rows[key] += 1
            p = r[ip]
            if p == "":
                continue
            n = int(p)
            sums[key] += n
            present[key] += 1
            sex = r[isx]
            if sex:
                parts[key[:2]][0 if sex == "female" else 1 if sex == "male" else 2] += n

    years = sorted({k[0] for k in rows})
    periods = [str(y) for y in years] + (["total"] if len(years) > 1 else [])

    def period_of(year):
        return (str(year), "total") if len(years) > 1 else (str(year),)

    # participants: each subset of (country, sex) x each period.
    agg = defaultdict(lambda: [0, 0, 0])  # (period, dims) -> sum, present, rows
    for (year, country, sex), n in rows.items():
        for period in period_of(year):
            for dims in ((), (("country", country),), (("sex", sex),),
                         (("country", country), ("sex", sex))):
                a = agg[(period, dims)]
                a[0] += sums[(year, country, sex)]
                a[1] += present[(year, country, sex)]
                a[2] += n
    participants = [{"period": p, "dims": dict(d),
                     "value": s if (have or not n) else None}
                    for (p, d), (s, have, n) in sorted(agg.items())]

    shares = defaultdict(lambda: [0, 0, 0])
    for (year, country), (f, m, o) in parts.items():
        for period in period_of(year):
            for dims in ((), (("country", country),)):
                a = shares[(period, dims)]
                a[0] += f
                a[1] += m
                a[2] += o
    women = []
    for (p, d), (f, m, o) in sorted(shares.items()):
        den = f + m + o
        women.append({"period": p, "dims": dict(d), "value": f / den if den else None,
                      "numerator": f, "denominator": den})

    json.dump({"periods": periods,
               "indicators": [{"id": "participants", "cells": participants},
                              {"id": "women", "cells": women}]}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
