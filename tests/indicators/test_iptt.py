#!/usr/bin/env python3
"""The plan against the figures (issue 11): statuses at the edges, plan
values as people write them, not reported is not zero, and the worked
example's IPTT.

Usage: test_iptt.py TOCM SOURCE_DIR
"""
import csv
import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import indicator_test as it  # noqa: E402
from indicator_test import cell, indicator  # noqa: E402

SRC = sys.argv.pop(2) if len(sys.argv) > 2 else "."

SHARE_CSV = "year,ok,all\n2021,32,100\n2022,10,10\n"


def share_model(scratch, **more):
    ind = {"id": "s", "title": "A share", "nodes": ["O1"], "measure": "percentage",
           "calculator": "ratio", "table": "t", "period": "year",
           "params": {"numerator_column": "ok", "denominator_column": "all"}}
    ind.update(more)
    return it.write_model(scratch, {"t": (SHARE_CSV, {"year": "integer", "ok": "integer",
                                                      "all": "integer"})}, [ind])


def counts_model(scratch, csv_text, **more):
    ind = {"id": "c", "title": "A count", "nodes": ["O1"], "calculator": "sum", "table": "t",
           "params": {"column": "n"}, "period": "year"}
    ind.update(more)
    return it.write_model(scratch, {"t": (csv_text, {"year": "integer", "n": "integer"})}, [ind])


def test_exactly_on_the_threshold(scratch):
    # 32 % against a target of 40 % (written as people write it) is 0.8 of
    # the way: on track, and the JSON says 0.8, not 0.7999999999999999.
    doc = it.report(share_model(scratch, targets={"2021": 40}))
    c = cell(indicator(doc, "s"), "2021")
    assert c["progress"] == 0.8 and c["status"] == "on track", c
    assert c["target"] == 0.4 and c["target_display"] == "40%", c
    assert c["percent_of_target"] == 80, c


def test_lower_is_better_and_no_negative_zero(scratch):
    data = "year,n\n2021,50\n2022,9\n2023,50\n"
    doc = it.report(counts_model(scratch, data, direction="lower",
                                 baseline={"period": "2020", "value": 50},
                                 targets={"2021": 20, "2022": 10, "2023": 30}))
    ind = indicator(doc, "c")
    c = cell(ind, "2021")  # no change from the baseline: progress 0, never -0
    assert c["status"] == "off track" and c["progress"] == 0, c
    raw = it.run("report", os.path.join(scratch, "model.json"), "--format", "json")[1]
    assert "-0.0" not in raw and '"progress": -0' not in raw, raw
    c = cell(ind, "2022")  # 9, past the target of 10: achieved, with its progress
    assert c["status"] == "achieved" and c["progress"] > 1, c


def test_equal_baseline_and_target(scratch):
    data = "year,n\n2021,12\n2022,8\n"
    doc = it.report(counts_model(scratch, data, baseline={"period": "2020", "value": 12},
                                 targets={"2021": 12, "2022": 12}))
    ind = indicator(doc, "c")
    c = cell(ind, "2021")
    assert c["status"] == "achieved" and c["progress"] == 1, c
    c = cell(ind, "2022")  # a level to hold, lost: no division by zero; the
    assert c["status"] == "off track" and it.close(c["progress"], 8 / 12), c  # share kept


def test_pending_baseline_and_pending_target(scratch):
    data = "year,n\n2021,30\n2022,80\n"
    doc = it.report(counts_model(scratch, data,
                                 baseline={"pending": True, "note": "survey due"},
                                 targets={"2021": 40, "2022": 60, "2023": {"pending": True}}))
    ind = indicator(doc, "c")
    c = cell(ind, "2021")  # below target: with no baseline, no progress to judge
    assert c["status"] == "baseline pending" and c["progress"] is None, c
    assert cell(ind, "2022")["status"] == "achieved"
    c = cell(ind, "2023")
    assert c["status"] == "target pending" and c["target_display"] == "pending", c
    assert c["value"] is None, c


