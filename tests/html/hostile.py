"""hostile.py -- makes a copy of the worked example (examples/iptt) whose
every text a person types is hostile: markup, event handlers, javascript:
links, a closing </style>, bidi overrides, and Lao and Vietnamese text that
must come through intact. Used by test_html.py; run alone it writes the copy
into the folder it is given: python3 hostile.py REPO OUTDIR."""
import csv
import json
import shutil
import sys
from pathlib import Path

# Each payload, if it ran, would set window.__tocm_pwned.
SCRIPT = "<script>window.__tocm_pwned=1</script>"
PAYLOADS = [
    SCRIPT,
    '"onerror="window.__tocm_pwned=1" x="',
    "javascript:window.__tocm_pwned=1",
    "</style><script>window.__tocm_pwned=1</script><style>",
    "<img src=x onerror=window.__tocm_pwned=1>",
    "<svg onload=window.__tocm_pwned=1></svg>",
    "]]><!-- --> &amp; &lt;b&gt;",
    "\u202eRTL override\u202c and \u2067isolate",
]
LAO = "ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ"
VIETNAMESE = "Phụ nữ và trẻ em được hỗ trợ tái hòa nhập cộng đồng"


def hostile(i):
    return f"{PAYLOADS[i % len(PAYLOADS)]} {LAO if i % 2 else VIETNAMESE} #{i}"


def make(repo, out):
    repo, out = Path(repo), Path(out)
    shutil.copytree(repo / "examples/iptt", out, dirs_exist_ok=True)
    m = json.loads((out / "model.json").read_text(encoding="utf-8"))
    n = 0

    def nxt():
        nonlocal n
        n += 1
        return hostile(n)

    p = m["program"]
    p["title"] = SCRIPT + " " + LAO
    p["donor"] = nxt()
    p["implementer"] = nxt()
    p["source"] = nxt()
    # A node id with markup in it (ids may hold anything but controls).
    renamed = {}
    for node in m["nodes"]:
        node["title"] = nxt()
        node["description"] = nxt()
        if node.get("assumptions"):
            node["assumptions"] = [nxt(), nxt()]
        if node["id"] == "O1.1":
            renamed["O1.1"] = 'O1.1"><script>window.__tocm_pwned=1</script>'
    for node in m["nodes"]:
        node["id"] = renamed.get(node["id"], node["id"])
        node["contributes_to"] = [renamed.get(t, t) for t in node.get("contributes_to", [])]
    for ind in m["indicators"]:
        ind["title"] = nxt()
        ind["notes"] = nxt()
        ind["verification"] = nxt()
        if "unit" in ind:
            ind["unit"] = nxt()
        ind["nodes"] = [renamed.get(x, x) for x in ind.get("nodes", [])]
        for r in ind.get("reported", []):
            r["source"] = nxt()
        for t in ind.get("targets", {}).values():
            if isinstance(t, dict) and "label" in t:
                t["label"] = nxt()
    m["indicators"][0]["id"] = "1.1</style><script>window.__tocm_pwned=1</script>"
    for t in m["tables"].values():
        t["title"] = nxt()
        t["source"] = nxt()
    (out / "model.json").write_text(json.dumps(m, ensure_ascii=False, indent=1), encoding="utf-8")
    # Data: comments, sources and a breakdown value from the CSV files.
    path = out / "data/results_cases.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for i, r in enumerate(rows):
        r["comment"] = hostile(100 + i)
        r["source"] = hostile(200 + i)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    path = out / "data/reintegration.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for r in rows:
        if r["sex"] == "male":
            r["sex"] = '<b onmouseover="window.__tocm_pwned=1">m"ale</b>'
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return out / "model.json"


if __name__ == "__main__":
    print(make(sys.argv[1], sys.argv[2]))
