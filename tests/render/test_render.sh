#!/usr/bin/env bash
# test_render.sh -- `tocm render` end to end (issue 4).
#
# Usage: test_render.sh TOCM SOURCE_DIR
#
#   - the graphviz exporter is listed with svg, png, pdf and dot;
#   - every view of the bundled model renders in svg, png, pdf and dot: the
#     SVG passes xmllint --noout, the PNG and PDF have their signatures;
#   - two runs give byte-identical DOT and SVG;
#   - the hostile fixture renders; in its SVG every node's text, tooltip and
#     id are the model's, verbatim;
#   - SVG nodes carry their id and their description as the tooltip;
#   - a view above the size limit lists the narrower views and writes
#     nothing; --force renders it;
#   - bad views, options and formats are usage errors (exit 2).
set -uo pipefail

tocm=$1
src=$2
model=$src/models/asean-act-2021/model.json
hostile=$src/tests/render/fixtures/hostile.json
. "$src/tests/lib.sh"

# ---- the plugin is there ------------------------------------------------------
expect_status 0 "$tocm" plugins
for f in svg png pdf dot; do
  grep -q "exporter   graphviz .*formats:.* $f" "$work/out" || fail "tocm plugins does not list $f"
done
grep -q "formats: svg png pdf dot " "$work/out" || fail "the main formats are not listed first"
# tocm's own json exporter keeps "json": graphviz does not claim it.
grep -q "exporter   json .*formats: json" "$work/out" || fail "the json exporter lost json"