def test_not_reported_is_not_zero(scratch):
    data = "year,country,n\n2021,KH,3\n2021,LA,4\n2022,KH,5\n"
    doc = it.report(counts_model(scratch, data, disaggregate=["country"],
                                 targets={"2022": 10, "2023": 12}))
    ind = indicator(doc, "c")
    c = cell(ind, "2022", country="LA")
    assert c["value"] is None and c["note"] == "not reported: no data for 2022", c
    assert ind["periods"] == ["2021", "2022", "2023"], ind["periods"]
    assert cell(ind, "2023")["status"] == "not reported"
    for fmt in ("text", "md"):
        rc, out, err = it.run("report", os.path.join(scratch, "model.json"), "--format", fmt)
        assert rc == 0 and "not reported: no data for 2023" in out, (fmt, out)
    # Zero-filling, where the indicator says it is right.
    doc = it.report(counts_model(scratch, data, disaggregate=["country"], zero_fill=True))
    assert cell(indicator(doc, "c"), "2022", country="LA")["value"] == 0


def test_breakdown_targets_and_thresholds(scratch):
    data = "year,sex,n\n2021,female,30\n2021,male,70\n"
    doc = it.report(counts_model(
        scratch, data, disaggregate=["sex"], targets={"2021": 100},
        breakdown_targets=[{"period": "2021", "dims": {"sex": "female"}, "value": 40}],
        thresholds={"on_track": 0.7}))
    ind = indicator(doc, "c")
    c = cell(ind, "2021", sex="female")
    assert c["target"] == 40 and c["status"] == "on track", c  # 0.75 >= 0.7
    assert "target" not in cell(ind, "2021", sex="male")
    assert cell(ind, "2021")["status"] == "achieved"


def squeezed(md):
    """Markdown with the padding of its table cells taken out."""
    def row(line):
        return "|" + "|".join(" %s " % c.strip() if c.strip() else " "
                              for c in line.strip()[1:-1].split("|")) + "|"
    return "\n".join(row(line) if line.startswith("|") else line for line in md.splitlines())


def test_the_worked_example(scratch):
    model = os.path.join(SRC, "examples", "iptt", "model.json")
    rc, out, err = it.run("validate", model)
    assert rc == 0, err
    rc, md, err = it.run("report", model, "--format", "md")
    assert rc == 0 and err == "", err
    for want in [
        "- Baseline: 0 (2023) \u2014 No course of this kind was held before the program",
        "- Life-of-program target: 1,000",
        "Actual (cumulative)",
        "| 2024 (Milestone 1)",
        "| country KH |",          # a breakdown target
        "| sex female |",
        "Five hearings moved to 2026",  # a comment entered with the figure
        "| not yet due | | \u25cb not yet due | due by 2026-12-31 |",  # after the reporting date
        "Not yet received",        # why a figure is missing
        "\u2026 baseline pending",
        "\u2026 target pending",
        "SOP signed by both ministries on 12 May 2025",  # a qualitative actual
        "Lower is better: % of target is the share of the planned reduction",
        "as printed \u2713",
        "- Life-of-program target: 168 \u2014 The sum of the annual targets",
        "| 2025 | Total | 56 | not reported | | \u2013 not reported | 1 of its figures missing",
        # how to read % of target and the statuses, and an indicator's own thresholds
        "Status is judged by progress from the baseline to the target: \u2713 achieved at the "
        "target, \u2192 on track from 80% of the way, \u2717 off track below that.",
        "- On track from 70% of the way from the baseline to the target (this indicator's own",
        # short of the target never reads 100 %
        "| 2025 | sex female | 52% | 52% | 99% | \u2192 on track |",
        # the roll-up in words, best status first, the level by its title
        "- **G** (Goal): indicators 4 achieved, 3 on track; projects 2 completed,",
        "- **EOPO1** (End-of-program outcome): indicators 2 achieved, 1 on track;",
        # comments on breakdowns without targets of their own, beside their figures
        "| 2024 | country LA | | 38% | | | Floods cut access to two provinces",
        "| 2025 | country LA | | 2 | | | Second shelter (Savannakhet) accredited",
    ]:
        assert want in squeezed(md), (want, md if len(md) < 2000 else "see the example")
    rc, text, err = it.run("report", model, "--format", "text")
    for want in ("Floods cut access", "Second shelter (Savannakhet)"):
        assert rc == 0 and want in text, (want, text)
    doc = json.loads(it.run("report", model, "--format", "json")[1])
    c = cell(indicator(doc, "2.2"), "2024")  # 16.4 days against 18: lower, achieved
    assert c["status"] == "achieved", c
    assert doc["thresholds"] == {"achieved": 1.0, "on_track": 0.8}, doc["thresholds"]
    assert indicator(doc, "2.2")["thresholds"] == {"achieved": 1.0, "on_track": 0.7}
    assert "thresholds" not in indicator(doc, "2.3")
    c = cell(indicator(doc, "2.3"), "2024", sex="female")
    assert c["baseline"] == 0.31 and c["target"] == 0.4, c


