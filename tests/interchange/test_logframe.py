#!/usr/bin/env python3
"""`tocm import logframe`: the template in examples/logframe imports to a
model that validates and reports; every bad row of a bad sheet is listed
with its line and nothing is written; malformed CSV gives one clear error;
--column maps other headers.

Usage: test_logframe.py TOCM SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

TOCM, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []
passed = 0


def check(cond, what):
    global passed
    what = " ".join(str(what).split())
    if cond:
        passed += 1
        print("ok  ", what)
    else:
        failures.append(what)
        print("FAIL", what)


def run(*args, cwd=None):
    return subprocess.run([TOCM, *args], capture_output=True, text=True, cwd=cwd)


HEADER = "Level,ID,Title,Parent,Indicator,Unit,Baseline,Target 2025,Target 2026,Source,Assumptions\n"

with tempfile.TemporaryDirectory() as tmp:
    def sheet(name, text, mode="w"):
        path = os.path.join(tmp, name)
        with open(path, mode) as f:
            f.write(text)
        return path

    # The template.
    template = os.path.join(SRC, "examples", "logframe", "logframe-template.csv")
    out = os.path.join(tmp, "water", "model.json")
    os.makedirs(os.path.dirname(out))
    p = run("import", "logframe", template, "-o", out, "--id", "water-kh",
            "--title", "Rural water supply")
    check(p.returncode == 0 and p.stderr == "", f"the template imports: {p.returncode} {p.stderr}")
    p = run("validate", out)
    check(p.returncode == 0 and "0 error(s), 0 warning(s)" in p.stdout,
          f"the imported template validates without warnings: {p.stdout}")
    check(run("fmt", "--check", out).returncode == 0, "it is in the canonical layout")
    m = json.load(open(out))
    check(m["program"] == {"id": "water-kh", "title": "Rural water supply"}, "--id and --title")
    check([l["id"] for l in m["levels"]] == ["impact", "outcome", "output", "activity"]
          and m["levels"][1].get("outcome") is True, f"levels in sheet order: {m['levels']}")
    nodes = {n["id"]: n for n in m["nodes"]}
    check(list(nodes) == ["IMPACT", "OC1", "OP1", "OP2", "A1.1", "A2.1"], f"nodes: {list(nodes)}")
    check(nodes["OC1"]["contributes_to"] == ["IMPACT"]
          and nodes["OC1"]["assumptions"] == ["Households can afford the water fee",
                                              "Water tables stay stable"],
          "parents and assumptions (split at ';')")
    inds = {i["id"]: i for i in m["indicators"]}
    check(list(inds) == ["IMPACT-1", "OC1-1", "OC1-2", "OP1-1", "OP2-1", "OP2-2"],
          f"indicators, continuation rows attached to the result above: {list(inds)}")
    check(inds["OC1-1"]["measure"] == "percentage" and inds["OC1-1"]["targets"] == {
        "2025": 45, "2026": 55, "2027": 70} and inds["OC1-1"]["baseline"] == {"period": "2024", "value": 35},
        f"a percentage: as people write it: {inds['OC1-1']}")
    check(inds["OC1-2"]["baseline"] == {"pending": True, "note": "TBC"}, "TBC is a pending baseline")
    check(inds["OP1-1"]["measure"] == "unit" and inds["OP1-1"]["unit"] == "water points",
          "a count with its unit")
    check(inds["OP2-2"]["measure"] == "qualitative"
          and inds["OP2-2"]["targets"]["2026"] == "Committees fund spare parts from fees",
          "texts make a qualitative indicator")
    check(inds["OP1-1"]["verification"] == "Engineer's completion certificates",
          "the means of verification")
    # It reports once results are entered.
    os.makedirs(os.path.join(tmp, "water", "data"))
    sheet("water/data/results.csv", "indicator,period,value,text,comment,source\n"
          "OP1-1,2025,12,,Two rigs broke down,Certificates\n")
    p = run("report", out, "--format", "json")
    check(p.returncode == 0, f"tocm report on the imported model: {p.stderr}")
    if p.returncode == 0:
        rep = json.loads(p.stdout)
        cell = [c for i in rep["indicators"] if i["id"] == "OP1-1" for c in i["cells"]
                if c["period"] == "2025" and not c["dims"]][0]
        check(cell["value"] == 12 and cell["target"] == 15, f"the figure against its target: {cell}")

    # The same sheet with BOM and CRLF line ends, as Excel saves it.
    crlf = sheet("crlf.csv", open(template, encoding="utf-8").read().replace("\n", "\r\n"))
    with open(crlf, "rb") as f:
        data = f.read()
    with open(crlf, "wb") as f:
        f.write(b"\xef\xbb\xbf" + data)
    out2 = os.path.join(tmp, "water", "crlf.json")
    p = run("import", "logframe", crlf, "-o", out2, "--id", "water-kh", "--title", "Rural water supply")
    check(p.returncode == 0 and open(out2).read() == open(out).read(),
          f"a BOM and CRLF line ends give the same model: {p.stderr}")

    # A sheet with a problem on many rows: every one listed, nothing written.
    bad = sheet("bad.csv", HEADER +
                ",,,,An indicator before any result,,1,2,3,,\n"            # 2
                "Goal,G,The goal,,,,,,,,\n"                                  # 3
                "Outcome,O1,,G,,,,,,,\n"                                     # 4 no title
                "Outcome,O2,Second,G,Share,%,10%,about half,60%,,\n"        # 5 text among numbers
                "Outcome,O2,Again,G,,,,,,,\n"                                # 6 duplicate id
                "Output,P1,Work,O9,,,,,,,\n"                                 # 7 unknown parent
                "Output,P2,Short row,O2\n"                                   # 8 wrong width
                ",,,,,,,,,Stray source,\n"                                   # 9 values, no result
                "Goal,P3,Points down,P1,,,,,,,\n")                           # 10 link not upwards
    out3 = os.path.join(tmp, "bad.json")
    p = run("import", "logframe", bad, "-o", out3)
    lines = p.stderr.splitlines()
    check(p.returncode == 1 and not os.path.exists(out3), f"a bad sheet: exit 1, nothing written: {p.returncode}")
    want = {2: "an indicator with no result above it", 4: "has no title", 5: "'about half' is not a number",
            6: "id 'O2' is already used on line 5", 7: "parent 'O9' is not the id",
            8: "this row has 4 fields, the header 11", 9: "values but no result"}
    for line, text in want.items():
        check(any(l.startswith(f"{bad}:{line}:") and text in l for l in lines),
              f"line {line} reported: {text}")
    check(lines[-1].endswith("nothing written"), f"the summary says nothing was written: {lines[-1]}")
    bad2 = sheet("bad2.csv", HEADER + "Goal,G,The goal,,,,,,,,\nOutput,P1,Work,G,,,,,,,\n"
                 "Goal,P3,Points down,P1,,,,,,,\n")
    p = run("import", "logframe", bad2)
    check(p.returncode == 1 and any(l.startswith(f"{bad2}:4:") and "E105" in l for l in p.stderr.splitlines()),
          f"the model's own rules, at the row's line: {p.stderr.strip()}")

    # Malformed files: one clear error each, with its line.
    cases = {
        "unclosed.csv": (HEADER + 'Goal,G,"The goal,,,,,,,,\n', 2, "never closed"),
        "stray.csv": (HEADER + 'Goal,G,The "goal",,,,,,,,\n', 2, "quote inside an unquoted field"),
        "after.csv": (HEADER + 'Goal,G,"The goal"x,,,,,,,,\n', 2, "text after a closing quote"),
        "nul.csv": (HEADER + "Goal,G,The\0goal,,,,,,,,\n", 2, "NUL byte"),
        "latin1.csv": (HEADER.encode() + "Goal,G,Caf\xe9,,,,,,,,\n".encode("latin-1"), 2, "not UTF-8"),
        "empty.csv": ("", 1, "the sheet is empty"),
        "noheader.csv": ("Tier,Code,Statement\nGoal,G,The goal\n", 1, "no 'title' column"),
    }
    for name, (text, line, message) in cases.items():
        path = sheet(name, text, "wb" if isinstance(text, bytes) else "w")
        p = run("import", "logframe", path)
        errs = [l for l in p.stderr.splitlines() if ": error:" in l]
        check(p.returncode == 1 and p.stdout == "" and errs
              and errs[0].startswith(f"{path}:{line}:") and message in errs[0],
              f"{name}: {message} at line {line}: {p.stderr.strip()}")

    # Other headers, named with --column.
    other = sheet("other.csv", "Tier,Code,Statement,Feeds into,KPI,Base,Milestone 1\n"
                  "Goal,G,The goal,,,,\nOutcome,O1,An outcome,G,People reached,0,\"1,200\"\n")
    p = run("import", "logframe", other, "--column", "level=Tier", "--column", "id=code",
            "--column", "title=Statement", "--column", "parent=Feeds into",
            "--column", "indicator=KPI", "--column", "baseline=Base", "--column", "target:2025=Milestone 1")
    check(p.returncode == 0, f"--column maps other headers: {p.stderr}")
    if p.returncode == 0:
        m = json.loads(p.stdout)
        check(m["indicators"][0]["targets"] == {"2025": 1200}, f"'1,200' is 1200 for 2025: {m['indicators'][0]}")
    p = run("import", "logframe", other, "--column", "colour=Tier")
    check(p.returncode == 1 and "no field 'colour'" in p.stderr, f"an unknown field: {p.stderr.strip()}")

    # An existing output is kept unless --force.
    keep = sheet("keep.json", "mine\n")
    p = run("import", "logframe", template, "-o", keep)
    check(p.returncode == 2 and open(keep).read() == "mine\n", f"-o an existing file: refused: {p.stderr.strip()}")
    p = run("import", "logframe", template, "-o", keep, "--force")
    check(p.returncode == 0 and json.load(open(keep))["tocm"] == 1, "with --force it is replaced")
    p = run("import", "xlsx", template)
    check(p.returncode == 2 and "no importer 'xlsx'" in p.stderr, f"an unknown importer: {p.stderr.strip()}")

print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
