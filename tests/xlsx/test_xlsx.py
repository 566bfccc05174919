#!/usr/bin/env python3
"""The xlsx exporter, read back with openpyxl (a reader nobody here wrote).

Usage: test_xlsx.py TOCM SOURCE_DIR
Writes workbooks for the worked example and the bundled model, with `tocm
export -T xlsx` (the framework) and `tocm report --format xlsx` (the IPTT),
and checks what a spreadsheet user sees: sheet names, cell values against
the report's JSON, number formats, merged headers, frozen panes, fills,
notes, print setup, and the Matrix sheet against `tocm render --view matrix
-T csv` cell by cell.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import openpyxl
except ImportError:
    sys.exit("test_xlsx: python3-openpyxl is missing (bash .ci/setup installs it)")

TOCM, SRC = sys.argv[1], sys.argv[2]
failures = []
passed = 0


def check(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what)


def run(*args, binary=False):
    return subprocess.run([TOCM, *args], capture_output=True, text=not binary)


def export(model, out):
    p = run("export", model, "-T", "xlsx", "-o", out)
    check(p.returncode == 0, f"export {model}: exit {p.returncode}: {p.stderr.strip()}")
    return openpyxl.load_workbook(out)


def report_xlsx(model, out):
    p = run("report", model, "--format", "xlsx", "-o", out)
    # exit 1 is a report with failed checks or errors; the workbook is still written
    check(p.returncode in (0, 1) and os.path.exists(out),
          f"report {model} --format xlsx: exit {p.returncode}: {p.stderr.strip()}")
    return openpyxl.load_workbook(out)


def report_json(model):
    p = run("report", model, "--format", "json")
    return json.loads(p.stdout)


def dims_label(dims):
    if not dims:
        return "Total"
    return ", ".join(f"{k} {v}" for k, v in dims.items())


def near(a, b):
    return isinstance(a, (int, float)) and abs(a - b) <= 1e-9 * max(1, abs(b))


def header_columns(ws, row=4):
    """Header name -> column number: ('2024', 'Actual') for a column under a
    period (or other group) header, 'ID' for one whose header spans both
    header rows."""
    starts = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row == 3:
            for c in range(rng.min_col, rng.max_col + 1):
                starts[c] = (rng.min_col, rng.max_row)
    cols = {}
    for c in range(1, ws.max_column + 1):
        first, last_row = starts.get(c, (c, 3))
        top = ws.cell(3, first).value
        if top is None:
            continue
        if last_row == 4:
            cols[top] = c
        else:
            cols[(top, ws.cell(row, c).value)] = c
    return cols


def iptt_rows(ws):
    """(indicator id, breakdown label) -> row number; band rows left out."""
    cols = header_columns(ws)
    rows = {}
    for r in range(5, ws.max_row + 1):
        ind = ws.cell(r, cols["ID"]).value
        brk = ws.cell(r, cols["Breakdown"]).value
        if ind is not None and brk is not None:
            rows[(ind, brk)] = r
    return cols, rows


def bands(ws):
    """The chain's band rows: row number -> text."""
    return {rng.min_row: ws.cell(rng.min_row, 1).value for rng in ws.merged_cells.ranges
            if rng.min_row == rng.max_row and rng.min_row > 4 and rng.min_col == 1}


