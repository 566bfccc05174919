#!/usr/bin/env python3
"""test_bundled.py -- `tocm report` on the bundled model,
models/asean-act-2021/model.json (issue 5, item 6): text, md, csv and json
are all produced, the JSON has the documented shape, and --period,
--indicator, -o and --strict behave.

Usage: test_bundled.py TOCM SOURCE_DIR

Exits 77 (ctest: skipped) while the bundled model has no indicators.
"""
import csv
import io
import json
import os
import shutil
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import indicator_test as it  # noqa: E402
from test_report import check_json_shape  # noqa: E402

SKIP = 77


def bundled():
    return os.path.join(it.ARGS[0], "models", "asean-act-2021", "model.json")


def test_every_format(scratch):
    model = bundled()
    outputs = {}
    for fmt in ("text", "md", "csv", "json"):
        rc, out, err = it.run("report", model, "--format", fmt)
        assert rc == 0 and err == "", (fmt, rc, err)
        assert out.endswith("\n") and len(out) > 100, fmt
        outputs[fmt] = out
    doc = json.loads(outputs["json"])
    check_json_shape(doc)
    assert doc["indicators"], "no indicator computed"
    ids = [i["id"] for i in doc["indicators"]]
    assert len(set(ids)) == len(ids)
    for ind in doc["indicators"]:
        assert ind["cells"], ind["id"]
        assert any(c["dims"] == {} for c in ind["cells"]), ind["id"]
        assert "%s  %s\n" % (ind["id"], ind["title"]) in outputs["text"], ind["id"]
        assert "## %s: %s\n" % (ind["id"], ind["title"]) in outputs["md"], ind["id"]
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert len(rows) == sum(len(i["cells"]) for i in doc["indicators"])
    # The CSV runs along the results chain: each indicator's cells together,
    # in the order the chain places them, then the others.
    by_id = {i["id"]: i for i in doc["indicators"]}
    order = [x for e in doc["chain"] for x in e["indicators"]] + doc["other_indicators"]
    assert [r["indicator"] for r in rows] == [x for x in order for _ in by_id[x]["cells"]]
    # Reconciliation never fails on the engine's own figures.
    assert not [c for c in doc["checks"] if c["kind"] == "reconciliation"], doc["checks"]


def test_period_and_indicator(scratch):
    model = bundled()
    full = it.report(model)
    first = full["indicators"][0]
    period = first["cells"][0]["period"]
    doc = it.report(model, "--period", period)
    for ind in doc["indicators"]:
        assert all(c["period"] == period for c in ind["cells"]), ind["id"]
    assert any(ind["cells"] for ind in doc["indicators"])
    for ind in full["indicators"]:
        doc = it.report(model, "--indicator", ind["id"])
        assert [i["id"] for i in doc["indicators"]] == [ind["id"]]
        assert doc["indicators"][0]["cells"] == ind["cells"]
    rc, out, err = it.run("report", model, "--indicator", "no-such-indicator")
    assert rc == 1 and out == "" and "E410" in err


def test_output_and_strict(scratch):
    # A copy, so that -o writes next to it and never into the source tree.
    src = os.path.dirname(bundled())
    copy = os.path.join(scratch, "model")
    shutil.copytree(src, copy)
    model = os.path.join(copy, "model.json")
    _, want, _ = it.run("report", model, "--format", "md")
    target = os.path.join(scratch, "report.md")
    rc, out, err = it.run("report", model, "--format", "md", "-o", target)
    assert rc == 0 and out == "" and err == ""
    with open(target) as f:
        assert f.read() == want
    doc = it.report(model)
    rc, _, _ = it.run("report", model, "--strict")
    assert rc == (1 if doc["checks"] else 0), (rc, doc["checks"])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: %s TOCM SOURCE_DIR" % sys.argv[0], file=sys.stderr)
        sys.exit(2)
    with open(os.path.join(sys.argv[2], "models", "asean-act-2021", "model.json")) as f:
        if not json.load(f).get("indicators"):
            print("SKIP: models/asean-act-2021/model.json has no indicators yet")
            sys.exit(SKIP)
    it.main([test_every_format, test_period_and_indicator, test_output_and_strict], sys.argv)