# ---- every view, every main format ----------------------------------------------
views=(full mapping node:O2.1 country:KH)
for view in "${views[@]}"; do
  name=${view//:/_}
  for f in svg png pdf dot; do
    out=$work/$name.$f
    expect_status 0 "$tocm" render "$model" --view "$view" -T "$f" -o "$out"
    [[ -s $out ]] || { fail "$view $f: empty output"; continue; }
    case $f in
    svg) xmllint --noout "$out" || fail "$view: the SVG is not well-formed XML" ;;
    png) [[ $(head -c 8 "$out" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
      fail "$view: not a PNG" ;;
    pdf) [[ $(head -c 5 "$out") == %PDF- ]] || fail "$view: not a PDF" ;;
    dot) head -1 "$out" | grep -q '^digraph "asean-act" {' || fail "$view: not DOT" ;;
    esac
  done
  # Deterministic: the same bytes again.
  for f in svg dot; do
    expect_status 0 "$tocm" render "$model" --view "$view" -T "$f" -o "$work/again.$f"
    cmp -s "$work/$name.$f" "$work/again.$f" || fail "$view $f differs between two runs"
  done
done

# The default format is SVG, on standard output.
expect_status 0 "$tocm" render "$model" --view country:LA
head -c 200 "$work/out" | grep -q '<?xml' || fail "the default output is not SVG"
cmp -s <("$tocm" render "$model") "$work/full.svg" || fail "the default view is not full"

# The other options render too; `tocm export` passes the same options.
for args in "--color-by status" "--color-by country" "--direction LR" "--direction BT" \
  "--view mapping --direction TB" "--option wrap=20"; do
  # shellcheck disable=SC2086
  expect_status 0 "$tocm" render "$model" $args -o "$work/opt.svg"
  xmllint --noout "$work/opt.svg" || fail "$args: the SVG is not well-formed"
done
expect_status 0 "$tocm" export "$model" -T svg --option view=country:KH -o "$work/export.svg"
cmp -s "$work/export.svg" "$work/country_KH.svg" || fail "export -T svg differs from render"
# Formats beyond the main four, from the installed gvc.
expect_status 0 "$tocm" render "$model" --view country:KH -T canon -o "$work/kh.canon"
grep -q 'C202' "$work/kh.canon" || fail "canon lacks C202"
grep -q 'pos=' "$work/kh.canon" && fail "canon carries a layout"

# SVG nodes: the id as the element id, the description as the tooltip.
python3 - "$model" "$work/full.svg" <<'EOF' || fail "SVG ids and tooltips"
import json, sys, xml.etree.ElementTree as ET
model, svg = sys.argv[1:]
ns = {"s": "http://www.w3.org/2000/svg", "x": "http://www.w3.org/1999/xlink"}
nodes = {n["id"]: n for n in json.load(open(model, encoding="utf-8"))["nodes"]}
tree = ET.parse(svg)
seen = 0
for g in tree.iter("{http://www.w3.org/2000/svg}g"):
    if "node" not in g.get("class", "").split() or g.get("id") not in nodes:
        continue
    n = nodes[g.get("id")]
    a = g.find(".//s:a", ns)
    tip = a.get("{http://www.w3.org/1999/xlink}title")
    want = n.get("description", n["title"])
    assert tip == want, (n["id"], tip, want)
    seen += 1
assert seen == len(nodes), (seen, len(nodes))
EOF

# ---- hostile titles ---------------------------------------------------------------
for f in svg png pdf dot; do
  expect_status 0 "$tocm" render "$hostile" -T "$f" -o "$work/hostile.$f"
  [[ -s $work/hostile.$f ]] || fail "hostile $f: empty"
done
xmllint --noout "$work/hostile.svg" || fail "the hostile SVG is not well-formed XML"
python3 - "$hostile" "$work/hostile.svg" <<'EOF' || fail "hostile titles are not verbatim in the SVG"
import json, re, sys, xml.etree.ElementTree as ET
model, svg = sys.argv[1:]
m = json.load(open(model, encoding="utf-8"))
nodes = {n["id"]: n for n in m["nodes"]}
S = "{http://www.w3.org/2000/svg}"
X = "{http://www.w3.org/1999/xlink}"
squeeze = lambda s: re.sub(r"\s+", "", s)
tree = ET.parse(svg)
seen = set()
for g in tree.iter(S + "g"):
    if g.get("class", "").split()[:1] != ["node"] or g.get("id", "").startswith("level:"):
        continue
    nid = g.get("id")
    assert nid in nodes, ("unknown id", nid)
    n = nodes[nid]
    tip = g.find(".//" + S + "a").get(X + "title")
    assert tip == n.get("description", n["title"]), (nid, tip)
    texts = [t.text or "" for t in g.iter(S + "text")]
    assert texts[0] == nid, (nid, texts[0])
    # Graphviz keeps a run of spaces as one space and one no-break space.
    body = squeeze("".join(texts[1:]).replace("\u00a0", " "))
    assert body == squeeze(n["title"]), (nid, body, squeeze(n["title"]))
    seen.add(nid)
assert seen == set(nodes), set(nodes) - seen
# The program title, in the graph label, too.
texts = "".join(t.text or "" for t in tree.iter(S + "text"))
assert m["program"]["title"] in texts
EOF
for f in svg dot; do
  expect_status 0 "$tocm" render "$hostile" -T "$f" -o "$work/hostile-again.$f"
  cmp -s "$work/hostile.$f" "$work/hostile-again.$f" || fail "hostile $f differs between runs"
done

# ---- the size limit ------------------------------------------------------------------
expect_status 2 "$tocm" render "$model" --option max-nodes=40 -o "$work/big.svg"
[[ -e $work/big.svg ]] && fail "a refused view still wrote its file"
grep -q "narrower views" "$work/err" || fail "the refusal does not list narrower views"
grep -q -- "--view country:KH .* 21 nodes" "$work/err" || fail "country:KH is not offered with its size"
grep -q -- "--view mapping" "$work/err" || fail "mapping is not offered"
grep -q -- "--force" "$work/err" || fail "the refusal does not mention --force"
expect_status 0 "$tocm" render "$model" --option max-nodes=40 --force -o "$work/big.svg"
[[ -s $work/big.svg ]] || fail "--force did not render"

# A large model's overview: with --projects count, projects and everything
# beneath them (the generator's activities) fold into their clusters, or
# into their project when it has no cluster; the counts in the boxes add up
# to the model's activities, and the refusal offers the overview.
python3 "$src/tests/bench/gen_model.py" -n 3000 --seed 2 -o "$work/gen.json"
expect_status 2 "$tocm" render "$work/gen.json" -o "$work/gen.svg"
grep -q -- "--view full --projects count .* nodes (the overview" "$work/err" ||
  fail "the refusal does not offer the overview"
expect_status 0 "$tocm" render "$work/gen.json" --projects count -T canon -o "$work/gen.gv"
python3 - "$work/gen.json" "$work/gen.gv" <<'EOF2' || fail "the overview's counts"
import json, re, sys
m = json.load(open(sys.argv[1]))
gv = open(sys.argv[2], encoding="utf-8").read()
activities = sum(1 for n in m["nodes"] if n["level"] == "activity")
counted = sum(int(x) for x in re.findall(r"<i>(\d+) beneath (?:them|it) \(", gv))
drawn = len(re.findall(r"class=\"level-activity", gv))
if drawn or counted != activities:
    print(f"{drawn} activities drawn, {counted} counted, the model has {activities}")
    sys.exit(1)
EOF2
# A project of two clusters is listed in both boxes, not linked from one
# box to the other (a flat link Graphviz routes badly: "Unable to reclaim
# box space" warnings).
python3 "$src/tests/bench/gen_model.py" -n 500 --seed 2 -o "$work/gen500.json"
expect_status 0 "$tocm" render "$work/gen500.json" --projects list -o "$work/gen500.svg"
grep -q "reclaim box space" "$work/err" && fail "--projects list: spline warnings" "$(head -3 "$work/err")"
expect_status 0 "$tocm" render "$work/gen500.json" --projects list -T canon -o "$work/gen500.gv"
python3 - "$work/gen500.json" "$work/gen500.gv" <<'EOF2' || fail "--projects list: projects of two clusters"
import json, re, sys
m = json.load(open(sys.argv[1]))
gv = open(sys.argv[2], encoding="utf-8").read()
level = {n["id"]: n["level"] for n in m["nodes"]}
bad = [e[:2] for e in re.findall(r'\t"?([\w.-]+)"? -> "?([\w.-]+)"?\t\[([^\]]*)\]', gv)
       if level.get(e[0]) == "cluster" and level.get(e[1]) == "cluster" and "band-order" not in e[2]]
labels = dict(re.findall(r'\t"?([\w.-]+)"?\t\[[^\]]*?label=<(.*?)>,\n', gv, re.S))
missing = [(n["id"], c) for n in m["nodes"] if n["level"] == "project"
           for c in n.get("contributes_to", []) if level.get(c) == "cluster"
           and f"<b>{n['id']}</b>" not in labels.get(c, "")]
if bad or missing:
    print("box-to-box links:", bad[:5], "not listed:", missing[:5])
    sys.exit(1)
EOF2

# ---- pages, the book and the matrix (issue 12) ------------------------------------
# A page-sized PDF has the page's size; a view too large for it is refused
# with the narrower views, and writes nothing.
expect_status 0 "$tocm" render "$model" --view country:KH --projects list --direction LR \
  --page A4 --landscape -T pdf -o "$work/kh-a4.pdf"
if command -v pdfinfo >/dev/null; then
  pdfinfo "$work/kh-a4.pdf" | grep -q "Page size: *841.89 x 595.276 pts (A4)" ||
    fail "--page A4 --landscape is not an A4 landscape page"
fi
expect_status 2 "$tocm" render "$model" --view full --page A4 -T pdf -o "$work/full-a4.pdf"
[[ -e $work/full-a4.pdf ]] && fail "a refused page still wrote its file"
grep -q "under --min-font 8" "$work/err" || fail "the page refusal does not name --min-font"
grep -q -- "--view eopo:EOPO1" "$work/err" || fail "the page refusal does not offer eopo:EOPO1"
expect_status 0 "$tocm" render "$model" --view full --page A4 --force -T svg -o "$work/full-a4.svg"
xmllint --noout "$work/full-a4.svg" || fail "the forced page SVG is not well-formed"
expect_status 2 "$tocm" render "$model" --page B5
grep -q "page must be A4, A3, letter, slide or WxH" "$work/err" || fail "bad --page message"
expect_status 2 "$tocm" render "$model" --landscape
expect_status 0 "$tocm" render "$model" --view outcomes --page 400x250mm -T pdf -o "$work/custom.pdf"
if command -v pdfinfo >/dev/null; then
  pdfinfo "$work/custom.pdf" | grep -q "Page size: *1133.86 x 708.66[0-9]* pts" ||
    fail "--page 400x250mm is not 400 x 250 mm"
fi
# --dpi sets the bitmap's resolution: twice the dpi, twice the width.
expect_status 0 "$tocm" render "$model" --view country:ID --dpi 72 -T png -o "$work/72.png"
expect_status 0 "$tocm" render "$model" --view country:ID --dpi 144 -T png -o "$work/144.png"
python3 - "$work/72.png" "$work/144.png" <<'EOF2' || fail "--dpi does not scale the PNG"
import struct, sys
w = [struct.unpack(">I", open(f, "rb").read()[16:20])[0] for f in sys.argv[1:]]
assert abs(w[1] - 2 * w[0]) <= 2, w
EOF2

# The book: every page A4 landscape (the page-by-page font check is in
# test_render_dot), and the same bytes twice.
expect_status 0 "$tocm" render "$model" --book -T pdf -o "$work/book.pdf"
[[ $(head -c 5 "$work/book.pdf") == %PDF- ]] || fail "the book is not a PDF"
if command -v pdfinfo >/dev/null; then
  pages=$(pdfinfo "$work/book.pdf" | awk '/^Pages:/ { print $2 }')
  ((pages >= 11)) || fail "the book has $pages pages, not the outcomes, 3 EOPOs, 6 countries and the matrix"
  [[ $(pdfinfo -f 1 -l "$pages" "$work/book.pdf" | grep -c "size: *841.89 x 595.276 pts") == "$pages" ]] ||
    fail "a page of the book is not A4 landscape"
fi
expect_status 2 "$tocm" render "$model" --book -T svg -o "$work/book.svg"
expect_status 2 "$tocm" render "$model" --book --view full -T pdf -o "$work/book2.pdf"

# The matrix as CSV equals the model's links, derived here again: cited,
# inferred, or "cluster ID" when the project reaches the outcome only through
# its cluster.
expect_status 0 "$tocm" render "$model" -T csv -o "$work/matrix.csv"
python3 - "$model" "$work/matrix.csv" <<'EOF2' || fail "the matrix CSV differs from the model"
import csv, json, re, sys
m = json.load(open(sys.argv[1]))
levels = [l["id"] for l in m["levels"]]
outcome_levels = {l["id"] for l in m["levels"] if l.get("outcome")}
nodes = {n["id"]: n for n in m["nodes"]}
rows = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
head, body = rows[0], rows[1:]
assert head[:3] == ["country", "project", "title"], head
outcomes = [n["id"] for n in m["nodes"] if n["level"] in outcome_levels]
assert sorted(head[3:]) == sorted(outcomes), head
def natural(s):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]
projects = [n for n in m["nodes"] if n["level"] == "project"]
projects.sort(key=lambda n: (n.get("country") is not None, n.get("country") or "", natural(n["id"])))
assert [r[1] for r in body] == [p["id"] for p in projects], "rows: regional first, then by country and id"
for r, p in zip(body, projects):
    assert r[0] == p.get("country", ""), r
    assert r[2] == p["title"], r
    out = p.get("contributes_to", [])
    inferred = set(p.get("inferred", []) if isinstance(p.get("inferred"), list) else [])
    for o, cell in zip(head[3:], r[3:]):
        if o in out:
            want = "inferred" if o in inferred else "cited"
        else:
            via = sorted((c for c in out if nodes[c]["level"] == "cluster"
                          and o in nodes[c].get("contributes_to", [])), key=natural)
            want = "cluster " + via[0] if via else ""
        assert cell == want, (p["id"], o, cell, want)
