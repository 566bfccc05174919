#!/usr/bin/env python3
"""test_report.py -- `tocm report` end to end on small models (issue 5,
items 4, 5 and 6):

  - a share across countries (and across periods) is recomputed from the
    summed numerators and denominators, not averaged;
  - cumulative, latest and periodic indicators over three periods: the
    figure of each period, the total, and the status against the targets
    with the thresholds of the model's "status" member;
  - the four formats and the options --period, --indicator, -o and --strict.

Usage: test_report.py TOCM
"""
import csv
import io
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import indicator_test as it  # noqa: E402
from indicator_test import assert_close, cell, indicator  # noqa: E402


# ---- item 4: shares are recomputed ------------------------------------------

# One row per person. Groups of very different sizes, so that the share of
# the whole differs from the mean of the parts' shares.
PEOPLE = [  # year, country, women, men
    (2021, "KH", 1, 9),     # 10 %
    (2022, "KH", 18, 2),    # 90 %
    (2021, "LA", 60, 40),   # 60 %
    (2022, "LA", 3, 27),    # 10 %
]


def people_csv():
    lines = ["year,country,sex,attended"]
    for year, country, women, men in PEOPLE:
        lines += ["%d,%s,female,yes" % (year, country)] * women
        lines += ["%d,%s,male,yes" % (year, country)] * men
    # People who signed up but did not come: outside the share's denominator.
    lines += ["2021,KH,female,no"] * 50
    return "\n".join(lines) + "\n"


def share_model(scratch):
    columns = {"year": "integer"}
    return it.write_model(scratch, {"people": (people_csv(), columns)}, [
        {"id": "women", "title": "Participants who are women", "measure": "percentage",
         "calculator": "gesi", "table": "people", "params": {"sex_column": "sex"},
         "filter": {"attended": "yes"}, "period": "year", "disaggregate": ["country"],
         "rounding": 1},
        {"id": "women_share", "title": "Participants who are women (share)",
         "measure": "percentage", "calculator": "share", "table": "people",
         "params": {"numerator": {"sex": "female"}, "denominator": {"attended": "yes"}},
         "period": "year", "disaggregate": ["country"], "rounding": 1},
    ])


def test_share_across_countries_is_recomputed(scratch):
    doc = it.report(share_model(scratch))
    women = sum(p[2] for p in PEOPLE)
    everyone = sum(p[2] + p[3] for p in PEOPLE)
    assert (women, everyone) == (82, 160)
    for ident in ("women", "women_share"):
        ind = indicator(doc, ident)
        # Each part as it is.
        for year, country, w, m in PEOPLE:
            c = cell(ind, str(year), country=country)
            assert_close(c["value"], w / (w + m), "%s %s %s" % (ident, year, country))
            assert (c["numerator"], c["denominator"]) == (w, w + m)
        # Across countries, for each year: summed parts.
        for year in (2021, 2022):
            w = sum(p[2] for p in PEOPLE if p[0] == year)
            n = sum(p[2] + p[3] for p in PEOPLE if p[0] == year)
            c = cell(ind, str(year))
            assert (c["numerator"], c["denominator"]) == (w, n)
            assert_close(c["value"], w / n, "%s %s all countries" % (ident, year))
        # Across years, for each country.
        for country in ("KH", "LA"):
            w = sum(p[2] for p in PEOPLE if p[1] == country)
            n = sum(p[2] + p[3] for p in PEOPLE if p[1] == country)
            c = cell(ind, "total", country=country)
            assert_close(c["value"], w / n, "%s total %s" % (ident, country))
        # The grand total: 82 / 160 = 51.25 %, shown as 51.3 %.
        total = cell(ind, "total")
        assert (total["numerator"], total["denominator"]) == (82, 160)
        assert_close(total["value"], 82 / 160, ident + " grand total")
        assert total["display"] == "51.3%", total["display"]
        # ... which is neither mean of shares.
        by_country = [cell(ind, "total", country=c)["value"] for c in ("KH", "LA")]
        by_year = [cell(ind, y)["value"] for y in ("2021", "2022")]
        by_cell = [w / (w + m) for _, _, w, m in PEOPLE]
        for parts in (by_country, by_year, by_cell):
            assert abs(sum(parts) / len(parts) - 82 / 160) > 0.02, parts
    # No reconciliation findings: numerators and denominators add up.
    assert doc["checks"] == [], doc["checks"]