def check_against_report(ws, rep, name):
    """Every figure of the IPTT against the report's JSON: numbers equal,
    missing figures text (never 0), statuses as symbol + word with a fill."""
    cols, rows = iptt_rows(ws)
    seen = 0
    for ind in rep["indicators"]:
        pct = ind["measure"] == "percentage"
        for cell in ind["cells"]:
            key = (ind["id"], dims_label(cell["dims"]))
            if key not in rows:
                continue
            r = rows[key]
            period = cell["period"]
            if period == "total":
                col = cols.get(("Total to date", "Actual"))
            else:
                col = cols.get((period, "Actual"))
            if col is None:
                check(False, f"{name}: no Actual column for {period}")
                continue
            got = ws.cell(r, col)
            seen += 1
            if isinstance(cell.get("value"), (int, float)):
                check(near(got.value, cell["value"]),
                      f"{name} {key} {period}: {got.value!r} != {cell['value']!r}")
                dec = "." + "0" * ind["rounding"] if ind["rounding"] else ""
                want = "0" + dec + "%" if pct else "#,##0" + dec
                check(got.number_format == want,
                      f"{name} {key} {period}: format {got.number_format!r}, not {want!r}")
            elif cell.get("text"):
                check(got.value == cell["text"], f"{name} {key} {period}: text {got.value!r}")
            else:
                check(got.data_type == "s" and got.value in ("not reported", "not yet due"),
                      f"{name} {key} {period}: a missing figure shows {got.value!r}, not text")
                if cell.get("note"):
                    check(got.comment is not None and cell["note"] in got.comment.text,
                          f"{name} {key} {period}: the reason is not in the cell's note")
            if period != "total" and cell.get("status"):
                st = ws.cell(r, cols[(period, "Status")])
                check(isinstance(st.value, str) and st.value.endswith(cell["status"])
                      and not st.value[0].isalnum(),
                      f"{name} {key} {period}: status {st.value!r} for {cell['status']!r}")
                check(st.fill.fill_type == "solid", f"{name} {key} {period}: status has no fill")
            if period != "total" and isinstance(cell.get("percent_of_target"), (int, float)):
                pc = ws.cell(r, cols[(period, "% of target")])
                check(near(pc.value * 100, cell["percent_of_target"]) and pc.number_format == "0%",
                      f"{name} {key} {period}: % of target {pc.value!r} [{pc.number_format}]")
    return seen


def check_matrix(wb, model, name):
    p = run("render", model, "--view", "matrix", "-T", "csv")
    if p.returncode != 0 and "graphviz" in p.stderr.lower() + p.stdout.lower():
        print(f"note: {name}: no graphviz plugin, matrix not compared")
        return
    check(p.returncode == 0, f"{name}: render matrix csv: exit {p.returncode}: {p.stderr.strip()}")
    table = list(csv.reader(io.StringIO(p.stdout)))
    check("Matrix" in wb.sheetnames, f"{name}: no Matrix sheet")
    if "Matrix" not in wb.sheetnames:
        return
    ws = wb["Matrix"]
    outcomes = [ws.cell(4, c).value for c in range(4, ws.max_column + 1)]
    check(outcomes == table[0][3:], f"{name}: matrix columns {outcomes} != {table[0][3:]}")
    check(ws.freeze_panes == "D5", f"{name}: Matrix frozen at {ws.freeze_panes}")
    back = {"\u25cf": "cited", "\u25cb": "inferred"}
    got = []
    for r in range(5, ws.max_row + 1):
        if ws.cell(r, 2).value is None:  # a country row
            continue
        row = [ws.cell(r, 1).value or "", ws.cell(r, 2).value, ws.cell(r, 3).value or ""]
        for c in range(4, 4 + len(outcomes)):
            cell = ws.cell(r, c)
            if cell.value is None:
                row.append("")
            elif cell.value == "\u25c7":
                note = cell.comment.text if cell.comment else ""
                row.append("cluster " + note.split()[-1] if note else "cluster ?")
            else:
                row.append(back.get(cell.value, cell.value))
        got.append(row)
    check(got == table[1:], f"{name}: Matrix sheet differs from the matrix CSV "
          f"({len(got)} rows against {len(table) - 1})")
    for a, b in zip(got, table[1:]):
        if a != b:
            print("  first difference:", a, "\n  csv:             ", b)
            break
    # Rows grouped by country: a merged band row before each group.
    bands = [ws.cell(rng.min_row, 1).value for rng in ws.merged_cells.ranges
             if rng.min_row == rng.max_row and rng.min_row > 4]
    check(bands and bands[0].startswith("Regional"), f"{name}: country bands {bands[:3]}")
    check("cited" in (ws["A2"].value or ""), f"{name}: Matrix has no legend")


def check_sheet_names(wb, name):
    for s in wb.sheetnames:
        check(len(s) <= 31 and not any(ch in s for ch in "[]:*?/\\"),
              f"{name}: sheet name {s!r} is not valid in Excel")
    check(len({s.lower() for s in wb.sheetnames}) == len(wb.sheetnames),
          f"{name}: sheet names repeat")


def check_print(ws, name, rows):
    ps = ws.page_setup
    check(ps.orientation == "landscape" and str(ps.paperSize) == "9",
          f"{name}: print setup {ps.orientation} paper {ps.paperSize}")
    check(ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToHeight in (0, "0"),
          f"{name}: not fitted to one page wide")
    check(ws.print_title_rows == rows, f"{name}: repeated rows {ws.print_title_rows}")