EOF2
expect_status 0 "$tocm" render "$model" --view matrix -T md -o "$work/matrix.md"
grep -q "^| KH | C202 |" "$work/matrix.md" || fail "the Markdown matrix lacks C202"
expect_status 2 "$tocm" render "$model" --view full -T csv
grep -q "writes the matrix view" "$work/err" || fail "-T csv of another view is not refused"
for f in svg png; do
  expect_status 0 "$tocm" render "$model" --view matrix -T "$f" -o "$work/matrix.$f"
done
xmllint --noout "$work/matrix.svg" || fail "the matrix SVG is not well-formed"

# --color-by rag: each node's status is the report's roll-up for the
# period (check_rag.py works it out from `tocm report --format json`, not
# from the plugin), with its symbol and the number of indicators; the
# bundled model (no targets yet: every node without status), the IPTT
# example in each of its periods, and the bundled model with project
# statuses added (its data copied beside it). --assumptions: a note.
cp -r "$src/models/asean-act-2021/data" "$work/data"
python3 - "$model" "$work/rag.json" <<'EOF2'
import json, sys
m = json.load(open(sys.argv[1]))
for n in m["nodes"]:
    if n["id"] == "O2.1":
        n["assumptions"] = ["Trained staff stay in post"]
    if n["id"] in ("C202", "C204", "R201"):
        n["status"] = "major delay"
    if n["id"] in ("C203", "L201"):
        n["status"] = "completed"
    if n["id"] == "P201":
        n["status"] = "some delays"
