#!/usr/bin/env python3
"""tocm import iati: the example file of shared/iati (with its placeholders),
hostile and broken XML (one clear error with its line, nothing written), the
writes (atomic, nothing without the whole file good, no overwrite without
--force), and the round trip export -> import -> tocm diff for the worked
example and the bundled model: no change in what IATI can hold, and the
actuals of tocm report --format iati come back as the same figures.

Usage: test_iati_import.py TOCM SOURCE_DIR [SHARED_DIR]
Skipped (77) when the IATI files of shared/ are not there.
"""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TOCM, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SHARED = sys.argv[3] if len(sys.argv) > 3 else os.path.join(SRC, "..", "shared")
XSD = os.path.normpath(os.path.join(SHARED, "iati", "iati-activities-schema.xsd"))
EXAMPLE = os.path.normpath(os.path.join(SHARED, "iati", "example-results.xml"))
if not os.path.exists(XSD) or not os.path.exists(EXAMPLE):
    print(f"skip: the IATI schema and example are not in {SHARED}/iati (configure with -DTOCM_SHARED_DIR=DIR)")
    sys.exit(77)
ORG = ["--option", "identifier=XM-EXAMPLE-SMSS", "--option", "reporting-org-ref=XM-EXAMPLE",
       "--option", "reporting-org-type=21", "--option", "reporting-org-name=An NGO"]
failures = []
passed = 0


def check(cond, what):
    global passed
    what = " ".join(str(what).split())[:600]
    if cond:
        passed += 1
        print("ok  ", what)
    else:
        failures.append(what)
        print("FAIL", what)


def run(*args, cwd=None):
    return subprocess.run([TOCM, *args], capture_output=True, text=True, cwd=cwd)


def valid(path, what):
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", XSD, path],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"{what} validates against the IATI 2.03 schema: {p.stderr.strip()[-300:]}")


def load(path):
    return json.load(open(path, encoding="utf-8"))


def find(items, key, value):
    return next((i for i in items if i.get(key) == value), None)


def extras(obj):
    return obj.get("iati_extra", [])


# ---- what IATI can hold: the projection both sides of a round trip are diffed in ----

def simple(t):
    """A target as its simplest form: {"value": 5} is 5, {"text": "x"} is "x"."""
    if isinstance(t, dict) and len(t) == 1 and ("value" in t or "text" in t):
        return next(iter(t.values()))
    return t


def key_of(e):
    return json.dumps([e.get("period"), e.get("dims")], sort_keys=True)


def iati_view(model):
    """The part of a model IATI (with tocm's own attributes) holds. Lists IATI
    keeps in its own order (breakdowns, a result's indicators) are sorted;
    defaults are written out, so an explicit default is no change."""
    prog = model["program"]
    keep = ["id", "title", "description", "period", "countries", "donor", "implementer",
            "iati_identifier", "reporting_org", "iati_result_types"]
    program = {k: prog[k] for k in keep if k in prog}
    if prog.get("description") == prog.get("title"):
        program.pop("description", None)
    program["iati_activity_status"] = prog.get("iati_activity_status", "2")
    measured = set()
    indicators = []
    for ind in model.get("indicators", []):
        if not ind.get("nodes"):
            continue
        measured.update(ind["nodes"])
        out = {k: ind[k] for k in ["id", "title", "unit", "verification", "references"] if k in ind}
        out["nodes"] = sorted(ind["nodes"])
        out["measure"] = ind.get("measure", "unit")
        out["direction"] = ind.get("direction", "higher")
        b = ind.get("baseline")
        if isinstance(b, dict) and ("period" in b or "date" in b):  # IATI needs its year
            b = copy.deepcopy(b)
            b["period"] = str(b["period"]) if "period" in b else None
            if "breakdown" in b:
                b["breakdown"] = sorted(b["breakdown"], key=key_of)
            out["baseline"] = b
        if "targets" in ind:
            out["targets"] = {p: simple(t) for p, t in ind["targets"].items()}
        if "lop_target" in ind:
            out["lop_target"] = simple(ind["lop_target"])
        if "breakdown_targets" in ind:
            out["breakdown_targets"] = sorted(ind["breakdown_targets"], key=key_of)
        indicators.append(out)
    nodes = [{k: n[k] for k in ["id", "level", "title", "description"] if k in n}
             for n in model["nodes"] if n["id"] in measured]
    view = {"tocm": 1, "program": program, "nodes": nodes, "indicators": indicators}
    if "levels" in model:
        view["levels"] = model["levels"]
    return view


