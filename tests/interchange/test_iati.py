#!/usr/bin/env python3
"""The IATI 2.03 exporter: every file it writes validated against the IATI
schema with libxml2 (xmllint --schema), and read back with Python's own XML
parser to check what it says.

Usage: test_iati.py TOCM SOURCE_DIR [SHARED_DIR]
The schema is SHARED_DIR/iati/iati-activities-schema.xsd (default
SOURCE_DIR/../shared: CI keeps shared/ beside the clone); without it the test
is skipped (77) and says so.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TOCM, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SHARED = sys.argv[3] if len(sys.argv) > 3 else os.path.join(SRC, "..", "shared")
XSD = os.path.normpath(os.path.join(SHARED, "iati", "iati-activities-schema.xsd"))
if not os.path.exists(XSD):
    print(f"skip: the IATI schema is not at {XSD} (shared/ beside the source tree; configure with -DTOCM_SHARED_DIR=DIR)")
    sys.exit(77)
NS = "{urn:x-tocm:iati:1}"
ORG = ["--option", "identifier=XM-EXAMPLE-SMSS", "--option", "reporting-org-ref=XM-EXAMPLE",
       "--option", "reporting-org-type=21", "--option", "reporting-org-name=An NGO"]
failures = []
passed = 0


def check(cond, what):
    global passed
    what = " ".join(what.split())
    if cond:
        passed += 1
        print("ok  ", what)
    else:
        failures.append(what)
        print("FAIL", what)


def run(*args):
    return subprocess.run([TOCM, *args], capture_output=True, text=True)


def valid(path, what):
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", XSD, path],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"{what} validates against the IATI 2.03 schema: {p.stderr.strip()[-400:]}")
    return ET.parse(path).getroot()


def indicator(root, ind_id):
    for ind in root.iter("indicator"):
        if ind.get(NS + "id") == ind_id:
            return ind
    return None


def period(ind, start):
    for p in ind.findall("period"):
        if p.find("period-start").get("iso-date") == start:
            return p
    return None


def total(elems):
    return [e for e in elems if e.find("dimension") is None]


with tempfile.TemporaryDirectory() as tmp:
    iptt = os.path.join(SRC, "examples", "iptt", "model.json")
    model = json.load(open(iptt, encoding="utf-8"))

    # The plan: tocm export -T iati.
    out = os.path.join(tmp, "plan.xml")
    p = run("export", iptt, "-T", "iati", "-o", out, *ORG)
    check(p.returncode == 0, f"export -T iati of the worked example: exit {p.returncode} {p.stderr}")
    root = valid(out, "the worked example's plan")
    act = root.find("iati-activity")
    check(root.get("version") == "2.03", "iati-activities version 2.03")
    check(act.findtext("iati-identifier") == "XM-EXAMPLE-SMSS", "the identifier from --option")
    check(act.find("reporting-org").get("ref") == "XM-EXAMPLE", "the reporting org from --option")
    check([c.get("code") for c in act.findall("recipient-country")] == model["program"]["countries"],
          "recipient countries are the program's")
    check([d.get("iso-date") for d in act.findall("activity-date")] == ["2024-01-01", "2026-12-31"],
          "activity dates from the program's period")
    measured = [n["id"] for n in model["nodes"]
                if any(n["id"] in i.get("nodes", []) for i in model["indicators"])]
    check([r.get(NS + "node") for r in act.findall("result")] == measured,
          f"one result per node with indicators, in file order: {measured}")
    check(not list(root.iter("actual")), "the plan has no actuals")
    for ind_def in model["indicators"]:
        ind = indicator(root, ind_def["id"])
        check(ind is not None and ind.find("title/narrative").text == ind_def["title"],
              f"indicator {ind_def['id']} with its title")
        for per, target in ind_def.get("targets", {}).items():
            p_el = period(ind, f"{per}-01-01")
            t = total(p_el.findall("target")) if p_el is not None else []
            value = target.get("value") if isinstance(target, dict) else target
            if isinstance(value, (int, float)) and ind_def.get("measure") != "qualitative":
                check(len(t) == 1 and float(t[0].get("value")) == value,
                      f"{ind_def['id']} {per}: target {value}")
    ind = indicator(root, "1.2")
    check(ind.get("measure") == "1" and ind.get("ascending") == "true", "1.2: unit, ascending")
    kh = [t for t in period(ind, "2024-01-01").findall("target")
          if t.find("dimension") is not None and t.find("dimension").get("value") == "KH"]
    check(len(kh) == 1 and kh[0].get("value") == "20", "1.2 2024: the target for KH as a dimension")
    check(len(ind.findall("baseline")) == 4, "1.2: the baseline and one per country")
    check(indicator(root, "2.2").get("ascending") == "false", "2.2: lower is better is not ascending")
    q = indicator(root, "1.3")
    check(q.get("measure") == "5" and "value" not in q.find("baseline").attrib,
          "1.3: qualitative, its baseline a text")
    check("pending" in p.stderr or "baseline is not written" in p.stderr,
          f"2.1's pending baseline without a year is named: {p.stderr.strip()}")

    # The plan and the actuals: tocm report --format iati.
    out = os.path.join(tmp, "report.xml")
    p = run("report", iptt, "--format", "iati", "-o", out, *ORG)
    check(p.returncode == 0, f"report --format iati: exit {p.returncode} {p.stderr}")
    root = valid(out, "the worked example with actuals")
    rep = json.loads(run("report", iptt, "--format", "json").stdout)
    for r in rep["indicators"]:
        ind = indicator(root, r["id"])
        for cell in r["cells"]:
            if cell["period"] == "total" or cell["dims"] or not isinstance(cell.get("value"), float):
                continue
            p_el = period(ind, f"{cell['period']}-01-01")
            a = total(p_el.findall("actual")) if p_el is not None else []
            want = cell["display"].replace("%", "").replace(",", "")
            check(len(a) == 1 and float(a[0].get("value")) == float(want),
                  f"{r['id']} {cell['period']}: actual {want} as the report shows it")
    a = [x for x in period(indicator(root, "1.1"), "2024-01-01").findall("actual")
         if x.find("dimension") is not None]
    check(any({d.get("name"): d.get("value") for d in x.findall("dimension")} == {"country": "KH"}
              and x.get("value") == "112" for x in a), "1.1 2024: the KH actual as a dimension")
    check("moved to January 2026" in ET.tostring(indicator(root, "1.1"), encoding="unicode"),
          "1.1: a figure's comment is kept")

    # The bundled model.
    bundled = os.path.join(SRC, "models", "asean-act-2021", "model.json")
    out = os.path.join(tmp, "bundled.xml")
    p = run("report", bundled, "--format", "iati", "-o", out, *ORG)
    check(p.returncode == 0, f"the bundled model: exit {p.returncode} {p.stderr}")
    root = valid(out, "the bundled model")
    check(len(root.findall(".//result")) > 5, "the bundled model has results")

    # What IATI needs and the model lacks: one line, exit 2, nothing written.
    out = os.path.join(tmp, "none.xml")
    p = run("export", iptt, "-T", "iati", "-o", out)
    check(p.returncode == 2 and "iati_identifier" in p.stderr and not os.path.exists(out),
          f"no identifier: refused, nothing written: {p.stderr.strip()}")

    # Hostile titles, the model's own IATI fields and a level mapping.
    hostile = copy.deepcopy(model)
    titles = {
        "G": "Goal <b>bold</b> & \"quotes\" 'apos' ]]> <!-- comment --> <![CDATA[x]]>",
        "EOPO1": "</narrative></title><script>alert(1)</script>",
        "O1.1": "&amp; &#x41; &lt; &unknown; %param; \\ back\\slash",
        "O1.2": "emoji 🧭 and العربية and \u202eRTL override",
    }
    for n in hostile["nodes"]:
        if n["id"] in titles:
            n["title"] = titles[n["id"]]
    hostile["indicators"][0]["title"] = "control \u0001 char and tab\tand newline\nend"
    hostile["program"].update({
        "iati_identifier": "XM-EXAMPLE-<&>",
        "reporting_org": {"ref": "XM-EXAMPLE", "type": "21", "name": "Org \"A\" & <B>"},
        "iati_result_types": {"outcome": "output", "eopo": "impact"},
    })
    hostile["indicators"][0]["references"] = [{"vocabulary": "99", "code": "X&1", "uri": "https://example.org/i?a=1&b=2"}]
    hdir = os.path.join(tmp, "hostile")
    os.makedirs(hdir)
    os.symlink(os.path.join(SRC, "examples", "iptt", "data"), os.path.join(hdir, "data"))
    hpath = os.path.join(hdir, "model.json")
    json.dump(hostile, open(hpath, "w", encoding="utf-8"), ensure_ascii=False)
    out = os.path.join(tmp, "hostile.xml")
    p = run("report", hpath, "--format", "iati", "-o", out)
    check(p.returncode == 0, f"hostile titles: exit {p.returncode} {p.stderr}")
    root = valid(out, "the model with hostile titles")
    act = root.find("iati-activity")
    check(act.findtext("iati-identifier") == "XM-EXAMPLE-<&>", "the identifier from the model, escaped")
    check(act.find("reporting-org/narrative").text == "Org \"A\" & <B>", "the org name read back as written")
    got = {r.get(NS + "node"): r.find("title/narrative").text for r in act.findall("result")}
    for node, title in titles.items():
        if node in got:
            check(got[node] == title, f"{node}'s hostile title reads back exactly")
    check(not list(root.iter("script")) and not list(root.iter("b")), "no element from a title")
    t = indicator(root, hostile["indicators"][0]["id"]).find("title/narrative").text
    check(t == "control \ufffd char and tab\tand newline\nend",
          f"a control character XML cannot hold is U+FFFD, the rest kept: {t!r}")
    check("U+FFFD" in p.stderr, f"and the exporter says so: {p.stderr.strip()}")
    types = {r.get(NS + "level"): r.get("type") for r in act.findall("result")}
    check(types.get("outcome") == "1" and types.get("eopo") == "3",
          f"iati_result_types maps levels: {types}")
    ref = indicator(root, hostile["indicators"][0]["id"]).find("reference")
    check(ref is not None and ref.get("code") == "X&1" and ref.get("indicator-uri").endswith("a=1&b=2"),
          "an indicator reference, escaped")

    bad = copy.deepcopy(hostile)
    bad["program"]["iati_result_types"] = {"outcome": "result"}
    json.dump(bad, open(hpath, "w", encoding="utf-8"), ensure_ascii=False)
    p = run("export", hpath, "-T", "iati", "-o", out + ".bad")
    check(p.returncode == 2 and "'outcome' is mapped to 'result'" in p.stderr
          and not os.path.exists(out + ".bad"), f"a wrong result type refused: {p.stderr.strip()}")

    # Periods that are not years.
    per = copy.deepcopy(model)
    per["program"].update({"iati_identifier": "XM-EXAMPLE-P",
                           "reporting_org": {"ref": "XM-EXAMPLE", "type": "21", "name": "N"}})
    per["indicators"][1]["targets"] = {"2024-Q2": 10, "2024-H2": 20, "2025-02": 30,
                                       "2025-06-30": 40, "phase 1": 50}
    per["indicators"][1].pop("breakdown_targets", None)
    ppath = os.path.join(hdir, "model.json")
    json.dump(per, open(ppath, "w", encoding="utf-8"), ensure_ascii=False)
    out = os.path.join(tmp, "periods.xml")
    p = run("export", ppath, "-T", "iati", "-o", out)
    check(p.returncode == 0, f"periods: exit {p.returncode} {p.stderr}")
    root = valid(out, "quarters, halves, months and days")
    ind = indicator(root, per["indicators"][1]["id"])
    spans = [(x.find("period-start").get("iso-date"), x.find("period-end").get("iso-date"))
             for x in ind.findall("period")]
    check(spans == [("2024-04-01", "2024-06-30"), ("2024-07-01", "2024-12-31"),
                    ("2025-02-01", "2025-02-28"), ("2025-06-30", "2025-06-30")],
          f"a quarter, a half, a month and a day as dates: {spans}")
    check("period 'phase 1' is not written" in p.stderr, f"a period that is no date is named: {p.stderr.strip()}")

print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