json.dump(m, open(sys.argv[2], "w"))
EOF2
iptt=$src/examples/iptt/model.json
for run in "$model 2021" "$iptt 2024" "$iptt 2025" "$iptt 2026" "$work/rag.json 2021"; do
  read -r m period <<<"$run"
  expect_status 0 "$tocm" render "$m" --color-by rag --period "$period" -o "$work/rag.svg"
  python3 "$src/tests/render/check_rag.py" "$tocm" "$m" "$period" "$work/rag.svg" >"$work/rag.out" ||
    fail "--color-by rag on $(basename "$(dirname "$m")") $period differs from the report" \
      "$(head -20 "$work/rag.out")"
done
grep -q "red=" "$work/rag.out" || fail "no red node where projects have major delays"
expect_status 0 "$tocm" render "$work/rag.json" --view country:KH --color-by rag --period 2021 \
  --assumptions -T dot -o "$work/rag.dot"
grep -q 'Trained staff stay in post' "$work/rag.dot" || fail "--assumptions draws no note"
grep -q 'status in 2021' "$work/rag.dot" || fail "the subtitle does not name the period"
# The book takes the colours too, and every page still fits.
expect_status 0 "$tocm" render "$work/rag.json" --book --color-by rag --period 2021 -o "$work/rag.pdf"
[[ $(head -c 5 "$work/rag.pdf") == %PDF- ]] || fail "the --color-by rag book is not a PDF"
# Errors: no period; a period no indicator has (the valid ones listed);
# no report to read (tocm export computes none); a model with no
# indicators.
expect_status 2 "$tocm" render "$model" --color-by rag
grep -q "needs --period" "$work/err" || fail "--color-by rag without --period"
expect_status 2 "$tocm" render "$iptt" --color-by rag --period 1999 -o "$work/x.svg"
grep -q "no period '1999'; their periods are: 2024, 2025, 2026" "$work/err" ||
  fail "an unknown period does not list the valid ones" "$(cat "$work/err")"
