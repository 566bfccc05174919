#!/usr/bin/env bash
# Plugin loader: each failure mode gives its exact one-line message and no
# crash; good plugins (including one built for an older minor ABI) load;
# unsafe permissions are refused unless --allow-unsafe-plugins; built-ins
# export exactly one symbol; json export and the calculators work end to end.
#
# usage: test_plugins.sh TOCM FIXTURE_DIR BUILTIN_DIR SOURCE_DIR
set -u
tocm=$1 fx=$2 builtin=$3 src=$4
. "$src/tests/lib.sh"
unset TOCM_PLUGIN_PATH

check() { expect_eq "$@"; } # name, expected, actual

# The host's plugin ABI, from the header the fixtures were built with.
abi_major=$(sed -n 's/^#define TOCM_ABI_MAJOR \([0-9]*\)$/\1/p' "$src/include/tocm/plugin.h")
abi_minor=$(sed -n 's/^#define TOCM_ABI_MINOR \([0-9]*\)$/\1/p' "$src/include/tocm/plugin.h")
abi=$abi_major.$abi_minor

# The refusal line for one --plugin file (stderr of `tocm plugins`), with
# the built-ins' lines (none expected) filtered out by the file name.
refusal() {
    "$tocm" --plugin "$1" plugins 2>&1 >/dev/null | grep -F "plugin $1:" || true
}

f=$fx/fixture_not_elf.so
check not-elf "tocm: plugin $f: not a shared object" "$(refusal "$f")"
f=$fx/fixture_no_entry.so
check no-entry "tocm: plugin $f: no entry point: it does not export 'tocm_plugin_entry'" "$(refusal "$f")"
f=$fx/fixture_major.so
check major "tocm: plugin $f: it was built for plugin ABI $((abi_major + 1)).0; this tocm speaks ABI $abi (the major versions differ: rebuild the plugin)" "$(refusal "$f")"
f=$fx/fixture_newer_minor.so
check newer-minor "tocm: plugin $f: it needs plugin ABI $abi_major.$((abi_minor + 1)); this tocm provides ABI $abi (upgrade tocm)" "$(refusal "$f")"
f=$fx/fixture_entry_fails.so
check entry-fails "tocm: plugin $f: it declined to load: the licence file /etc/fixture.key is missing" "$(refusal "$f")"
f=$fx/fixture_too_small.so
size=$(refusal "$f")
check too-small "tocm: plugin $f: its descriptor is 4 bytes; ABI 1.0 needs at least 56" "$size"
f=$fx/fixture_null_slot.so
check null-slot "tocm: plugin $f: calculator #1: the required slot 'compute' is NULL" "$(refusal "$f")"
f=$fx/fixture_bad_option.so
check bad-option-name "tocm: plugin $f: exporter 'bad_option-out': option #1 has the name 'greeting=hello', which --option NAME=VALUE cannot give" "$(refusal "$f")"
a=$fx/fixture_dup_a.so b=$fx/fixture_dup_b.so
check duplicate "tocm: plugin $b: a plugin named 'dup' is already loaded from $a" \
    "$("$tocm" --plugin "$a" --plugin "$b" plugins 2>&1 >/dev/null)"
f=$work/missing.so
check missing "tocm: plugin $f: cannot open it: No such file or directory" "$(refusal "$f")"

# A refused plugin does not stop a command that does not need it.
"$tocm" --plugin "$fx/fixture_major.so" validate "$src/models/asean-act-2021/model.json" >/dev/null 2>&1
check refused-plugin-does-not-fail-validate 0 $?

# Good plugins load; ones built for ABI 1.0 and 1.1 load on a newer host.
for g in good older_minor v1_1; do
    out=$("$tocm" --plugin "$fx/fixture_$g.so" plugins --json 2>&1)
    got=$(printf '%s' "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); print(','.join(p['name']+'@'+p['abi'] for p in d['plugins'] if p['file'].endswith('fixture_$g.so')))")
    want=$abi; [ $g = older_minor ] && want=1.0; [ $g = v1_1 ] && want=1.1
    check "loads-$g" "$g@$want" "$got"
done