def same_in_iati(a, b, what, tmp):
    pa, pb = os.path.join(tmp, "view-a.json"), os.path.join(tmp, "view-b.json")
    json.dump(iati_view(a), open(pa, "w", encoding="utf-8"), ensure_ascii=False)
    json.dump(iati_view(b), open(pb, "w", encoding="utf-8"), ensure_ascii=False)
    p = run("diff", pa, pb)
    check(p.returncode == 0, f"{what}: tocm diff shows no change in what IATI holds: {p.stdout[-1500:]} {p.stderr}")


def actuals(path):
    """Every actual of an IATI file: (indicator, period start, dims) -> value."""
    ns = "{urn:x-tocm:iati:1}"
    out = {}
    for ind in ET.parse(path).getroot().iter("indicator"):
        for per in ind.findall("period"):
            for a in per.findall("actual"):
                dims = tuple(sorted((d.get("name"), d.get("value")) for d in a.findall("dimension")))
                out[(ind.get(ns + "id"), per.find("period-start").get("iso-date"), dims)] = a.get("value")
    return out


with tempfile.TemporaryDirectory() as tmp:
    # ---- the example of shared/iati and its placeholders ----
    d = os.path.join(tmp, "example")
    os.makedirs(d)
    out = os.path.join(d, "model.json")
    p = run("import", "iati", EXAMPLE, "-o", out)
    check(p.returncode == 0, f"the example imports: exit {p.returncode} {p.stderr[-800:]}")
    err = p.stderr
    for needle in ["W511: the IATI version 'xx' is a placeholder",
                   "W511: <iati-identifier> is a placeholder",
                   "reporting organisation's ref 'xx' is a placeholder",
                   "'Organisation name' is a placeholder",
                   "activity-status code 'xx' is a placeholder",
                   "the activity's title 'Xxxxxxx' is a placeholder",
                   "dimension 'xxx'='yyyy' of a target is a placeholder",
                   "baseline value 'N=35;P=55' is not a number",
                   "actual 'N=41;P=56' for 2009 is not a number"]:
        check(needle in err, f"the example: warned '{needle}'")
    check(all(re.match(r"^.*example-results\.xml:\d+: warning: W51\d", line) for line in err.splitlines()),
          "every warning names the file and line")
    m = load(out)
    prog = m["program"]
    check("iati_identifier" not in prog and "reporting_org" not in prog and "description" not in prog,
          f"placeholders are not imported as data: {sorted(prog)}")
    check(prog["title"] == "example-results.xml", f"a placeholder title gives the file's name: {prog['title']}")
    check(len(m["nodes"]) == 13 and all(n["level"] == "output" for n in m["nodes"]),
          f"13 results, type output: {len(m['nodes'])}")
    r3 = find(m["indicators"], "id", "R3.1")
    check(r3["title"] == "Number and % of public laboratories enabled to perform sputum tests",
          "R3.1's title, its repeated narrative once")
    check(r3["baseline"].get("pending") is True and r3["baseline"].get("iati_value") == "N=35;P=55"
          and r3["baseline"].get("period") == "2008" and r3["baseline"].get("note") == "Source:adminstrative records",
          f"a baseline 'N=35;P=55' is pending, its text kept as iati_value: {r3['baseline']}")
    check(r3["targets"]["2009"] == {"pending": True, "iati_value": "N=42;P=57", "note": "Target Comment Period 2009"},
          f"a target 'N=42;P=57' likewise: {r3['targets'].get('2009')}")
    check({"attribute": "measure", "value": "NDP", "on": "indicator", "line": 53} in extras(r3),
          f"the unknown measure 'NDP' is kept: {extras(r3)[:2]}")
    rows = open(os.path.join(d, "data", "results_R3_1.csv"), encoding="utf-8").read().splitlines()
    check(rows[0] == "period,value,comment,source"
          and rows[1] == "2009,,IATI value 'N=41;P=56' is not a number. Actual Comment Period 2009,",
          f"its actual is a figure not reported, the value in its comment: {rows}")
    r1 = find(m["indicators"], "id", "R1.1")
    check("measure" not in r1 and "direction" not in r1, "measure 'Unit' (IATI 1.x) is unit, ascending true")
    check(find(m["nodes"], "id", "R1")["iati_extra"][0]["value"] == "false",
          "the result's aggregation-status is kept")
    r8 = find(m["indicators"], "id", "R8.1")
    check(r8.get("references") == [{"vocabulary": "99", "code": "B1", "uri": "http://example.com/indicators.html"}],
          f"a reference: {r8.get('references')}")
    r13 = find(m["indicators"], "id", "R13.1")
    kept = [e for e in extras(r13) if e.get("element") in ("target", "actual")]
    check(len(kept) == 2 and kept[0]["attributes"] == {"value": "110"}
          and [c["element"] for c in kept[0]["children"]] == ["location", "location", "dimension"],
          f"a figure whose dimension is a placeholder is kept whole: {kept}")
    p = run("validate", out)
    check(p.returncode == 0, f"the imported model validates: {p.stdout} {p.stderr}")
    p = run("report", out, "--format", "json")
    check(p.returncode == 0, f"and reports: exit {p.returncode} {p.stderr[-300:]}")

    # ---- hostile and broken files: one error with its line, nothing written ----
    hostile = {
        "billion laughs": ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                           ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
                           ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
                           '<iati-activities version="2.03"><iati-activity><title><narrative>&lol3;'
                           '</narrative></title></iati-activity></iati-activities>\n', 2, "DOCTYPE"),
        "external entity": ('<?xml version="1.0"?>\n<!DOCTYPE a [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>\n'
                            '<iati-activities><iati-activity><title><narrative>&x;</narrative></title>'
                            '</iati-activity></iati-activities>\n', 2, "DOCTYPE"),
        "external DTD": ('<?xml version="1.0"?>\n<!DOCTYPE iati-activities SYSTEM "http://example.org/x.dtd">\n'
                         '<iati-activities/>\n', 2, "DOCTYPE"),
        "parameter entity": ('<?xml version="1.0"?>\n\n<!DOCTYPE a [ <!ENTITY % p SYSTEM "/etc/passwd"> %p; ]>\n'
                             '<iati-activities/>\n', 3, "DOCTYPE"),
        "undefined entity": ('<?xml version="1.0"?>\n<iati-activities>\n<iati-activity>\n'
                             '<title><narrative>&nope;</narrative></title></iati-activity></iati-activities>\n',
                             4, "Entity 'nope' not defined"),
        "truncated": ('<?xml version="1.0"?>\n<iati-activities version="2.03">\n<iati-activity>\n'
                      '<title><narrative>abc</narr', 4, "not well-formed"),
        "mismatched tags": ('<?xml version="1.0"?>\n<iati-activities>\n<iati-activity>\n</result>\n'
                            '</iati-activities>\n', 4, "not well-formed"),
        "huge attribute": ('<?xml version="1.0"?>\n<iati-activities>\n<iati-activity x="' + "A" * 12_000_000
                           + '"/></iati-activities>\n', 3, "not well-formed"),
        "long attribute": ('<?xml version="1.0"?>\n<iati-activities>\n\n<iati-activity x="' + "A" * 2_000_000
                           + '"/></iati-activities>\n', 4, "longer than 1048576 bytes"),
        "deep nesting": ("<iati-activities>\n" + "<a>" * 3000 + "</a>" * 3000 + "</iati-activities>\n",
                         2, "nested deeper than 256 levels"),
        "not UTF-8": ('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities>\n<iati-activity>'
                      '<title><narrative>caf\xe9</narrative></title></iati-activity></iati-activities>\n',
                      3, "not well-formed"),
        "not IATI": ('<?xml version="1.0"?>\n<html><body/></html>\n', 2, "E512: not an IATI activity file"),
        "no activity": ('<?xml version="1.0"?>\n<iati-activities version="2.03"/>\n', 2,
                        "holds no <iati-activity>"),
        "empty": ("", 0, "the file is empty"),
    }
    for name, (text, line, needle) in hostile.items():
        hd = os.path.join(tmp, "hostile-" + name.replace(" ", "-"))
        os.makedirs(hd)
        f = os.path.join(hd, "in.xml")
        with open(f, "wb") as fh:
            fh.write(text.encode("latin-1") if name == "not UTF-8" else text.encode("utf-8"))
        p = run("import", "iati", f, "-o", os.path.join(hd, "model.json"))
        errors = [x for x in p.stderr.splitlines() if ": error: " in x]
        where = f"in.xml:{line}: error: " if line else "in.xml: error: "
        check(p.returncode == 1 and len(errors) == 1 and where in errors[0] and needle in errors[0]
              and sorted(os.listdir(hd)) == ["in.xml"] and "root:" not in p.stderr,
              f"{name}: one error at line {line} ({needle}), nothing written: exit {p.returncode} {p.stderr[:300]}")

    # ---- writes ----
    wd = os.path.join(tmp, "writes")
    os.makedirs(wd)
    plan = os.path.join(wd, "plan.xml")
    iptt = os.path.join(SRC, "examples", "iptt", "model.json")
    p = run("report", iptt, "--format", "iati", "-o", plan, *ORG)
    check(p.returncode == 0, f"report --format iati of the worked example: {p.stderr[-300:]}")
    p = run("import", "iati", plan)
    check(p.returncode == 2 and "give -o MODEL" in p.stderr, f"indicators need -o (tables beside the model): {p.stderr}")
    target = os.path.join(wd, "out", "model.json")
    os.makedirs(os.path.dirname(target))
    open(target, "w").write("{}")
    p = run("import", "iati", plan, "-o", target)
    check(p.returncode == 2 and "exists" in p.stderr and open(target).read() == "{}"
          and os.listdir(os.path.dirname(target)) == ["model.json"],
          f"an existing model is not replaced without --force, nothing written: {p.stderr}")
    os.remove(target)
    os.makedirs(os.path.join(wd, "out", "data"))
    open(os.path.join(wd, "out", "data", "results_1_2.csv"), "w").write("mine\n")
    p = run("import", "iati", plan, "-o", target)
    check(p.returncode == 2 and "results_1_2.csv' exists" in p.stderr and not os.path.exists(target)
          and os.listdir(os.path.join(wd, "out", "data")) == ["results_1_2.csv"],
          f"nor an existing results table: {p.stderr}")
    p = run("import", "iati", plan, "-o", target, "--force")
    check(p.returncode == 0 and os.path.exists(target), f"--force replaces them: {p.stderr[-300:]}")
    leftovers = [f for f in os.listdir(os.path.join(wd, "out")) + os.listdir(os.path.join(wd, "out", "data"))
                 if f.startswith(".") or "tmp" in f]
    check(not leftovers, f"no temporary file left: {leftovers}")

    # ---- the results table is written as tocm record writes it ----
    # One writer for both: a comment a spreadsheet would run is guarded the
    # same way, so tocm record adding to an imported table leaves every
    # other row byte for byte as the import wrote it.
    td = os.path.join(tmp, "table-writer")
    os.makedirs(td)
    xml = os.path.join(td, "in.xml")
    open(xml, "w").write(
        '<?xml version="1.0"?>\n<iati-activities version="2.03"><iati-activity>\n'
        '<iati-identifier>XM-TEST-1</iati-identifier><title><narrative>Test</narrative></title>\n'
        '<result type="1"><title><narrative>Cases handled</narrative></title>\n'
        '<indicator measure="1" ascending="1"><title><narrative>Cases</narrative></title>\n'
        '<period><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/>\n'
        '<actual value="4"><comment><narrative>=SUM(A1:A9)</narrative></comment></actual></period>\n'
        '<period><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/>\n'
        '<actual value="5"><comment><narrative>Register, "final"</narrative></comment></actual>'
        '</period>\n</indicator></result></iati-activity></iati-activities>\n')
    model = os.path.join(td, "model.json")
    p = run("import", "iati", xml, "-o", model)
    table = os.path.join(td, "data", "results_R1_1.csv")
    imported = open(table, encoding="utf-8").read() if p.returncode == 0 else ""
    check(imported == "period,value,comment,source\n2024,4,'=SUM(A1:A9),\n"
          '2025,5,"Register, ""final""",\n',
          f"the imported table: a formula guarded, quotes doubled: {p.stderr[-300:]} {imported!r}")
    p = run("record", model, "R1.1", "--period", "2025", "--replace", "--comment", "@register", "--", "6")
    text = open(table, encoding="utf-8").read()
    check(p.returncode == 0 and text.splitlines()[:2] == imported.splitlines()[:2]
          and text.splitlines()[2:] == ["2025,6,'@register,"],
          f"tocm record on the imported table changes only the row it replaces: {p.stderr[-300:]} {text!r}")

    # ---- round trip: export -> import -> diff, for the worked example and the bundled model ----
    bundled = os.path.join(SRC, "models", "asean-act-2021", "model.json")
    for name, path in [("the worked example", iptt), ("the bundled model", bundled)]:
        rd = os.path.join(tmp, "rt-" + name.split()[-1])
        os.makedirs(rd)
        xml1 = os.path.join(rd, "one.xml")
        p = run("report", path, "--format", "iati", "-o", xml1, *ORG)
        check(p.returncode == 0, f"{name}: report --format iati: {p.stderr[-300:]}")
        valid(xml1, f"{name}'s IATI")
        back = os.path.join(rd, "back", "model.json")
        os.makedirs(os.path.dirname(back))
        p = run("import", "iati", xml1, "-o", back)
        check(p.returncode == 0, f"{name}: imported back: exit {p.returncode} {p.stderr[-500:]}")
        if p.returncode != 0:
            continue
        check(run("validate", back).returncode == 0, f"{name}: the model imported back validates")
        original = load(path)
        again = load(back)
        # What IATI holds carries the ids given with --option.
        original["program"].update({"iati_identifier": "XM-EXAMPLE-SMSS",
                                    "reporting_org": {"ref": "XM-EXAMPLE", "type": "21", "name": "An NGO"}})
        same_in_iati(original, again, name, rd)
        # The actuals: the imported model's report gives the same figures.
        xml2 = os.path.join(rd, "two.xml")
        p = run("report", back, "--format", "iati", "-o", xml2)
        check(p.returncode == 0, f"{name}: the model imported back reports as IATI: {p.stderr[-300:]}")
        valid(xml2, f"{name} imported back, as IATI")
        a1, a2 = actuals(xml1), actuals(xml2)
        check(a1 == a2 and a1,
              f"{name}: every actual comes back, totals and breakdowns: {len(a1)} "
              f"{sorted(set(a1.items()) ^ set(a2.items()))[:6]}")
        moved = [r for i in again.get("indicators", []) for r in i.get("reported", [])
                 if r.get("source") == "IATI actual"]
        shares = [i["id"] for i in again.get("indicators", []) if any(
            r.get("source") == "IATI actual" for r in i.get("reported", []))]
        check(name != "the worked example" or shares == ["2.1", "2.2", "2.3"],
              f"{name}: the figures of shares and means the table cannot give are reported "
              f"figures: {shares}, {len(moved)}")

    # A second import of what the first import exports is the same model.
    rd = os.path.join(tmp, "rt-example")
    again = os.path.join(rd, "again", "model.json")
    os.makedirs(os.path.dirname(again))
    p = run("import", "iati", os.path.join(rd, "two.xml"), "-o", again)
    check(p.returncode == 0, f"the re-exported file imports: {p.stderr[-300:]}")
    p = run("diff", os.path.join(rd, "back", "model.json"), again)
    check(p.returncode == 0, f"export -> import is a fixed point: {p.stdout[-800:]}")

    # ---- one activity per project (--option projects=LEVEL) ----
    pd = os.path.join(tmp, "projects")
    os.makedirs(pd)
    single = os.path.join(pd, "single.xml")
    split = os.path.join(pd, "split.xml")
    run("report", bundled, "--format", "iati", "-o", single, *ORG)
    p = run("report", bundled, "--format", "iati", "-o", split, "--option", "projects=project", *ORG)
    check(p.returncode == 0, f"projects=project: exit {p.returncode} {p.stderr[-300:]}")
    valid(split, "the bundled model, one activity per project")
    acts = ET.parse(split).getroot().findall("iati-activity")
    model = load(bundled)
    projects = [n["id"] for n in model["nodes"] if n["level"] == "project"]
    ns = "{urn:x-tocm:iati:1}"
    check(len(acts) == 1 + len(projects) and acts[0].get("hierarchy") == "1"
          and [a.get(ns + "node") for a in acts[1:]] == projects,
          f"the program's activity, then one per project: {len(acts)} for {len(projects)} projects")
    prog_id = acts[0].findtext("iati-identifier")
    children = [r.get("ref") for r in acts[0].findall("related-activity") if r.get("type") == "2"]
    check(children == [a.findtext("iati-identifier") for a in acts[1:]],
          "the program names each project as its child (related-activity type 2)")
    check(all(a.get("hierarchy") == "2" and [(r.get("ref"), r.get("type")) for r in a.findall("related-activity")]
              == [(prog_id, "1")] for a in acts[1:]),
          "each project names the program as its parent (type 1)")
    check(acts[1].findtext("iati-identifier") == prog_id + "-" + projects[0],
          f"a project's identifier: the program's and its id: {acts[1].findtext('iati-identifier')}")
    def results_of(elems):
        return sorted(r.get(ns + "node") for a in elems for r in a.findall("result"))
    one = ET.parse(single).getroot().findall("iati-activity")
    check(results_of(acts) == results_of(one),
          f"every result is written once, in the program's or its project's activity: {len(results_of(acts))}")
    by_node = {n["id"]: n for n in model["nodes"]}
    for a in acts[1:]:
        for r in a.findall("result"):
            node, seen = r.get(ns + "node"), set()
            while node not in seen and node != a.get(ns + "node"):
                seen.add(node)
                node = (by_node[node].get("contributes_to") or [node])[0]
            check(node == a.get(ns + "node"), f"result {r.get(ns + 'node')} is under project {a.get(ns + 'node')}")
    back = os.path.join(pd, "back", "model.json")
    os.makedirs(os.path.dirname(back))
    p = run("import", "iati", split, "-o", back)
    check(p.returncode == 0 and "not a project" not in p.stderr,
          f"the program and its projects import as one model: {p.stderr[-400:]}")
    got = load(back)
    check({n["id"] for n in got["nodes"]} >= set(projects),
          "each project activity is a node again")
    got_p = [n for n in got["nodes"] if n["id"] in projects]
    check(all(n["level"] == "project" and n["title"] == by_node[n["id"]]["title"]
              and n.get("country") == by_node[n["id"]].get("country") for n in got_p),
          "with its level, title and country")
    check(run("validate", back).returncode == 0, "the model validates")
    single_back = os.path.join(pd, "single-back", "model.json")
    os.makedirs(os.path.dirname(single_back))
    run("import", "iati", single, "-o", single_back)
    a, b = iati_view(load(single_back)), iati_view(got)
    check(a["indicators"] == b["indicators"],
          "the indicators are those of the one-activity file")
    p = run("export", bundled, "-T", "iati", "-o", os.path.join(pd, "x.xml"), "--option", "projects=nope", *ORG)
    check(p.returncode == 2 and "no level 'nope'" in p.stderr and not os.path.exists(os.path.join(pd, "x.xml")),
          f"an unknown level is refused: {p.stderr.strip()}")
    p = run("import", "iati", os.path.join(SHARED, "iati", "example-results.xml"), "--activity", "nope",
            "-o", os.path.join(pd, "y.json"))
    check(p.returncode == 1 and "no activity 'nope'" in p.stderr, f"--activity of none: {p.stderr.strip()}")

print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