# ---- item 5: cumulative, latest, periodic; status ---------------------------

EVENTS = [  # year, country, people
    (2021, "KH", 4), (2021, "LA", 6),
    (2022, "KH", 15), (2022, "LA", 5),
    (2023, "KH", 10),
]
# LA's 2023 figure arrives in two rows, one with an empty count.
EVENTS_CSV = ("year,country,people\n" +
              "".join("%d,%s,%d\n" % e for e in EVENTS) +
              "2023,LA,20\n2023,LA,\n")
PER_YEAR = {"2021": 10, "2022": 20, "2023": 30}
PER_COUNTRY_YEAR = {("KH", "2021"): 4, ("KH", "2022"): 15, ("KH", "2023"): 10,
                    ("LA", "2021"): 6, ("LA", "2022"): 5, ("LA", "2023"): 20}
# On track from 60 % of the way, achieved from 95 %: neither is the default,
# so the statuses below prove the thresholds are read from the model.
STATUS = {"node_statuses": ["completed", "some delays"],
          "thresholds": {"achieved": 0.95, "on_track": 0.6}}


def events_model(scratch, aggregation, **more):
    ind = {"id": aggregation, "title": "People trained (%s)" % aggregation,
           "nodes": ["O1"], "calculator": "sum", "table": "events",
           "params": {"column": "people"}, "period": "year", "disaggregate": ["country"],
           "aggregation": aggregation}
    ind.update(more)
    return it.write_model(scratch, {"events": (EVENTS_CSV, {"year": "integer",
                                                           "people": "integer"})},
                          [ind], status=STATUS)


def test_cumulative_running_totals_and_status(scratch):
    targets = {
        "2021": 10,   # 10 of 10: achieved (at the target)
        "2022": 40,   # 30 of 40 = 75 %: on track (it would be off track at 80 %)
        "2023": 120,  # 60 of 120 = 50 %: off track
        "total": 62,  # 60 of 62 = 96.8 %: achieved (it would be on track at 100 %)
    }
    doc = it.report(events_model(scratch, "cumulative", targets=targets))
    ind = indicator(doc, "cumulative")
    assert ind["periods"] == ["2021", "2022", "2023"]
    running = 0
    for year in ("2021", "2022", "2023"):
        running += PER_YEAR[year]
        assert cell(ind, year)["value"] == running, (year, cell(ind, year))
    assert [cell(ind, y)["value"] for y in ("2021", "2022", "2023")] == [10, 30, 60]
    assert cell(ind, "total")["value"] == 60
    for country in ("KH", "LA"):
        running = 0
        for year in ("2021", "2022", "2023"):
            running += PER_COUNTRY_YEAR[(country, year)]
            assert cell(ind, year, country=country)["value"] == running
        assert cell(ind, "total", country=country)["value"] == running
    # The empty cell of LA in 2023 is left out, and said so.
    assert "1 empty cell(s) left out" in cell(ind, "2023", country="LA").get("note", "")

    want = {"2021": ("achieved", None), "2022": ("on track", 0.75),
            "2023": ("off track", 0.5), "total": ("achieved", 60 / 62)}
    for period, (status, progress) in want.items():
        c = cell(ind, period)
        assert c["target"] == targets[period]
        assert c["status"] == status, (period, c)
        if progress is None:
            assert c["progress"] >= 1, c  # every cell with a target has its progress
        else:
            assert_close(c["progress"], progress, period)
    # Targets are for totals: no cell broken down by country has a status.
    assert all("status" not in c for c in ind["cells"] if c["dims"])
    # The roll-up reports the latest period's status for the outcome and
    # everything above it.
    rollup = {r["node"]: r for r in doc["rollup"]}
    assert rollup["O1"]["indicators"] == {"off track": 1}, rollup
    assert rollup["G"]["indicators"] == {"off track": 1}, rollup
    assert doc["checks"] == [], doc["checks"]

    rc, text, err = it.run("report", os.path.join(scratch, "model.json"))
    assert rc == 0 and err == ""
    # The IPTT rows: period, breakdown, target, actual, % of target, status
    # as a symbol and a word.
    assert re.search(r"^  2022 +Total +40 +30 +75% +\u2192 on track", text, re.M), text
    assert re.search(r"^  2023 +Total +120 +60 +50% +\u2717 off track", text, re.M), text