CHAIN_NODES = [
    {"id": "G", "level": "goal", "title": "The goal"},
    {"id": "E1", "level": "eopo", "title": "First end outcome", "contributes_to": ["G"],
     "assumptions": ["Budgets hold"]},
    {"id": "O1", "level": "outcome", "title": "An outcome", "contributes_to": ["E1"]},
    {"id": "O2", "level": "outcome", "title": "Another outcome", "contributes_to": ["E1"]},
    {"id": "E2", "level": "eopo", "title": "Second end outcome", "contributes_to": ["G"]},
    {"id": "P1", "level": "output", "title": "Training", "country": "KH",
     "contributes_to": ["O2"], "status": "completed"},
    {"id": "P2", "level": "output", "title": "Unmeasured work", "contributes_to": ["O1"]},
]
CHAIN_LEVELS = [{"id": "goal", "title": "Goal"},
                {"id": "eopo", "title": "End-of-program outcome", "outcome": True},
                {"id": "outcome", "title": "Outcome", "outcome": True},
                {"id": "output", "title": "Output"}]


def chain_model(scratch):
    data = ("year,country,n\n2023,KH,3\n2023,LA,4\n2024,KH,5\n2024,LA,6\n"
            "2025,KH,7\n2025,LA,8\n")
    cols = {"year": "integer", "country": "text", "n": "integer"}
    def ind(ident, nodes, **more):
        d = {"id": ident, "title": "Indicator " + ident, "nodes": nodes, "calculator": "sum",
             "table": "t", "params": {"column": "n"}, "period": "year",
             "disaggregate": ["country"]}
        d.update(more)
        return d
    return it.write_model(scratch, {"t": (data, cols)}, [
        ind("a", ["O1", "E1"], targets={"2024": 10, "2026": 20}),
        ind("b", ["O2"]),
        ind("c", ["P1"], disaggregate=[]),
        ind("d", [], disaggregate=[]),
    ], nodes=CHAIN_NODES, levels=CHAIN_LEVELS)


def test_chain(scratch):
    # The IPTT along the results chain: goal, then each EOPO with its
    # outcomes, each indicator under the node it measures, once.
    doc = it.report(chain_model(scratch), "--as-of", "2025-12-31")
    chain = doc["chain"]
    assert [(e["node"], e["depth"], e["parent"]) for e in chain] == [
        ("G", 0, None), ("E1", 1, "G"), ("O1", 2, "E1"), ("O2", 2, "E1"),
        ("P1", 3, "O2"), ("E2", 1, "G")], chain
    by = {e["node"]: e for e in chain}
    assert by["O1"]["indicators"] == ["a"] and by["E1"]["references"] == ["a"], by
    assert by["E1"]["assumptions"] == ["Budgets hold"] and by["E1"]["indicators"] == []
    assert by["P1"]["indicators"] == ["c"] and by["P1"]["status"] == "completed"
    assert by["P1"]["level_title"] == "Output" and by["G"]["status"] is None
    assert doc["other_indicators"] == ["d"], doc["other_indicators"]
    assert doc["as_of"] == "2025-12-31"
    assert doc["selection"] == {"periods": None, "node": None, "level": None,
                                "country": None, "indicators": None, "left_out": []}
    placed = [i for e in chain for i in e["indicators"]] + doc["other_indicators"]
    assert sorted(placed) == sorted(i["id"] for i in doc["indicators"])  # each once


