#!/usr/bin/env python3
"""check_rag.py -- `tocm render --color-by rag` against `tocm report`.

Usage: check_rag.py TOCM MODEL PERIOD SVG

SVG is `tocm render MODEL --color-by rag --period PERIOD` (the full view).
The expected status of every node is worked out here from the report's own
JSON (`tocm report MODEL --period PERIOD --format json`) and the model file,
with the rule models/FORMAT.md states, never from the plugin:

  - rated: an indicator achieved or on track, or a project status in the
    first two-fifths of the model's status vocabulary, is green; an
    indicator off track, or a project status in the last two-fifths, red;
    a project status in between amber; anything else is not rated;
  - a node the roll-up lists: nothing rated -> none; half or more of the
    rated red -> red; all green -> green; else amber;
  - any other node: its own status alone, rated the same way.

Each node of the SVG must carry the class rag-<status>, start its text with
the status's symbol and its id, and say how many indicators measure it (the
report's indicators whose nodes include it). Prints one line per mismatch
and exits 1 when there is any; prints the statuses it saw otherwise.
"""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

SYMBOL = {"none": "\u2013", "green": "\u2714", "amber": "\u25b2", "red": "\u2716"}
DEFAULT_VOCABULARY = ["completed", "partly completed", "some delays", "major delay", "on hold"]


def project_rating(vocabulary, status):
    if status not in vocabulary:
        return None
    n = len(vocabulary)
    band = max(1, round(2 * n / 5 + 1e-9))
    at = vocabulary.index(status)
    if at < band:
        return "green"
    if at >= n - band:
        return "red"
    return "amber"


def indicator_rating(status):
    if status in ("achieved", "on track"):
        return "green"
    if status == "off track":
        return "red"
    return None


def decide(ratings):
    rated = [r for r in ratings if r]
    if not rated:
        return "none"
    if 2 * rated.count("red") >= len(rated):
        return "red"
    if rated.count("green") == len(rated):
        return "green"
    return "amber"


def main():
    tocm, model_path, period, svg_path = sys.argv[1:5]
    report = json.loads(
        subprocess.run(
            [tocm, "report", model_path, "--period", period, "--format", "json"],
            check=True,
            capture_output=True,
        ).stdout
    )
    model = json.load(open(model_path, encoding="utf-8"))
    vocabulary = (model.get("status") or {}).get("node_statuses") or DEFAULT_VOCABULARY
    own = {n["id"]: n.get("status") for n in model["nodes"]}

    expected = {}
    for entry in report["rollup"]:
        ratings = []
        for status, count in entry["indicators"].items():
            ratings += [indicator_rating(status)] * count
        for status, count in entry["projects"].items():
            ratings += [project_rating(vocabulary, status)] * count
        expected[entry["node"]] = decide(ratings)
    for node, status in own.items():
        if node not in expected:
            expected[node] = decide([project_rating(vocabulary, status)] if status else [])
    measured = {}
    for ind in report["indicators"]:
        for node in ind["nodes"]:
            measured[node] = measured.get(node, 0) + 1

    ns = {"s": "http://www.w3.org/2000/svg"}
    problems, seen = [], {}
    for g in ET.parse(svg_path).getroot().iter("{http://www.w3.org/2000/svg}g"):
        classes = (g.get("class") or "").split()
        if "node" not in classes or g.get("id") not in expected:
            continue
        node = g.get("id")
        got = [c[4:] for c in classes if c.startswith("rag-")]
        text = " ".join(t.text or "" for t in g.iterfind(".//s:text", ns))
        want = expected[node]
        seen[want] = seen.get(want, 0) + 1
        if got != [want]:
            problems.append(f"{node}: drawn as {got}, the report gives {want}")
        if not text.startswith(f"{SYMBOL[want]} {node}"):
            problems.append(f"{node}: the text does not start with '{SYMBOL[want]} {node}': {text[:60]}")
        count = measured.get(node, 0)
        badge = f"{count} indicator{'' if count == 1 else 's'}"
        if count and badge not in text:
            problems.append(f"{node}: no '{badge}' in its text: {text[:80]}")
        if not count and "indicator" in text.split(" \u00b7 ")[0]:
            problems.append(f"{node}: a badge but no indicator measures it")
    if not seen:
        problems.append("no node of the SVG carries a status")
    for p in problems:
        print(p)
    if not problems:
        print(period, " ".join(f"{k}={v}" for k, v in sorted(seen.items())))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