def test_status_with_a_baseline_and_lower_is_better(scratch):
    # Progress is measured from the baseline: 20 -> 45, at 30 is 40 % of the
    # way (without the baseline it would be 67 %, on track).
    doc = it.report(events_model(scratch, "cumulative",
                                 baseline={"period": "2020", "value": 20},
                                 targets={"2022": 45, "2023": 60}))
    ind = indicator(doc, "cumulative")
    c = cell(ind, "2022")
    assert c["status"] == "off track", c
    assert_close(c["progress"], 0.4)
    assert cell(ind, "2023")["status"] == "achieved"

    doc = it.report(events_model(scratch, "periodic", direction="lower",
                                 baseline={"period": "2020", "value": 50},
                                 targets={"2021": 12, "2022": 15, "2023": 24}))
    ind = indicator(doc, "periodic")
    assert cell(ind, "2021")["status"] == "achieved"      # 10 <= 12
    c = cell(ind, "2022")                                  # 20: (20-50)/(15-50)
    assert c["status"] == "on track", c
    assert_close(c["progress"], 30 / 35)
    c = cell(ind, "2023")                                  # 30: (30-50)/(24-50)
    assert c["status"] == "on track", c
    assert_close(c["progress"], 20 / 26)


def test_latest(scratch):
    doc = it.report(events_model(scratch, "latest", targets={"2023": 40, "total": 40}))
    ind = indicator(doc, "latest")
    assert [cell(ind, y)["value"] for y in ("2021", "2022", "2023")] == [10, 20, 30]
    # The total is the last period's figure, for every row of the table.
    assert cell(ind, "total")["value"] == 30
    for country in ("KH", "LA"):
        assert (cell(ind, "total", country=country)["value"] ==
                cell(ind, "2023", country=country)["value"] ==
                PER_COUNTRY_YEAR[(country, "2023")])
    assert cell(ind, "2023")["status"] == "on track"  # 30 of 40 = 75 %
    assert cell(ind, "total")["status"] == "on track"
    assert doc["checks"] == [], doc["checks"]


def test_latest_when_a_group_misses_the_last_period(scratch):
    # LA reports nothing in 2023: its 2023 figure is not reported (not 0);
    # its latest is its 2022 figure, which says so.
    data = "year,country,people\n2021,KH,1\n2021,LA,2\n2022,KH,3\n2022,LA,4\n2023,KH,5\n"
    model = it.write_model(scratch, {"events": (data, {"year": "integer", "people": "integer"})}, [
        {"id": "latest", "title": "Latest", "calculator": "sum", "table": "events",
         "params": {"column": "people"}, "period": "year", "disaggregate": ["country"],
         "aggregation": "latest"}])
    doc = it.report(model)
    ind = indicator(doc, "latest")
    assert cell(ind, "total")["value"] == 5
    assert cell(ind, "total", country="KH")["value"] == 5
    assert cell(ind, "2023", country="LA")["value"] is None
    assert "not reported" in cell(ind, "2023", country="LA")["note"]
    la = cell(ind, "total", country="LA")
    assert la["value"] == 4 and la["latest_period"] == "2022" and la["rows"] == 1, la
    assert cell(ind, "total", country="KH")["latest_period"] == "2023"
    assert ind["latest_period"] == "2023", ind.get("latest_period")
    # The Markdown names the period of a latest figure older than the rest.
    md = it.run("report", model, "--format", "md")[1]
    assert "| LA      |    2 |    4 |    \u2013 | 4 (2022) |" in md, md