def test_selection_options(scratch):
    model = chain_model(scratch)
    # --node: the node and everything beneath it, and their indicators.
    doc = it.report(model, "--node", "O2")
    assert [e["node"] for e in doc["chain"]] == ["O2", "P1"], doc["chain"]
    assert [i["id"] for i in doc["indicators"]] == ["b", "c"]
    assert {r["node"] for r in doc["rollup"]} <= {"O2", "P1"}, doc["rollup"]
    # --level: that level's nodes.
    doc = it.report(model, "--level", "outcome")
    assert [e["node"] for e in doc["chain"]] == ["O1", "O2"], doc["chain"]
    assert [i["id"] for i in doc["indicators"]] == ["a", "b"]
    # --indicator, repeatable.
    doc = it.report(model, "--indicator", "c", "--indicator", "a")
    assert [i["id"] for i in doc["indicators"]] == ["a", "c"]
    assert doc["selection"]["indicators"] == ["c", "a"], doc["selection"]
    # --period as a range, either end open.
    doc = it.report(model, "--period", "2024..2025")
    a = indicator(doc, "a")
    assert a["periods"] == ["2024", "2025"] and {c["period"] for c in a["cells"]} == {
        "2024", "2025"}, a["periods"]
    assert doc["selection"]["periods"] == ["2024", "2025"]
    doc = it.report(model, "--period", "2025..")
    assert indicator(doc, "a")["periods"] == ["2025", "2026"]
    doc = it.report(model, "--period", "..2023")
    assert indicator(doc, "b")["periods"] == ["2023"]
    # --country: the country's breakdown; an indicator of work in that
    # country only is kept whole; the rest are left out, and said so.
    doc = it.report(model, "--country", "KH")
    a = indicator(doc, "a")
    assert {c["dims"].get("country") for c in a["cells"]} == {"KH"}, a["cells"]
    assert [i["id"] for i in doc["indicators"]] == ["a", "b", "c"]
    assert doc["selection"]["left_out"] == ["d"], doc["selection"]
    # Unknown names: exit 2, the valid ones listed; nothing on stdout.
    for args, want in ((["--period", "2030"], "2023, 2024, 2025, 2026, total"),
                       (["--period", "2023..2031"], "no period '2031'"),
                       (["--node", "X9"], "G, E1, O1, O2, E2, P1, P2"),
                       (["--level", "impact"], "goal, eopo, outcome, output"),
                       (["--country", "VN"], "KH, LA"),
                       (["--as-of", "2025-02-30"], "not a date")):
        rc, out, err = it.run("report", model, *args)
        assert rc == 2 and out == "" and "E414" in err and want in err, (args, rc, err)
    rc, out, err = it.run("report", model, "--indicator", "a", "--indicator", "zz")
    assert rc == 1 and "E410" in err and "'zz'" in err, (rc, err)


def test_not_yet_due(scratch):
    # A period that ends after the report's date is not yet due, not
    # missing; --as-of makes it reproducible; the model may carry the date.
    model = chain_model(scratch)
    doc = it.report(model, "--as-of", "2026-06-30")
    c = cell(indicator(doc, "a"), "2026")
    assert c["status"] == "not yet due" and c["due"] == "2026-12-31", c
    assert c["note"] == "not yet due: 2026 ends on 2026-12-31", c
    doc = it.report(model, "--as-of", "2027-01-01")
    c = cell(indicator(doc, "a"), "2026")
    assert c["status"] == "not reported" and "due" not in c, c
    with open(model) as f:
        m = json.load(f)
    m["program"]["reporting_date"] = "2026-03-31"
    with open(model, "w") as f:
        json.dump(m, f)
    doc = it.report(model)
    assert doc["as_of"] == "2026-03-31"
    assert cell(indicator(doc, "a"), "2026")["status"] == "not yet due"
    assert it.report(model, "--as-of", "2027-01-01")["as_of"] == "2027-01-01"
    # Quarters and months end where the calendar says.
    for period, end in (("2024-Q1", "2024-03-31"), ("2024-02", "2024-02-29"),
                        ("2023-H1", "2023-06-30")):
        data = "p,n\n2020-Q1,1\n"
        mm = it.write_model(scratch, {"t": (data, {"p": "text", "n": "integer"})}, [
            {"id": "q", "title": "Q", "nodes": ["O1"], "calculator": "sum", "table": "t",
             "params": {"column": "n"}, "period": "p", "targets": {period: 5}}])
        c = cell(indicator(it.report(mm, "--as-of", "2020-06-01"), "q"), period)
        assert c["due"] == end, (period, c)


