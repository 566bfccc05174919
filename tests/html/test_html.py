#!/usr/bin/env python3
"""test_html.py -- `tocm report --format html`: the page for the worked
example (examples/iptt), the bundled model and a hostile copy of the
example, checked as markup (html5lib's strict HTML5 parser and xmllint
--html), as text (same input same bytes, the date option, escaping) and,
with --browser, in Debian's Chromium (browser_check.mjs): no console error,
no request, no script run, the expected tables and figures, a 1280 x 900
screenshot and an A4 PDF whose pages pdfinfo measures.

    test_html.py TOCM REPO [--browser] [--keep DIR]
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import html5lib

sys.path.insert(0, str(Path(__file__).parent))
import hostile  # noqa: E402

failures = 0


def check(name, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + name)
    if not ok:
        failures += 1
        if detail:
            print("     " + str(detail)[:2000])


def run(*args, ok=True):
    r = subprocess.run(args, capture_output=True)
    if ok and r.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))}: exit {r.returncode}\n{r.stderr.decode()}")
    return r


def report(tocm, model, out, *options):
    return run(tocm, "report", model, "--format", "html", "-o", out, *options)


def parse_strict(data):
    """The HTML5 parse errors html5lib finds (none is the goal)."""
    p = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    doc = p.parse(data)
    return doc, [html5lib.constants.E.get(e[1], e[1]) % (e[2] or {}) for e in p.errors]


def xmllint_errors(path):
    """xmllint --html speaks HTML 4: it does not know HTML5's elements
    (header, main, section ...). Every other complaint counts."""
    r = run("xmllint", "--html", "--noout", path, ok=False)
    found = re.findall(r"^\S+:\d+: HTML parser error : (.*)$",
                       r.stderr.decode("utf-8", "replace"), re.M)
    return [e for e in found if not re.fullmatch(r"Tag \w+ invalid", e)]


def markup_checks(name, path):
    data = Path(path).read_bytes()
    doc, errors = parse_strict(data)
    check(f"{name}: HTML5 parse without errors", not errors, errors[:5])
    check(f"{name}: xmllint --html without errors", not xmllint_errors(path),
          xmllint_errors(path)[:5])
    scripts = doc.findall(".//script")
    check(f"{name}: no <script> element", not scripts, len(scripts))
    styles = doc.findall(".//style")
    check(f"{name}: one <style> element", len(styles) == 1, len(styles))
    handlers = [(e.tag, k) for e in doc.iter() if isinstance(e.tag, str)
                for k in e.attrib if k.lower().startswith("on")]
    check(f"{name}: no on* attribute", not handlers, handlers[:5])
    links = [v for e in doc.iter() if isinstance(e.tag, str)
             for k, v in e.attrib.items() if k.endswith("href")]
    bad = [v for v in links if not v.startswith("#")]
    check(f"{name}: every link is within the page", not bad, bad[:5])
    csp = [e.get("content") for e in doc.iter("meta") if e.get("http-equiv") ==
           "Content-Security-Policy"]
    check(f"{name}: CSP forbids scripts and loads",
          len(csp) == 1 and "default-src 'none'" in csp[0] and "script-src" not in csp[0], csp)
    ids = [e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id")]
    check(f"{name}: ids are unique", len(ids) == len(set(ids)),
          sorted({i for i in ids if ids.count(i) > 1})[:5])
    missing = sorted({v[1:] for v in links if v.startswith("#") and len(v) > 1} - set(ids))
    check(f"{name}: every #link has its target", not missing, missing[:5])
    return doc


def luminance(hex_colour):
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    rgb = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def contrast(a, b):
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def contrast_checks(doc):
    """WCAG AA: the page's text colours against their backgrounds, 4.5:1."""
    css = "".join(e.text or "" for e in doc.iter("style"))
    var = dict(re.findall(r"--([\w-]+):(#[0-9a-fA-F]{3,6})", css))
    pairs = [("ink", "bg"), ("muted", "bg"), ("ok", "ok-bg"), ("track", "track-bg"),
             ("off", "off-bg"), ("none", "none-bg"), ("bar", "bg"), ("accent", "bg")]
    low = [(a, b, round(contrast(var[a], var[b]), 2)) for a, b in pairs
           if contrast(var[a], var[b]) < 4.5]
    check("text colours meet WCAG AA (4.5:1)", len(var) >= 14 and not low, low or var)


def text_of(doc):
    return "".join(doc.itertext())