def test_periodic(scratch):
    doc = it.report(events_model(scratch, "periodic", targets={"2021": 9, "2022": 30}))
    ind = indicator(doc, "periodic")
    for year, value in PER_YEAR.items():
        assert cell(ind, year)["value"] == value
        for country in ("KH", "LA"):
            assert cell(ind, year, country=country)["value"] == PER_COUNTRY_YEAR[(country, year)]
    assert cell(ind, "total")["value"] == 60
    assert cell(ind, "total", country="KH")["value"] == 29
    assert cell(ind, "total", country="LA")["value"] == 31
    assert cell(ind, "2021")["status"] == "achieved"
    c = cell(ind, "2022")
    assert c["status"] == "on track" and close_to(c["progress"], 2 / 3), c
    assert "target" not in cell(ind, "2023") and "status" not in cell(ind, "2023")


def test_no_row_matches(scratch):
    # A filter that keeps nothing: no periods, no breakdown, and one cell,
    # the total over none: 0 for a count, no value (with the reason) for a
    # mean.
    model = events_model(scratch, "periodic", filter={"country": "BN"})
    doc = it.report(model)
    ind = indicator(doc, "periodic")
    assert ind["periods"] == [] and len(ind["cells"]) == 1, ind
    c = cell(ind, "total")
    assert c["value"] == 0 and c["rows"] == 0 and c["display"] == "0", c
    # With a target, the period is part of the plan: it appears, not
    # reported (not 0, which would read as a figure).
    doc = it.report(events_model(scratch, "periodic", filter={"country": "BN"},
                                 targets={"2021": 5}))
    ind = indicator(doc, "periodic")
    assert ind["periods"] == ["2021"], ind
    c = cell(ind, "2021")
    assert c["value"] is None and c["status"] == "not reported", c
    assert c["note"] == "not reported: no data for 2021", c
    model = it.write_model(scratch, {"events": (EVENTS_CSV, {"year": "integer",
                                                            "people": "integer"})}, [
        {"id": "mean", "title": "Mean", "calculator": "mean", "table": "events",
         "params": {"column": "people"}, "filter": {"year": 1999}, "period": "year",
         "disaggregate": ["country"]}])
    doc = it.report(model)
    c = cell(indicator(doc, "mean"), "total")
    assert c["value"] is None and c["display"] == "\u2013" and c["note"] == "no values to average"
    for fmt in ("text", "md", "csv"):
        rc, out, err = it.run("report", model, "--format", fmt)
        assert rc == 0 and err == "" and "\u2013" in out, (fmt, rc, err)


def close_to(a, b):
    return it.close(a, b)


# ---- item 6: formats and options --------------------------------------------

def options_model(scratch, reported=None):
    """Two indicators: a count by country and sex, and a gesi share."""
    rows = ["year,country,sex,people"]
    for i in range(60):
        rows.append("%d,%s,%s,%d" % (2021 + i % 3, ("KH", "LA", "PH")[i % 4 % 3],
                                     ("female", "male")[i % 2], 1 + i % 5))
    people = sum(1 + i % 5 for i in range(60))
    indicators = [
        {"id": "trained", "title": "People trained, by country and sex", "unit": "people",
         "nodes": ["O1"], "calculator": "sum", "table": "t", "params": {"column": "people"},
         "period": "year", "disaggregate": ["country", "sex"],
         "targets": {"2023": 100}, "reported": reported or []},
        {"id": "women", "title": "Share of women, \"GESI\"", "measure": "percentage",
         "nodes": ["O1"], "calculator": "gesi", "table": "t", "params": {"column": "people"},
         "period": "year", "disaggregate": ["country"]},
    ]
    model = it.write_model(scratch, {"t": ("\n".join(rows) + "\n",
                                           {"year": "integer", "people": "integer"})},
                           indicators, status=STATUS)
    return model, people


def check_json_shape(doc):
    assert set(doc) >= {"indicators", "checks"}, sorted(doc)
    assert isinstance(doc["checks"], list)
    for ind in doc["indicators"]:
        for key in ("id", "title", "measure", "cells"):
            assert key in ind, (key, sorted(ind))
        assert ind["measure"] in ("unit", "percentage", "nominal", "ordinal", "qualitative")
        for c in ind["cells"]:
            for key in ("period", "dims", "value", "display"):
                assert key in c, (key, c)
            assert isinstance(c["period"], str) and isinstance(c["dims"], dict)
            assert c["value"] is None or isinstance(c["value"], (int, float))
            assert (c["value"] is None) == (c["display"] == "\u2013"), c
            if "numerator" in c or "denominator" in c:
                assert isinstance(c["numerator"], (int, float))
                assert isinstance(c["denominator"], (int, float))
                if c["value"] is not None:
                    assert_close(c["value"], c["numerator"] / c["denominator"])