[[ -e $work/x.svg ]] && fail "a refused render left a file"
expect_status 2 "$tocm" export "$iptt" -T svg --option color-by=rag --option period=2025
grep -q "reads the computed report" "$work/err" || fail "export with rag: no report message"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); m.pop("tables",None); m.pop("indicators",None); json.dump(m,open(sys.argv[2],"w"))' \
  "$model" "$work/noind.json"
expect_status 2 "$tocm" render "$work/noind.json" --color-by rag --period 2021
grep -q "no indicators" "$work/err" || fail "rag on a model without indicators"

# The format follows -o's name when -T is not given; --book makes a PDF.
expect_status 0 "$tocm" render "$model" --view country:KH -o "$work/named.png"
[[ $(head -c 4 "$work/named.png" | od -An -tx1 | tr -d ' \n') == 89504e47 ]] ||
  fail "-o x.png without -T is not a PNG"
expect_status 0 "$tocm" render "$iptt" --book -o "$work/named-book"
[[ $(head -c 5 "$work/named-book") == %PDF- ]] || fail "--book without -T is not a PDF"
# One summary line for a book that fits; a warning per page under
# --min-font with --force.
expect_status 0 "$tocm" render "$model" --book -o "$work/book-sum.pdf"
[[ $(wc -l <"$work/err") == 1 ]] && grep -q "the book: .* pages on A4 landscape" "$work/err" ||
  fail "the book does not print one summary line" "$(head -5 "$work/err")"
expect_status 0 "$tocm" render "$model" --book --min-font 9 --force -o "$work/book-9.pdf"
grep -q "warning: page .* under --min-font 9" "$work/err" || fail "no warning for a page under --min-font"

# ---- usage errors --------------------------------------------------------------------
expect_status 2 "$tocm" render "$model" --view nonsense
grep -q "unknown view 'nonsense'" "$work/err" || fail "unknown view message"
expect_status 2 "$tocm" render "$model" --view node:NOPE
grep -q "no node has the id 'NOPE'" "$work/err" || fail "unknown node message"
expect_status 2 "$tocm" render "$model" --view country:FR
grep -q "the model's countries: ID KH LA PH TH VN" "$work/err" || fail "unknown country message"
expect_status 0 "$tocm" render "$model" --view country:kh -o "$work/kh.svg" # case-insensitive
expect_status 2 "$tocm" render "$model" --color-by mood
expect_status 2 "$tocm" render "$model" --direction UP
expect_status 2 "$tocm" render "$model" -T nope
grep -q "no exporter writes the format 'nope'" "$work/err" || fail "unknown format message"
expect_status 2 "$tocm" render
expect_status 0 "$tocm" render --help
grep -q -- "--view VIEW" "$work/out" || fail "render --help"

finish
