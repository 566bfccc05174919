#!/usr/bin/env python3
"""test_properties.py -- properties of the engine over generated data (issue
5, item 3).

For several seeds, a random table of people trained (country, sex, year, a
count, sometimes empty) goes through `tocm report --format json` with sum
and count indicators broken down by one, two and three columns, with and
without periods, and with gesi and share indicators. The expected figure of
every cell is computed here, independently, from the rows; then

  - every cell has exactly the expected value (and the expected set of cells
    exists: each combination that occurs, in every period);
  - every margin equals the sum of its parts, for each column it leaves out,
    and the grand total equals the sum of all rows;
  - for shares, each total's numerator and denominator are the sums of its
    parts' numerators and denominators;
  - `checks` has no reconciliation entry.

Usage: test_properties.py TOCM
"""
import itertools
import os
import random
import sys
from collections import defaultdict

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import indicator_test as it  # noqa: E402

SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 2024]
COUNTRIES = ["KH", "ID", "LA", "MM", "PH", "TH", "VN"]
SEXES = ["female", "male", "other"]


def generate(seed):
    """Rows (year, country, sex, people or None, event, person) for one seed."""
    rng = random.Random(seed)
    n = rng.choice([1, 7, 60, 500, 3000])
    years = list(range(2018, 2018 + rng.randint(1, 5)))
    countries = rng.sample(COUNTRIES, rng.randint(1, len(COUNTRIES)))
    empty_rate = rng.choice([0, 0.05, 0.3])
    rows = []
    for _ in range(n):
        people = None if rng.random() < empty_rate else rng.randint(0, 200)
        rows.append((rng.choice(years), rng.choice(countries), rng.choice(SEXES), people,
                     rng.choice(["training", "workshop", "webinar"]),
                     "P%d" % rng.randrange(max(1, n // 2))))
    return rows


def to_csv(rows):
    lines = ["year,country,sex,people,event,person"]
    for year, country, sex, people, event, person in rows:
        lines.append("%d,%s,%s,%s,%s,%s" % (year, country, sex,
                                            "" if people is None else people, event, person))
    return "\n".join(lines) + "\n"


COLUMN = {"year": 0, "country": 1, "sex": 2, "person": 5}


def expected_cells(rows, dims, period, value_of):
    """period: None or "year". value_of(rows) -> the figure (or None).
    Returns {(period name, frozenset of dims items): value}, as the report
    should have them: the total, every subset of dims, each combination of
    values that occurs, in every period of the indicator, and a total over
    periods when there is more than one."""
    periods = sorted({str(r[0]) for r in rows}, key=int) if period else ["all"]
    out = {}
    for size in range(len(dims) + 1):
        for subset in itertools.combinations(dims, size):
            groups = defaultdict(list)
            for r in rows:
                groups[tuple((d, str(r[COLUMN[d]])) for d in subset)].append(r)
            if not subset and not rows:
                groups[()] = []
            for key, members in groups.items():
                for p in periods:
                    part = [r for r in members if not period or str(r[0]) == p]
                    out[(p, frozenset(key))] = value_of(part)
                if len(periods) > 1:
                    out[("total", frozenset(key))] = value_of(members)
    return out


def sum_people(rows):
    present = [r[3] for r in rows if r[3] is not None]
    if rows and not present:
        return None  # every cell empty: no figure
    return sum(present)


def count_rows(rows):
    return len(rows)


def women_ratio(rows):
    """gesi with column people: (numerator, denominator)."""
    women = sum(r[3] for r in rows if r[3] is not None and r[2] == "female")
    everyone = sum(r[3] for r in rows if r[3] is not None)
    return women, everyone


def share_ratio(rows):
    """share of training events among events that are not webinars, in rows."""
    den = [r for r in rows if r[4] != "webinar"]
    return sum(1 for r in den if r[4] == "training"), len(den)


ADDITIVE = [  # id, calculator, params, value_of
    ("sum", "sum", {"column": "people"}, sum_people),
    ("count", "count", {}, count_rows),
]
RATIOS = [
    ("gesi", "gesi", {"column": "people", "sex_column": "sex"}, women_ratio),
    ("share", "share", {"numerator": {"event": "training"},
                        "denominator": {"event": {"not": "webinar"}}}, share_ratio),
]
BREAKDOWNS = [  # (period column or None, disaggregation columns)
    ("year", ["country"]),
    ("year", ["country", "sex"]),
    (None, ["country", "sex", "year"]),
    (None, ["sex"]),
    ("year", []),
    # Many combinations (a person in a country): sorted by qsort, where the
    # others are few enough for a counting sort.
    (None, ["person", "sex", "country"]),
]


def model_for(scratch, rows):
    indicators = []
    for period, dims in BREAKDOWNS:
        suffix = "%s_%s" % (period or "all", "_".join(dims) or "none")
        for ident, calc, params, _ in ADDITIVE + RATIOS:
            ind = {"id": "%s.%s" % (ident, suffix), "title": "%s by %s" % (ident, suffix),
                   "calculator": calc, "table": "t", "params": params, "disaggregate": dims}
            if period:
                ind["period"] = period
            if (ident, calc) in (("gesi", "gesi"), ("share", "share")):
                ind["measure"] = "percentage"
            indicators.append(ind)
    return it.write_model(scratch, {"t": (to_csv(rows), {"year": "integer",
                                                        "people": "integer"})}, indicators)


def key_of(c):
    return (c["period"], frozenset(c["dims"].items()))


def check_margins(ind, dims, seed, field_values):
    """Every cell with fewer dimensions equals, for each dimension it lacks,
    the sum over the cells that add that dimension. field_values(cell) gives
    the figures to add (the value; or numerator and denominator)."""
    cells = {key_of(c): c for c in ind["cells"]}
    sums = {}  # (period, parent key, dimension added) -> summed figures
    for (period, key), c in cells.items():
        for d, v in key:
            slot = (period, key - {(d, v)}, d)
            values = field_values(c)
            sums[slot] = [a + b for a, b in zip(sums.get(slot, [0] * len(values)), values)]
    checked = 0
    for (period, key, d), parts in sums.items():
        want = field_values(cells[(period, key)])
        assert all(it.close(a, b) for a, b in zip(parts, want)), \
            "seed %d %s %s %s: parts by %s add up to %s, not %s" % (
                seed, ind["id"], period, dict(key), d, parts, want)
        checked += 1
    # Every margin has its parts, for each dimension it lacks.
    for (period, key), c in cells.items():
        for d in dims:
            if d not in {x for x, _ in key}:
                assert (period, key, d) in sums, (seed, ind["id"], period, dict(key), d)
    return checked


def test_seed(seed, scratch):
    rows = generate(seed)
    model = model_for(scratch, rows)
    doc = it.report(model)
    recon = [c for c in doc["checks"] if c.get("kind") == "reconciliation"]
    assert recon == [], "seed %d: reconciliation findings %s" % (seed, recon)
    assert doc["checks"] == []
    margins = 0
    for period, dims in BREAKDOWNS:
        suffix = "%s_%s" % (period or "all", "_".join(dims) or "none")
        for ident, _, _, value_of in ADDITIVE + RATIOS:
            ind = it.indicator(doc, "%s.%s" % (ident, suffix))
            want = expected_cells(rows, dims, period, value_of)
            got = {key_of(c): c for c in ind["cells"]}
            assert len(got) == len(ind["cells"]), "%s: a cell twice" % ind["id"]
            assert set(got) == set(want), "seed %d %s: cells %s, expected %s" % (
                seed, ind["id"], sorted(set(got) ^ set(want), key=str)[:5], len(want))
            for k, expect in want.items():
                c = got[k]
                if c["rows"] == 0 and k[0] != "total" and ind["periods"]:
                    # No rows for the period: not reported, which is not zero.
                    assert c["value"] is None and "not reported" in c["note"], c
                    continue
                if ident in ("gesi", "share"):
                    num, den = expect
                    assert (c["numerator"], c["denominator"]) == (num, den), (seed, ind["id"], k, c)
                    if den:
                        it.assert_close(c["value"], num / den, "%s %s" % (ind["id"], k))
                    else:
                        assert c["value"] is None and c["display"] == "\u2013", c
                else:
                    assert c["value"] == expect, "seed %d %s %s: %r, expected %r" % (
                        seed, ind["id"], k, c["value"], expect)
            # The grand total, over all periods, is every row of the table.
            top = ("total" if period and len({r[0] for r in rows}) > 1
                   else str(rows[0][0]) if period else "all", frozenset())
            assert got[top] == it.cell(ind, top[0])
            if ident in ("sum", "count"):
                assert got[top]["value"] == value_of(rows)
            if ident in ("gesi", "share"):
                margins += check_margins(ind, dims, seed,
                                         lambda c: (c.get("numerator", 0), c.get("denominator", 0)))
            else:
                margins += check_margins(ind, dims, seed,
                                         lambda c: (c["value"] or 0,))
    assert margins > 0 or len(rows) == 0


def test_grand_totals(scratch):
    """The grand total over periods equals the sum of all rows, whatever the seed."""
    for seed in SEEDS:
        rows = generate(seed)
        model = it.write_model(scratch, {"t": (to_csv(rows), {"year": "integer",
                                                             "people": "integer"})}, [
            {"id": "sum", "title": "sum", "calculator": "sum", "table": "t",
             "params": {"column": "people"}, "period": "year", "disaggregate": ["country"]},
            {"id": "count", "title": "count", "calculator": "count", "table": "t",
             "period": "year", "disaggregate": ["sex"]}])
        doc = it.report(model)
        years = {r[0] for r in rows}
        total = "total" if len(years) > 1 else str(rows[0][0])
        assert it.cell(it.indicator(doc, "sum"), total)["value"] == \
            sum(r[3] for r in rows if r[3] is not None)
        assert it.cell(it.indicator(doc, "count"), total)["value"] == len(rows)


def make_seed_test(seed):
    def test(scratch):
        test_seed(seed, scratch)
    test.__name__ = "test_seed_%d" % seed
    return test


if __name__ == "__main__":
    it.main([make_seed_test(s) for s in SEEDS] + [test_grand_totals], sys.argv)
