#!/usr/bin/env python3
"""pandas_agg.py -- the benchmark's indicators computed with pandas: what an
analyst with a data-frame library would write instead of tocm.

Usage: /usr/bin/python3 pandas_agg.py DATA.csv > figures.json

read_csv of the four columns the indicators read, then one groupby per
breakdown (every subset of year, country and sex), the idiomatic pandas way.
Prints the document aggregate.py prints, so run_bench.py can check the
figures before timing.
"""
import itertools
import json
import sys

import pandas as pd


def main():
    # Texts stay texts ("" is a sex of its own, as in tocm); only an empty
    # count is missing.
    df = pd.read_csv(sys.argv[1], usecols=["year", "country", "sex", "participants"],
                     dtype={"year": "int64", "country": str, "sex": str},
                     keep_default_na=False, na_values={"participants": [""]},
                     encoding="utf-8-sig")
    years = sorted(df["year"].unique().tolist())
    multi = len(years) > 1
    # Shares: only counted rows with a sex; women, men and the rest.
    sexed = df[(df["sex"] != "") & df["participants"].notna()].copy()
    sexed["f"] = sexed["participants"].where(sexed["sex"] == "female", 0)
    sexed["m"] = sexed["participants"].where(sexed["sex"] == "male", 0)
    sexed["o"] = sexed["participants"] - sexed["f"] - sexed["m"]

    participants, women = [], []
    for keys in itertools.chain.from_iterable(
            itertools.combinations(("year", "country", "sex"), k) for k in range(4)):
        keys = list(keys)
        if "year" not in keys and not multi:
            continue
        if keys:
            g = df.groupby(keys, sort=False)["participants"].agg(["sum", "count", "size"])
            groups = ((k if isinstance(k, tuple) else (k,), row)
                      for k, row in zip(g.index, g.itertuples(index=False)))
        else:
            col = df["participants"]
            groups = [((), (col.sum(), col.count(), len(col)))]
        for key, (total, present, _n) in groups:
            cell = dict(zip(keys, key))
            period = str(cell.pop("year")) if "year" in cell else "total"
            participants.append({"period": period, "dims": cell,
                                 "value": int(total) if present else None})
        if "sex" in keys:
            continue
        if keys:
            s = sexed.groupby(keys, sort=False)[["f", "m", "o"]].sum()
            shares = ((k if isinstance(k, tuple) else (k,), row)
                      for k, row in zip(s.index, s.itertuples(index=False)))
        else:
            shares = [((), (sexed["f"].sum(), sexed["m"].sum(), sexed["o"].sum()))] \
                if len(sexed) else []
        for key, (f, m, o) in shares:
            cell = dict(zip(keys, key))
            period = str(cell.pop("year")) if "year" in cell else "total"
            f, m, o = int(f), int(m), int(o)
            den = f + m + o
            women.append({"period": period, "dims": cell, "value": f / den if den else None,
                          "numerator": f, "denominator": den})
    periods = [str(y) for y in years] + (["total"] if multi else [])
    json.dump({"periods": periods,
               "indicators": [{"id": "participants", "cells": participants},
                              {"id": "women", "cells": women}]}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