def test_bad_table_fails_only_its_indicators(scratch):
    # One bad cell in one table: the indicators reading it are listed with
    # the error (exit 1); the others are computed and printed.
    good = "year,n\n2021,3\n2022,4\n"
    bad = "year,n\n2021,3\n2022,four\n"
    cols = {"year": "integer", "n": "integer"}
    def ind(ident, table):
        return {"id": ident, "title": "Indicator " + ident, "nodes": ["O1"],
                "calculator": "sum", "table": table, "params": {"column": "n"},
                "period": "year"}
    model = it.write_model(scratch, {"good": (good, cols), "bad": (bad, cols)},
                           [ind("x", "bad"), ind("y", "good"), ind("z", "bad")])
    rc, out, err = it.run("report", model, "--format", "json")
    assert rc == 1, (rc, err)
    assert err.count("E303") == 1 and "data/bad.csv:3" in err, err
    doc = json.loads(out)
    assert [i["id"] for i in doc["indicators"]] == ["y"]
    assert cell(indicator(doc, "y"), "2022")["value"] == 4
    failed = {f["indicator"]: f for f in doc["failed"]}
    assert sorted(failed) == ["x", "z"], doc["failed"]
    assert failed["z"]["code"] == "E303" and failed["z"]["line"] == 3, failed["z"]
    assert failed["z"]["table"] == "bad" and "four" in failed["z"]["message"], failed["z"]
    for fmt in ("text", "md", "csv"):
        rc, out, err = it.run("report", model, "--format", fmt)
        assert rc == 1 and "Indicator y" in out, (fmt, rc, out)
        assert "x" in out and "not computed" in out.lower() and "four" in out, (fmt, out)
    # Up to 20 errors per CSV file are listed, then a count of the rest.
    many = "year,n\n" + "".join("%d,bad%d\n" % (2000 + i, i) for i in range(25))
    model = it.write_model(scratch, {"good": (good, cols), "bad": (many, cols)},
                           [ind("x", "bad"), ind("y", "good")])
    rc, out, err = it.run("report", model)
    assert rc == 1 and err.count("E303") == 21, err
    assert "5 more error(s) in this file, not listed (the first 20 are)" in err, err
    assert "data/bad.csv:26:" in err or "data/bad.csv:21:" in err, err


def test_csv_is_tidy(scratch):
    # One header whatever is selected; unique names; numbers that read back
    # exactly; formula-like text guarded.
    model = os.path.join(SRC, "examples", "iptt", "model.json")
    headers = set()
    for args in ([], ["--indicator", "1.3"], ["--indicator", "2.3"], ["--period", "2026"],
                 ["--period", "total"]):
        rc, out, err = it.run("report", model, "--format", "csv", *args)
        assert rc == 0, (args, err)
        header = out.split("\n", 1)[0]
        headers.add(header)
        names = header.split(",")
        assert len(names) == len(set(names)), header
    assert len(headers) == 1, headers
    rows = list(csv.DictReader(io.StringIO(it.run("report", model, "--format", "csv")[1])))
    la = [r for r in rows if r["indicator"] == "1.2" and r["period"] == "2025"
          and r["breakdown"] == "country=LA"][0]
    assert la["actual"] == "" and la["status"] == "not reported", la
    pct = [r for r in rows if r["indicator"] == "2.3" and r["period"] == "2024"
           and r["breakdown"] == ""][0]
    assert float(pct["actual"]) == 45 / 108 and len(pct["actual"]) <= 19, pct
    # The checks, the roll-up and the failed indicators as tables of their
    # own, each with one header whatever is selected; a BOM for Excel.
    for part, first in (("checks", "kind,indicator,period,breakdown,reported"),
                        ("rollup", "level,node,title,of,status,count"),
                        ("failed", "indicator,table,code,file,line,message")):
        heads = set()
        for args in ([], ["--indicator", "1.3"], ["--period", "2026"], ["--country", "KH"]):
            rc, out, err = it.run("report", model, "--format", "csv", "--part", part, *args)
            assert rc == 0, (part, args, err)
            heads.add(out.split("\n", 1)[0])
        assert len(heads) == 1 and heads.pop().startswith(first), (part, heads)
    rows = list(csv.DictReader(io.StringIO(it.run(
        "report", model, "--format", "csv", "--part", "rollup")[1])))
    g = {(r["of"], r["status"]): r["count"] for r in rows if r["node"] == "G"}
    assert g[("projects", "completed")] == "2", g
    rc, out, err = it.run("report", model, "--format", "csv", "--bom")
    assert rc == 0 and out.startswith("\ufefflevel,node,indicator,"), out[:40]
    for bad in (["--part", "checks"], ["--bom"]):
        rc, out, err = it.run("report", model, *bad)  # text: not for CSV options
        assert rc == 2 and "is for --format csv" in err, (bad, rc, err)
    rc, out, err = it.run("report", model, "--format", "csv", "--part", "nope")
    assert rc == 2 and "--part" in err, err
    data = "year,n,label\n2021,3,x\n"
    m = counts_model(scratch, data, title="=HYPERLINK(\"http://x\")")
    out = it.run("report", m, "--format", "csv")[1]
    assert "\"'=HYPERLINK" in out, out


