#!/usr/bin/env python3
"""gen_big.py -- writes a synthetic program with N indicators (default 500)
for timing `tocm report --format html`: goal, 4 end-of-program outcomes, 5
intermediate outcomes each, 25 outputs each; every indicator on an output,
read from one shared table by a filter, broken down by country and sex over
three years, with targets per year, a life-of-program target and a breakdown
target; every fifth one cumulative, every seventh a percentage (share).

    gen_big.py OUTDIR [N]
"""
import csv
import json
import random
import sys
from pathlib import Path

COUNTRIES = ["KH", "LA", "MM", "PH", "TH", "VN"]
YEARS = [2024, 2025, 2026]
WORDS = ("justice police prosecutors survivors shelters referral training courts women "
         "migrants labour recruitment border victims protection services cases community "
         "officials standards agencies").split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def main():
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    rng = random.Random(13)
    (out / "data").mkdir(parents=True, exist_ok=True)
    nodes = [{"id": "G", "level": "goal", "title": sentence(rng, 12)}]
    outputs = []
    for e in range(1, 5):
        nodes.append({"id": f"E{e}", "level": "eopo", "title": sentence(rng, 14),
                      "contributes_to": ["G"], "assumptions": [sentence(rng, 10)]})
        for i in range(1, 6):
            nodes.append({"id": f"I{e}.{i}", "level": "intermediate", "title": sentence(rng, 12),
                          "contributes_to": [f"E{e}"]})
            for o in range(1, 26):
                oid = f"O{e}.{i}.{o}"
                outputs.append(oid)
                nodes.append({"id": oid, "level": "output", "title": sentence(rng, 10),
                              "contributes_to": [f"I{e}.{i}"]})
    rows, indicators = [], []
    for k in range(n):
        iid = f"IND{k + 1:03d}"
        pct = k % 7 == 6
        ind = {"id": iid, "title": sentence(rng, 9), "nodes": [outputs[k % len(outputs)]],
               "measure": "percentage" if pct else "unit", "table": "monitoring",
               "filter": {"indicator": iid}, "period": "year",
               "disaggregate": ["country", "sex"], "baseline": {"value": 0, "period": "2023"},
               "verification": sentence(rng, 8)}
        if pct:
            ind["calculator"] = "share"
            ind["params"] = {"numerator": {"reached": "yes"}, "denominator": {}}
            ind["targets"] = {str(y): 40 + 5 * i for i, y in enumerate(YEARS)}
        else:
            ind["calculator"] = "sum"
            ind["params"] = {"column": "people"}
            base = rng.randint(50, 400)
            ind["targets"] = {str(y): base * (i + 1) for i, y in enumerate(YEARS)}
            ind["lop_target"] = base * 3
            ind["breakdown_targets"] = [{"period": "2025", "dims": {"sex": "female"},
                                         "value": base}]
            if k % 5 == 0:
                ind["aggregation"] = "cumulative"
        indicators.append(ind)
        for y in YEARS[:2]:
            for c in COUNTRIES:
                for s in ("female", "male"):
                    rows.append([iid, y, c, s, rng.randint(0, 60),
                                 "yes" if rng.random() < 0.5 else "no"])
    with (out / "data/monitoring.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["indicator", "year", "country", "sex", "people", "reached"])
        w.writerows(rows)
    model = {
        "tocm": 1,
        "program": {"id": "big", "title": f"A synthetic program with {n} indicators",
                    "period": {"start": "2024", "end": "2026"}, "countries": COUNTRIES},
        "levels": [{"id": "goal", "title": "Goal"},
                   {"id": "eopo", "title": "End-of-program outcome", "outcome": True},
                   {"id": "intermediate", "title": "Intermediate outcome", "outcome": True},
                   {"id": "output", "title": "Output"}],
        "nodes": nodes,
        "tables": {"monitoring": {"path": "data/monitoring.csv", "title": "Monitoring data",
                                  "source": "synthetic",
                                  "columns": {"indicator": "text", "year": "integer",
                                              "country": "text", "sex": "text",
                                              "people": "integer", "reached": "text"}}},
        "indicators": indicators,
    }
    (out / "model.json").write_text(json.dumps(model, indent=1))
    print(out / "model.json")


if __name__ == "__main__":
    main()