# A calculator built for ABI 1.0 (no aggregate: ABI 1.4) still computes
# every cell, margins and totals included, through the row interface: its
# figures (the rows of each cell) are count's, which calc-basic folds in one
# pass.
mkdir -p "$work/legacy"
printf 'year,country\n2020,KH\n2020,LA\n2021,KH\n2021,KH\n2021,VN\n' >"$work/legacy/data.csv"
cat >"$work/legacy/model.json" <<'JSON'
{"tocm": 1, "program": {"id": "p", "title": "P"}, "levels": ["goal"],
 "nodes": [{"id": "G", "level": "goal", "title": "Goal"}],
 "tables": {"t": {"path": "data.csv", "columns": {"year": "integer"}}},
 "indicators": [
  {"id": "legacy", "title": "Rows (1.0)", "nodes": ["G"], "calculator": "older_minor_rows",
   "table": "t", "period": "year", "disaggregate": ["country"]},
  {"id": "folded", "title": "Rows (count)", "nodes": ["G"], "calculator": "count",
   "table": "t", "period": "year", "disaggregate": ["country"]}]}
JSON
got=$("$tocm" --plugin "$fx/fixture_older_minor.so" report "$work/legacy/model.json" --format json | python3 -c "
import json,sys
d=json.load(sys.stdin)
cells={i['id']: [(c['period'], c['dims'], c['value']) for c in i['cells']] for i in d['indicators']}
print('same' if cells['legacy'] == cells['folded'] else cells)
print(sum(1 for c in cells['legacy'] if c[2] is not None), [c[2] for c in cells['legacy'] if c[0] == 'total' and not c[1]])")
check legacy-1.0-calculator-computes "same
10 [5.0]" "$got"

# Exporter options (ABI 1.2). An exporter that declares its options gets
# those and only those: a misspelt one is refused (exit 2) with the valid
# ones named; the last value of a name wins. `tocm plugins` lists them.
model=$src/models/asean-act-2021/model.json
good=$fx/fixture_good.so
got=$("$tocm" --plugin "$good" export "$model" -T good-out --option greeting=hi --option greeting=hello 2>&1)
check option-last-wins "greeting=hello" "$got"

# `tocm report --format F` for a plugin format lends the exporter the report
# as JSON (ABI 1.3): the same document `--format json` prints, byte for byte.
"$tocm" --plugin "$good" report "$model" --format good-out --option greeting=hi >"$work/rep" 2>&1
"$tocm" report "$model" --format json >"$work/rep.json"
check report-json-lent "greeting=hi" "$(head -1 "$work/rep")"
check report-json-same "same" "$(tail -n +2 "$work/rep" | cmp -s - "$work/rep.json" && echo same)"
"$tocm" --plugin "$good" export "$model" -T good-out --option greting=hi -o "$work/typo.out" 2>"$work/err"
check option-misspelt-exit 2 $?
check option-misspelt-msg "tocm: the good-out exporter has no option 'greting' (did you mean 'greeting'?); its options are: greeting" "$(cat "$work/err")"
check option-misspelt-no-file 1 "$([ -e "$work/typo.out" ]; echo $?)"
got=$("$tocm" --plugin "$good" plugins --json | python3 -c "
import json,sys
d=json.load(sys.stdin)
print([[o['name'], o['arg'], o['help']] for p in d['plugins'] for e in p['exporters'] if e['name'] == 'good-out' for o in e['options']])")
check option-listed-json "[['greeting', 'WORD', 'what the fixture writes']]" "$got"
got=$("$tocm" --plugin "$good" plugins | grep -c -- "--option greeting=WORD *what the fixture writes")
check option-listed-text 1 "$got"
# The built-in json exporter reads no option, so it refuses every one.
"$tocm" export "$model" -T json --option page=A4 >/dev/null 2>"$work/err"
check json-option-exit 2 $?
check json-option-msg "tocm: the json exporter has no option 'page'; it takes no options" "$(cat "$work/err")"
# render's options go through the same check.
"$tocm" render "$model" --option nonsense=A4 -o "$work/page.svg" 2>"$work/err"
check render-option-exit 2 $?
msg=$(cat "$work/err")
check render-option-msg "tocm: the graphviz exporter has no option 'nonsense' | view" \
    "${msg%%; its options are: *} | $(grep -o view <<<"${msg#*its options are: }" | head -1)"
check render-option-no-file 1 "$([ -e "$work/page.svg" ]; echo $?)"
# Exporters of ABI 1.0 and 1.1 declare nothing: every option reaches them,
# as it did before, and the listing says so.
for g in older_minor v1_1; do
    got=$("$tocm" --plugin "$fx/fixture_$g.so" export "$model" -T "$g-out" --option greeting=hi --option other=1 2>&1)
    check "legacy-options-$g" "greeting=hi" "$got"
    got=$("$tocm" --plugin "$fx/fixture_$g.so" plugins --json | python3 -c "
import json,sys
d=json.load(sys.stdin)
print([e['options'] for p in d['plugins'] for e in p['exporters'] if e['name'] == '$g-out'])")
    check "legacy-options-listed-$g" "[None]" "$got"
done

# Unsafe permissions: a group-writable file, then a group-writable directory.
mkdir -p "$work/p" && cp "$fx/fixture_good.so" "$work/p/" && chmod 755 "$work/p"
chmod 664 "$work/p/fixture_good.so"
f=$work/p/fixture_good.so
check unsafe-file "tocm: plugin $f: refused: the file $f is writable by its group (use --allow-unsafe-plugins to load it anyway)" "$(refusal "$f")"
chmod 644 "$f"; chmod 777 "$work/p"
check unsafe-dir "tocm: plugin $f: refused: its directory $work/p is writable by others (use --allow-unsafe-plugins to load it anyway)" "$(refusal "$f")"
got=$("$tocm" --allow-unsafe-plugins --plugin "$f" plugins 2>&1 | grep -c "^good 0.0.1")
check allow-unsafe 1 "$got"
chmod 755 "$work/p"

# TOCM_PLUGIN_PATH finds plugins; the current directory is never searched.
got=$(TOCM_PLUGIN_PATH=$work/p "$tocm" plugins 2>&1 | grep -c "^good 0.0.1")
check plugin-path 1 "$got"
got=$(cd "$work/p" && "$tocm" plugins 2>&1 | grep -c "^good 0.0.1")
check not-cwd 0 "$got"

# Relative TOCM_PLUGIN_PATH entries ("." or "p") would load whatever the
# current directory holds: refused with a message, never searched.
for entry in . p ./p; do
    dir=$work/p; [ "$entry" = . ] || dir=$work
    out=$(cd "$dir" && TOCM_PLUGIN_PATH=$entry "$tocm" plugins 2>&1)
    check "relative-entry-$entry-not-loaded" 0 "$(printf '%s\n' "$out" | grep -c "^good 0.0.1")"
    check "relative-entry-$entry-message" \
        "tocm: TOCM_PLUGIN_PATH entry '$entry' is not an absolute directory; ignored (plugins are never loaded from relative paths)" \
        "$(printf '%s\n' "$out" | grep -F "TOCM_PLUGIN_PATH entry")"
done

# Every directory up to the root is checked, not only the plugin's own:
# a world-writable ancestor lets anyone swap the subdirectory.
mkdir -p "$work/ww/sub" && cp "$fx/fixture_good.so" "$work/ww/sub/" && chmod 777 "$work/ww"
f=$work/ww/sub/fixture_good.so
check unsafe-ancestor "tocm: plugin $f: refused: the directory $work/ww is writable by others (use --allow-unsafe-plugins to load it anyway)" "$(refusal "$f")"
got=$(TOCM_PLUGIN_PATH=$work/ww/sub "$tocm" plugins 2>&1 | grep -c "^good 0.0.1")
check unsafe-ancestor-path 0 "$got"
chmod 775 "$work/ww"
check unsafe-ancestor-group "tocm: plugin $f: refused: the directory $work/ww is writable by its group (use --allow-unsafe-plugins to load it anyway)" "$(refusal "$f")"
# A sticky, root-owned ancestor (as /tmp is) cannot have our names swapped.
chmod 1777 "$work/ww"
if [ "$(id -u)" = 0 ]; then
    check sticky-ancestor-ok "" "$(refusal "$f")"
fi
chmod 755 "$work/ww"
check safe-ancestors "" "$(refusal "$f")"

# Built-ins: the entry point is the only exported symbol.
for so in "$builtin"/*.so; do
    syms=$(nm -D --defined-only "$so" | awk '{print $3}' | sort | tr '\n' ' ')
    check "exports-$(basename "$so")" "tocm_plugin_entry " "$syms"
done

# The listing names each built-in and what it provides.
json=$("$tocm" plugins --json)
got=$(printf '%s' "$json" | python3 -c "
import json,sys
d=json.load(sys.stdin)
calcs=sorted(c['name'] for p in d['plugins'] for c in p['calculators'])
fmts=sorted(f for p in d['plugins'] for e in p['exporters'] for f in e['formats'])
print(' '.join(calcs), '|', 'json' in fmts)")
check plugins-json "count distinct gesi mean ratio recorded share sum | True" "$got"

# json export = canonical model, to stdout and atomically to a file.
model=$src/models/asean-act-2021/model.json
"$tocm" export "$model" -T json -o "$work/out.json"
check export-json-file 0 $?
"$tocm" fmt "$model" | cmp -s - "$work/out.json"
check export-json-is-canonical 0 $?
"$tocm" export "$model" -T nosuchformat >/dev/null 2>"$work/err"
check export-unknown-format-exit 2 $?
check export-unknown-format-msg "tocm: no exporter writes the format 'nosuchformat'" "$(head -1 "$work/err")"

finish
