#!/usr/bin/env python3
"""The xlsx exporter, read back with openpyxl (a reader nobody here wrote).

Usage: test_xlsx.py TOCM SOURCE_DIR
Writes workbooks for the worked example and the bundled model and checks the
sheet names, headers, values and formats a spreadsheet user sees.
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import openpyxl
except ImportError:
    sys.exit("test_xlsx: python3-openpyxl is missing (bash .ci/setup installs it)")

TOCM, SRC = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def export(model, out, *extra):
    p = subprocess.run([TOCM, "export", model, "-T", "xlsx", "-o", out, *extra],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"export {model}: exit {p.returncode}: {p.stderr.strip()}")
    return p


with tempfile.TemporaryDirectory() as tmp:
    example = os.path.join(SRC, "examples", "iptt", "model.json")
    out = os.path.join(tmp, "example.xlsx")
    export(example, out)
    wb = openpyxl.load_workbook(out)
    check(wb.sheetnames[:2] == ["Framework", "Indicators"], f"sheet names {wb.sheetnames}")

    fw = wb["Framework"]
    header = [c.value for c in fw[1]]
    check(header == ["ID", "Level", "Title", "Contributes to", "Country", "Partners", "Status",
                     "Assumptions", "Inferred"], f"Framework header {header}")
    check(fw.freeze_panes == "B2", f"Framework frozen at {fw.freeze_panes}, not B2")
    check(fw["A1"].font.b, "Framework header is not bold")
    check(fw["A1"].fill.fgColor.rgb.endswith("D9D9D9"), "Framework header has no fill")
    check(fw.auto_filter.ref == "A1:I13", f"Framework filter {fw.auto_filter.ref}")
    rows = {r[0].value: [c.value for c in r] for r in fw.iter_rows(min_row=2)}
    check(len(rows) == 12, f"Framework has {len(rows)} nodes, not 12")
    check(rows["O1.1"][1] == "Intermediate outcome", f"O1.1 level {rows['O1.1'][1]}")
    check(rows["O1.1"][3] == "EOPO1", f"O1.1 contributes to {rows['O1.1'][3]}")
    check(rows["O1.1"][7] == "Trained officers stay in post for at least two years; "
          "Courts schedule trafficking hearings without long backlogs",
          f"O1.1 assumptions {rows['O1.1'][7]}")
    check(rows["P2.2"][4] == "LA" and rows["P2.2"][5] == "Lao Women's Union"
          and rows["P2.2"][6] == "partly completed", f"P2.2 row {rows['P2.2']}")
    check(fw.column_dimensions["C"].width >= 40, "the Title column is narrow")

    ind = wb["Indicators"]
    ids = [r[0].value for r in ind.iter_rows(min_row=2)]
    check(ids == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4"], f"indicator ids {ids}")
    check(ind["C5"].value == "percentage", f"2.1 measure {ind['C5'].value}")

    # The bundled model: every node on the sheet.
    bundled = os.path.join(SRC, "models", "asean-act-2021", "model.json")
    out2 = os.path.join(tmp, "bundled.xlsx")
    export(bundled, out2)
    wb2 = openpyxl.load_workbook(out2)
    shown = [r[0].value for r in wb2["Framework"].iter_rows(min_row=2)]
    listed = subprocess.run([TOCM, "stats", bundled, "--json"], capture_output=True, text=True)
    count = json.loads(listed.stdout)["nodes"] if listed.returncode == 0 else -1
    check(len(shown) == count, f"bundled model: {len(shown)} rows for {count} nodes")

    # Standard output works too (a pipe), and gives a readable workbook.
    p = subprocess.run([TOCM, "export", example, "-T", "xlsx"], capture_output=True)
    check(p.returncode == 0 and p.stdout[:2] == b"PK", "xlsx on standard output is not a zip")

    # A file that cannot be written is an error, and nothing is left behind.
    p = subprocess.run([TOCM, "export", example, "-T", "xlsx", "-o",
                        os.path.join(tmp, "no", "such", "dir.xlsx")],
                       capture_output=True, text=True)
    check(p.returncode == 2, f"unwritable output: exit {p.returncode}")

if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
print("xlsx: all checks passed")