def test_node_status_outside_the_vocabulary(scratch):
    # W206: a project status that status.node_statuses does not list is
    # warned about and left out of the roll-up, never a status of its own.
    nodes = [{"id": "G", "level": "goal", "title": "The goal"},
             {"id": "O1", "level": "outcome", "title": "An outcome", "contributes_to": ["G"]},
             {"id": "P1", "level": "output", "title": "One", "status": "completed",
              "contributes_to": ["O1"]},
             {"id": "P2", "level": "output", "title": "Two", "status": "Completed ",
              "contributes_to": ["O1"]}]
    model = it.write_model(scratch, {}, [], nodes=nodes,
                           status={"node_statuses": ["completed", "some delays"]})
    rc, out, err = it.run("validate", model)
    assert rc == 0 and "W206 /nodes/3/status" in out and "'Completed '" in out, out
    doc = it.report(model)
    o1 = [r for r in doc["rollup"] if r["node"] == "O1"][0]
    assert o1["projects"] == {"completed": 1}, o1
    # Not counted as a status of its own, but named, by id, with its status.
    assert o1["left_out"] == [{"node": "P2", "status": "Completed "}], o1
    rc, md, err = it.run("report", model, "--format", "md")
    rollup = md.split("## Status by outcome")[1]
    assert "projects 1 completed; left out of the counts" in rollup, rollup
    assert "P2 ('Completed ')" in rollup and "1 Completed" not in rollup, rollup


def test_no_rows_at_all(scratch):
    # A table with no rows: every period and the total over all periods are
    # not reported, with the reason, never 0 or 0 %.
    doc = it.report(counts_model(scratch, "year,n\n", targets={"2021": 10, "2022": 10},
                                 lop_target=20))
    c = cell(indicator(doc, "c"), "total")
    assert c["value"] is None and c["note"] == "not reported: no data for any period", c
    assert "percent_of_lop_target" not in c, c
    rc, md, err = it.run("report", os.path.join(scratch, "model.json"), "--format", "md")
    row = [line for line in md.splitlines() if line.startswith("| All periods")][0]
    assert "not reported" in row and "0%" not in row and "| 0 " not in row, row


def test_shipped_models_are_canonical(scratch):
    # The models people copy from are in the layout `tocm fmt` writes, so
    # that their first `tocm set` or `tocm record` diff shows only the edit.
    import glob
    models = [os.path.join(SRC, "examples", "iptt", "model.json"),
              os.path.join(SRC, "models", "asean-act-2021", "model.json")]
    models += sorted(glob.glob(os.path.join(SRC, "examples", "templates", "*", "model.json")))
    for model in models:
        rc, out, err = it.run("fmt", "--check", model)
        assert rc == 0 and out == "" and err == "", (model, rc, err)