with tempfile.TemporaryDirectory() as tmp:
    example = os.path.join(SRC, "examples", "iptt", "model.json")
    bundled = os.path.join(SRC, "models", "asean-act-2021", "model.json")

    # ---- tocm export: the framework sheets, no report ----
    wb = export(example, os.path.join(tmp, "example-export.xlsx"))
    check(wb.sheetnames == ["Framework", "Indicators", "Matrix"], f"export sheets {wb.sheetnames}")
    fw = wb["Framework"]
    header = [c.value for c in fw[1]]
    check(header == ["ID", "Level", "Title", "Contributes to", "Country", "Partners", "Status",
                     "Assumptions", "Inferred", "Indicators"], f"Framework header {header}")
    check(fw.freeze_panes == "B2", f"Framework frozen at {fw.freeze_panes}, not B2")
    check(fw["A1"].font.b, "Framework header is not bold")
    check(fw["A1"].fill.fgColor.rgb.endswith("D9D9D9"), "Framework header has no fill")
    check(fw.auto_filter.ref == "A1:J13", f"Framework filter {fw.auto_filter.ref}")
    rows = {r[0].value: [c.value for c in r] for r in fw.iter_rows(min_row=2)}
    check(len(rows) == 12, f"Framework has {len(rows)} nodes, not 12")
    check(rows["O1.1"][1] == "Intermediate outcome", f"O1.1 level {rows['O1.1'][1]}")
    check(rows["O1.1"][3] == "EOPO1", f"O1.1 contributes to {rows['O1.1'][3]}")
    check(rows["O1.1"][7] == "Trained officers stay in post for at least two years; "
          "Courts schedule trafficking hearings without long backlogs",
          f"O1.1 assumptions {rows['O1.1'][7]}")
    check(rows["O1.1"][9] == "1.1; 1.2", f"O1.1 indicators {rows['O1.1'][9]}")
    check(rows["P2.2"][4] == "LA" and rows["P2.2"][5] == "Lao Women's Union"
          and rows["P2.2"][6] == "partly completed", f"P2.2 row {rows['P2.2']}")
    check(fw.column_dimensions["C"].width >= 40, "the Title column is narrow")
    check_print(fw, "Framework", "$1:$1")
    ind = wb["Indicators"]
    ids = [r[0].value for r in ind.iter_rows(min_row=2)]
    check(ids == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4"], f"indicator ids {ids}")
    check(ind["C5"].value == "percentage", f"2.1 measure {ind['C5'].value}")
    check(ind["F6"].value == "lower", f"2.2 direction {ind['F6'].value}")
    check(ind["J6"].value and ind["J6"].value.startswith("A lower figure is better"),
          f"2.2 notes {ind['J6'].value!r}")
    check_matrix(wb, example, "example (export)")

    # ---- tocm report --format xlsx: the IPTT of the worked example ----
    rep = report_json(example)
    wb = report_xlsx(example, os.path.join(tmp, "example.xlsx"))
    check(wb.sheetnames == ["IPTT", "By country", "By sex", "By country \u00d7 sex", "Checks",
                            "Framework", "Indicators", "Matrix"], f"report sheets {wb.sheetnames}")
    check_sheet_names(wb, "example")
    ws = wb["IPTT"]
    check(ws["A1"].value.endswith("Indicator Performance Tracking Table") and ws["A1"].font.b,
          f"IPTT title {ws['A1'].value!r}")
    check(ws.freeze_panes == "B5", f"IPTT frozen at {ws.freeze_panes}, not B5 (headers and ID)")
    merged = {str(r) for r in ws.merged_cells.ranges}
    for rng, text in [("H3:K3", "2024"), ("L3:O3", "2025"), ("P3:S3", "2026"),
                      ("T3:U3", "Total to date"), ("A3:A4", "ID"), ("F3:F4", "Baseline"),
                      ("G3:G4", "Life-of-program target")]:
        check(rng in merged and ws[rng.split(":")[0]].value == text,
              f"IPTT merged header {rng} {text!r}: {ws[rng.split(':')[0]].value!r}")
    check([ws.cell(4, c).value for c in range(8, 12)] ==
          ["Target", "Actual", "% of target", "Status"], "IPTT period sub-headers")
    check_print(ws, "IPTT", "$1:$4")
    check(ws.column_dimensions["C"].width >= 30 and ws.column_dimensions["V"].width >= 40,
          "IPTT indicator and comment columns are narrow")
    cols, where = iptt_rows(ws)
    # Specific cells of the worked example.
    r = where[("1.1", "Total")]
    check(ws.cell(r, cols[("2024", "Actual")]).value == 288, "1.1 2024 actual")
    check(ws.cell(r, cols["Life-of-program target"]).value == 1000, "1.1 LoP target")
    t26 = ws.cell(r, cols[("2026", "Target")])
    check(t26.value == 1000 and t26.comment and "End of program" in t26.comment.text
          and "2026-12-31" in t26.comment.text, "1.1 2026 target and its milestone note")
    st = ws.cell(r, cols[("2024", "Status")])
    check(st.value == "\u2192 on track" and st.fill.fgColor.rgb.endswith("E2EFDA"),
          f"1.1 2024 status {st.value!r} {st.fill.fgColor.rgb}")
    check(ws.cell(r, cols["Unit"]).value == "people, cumulative", "1.1 unit")
    check("2025: The second prosecutor course" in ws.cell(r, cols["Comments"]).value,
          "1.1 comment of 2025")
    na = ws.cell(r, cols[("2026", "Actual")])
    # The example reports as of 2026-03-31: 2026 is not yet due.
    check(na.value == "not yet due" and na.data_type == "s", f"1.1 2026 actual {na.value!r}")
    r = where[("1.2", "country LA")]
    na = ws.cell(r, cols[("2025", "Actual")])
    check(na.value == "not reported" and na.comment and "Not yet received" in na.comment.text,
          "1.2 LA 2025: not reported, with the team's reason")
    check(ws.cell(r, cols["Baseline"]).value == 8, "1.2 LA baseline by breakdown")
    check(ws.cell(r, cols[("2024", "Status")]).value == "\u2717 off track", "1.2 LA 2024 status")
    r = where[("2.1", "Total")]
    b = ws.cell(r, cols["Baseline"])
    check(b.value == "to be confirmed" and b.comment and "cancelled" in b.comment.text,
          f"2.1 pending baseline {b.value!r}")
    check(ws.cell(r, cols[("2026", "Target")]).value == "pending", "2.1 pending 2026 target")
    r = where[("2.3", "Total")]
    b = ws.cell(r, cols["Baseline"])
    check(near(b.value, 0.38) and b.number_format == "0%", f"2.3 baseline {b.value} {b.number_format}")
    lop = ws.cell(r, cols["Life-of-program target"])
    check(near(lop.value, 0.65) and lop.number_format == "0%", f"2.3 LoP {lop.value}")
    r = where[("2.2", "Total")]
    check(ws.cell(r, cols[("2024", "Actual")]).number_format == "#,##0.0", "2.2 one decimal")
    check("lower is better" in ws.cell(r, cols["Unit"]).value, "2.2 direction shown")
    r = where[("1.3", "Total")]
    check(ws.cell(r, cols[("2025", "Actual")]).value ==
          "SOP signed by both ministries on 12 May 2025", "1.3 qualitative actual")
    check(ws.cell(r, cols[("2025", "Status")]).value == "\u2713 achieved", "1.3 assessed status")
    # Grouped along the results chain when the report has one.
    bs_ = bands(ws)
    if rep.get("chain"):
        first = rep["chain"][0]
        check(min(bs_) == 5 and bs_[5].startswith(first["node"]), f"IPTT first band {bs_.get(5)!r}")
        home = [e for e in rep["chain"] if "1.1" in e["indicators"]][0]["node"]
        above = max(b for b in bs_ if b < where[("1.1", "Total")])
        check(bs_[above].startswith(home), f"1.1 under {bs_[above]!r}, not {home}")
        check(len(bs_) >= len(rep["chain"]), f"IPTT: {len(bs_)} bands for {len(rep['chain'])}")
    else:
        check(not bs_, f"IPTT bands without a chain: {bs_}")
    seen = check_against_report(ws, rep, "example IPTT")
    check(seen >= 40, f"example IPTT: only {seen} figures compared")
    # Breakdowns without a plan stay off the IPTT but are on their sheet.
    check(("2.2", "country KH") not in where, "2.2 KH (no plan) on the IPTT")
    bc = wb["By country"]
    bcols = header_columns(bc)
    check(bc["D4"].value == "country" and bc.freeze_panes == "B5", "By country header")
    found = [r for r in range(5, bc.max_row + 1)
             if bc.cell(r, 1).value == "2.2" and bc.cell(r, 4).value == "KH"]
    check(len(found) == 1 and near(bc.cell(found[0], bcols[("2025", "Actual")]).value, 14.25),
          "By country: 2.2 KH 2025")
    bs = wb["By country \u00d7 sex"]
    check(bs["D4"].value == "country" and bs["E4"].value == "sex", "By country x sex header")
    ck = wb["Checks"]
    check(ck["G4"].value == "\u2713 matches" and ck["E4"].value == 288, "Checks: 1.1 2024")
    r = [r for r in range(4, ck.max_row + 1) if ck.cell(r, 1).value == "2.1"]
    check(r and near(ck.cell(r[0], 5).value, 0.64) and ck.cell(r[0], 5).number_format == "0%",
          "Checks: a printed percentage as a percentage")
    roll = [r for r in range(4, ck.max_row + 1) if ck.cell(r, 1).value == "EOPO1"]
    check(len(roll) == 1, "Checks: roll-up row of EOPO1")
    check_matrix(wb, example, "example")

    # ---- the bundled model ----
    rep = report_json(bundled)
    wb = report_xlsx(bundled, os.path.join(tmp, "bundled.xlsx"))
    check_sheet_names(wb, "bundled")
    for s in ["IPTT", "By country", "By event", "By area", "By event \u00d7 sex", "Checks",
              "Framework", "Indicators", "Matrix"]:
        check(s in wb.sheetnames, f"bundled: no sheet {s!r} in {wb.sheetnames}")
    ws = wb["IPTT"]
    cols, where = iptt_rows(ws)
    check(len([k for k in where if k[1] == "Total"]) == len(rep["indicators"]),
          "bundled: one IPTT block per indicator")
    r = where[("T3.women_share", "Total")]
    v = ws.cell(r, cols[("2021", "Actual")])
    check(near(v.value, 4646 / 8562) and v.number_format == "0%", f"bundled T3 share {v.value}")
    check("\u2713 the printed figure matches" in ws.cell(r, cols["Comments"]).value,
          "bundled T3: the check beside the cell")
    # No plan in the model: no empty target, % and status columns.
    planned = any("target" in c or "status" in c for i in rep["indicators"] for c in i["cells"])
    check(planned or (("2021", "Target") not in cols and "Baseline" not in cols
                      and ("2021", "Actual") in cols),
          f"bundled: columns without a plan {sorted(map(str, cols))[:12]}")
    seen = check_against_report(ws, rep, "bundled IPTT")
    check(seen >= len(rep["indicators"]), f"bundled IPTT: only {seen} figures compared")
    ck = wb["Checks"]
    differs = [r for r in range(4, ck.max_row + 1) if ck.cell(r, 7).value == "\u2717 differs"]
    check(len(differs) == len(rep["checks"]) == 5 and differs[0] == 4,
          f"bundled: {len(differs)} differences listed first")
    sg = [r for r in differs if ck.cell(r, 1).value == "T3.women_share"]
    check(sg and near(ck.cell(sg[0], 5).value, 0.54) and ck.cell(sg[0], 4).value == "country SG"
          and "55%" in ck.cell(sg[0], 8).value, "bundled: the Singapore share check")
    shown = [r[0].value for r in wb["Framework"].iter_rows(min_row=2)]
    listed = run("stats", bundled, "--json")
    count = json.loads(listed.stdout)["nodes"] if listed.returncode == 0 else -1
    check(len(shown) == count, f"bundled model: {len(shown)} rows for {count} nodes")
    check_matrix(wb, bundled, "bundled")

    # ---- hostile text: formulas stay text; awkward breakdown names ----
    copy = os.path.join(tmp, "hostile")
    shutil.copytree(os.path.join(SRC, "examples", "iptt"), copy)
    model = json.load(open(os.path.join(copy, "model.json")))
    model["nodes"][0]["title"] = "=HYPERLINK(\"http://example.invalid\",\"click\")"
    odd = "admin area: province/district [level 2]*?"
    for i in model["indicators"]:
        if i["id"] == "2.2":
            i["title"] = "+1+2"
            i["disaggregate"] = [odd]
    cols_ = model["tables"]["referrals"]["columns"]
    model["tables"]["referrals"]["columns"] = {(odd if k == "country" else k): v
                                              for k, v in cols_.items()}
    json.dump(model, open(os.path.join(copy, "model.json"), "w"), indent=1)
    path = os.path.join(copy, "data", "referrals.csv")
    lines = open(path).read().split("\n")
    lines[0] = ",".join(f'"{odd}"' if h == "country" else h for h in lines[0].split(","))
    open(path, "w").write("\n".join(lines))
    wb = report_xlsx(os.path.join(copy, "model.json"), os.path.join(tmp, "hostile.xlsx"))
    check_sheet_names(wb, "hostile")
    odd_sheets = [s for s in wb.sheetnames if s.startswith("By admin")]
    check(len(odd_sheets) == 1 and len(odd_sheets[0]) == 31, f"hostile sheet names {wb.sheetnames}")
    fw = wb["Framework"]
    c = fw["C2"]
    check(c.data_type == "s" and c.value.startswith("=HYPERLINK"),
          f"a formula-like title is not text: {c.data_type} {c.value!r}")
    ws = wb["IPTT"]
    cols, where = iptt_rows(ws)
    c = ws.cell(where[("2.2", "Total")], cols["Indicator"])
    check(c.data_type == "s" and c.value == "+1+2", f"'+1+2' title: {c.data_type} {c.value!r}")

    # A figure the model records as printed where the data has none: the
    # number in its place (not "not reported"), marked by a note and in the
    # comments; the same cell the JSON marks "origin": "reported".
    shown = os.path.join(SRC, "tests", "indicators", "csv_cases", "reported-shown-in-place",
                         "model.json")
    rep = report_json(shown)
    marked = [(i["id"], c["period"], dims_label(c["dims"])) for i in rep["indicators"]
              for c in i["cells"] if c.get("origin") == "reported"]
    check(marked == [("share", "2024", "Total"), ("share", "2024", "country KH"),
                     ("people", "2024", "country LA")], f"cells shown as printed: {marked}")
    wb = report_xlsx(shown, os.path.join(tmp, "shown.xlsx"))
    ws = wb["IPTT"]
    cols, where = iptt_rows(ws)
    got = ws.cell(where[("share", "Total")], cols[("2024", "Actual")])
    check(near(got.value, 0.48) and got.number_format == "0%" and got.comment
          and "As printed (IATI actual), not computed" in got.comment.text,
          f"share 2024 shown as printed: {got.value!r} {got.comment and got.comment.text!r}")
    check("2024: as printed, not computed" in (ws.cell(where[("share", "Total")],
                                                        cols["Comments"]).value or ""),
          "share 2024: the comments say the figure is as printed")

    # A stock whose last period has no figure: the total is the latest
    # figure there is, its period in the cell's note.
    stock = os.path.join(SRC, "tests", "indicators", "csv_cases", "latest-last-period-missing",
                         "model.json")
    wb = report_xlsx(stock, os.path.join(tmp, "stock.xlsx"))
    ws = wb["IPTT"]
    cols, where = iptt_rows(ws)
    got = ws.cell(where[("shelters", "Total")], cols[("Total to date", "Actual")])
    check(got.value == 9 and got.comment and "The latest figure: 2024." in got.comment.text,
          f"shelters latest: {got.value!r} {got.comment and got.comment.text!r}")

    # The roll-up names the nodes whose status is not a listed one (W206).
    left = os.path.join(SRC, "tests", "indicators", "csv_cases", "rollup-left-out-csv",
                        "model.json")
    wb = report_xlsx(left, os.path.join(tmp, "left.xlsx"))
    ws = wb["Checks"]
    named = [[c.value for c in row] for row in ws.iter_rows()
             if any(isinstance(c.value, str) and "P2 ('delayed')" in c.value for c in row)]
    check([r[0] for r in named] == ["G", "O1"] and "P4 ('Completed ')" in str(named[0]),
          f"Checks sheet: the nodes left out of the roll-up, by id: {named}")

    # Standard output works too (a pipe), and gives a readable workbook.
    p = run("export", example, "-T", "xlsx", binary=True)
    check(p.returncode == 0 and p.stdout[:2] == b"PK", "xlsx on standard output is not a zip")
    p = run("report", example, "--format", "xlsx", binary=True)
    check(p.returncode == 0 and p.stdout[:2] == b"PK", "report xlsx on standard output")

    # A file that cannot be written is an error, and nothing is left behind.
    p = run("export", example, "-T", "xlsx", "-o", os.path.join(tmp, "no", "such", "dir.xlsx"))
    check(p.returncode == 2, f"unwritable output: exit {p.returncode}")

print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