def test_formats(scratch):
    model, people = options_model(scratch)
    outputs = {}
    for fmt in ("text", "md", "csv", "json"):
        rc, out, err = it.run("report", model, "--format", fmt)
        assert rc == 0 and err == "", (fmt, rc, err)
        assert out.endswith("\n"), fmt
        outputs[fmt] = out
    doc = json.loads(outputs["json"])
    check_json_shape(doc)
    assert [i["id"] for i in doc["indicators"]] == ["trained", "women"]
    trained = indicator(doc, "trained")
    assert cell(trained, "total")["value"] == people
    assert trained["measure"] == "unit" and indicator(doc, "women")["measure"] == "percentage"
    women = cell(indicator(doc, "women"), "total")
    assert "numerator" in women and "denominator" in women and women["denominator"] == people
    # The same report as text (the default), Markdown and CSV.
    rc, default, _ = it.run("report", model)
    assert default == outputs["text"]
    assert outputs["text"].startswith("Indicator report: Indicator test program\n")
    assert "\ntrained  People trained, by country and sex\n" in outputs["text"]
    assert outputs["md"].startswith("# Indicator report: Indicator test program\n")
    # Grouped along the results chain: the goal, the outcome, its indicators.
    assert "\n## Goal G: The goal\n" in outputs["md"], outputs["md"]
    assert "\n### Outcome O1: An outcome\n" in outputs["md"], outputs["md"]
    assert "\n#### trained: People trained, by country and sex\n" in outputs["md"]
    assert re.search(r"^\| country +\| sex +\| +2021 \| +2022 \| +2023 \| +total \|$",
                     outputs["md"], re.M), outputs["md"]
    assert "\n| --- | --- | ---: | ---: | ---: | ---: |\n" in outputs["md"]
    assert "\n## Checks\n" in outputs["md"]
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert list(rows[0])[:8] == ["level", "node", "indicator", "title", "measure", "unit",
                                 "period", "breakdown"]
    assert {r["node"] for r in rows} == {"O1"}, {r["node"] for r in rows}
    assert {"baseline", "target", "actual", "numerator", "denominator", "display",
            "percent_of_target", "progress", "status", "comment", "source"} <= set(rows[0])
    assert len(rows) == sum(len(i["cells"]) for i in doc["indicators"])
    # The CSV quotes the title with its quotes, and carries the same figures.
    assert {r["title"] for r in rows if r["indicator"] == "women"} == {'Share of women, "GESI"'}
    for row, c in zip(rows, [c for i in doc["indicators"] for c in i["cells"]]):
        assert row["period"] == c["period"]
        assert row["display"] == c["display"]
        assert (row["actual"] == "") == (c["value"] is None)
        if c["value"] is not None:
            assert_close(float(row["actual"]), c["value"])
        assert row["breakdown"] == "; ".join("%s=%s" % kv for kv in c["dims"].items())


def test_period_option(scratch):
    model, _ = options_model(scratch)
    full = it.report(model)
    doc = it.report(model, "--period", "2022")
    check_json_shape(doc)
    for ind, whole in zip(doc["indicators"], full["indicators"]):
        assert ind["cells"], ind["id"]
        assert {c["period"] for c in ind["cells"]} == {"2022"}
        assert ind["cells"] == [c for c in whole["cells"] if c["period"] == "2022"]
    doc = it.report(model, "--period", "total")
    assert {c["period"] for i in doc["indicators"] for c in i["cells"]} == {"total"}
    # A period the report does not have is an error that lists the ones it
    # has (a typo must not look like a program with no results).
    rc, out, err = it.run("report", model, "--period", "1999")
    assert rc == 2 and out == "", (rc, out)
    assert "E414" in err and "no period '1999'" in err and "2021, 2022" in err, err