def test_percent_of_target_lower_is_better(scratch):
    # Lower is better: "% of target" is the share of the planned reduction
    # achieved (progress x 100), so it agrees with the status: 16.4 days
    # against 18 from a baseline of 21 is 153 %, achieved; 15.4 against the
    # life-of-program 10 is 51 %, never "154 %".
    model = os.path.join(SRC, "examples", "iptt", "model.json")
    ind = indicator(it.report(model), "2.2")
    for period in ("2024", "2025"):
        c = cell(ind, period)
        assert it.close(c["percent_of_target"], c["progress"] * 100), c
        assert it.close(c["percent_of_target"], (21 - c["value"]) / (21 - c["target"]) * 100), c
    assert cell(ind, "2024")["status"] == "achieved" and cell(ind, "2025")["status"] == "on track"
    total = cell(ind, "total")
    assert it.close(total["percent_of_lop_target"], (21 - total["value"]) / (21 - 10) * 100), total
    md = squeezed(it.run("report", model, "--format", "md", "--indicator", "2.2")[1])
    assert "| 2024 | Total | 18.0 | 16.4 | 153% | \u2713 achieved |" in md, md
    assert "| All periods | Total | 10.0 | 15.4 | 51% |" in md, md
    # Higher is better keeps the figure over the target.
    c = cell(indicator(it.report(model), "2.3"), "2024")
    assert it.close(c["percent_of_target"], c["value"] / c["target"] * 100), c
    # Without a baseline a reduction has no share.
    data = "year,n\n2021,8\n"
    doc = it.report(counts_model(scratch, data, direction="lower",
                                 baseline={"pending": True}, targets={"2021": 10}))
    c = cell(indicator(doc, "c"), "2021")
    assert "percent_of_target" not in c and c["status"] == "achieved", c


def test_latest_is_the_latest_reported(scratch):
    # A stock (aggregation latest) whose last period is still to come: the
    # total is the latest figure reported, and says which period it is from.
    data = "year,country,n\n2023,KH,3\n2023,LA,4\n2024,KH,5\n2024,LA,6\n"
    model = counts_model(scratch, data, disaggregate=["country"], aggregation="latest",
                         targets={"2024": 10, "2025": 14}, lop_target=14)
    doc = it.report(model, "--as-of", "2025-06-30")
    ind = indicator(doc, "c")
    assert ind["latest_period"] == "2024", ind.get("latest_period")
    c = cell(ind, "total")
    assert c["value"] == 11 and it.close(c["percent_of_lop_target"], 11 / 14 * 100), c
    assert cell(ind, "2025")["status"] == "not yet due"
    md = squeezed(it.run("report", model, "--format", "md", "--as-of", "2025-06-30")[1])
    assert "| Latest (2024) | Total | 14 | 11 | 79% |" in md, md
    example = it.report(os.path.join(SRC, "examples", "iptt", "model.json"))
    assert indicator(example, "2.4")["latest_period"] == "2025"
    assert indicator(example, "1.3")["latest_period"] == "2025"
    assert "latest_period" not in indicator(example, "1.2")


def qualitative_model(scratch, csv_text, **more):
    ind = {"id": "q", "title": "A text", "nodes": ["O1"], "measure": "qualitative",
           "calculator": "recorded", "table": "r", "period": "year"}
    ind.update(more)
    cols = {"year": "integer", "value": "text", "comment": "text", "source": "text",
            "status": "text"}
    if "disaggregate" in more:
        cols["country"] = "text"
    return it.write_model(scratch, {"r": (csv_text, cols)}, [ind])