def main():
    args = sys.argv[1:]
    browser = "--browser" in args
    keep = args[args.index("--keep") + 1] if "--keep" in args else None
    args = [a for a in args if a not in ("--browser", "--keep", keep)]
    tocm, repo = Path(args[0]).resolve(), Path(args[1]).resolve()
    if browser and not (repo / "tests/browser/node_modules/playwright-core").is_dir():
        print("skip: playwright-core is not installed (run `npm ci` in tests/browser, as "
              ".ci/setup does)")
        return 77
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="tocm-html-"))
    work.mkdir(parents=True, exist_ok=True)

    iptt = repo / "examples/iptt/model.json"
    asean = repo / "models/asean-act-2021/model.json"
    pages = {"iptt": work / "iptt.html", "asean": work / "asean.html",
             "hostile": work / "hostile.html"}
    report(tocm, iptt, pages["iptt"])
    report(tocm, asean, pages["asean"])
    bad = hostile.make(repo, work / "hostile-model")
    report(tocm, bad, pages["hostile"])

    # Same input, same bytes; a date only when asked for.
    again = work / "again.html"
    report(tocm, iptt, again)
    check("same input gives the same bytes", again.read_bytes() == pages["iptt"].read_bytes())
    dated = work / "dated.html"
    report(tocm, iptt, dated, "--option", "date=2026-04-15")
    check("--option date=... puts the date in the header",
          b"2026-04-15" in dated.read_bytes() and b"2026-04-15" not in pages["iptt"].read_bytes())
    r = run(tocm, "report", iptt, "--format", "html", "--option", "date=31/03/2026", ok=False)
    check("a malformed date is refused, naming the option",
          r.returncode == 2 and b"date" in r.stderr and not r.stdout, r.stderr)
    r = run(tocm, "export", iptt, "-T", "html", ok=False)
    check("tocm export -T html says to use tocm report",
          r.returncode == 2 and b"tocm report" in r.stderr, r.stderr)

    size = pages["asean"].stat().st_size
    print(f"     ASEAN-ACT report: {size} bytes")
    check("the ASEAN-ACT report is under 2 MB", size < 2_000_000, size)

    docs = {name: markup_checks(name, path) for name, path in pages.items()}

    contrast_checks(docs["iptt"])

    # The hostile page: every payload is there as text, intact, and Lao
    # and Vietnamese come through byte for byte.
    text = text_of(docs["hostile"])
    for payload in hostile.PAYLOADS[:6]:
        check(f"hostile: {payload[:30]!r} shown as text", payload in text)
    check("hostile: Lao text intact", hostile.LAO in text)
    check("hostile: Vietnamese text intact", hostile.VIETNAMESE in text)
    raw = pages["hostile"].read_text(encoding="utf-8")
    check("hostile: the stylesheet is never closed early", raw.count("</style>") == 1)
    check("hostile: bidi overrides isolated in <bdi>", "<bdi>\u202eRTL override" in raw)
    check("hostile: no bidi override outside <bdi> or escaped",
          all(seg.count("\u202e") == 0 for seg in re.split(r"<bdi>.*?</bdi>", raw)))

    # Charts and the chain: SVG with a title and a description each.
    for name in ("iptt", "asean"):
        svgs = list(docs[name].iter("{http://www.w3.org/2000/svg}svg"))
        titled = [s for s in svgs if s.find("{http://www.w3.org/2000/svg}title") is not None
                  and s.find("{http://www.w3.org/2000/svg}desc") is not None]
        check(f"{name}: every SVG has a <title> and a <desc>", svgs and len(titled) == len(svgs),
              (len(svgs), len(titled)))
        chain = docs[name].find(".//section[@id='chain']")
        check(f"{name}: the results chain section", chain is not None)

    # The bundled model: every indicator has its IPTT.
    expected = json.loads(run(tocm, "report", asean, "--format", "json").stdout)
    n = len(expected["indicators"])
    doc = docs["asean"]
    arts = [e for e in doc.iter("article") if "ind" in (e.get("class") or "").split()]
    check(f"asean: {n} indicators, each an article", len(arts) == n, len(arts))
    iptts = [e for e in doc.iter("table") if "iptt" in (e.get("class") or "")]
    check("asean: each with its IPTT table", len(iptts) == n, len(iptts))

    # A figure recorded as printed where the data has none: in its place,
    # with the dagger the page explains, in the IPTT and the breakdown.
    shown = work / "shown.html"
    report(tocm, repo / "tests/indicators/csv_cases/reported-shown-in-place/model.json", shown,
           "--as-of", "2026-06-30")
    sdoc = markup_checks("shown", shown)
    art = next(e for e in sdoc.iter("article") if e.get("id") == "ind-share")
    rows = [" | ".join(" ".join(text_of(c).split()) for c in tr if c.tag in ("td", "th"))
            for tr in art.iter("tr")]
    check("a printed figure is shown in place, marked, in the IPTT",
          any(r.startswith("2024 | Total | 50% | 48% \u2020 | 96%") and "As printed, not computed" in r
              for r in rows), rows)
    check("a printed breakdown the data has no column for has its row",
          any(r.startswith("all | KH | 51% \u2020") for r in rows), rows)
    check("the dagger is explained under the breakdown",
          "\u2020 as printed, not computed" in text_of(art))

    # A stock whose last period has no figure: its latest is the one before,
    # and says so.
    latest = work / "latest.html"
    report(tocm, repo / "tests/indicators/csv_cases/latest-last-period-missing/model.json",
           latest, "--as-of", "2026-06-30")
    ldoc = markup_checks("latest", latest)
    rows = [" | ".join(" ".join(text_of(c).split()) for c in tr if c.tag in ("td", "th"))
            for tr in ldoc.iter("tr")]
    check("the latest figure names its period", "Latest (2024) | Total | 10 | 9 | 90% |" in
          "\n".join(rows), rows)
    check("a breakdown's latest from another period says which", "KH | 3 | 5 | 6 | 6 (2025)" in
          "\n".join(rows), rows)

    # Nodes whose status is not a listed one are named, not only counted;
    # with one indicator, only its own projects.
    left = work / "left.html"
    report(tocm, repo / "tests/indicators/csv_cases/rollup-indicator-projects/model.json", left,
           "--indicator", "investigated")
    ltext = " ".join(text_of(markup_checks("left", left)).split())
    check("the nodes left out of the roll-up are named",
          "Left out of the counts, their status not one of status.node_statuses: "
          "P2 (\u2018delayed\u2019)" in ltext, ltext[-600:])
    check("an indicator's roll-up leaves other outcomes' projects out",
          "P4" not in ltext and "some delays" not in ltext, ltext[-600:])

    if browser:
        browser_checks(repo, work, pages, n)
    if not keep:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    print(f"{failures} failed" if failures else "all passed")
    return 1 if failures else 0