def test_indicator_option(scratch):
    model, _ = options_model(scratch)
    full = it.report(model)
    doc = it.report(model, "--indicator", "women")
    assert [i["id"] for i in doc["indicators"]] == ["women"]
    assert doc["indicators"][0] == indicator(full, "women")
    rc, out, err = it.run("report", model, "--indicator", "nope")
    assert rc == 1 and out == "", (rc, out)
    assert "E410" in err and "the model has no indicator 'nope'" in err, err


def test_output_file_is_written_atomically(scratch):
    model, _ = options_model(scratch)
    _, want, _ = it.run("report", model, "--format", "csv")
    target = os.path.join(scratch, "out", "report.csv")
    os.makedirs(os.path.dirname(target))
    # An old, longer file is replaced whole.
    with open(target, "w") as f:
        f.write("old\n" * 10000)
    rc, out, err = it.run("report", model, "--format", "csv", "-o", target)
    assert rc == 0 and out == "" and err == "", (rc, out, err)
    with open(target) as f:
        assert f.read() == want
    assert os.listdir(os.path.dirname(target)) == ["report.csv"]  # no temporary left
    rc, out, err = it.run("report", model, "--format", "json", "--output", target)
    assert rc == 0
    with open(target) as f:
        json.load(f)
    # A failed report leaves the file as it was.
    before = os.stat(target)
    with open(target, "rb") as f:
        old = f.read()
    rc, out, err = it.run("report", model, "-o", target, "--indicator", "nope")
    assert rc == 1 and "E410" in err
    with open(target, "rb") as f:
        assert f.read() == old
    assert os.stat(target).st_ino == before.st_ino
    # A directory that does not exist: an I/O failure (2), and no file.
    missing = os.path.join(scratch, "no", "such", "dir", "r.txt")
    rc, out, err = it.run("report", model, "-o", missing)
    assert rc == 2 and err != "" and not os.path.exists(missing), (rc, err)
    # "-o -" is standard output.
    rc, out, err = it.run("report", model, "--format", "csv", "-o", "-")
    assert rc == 0 and out == want


def test_strict(scratch):
    # Printed figures that match: --strict passes.
    _, people = options_model(scratch)
    model, _ = options_model(scratch, reported=[
        {"period": "total", "dims": {}, "value": people, "source": "Table 1"}])
    rc, out, err = it.run("report", model, "--strict")
    assert rc == 0 and err == "", (rc, err)
    doc = it.report(model, "--strict")
    assert doc["checks"] == []
    assert cell(indicator(doc, "trained"), "total")["reported"] == people
    # A printed figure that differs: listed in checks; --strict exits 1 but
    # still prints the report.
    model, people = options_model(scratch, reported=[
        {"period": "total", "dims": {}, "value": people + 1, "source": "Table 1"},
        {"period": "2022", "dims": {"country": "VN"}, "value": 3}])
    rc, out, err = it.run("report", model, "--format", "json")
    assert rc == 0, (rc, err)
    checks = json.loads(out)["checks"]
    assert [c["kind"] for c in checks] == ["reported_mismatch", "reported_without_data"], checks
    assert checks[0]["message"] == "printed %d but the data gives %d" % (people + 1, people)
    assert checks[0]["source"] == "Table 1"
    rc, out2, err = it.run("report", model, "--format", "json", "--strict")
    assert rc == 1 and out2 == out, rc
    rc, text, err = it.run("report", model, "--strict")
    assert rc == 1 and "printed %d but the data gives %d (Table 1)" % (people + 1, people) in text


def test_usage_errors(scratch):
    model, _ = options_model(scratch)
    for args in (["--format", "xml"], ["--bogus"], []):
        rc, out, err = it.run("report", *([model] if args != [] else []), *args)
        assert rc == 2 and out == "" and err != "", (args, rc, out, err)
    rc, out, err = it.run("report", "--help")
    assert rc == 0 and "--strict" in out


if __name__ == "__main__":
    it.main([
        test_share_across_countries_is_recomputed,
        test_cumulative_running_totals_and_status,
        test_status_with_a_baseline_and_lower_is_better,
        test_latest,
        test_latest_when_a_group_misses_the_last_period,
        test_periodic,
        test_no_row_matches,
        test_formats,
        test_period_option,
        test_indicator_option,
        test_output_file_is_written_atomically,
        test_strict,
        test_usage_errors,
    ], sys.argv)