def test_qualitative_actuals_show_their_text(scratch):
    # A text entered is shown as the figure; an entry without a text is not
    # reported with its comment as the reason; the total is the latest text
    # (not an empty later entry) and says which period it is from.
    data = ("year,value,comment,source,status\n2023,Draft agreed,,,on track\n"
            "2024,,Minutes not yet approved,,\n")
    model = qualitative_model(scratch, data, targets={"2023": "Draft", "2024": "Signed"})
    doc = it.report(model, "--as-of", "2025-06-30")
    ind = indicator(doc, "q")
    c = cell(ind, "2023")
    assert c["text"] == "Draft agreed" and c["status"] == "on track", c
    c = cell(ind, "2024")
    assert c["status"] == "not reported", c
    assert c["note"] == "not reported: Minutes not yet approved", c
    c = cell(ind, "total")
    assert c.get("text") == "Draft agreed" and ind["latest_period"] == "2023", c
    for fmt in ("md", "text"):
        out = it.run("report", model, "--format", fmt, "--as-of", "2025-06-30")[1]
        assert out.count("Draft agreed") == 2 and "Latest (2023)" in out, out
    # By breakdown: each country's text; a total over countries has none of
    # its own (texts do not add up), so it is not assessed, never a text
    # picked from one country.
    data = ("year,country,value,comment,source,status\n2024,KH,Signed,,,achieved\n"
            "2024,LA,Not started,,,\n")
    model = qualitative_model(scratch, data, disaggregate=["country"],
                              targets={"2024": "Signed in both"})
    ind = indicator(it.report(model, "--as-of", "2025-06-30"), "q")
    assert cell(ind, "2024", country="KH")["text"] == "Signed"
    c = cell(ind, "2024")
    assert "text" not in c and c["status"] == "not assessed", c
    assert c["note"] == "qualitative: see the figures by breakdown", c


def test_recorded_percentages(scratch):
    # Percentages entered directly are as people write them (41 is 41 %),
    # and are never added up over countries or periods.
    data = "year,country,value,comment,source\n2023,KH,41,,\n2023,LA,52,,\n2024,KH,38.5,,\n"
    cols = {"year": "integer", "country": "text", "value": "decimal", "comment": "text",
            "source": "text"}
    model = it.write_model(scratch, {"r": (data, cols)}, [
        {"id": "p", "title": "A share entered", "nodes": ["O1"], "measure": "percentage",
         "calculator": "recorded", "table": "r", "period": "year", "disaggregate": ["country"],
         "targets": {"2023": 50}}])
    ind = indicator(it.report(model), "p")
    c = cell(ind, "2023", country="KH")
    assert it.close(c["value"], 0.41) and c["display"] == "41%", c
    for c in (cell(ind, "2023"), cell(ind, "total", country="KH")):
        assert c["value"] is None and c["note"].startswith("not added up"), c
        assert "93%" not in c["display"] and "80%" not in c["display"], c
    md = it.run("report", model, "--format", "md")[1]
    assert "41%" in md and "4,100%" not in md and "93%" not in md, md


def test_bundled_report_reads_well(scratch):
    # The bundled model states no plan: each indicator says so instead of
    # printing empty Target, % and Status columns; checks name breakdowns in
    # words, not as JSON.
    model = os.path.join(SRC, "models", "asean-act-2021", "model.json")
    rc, md, err = it.run("report", model, "--format", "md")
    assert rc == 0, err
    assert "- Baseline and targets: none set." in md
    assert "| Period | Breakdown | Actual |" in md and "% of target" not in md
    assert "- T3.women_share, 2021, country SG: printed 54% but the data gives 55%" in md
    assert '{"country"' not in md and "{}:" not in md
    # A qualitative indicator has no % of target column.
    example = os.path.join(SRC, "examples", "iptt", "model.json")
    md = it.run("report", example, "--format", "md", "--indicator", "1.3")[1]
    assert "| Period " in md and "% of target" not in md, md


if __name__ == "__main__":
    it.main([test_exactly_on_the_threshold, test_lower_is_better_and_no_negative_zero,
             test_equal_baseline_and_target, test_pending_baseline_and_pending_target,
             test_not_reported_is_not_zero, test_breakdown_targets_and_thresholds,
             test_the_worked_example, test_chain, test_selection_options, test_not_yet_due,
             test_bad_table_fails_only_its_indicators, test_csv_is_tidy,
             test_node_status_outside_the_vocabulary, test_no_rows_at_all,
             test_shipped_models_are_canonical, test_percent_of_target_lower_is_better,
             test_latest_is_the_latest_reported, test_qualitative_actuals_show_their_text,
             test_recorded_percentages, test_bundled_report_reads_well], sys.argv)