def pdf_pages(path):
    out = run("pdfinfo", "-l", "1000", path).stdout.decode()
    pages = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out, re.M)
    return pages, {(round(float(w)), round(float(h))) for w, h in sizes}


def browser_checks(repo, work, pages, asean_indicators):
    script = Path(__file__).parent / "browser_check.mjs"
    results = {}
    for name, path in pages.items():
        r = run("node", script, path, work, name, ok=False)
        if r.returncode != 0:
            check(f"{name}: Chromium opened the page", False, r.stderr.decode())
            continue
        res = results[name] = json.loads(r.stdout)
        check(f"{name}: no console error or warning", not res["console"], res["console"])
        check(f"{name}: no uncaught exception", not res["pageErrors"], res["pageErrors"])
        check(f"{name}: no network request", not res["requests"] and not res["failed"],
              res["requests"] + res["failed"])
        check(f"{name}: no script ran (marker global unset)", res["marker"] is False)
        dom = res["dom"]
        check(f"{name}: no script, no handler, no javascript: link",
              dom["scripts"] == 0 and dom["onHandlers"] == 0 and dom["javascriptLinks"] == 0, dom)
        check(f"{name}: every in-page link has a target", not dom["brokenLinks"],
              dom["brokenLinks"])
        check(f"{name}: each indicator has its IPTT", dom["indicators"] == dom["ipttTables"] > 0,
              dom)
        check(f"{name}: the results chain is drawn, its boxes links",
              dom["chainSvg"] and dom["chainLinks"] > 0, dom)
        if "jump" in res:
            j = res["jump"]
            check(f"{name}: a box of the chain, chosen with the keyboard, jumps to its result",
                  j["hash"] == j["href"] and j["href"].startswith("#node-"), j)
        check(f"{name}: every chart has a title, a description and a data table",
              dom["charts"] == dom["chartsWithTitleDesc"] == dom["chartDataTables"], dom)
        if "filter" in res:
            f = res["filter"]
            check(f"{name}: the country filter works from the keyboard",
                  f["checked"] == "f-c0" and f["after"] < f["before"], f)
        png = work / f"{name}.png"
        head = png.read_bytes()[:24]
        w, h = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        check(f"{name}: screenshot 1280 x 900", (w, h) == (1280, 900), (w, h))
        count, sizes = pdf_pages(work / f"{name}.pdf")
        print(f"     {name}.pdf: {count} A4 pages")
        check(f"{name}: the PDF is on A4 pages", count >= 1 and sizes == {(595, 842)}, sizes)
    if "asean" in results:
        dom = results["asean"]["dom"]
        check("asean: the DOM holds every indicator",
              dom["indicators"] == asean_indicators, dom["indicators"])
        check("asean: the sources table lists the model's tables", dom["sourcesRows"] > 0)
    if "iptt" in results:
        dom = results["iptt"]["dom"]
        check("iptt: seven indicators, the checks and the sources",
              dom["indicators"] == 7 and dom["sourcesRows"] == 7, dom)
        # By period and by country for each of the six with numbers (1.3 is
        # qualitative: no chart).
        check("iptt: twelve charts", dom["charts"] == 12, dom["charts"])
    # The checker itself: a page that does run a script is caught.
    canary = work / "canary.html"
    canary.write_text("<!DOCTYPE html><title>x</title><p>x<script>window.__tocm_pwned=1;"
                      "console.error('boom')</script>", encoding="utf-8")
    r = run("node", script, canary, work, "canary", ok=False)
    res = json.loads(r.stdout) if r.returncode == 0 else {}
    check("the browser check catches a script that runs", res.get("marker") is True and
          res.get("console"), res)


if __name__ == "__main__":
    sys.exit(main())
