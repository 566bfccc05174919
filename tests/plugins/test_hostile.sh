#!/usr/bin/env bash
# The hostile plugin (hostile.c): for each way it breaks the plugin ABI, tocm
# finishes with a clear message naming the plugin, the right exit status and
# no half-written output. Run under ASan + UBSan (.ci/run), nothing is read
# out of bounds either.
#
# usage: test_hostile.sh TOCM HOSTILE_SO SOURCE_DIR
set -u
tocm=$1 so=$2 src=$3
. "$src/tests/lib.sh"
unset TOCM_PLUGIN_PATH

mkdir -p "$work/m/data"
printf 'year,sex,n\n2020,female,1\n2021,male,2\n' >"$work/m/data/t.csv"
indicators=""
for c in unterminated error_unterminated nan infinite_part huge_parts bad_text bad_index; do
  indicators+="${indicators:+,}
  {\"id\": \"$c\", \"title\": \"$c\", \"calculator\": \"hostile_$c\", \"table\": \"t\", \"period\": \"year\"}"
done
cat >"$work/m/model.json" <<JSON
{"tocm": 1, "program": {"id": "p", "title": "Program"}, "levels": ["goal"],
 "nodes": [{"id": "G", "level": "goal", "title": "Goal"}],
 "tables": {"t": {"path": "data/t.csv", "columns": {"year": "integer", "n": "integer"}}},
 "indicators": [$indicators]}
JSON
model=$work/m/model.json
t() { "$tocm" --no-default-plugins --plugin "$so" "$@"; }
"$tocm" --help 2>&1 | grep -q -- --no-default-plugins || t() { "$tocm" --plugin "$so" "$@"; }

# No sanitizer report, no crash: every run below exits 0, 1 or 2 by itself.
no_crash() { # name
  if grep -q -E 'AddressSanitizer|runtime error|LeakSanitizer' "$work/err"; then
    fail "$1: sanitizer report" "$(grep -m3 -E 'ERROR|runtime error' "$work/err")"
  else
    pass "$1: no sanitizer report"
  fi
}
report() { # indicator
  expect_status "$2" t report "$model" --indicator "$1" --format json
  no_crash "$1"
}

# Unterminated part names and note: copied up to the array's end, terminated.
report unterminated 0
got=$(python3 -c '
import json, sys
cell = json.load(open(sys.argv[1]))["indicators"][0]["cells"][0]
print(sorted(cell["parts"]), len(cell.get("note", "")))' "$work/out" 2>&1)
expect_eq "unterminated: names cut at 31 bytes, note at 127" \
  "['$(printf 'A%.0s' {1..31})', '$(printf 'B%.0s' {1..31})'] 127" "$got"

# An unterminated error: the message is cut, and names the plugin.
report error_unterminated 1
expect_eq "error_unterminated: one E409 naming the plugin" 1 \
  "$(grep -c "E409.*calculator 'hostile_error_unterminated' (plugin 'hostile') failed: x\{255\} — y\{79\}\$" "$work/err")"

# NaN and infinities: no figure, never NaN in the report.
report nan 0
expect_eq "nan: no value, no NaN" "None ok" "$(python3 -c '
import json, sys
text = open(sys.argv[1]).read()
cell = json.loads(text)["indicators"][0]["cells"][0]
print(cell["value"], "NaN" if "NaN" in text or "Infinity" in text else "ok")' "$work/out" 2>&1)"
report infinite_part 1
expect_eq "infinite_part: refused, naming the plugin" 1 \
  "$(grep -c "(plugin 'hostile') failed: the plugin returned part 1 with a value that is not a finite number" "$work/err")"

# More parts than a result holds.
report huge_parts 1
expect_eq "huge_parts: refused, naming the plugin" 1 \
  "$(grep -c "(plugin 'hostile') failed: the plugin returned 18446744073709551615 parts; a result holds at most 8" "$work/err")"

# Text that is not UTF-8, with an escape sequence: made printable.
report bad_text 0
expect_eq "bad_text: bytes replaced" "['??x'] ?[2Jcleared ??" "$(python3 -c '
import json, sys
cell = json.load(open(sys.argv[1]))["indicators"][0]["cells"][0]
print(sorted(cell["parts"]), cell["note"])' "$work/out" 2>&1)"

# Host functions called with indices out of range.
report bad_index 1
expect_eq "bad_index: refused, naming the plugin and the call" 1 \
  "$(grep -c "(plugin 'hostile') failed: the plugin called node_id with node 1000000, but the model has 1 nodes" "$work/err")"

# Exporters.
export_with() { # format, status
  expect_status "$2" t export -T "$1" "$model"
  no_crash "$1"
}
export_with hostile-fail 2
expect_eq "hostile-fail: nothing written" "" "$(cat "$work/out")"
expect_eq "hostile-fail: names the plugin" 1 \
  "$(grep -c "exporter 'hostile' (plugin 'hostile') failed (hostile-fail) gave up half-way" "$work/err")"

export_with hostile-ignore 2
expect_eq "hostile-ignore: nothing written" "" "$(cat "$work/out")"
expect_eq "hostile-ignore: says why" 1 \
  "$(grep -c "(plugin 'hostile') failed the plugin called export_write with no data (NULL) and a length of 10" "$work/err")"

export_with hostile-late 0
expect_eq "hostile-late: only what it wrote on time" "on time" "$(cat "$work/out")"
expect_eq "hostile-late: the late write is refused" 1 \
  "$(grep -c "a plugin wrote through export_write after its export ended; ignored" "$work/err")"

export_with hostile-index 2
expect_eq "hostile-index: names the plugin and the call" 1 \
  "$(grep -c "(plugin 'hostile') failed the plugin called node_title with node 99999, but the model has 1 nodes" "$work/err")"

export_with hostile-error 2
expect_eq "hostile-error: the unterminated error is cut" 1 \
  "$(grep -c "(plugin 'hostile') failed (s\{79\}) e\{255\}\$" "$work/err")"

# Written to a file: a failed export leaves no file behind.
expect_status 2 t export -T hostile-fail -o "$work/out.txt" "$model"
expect_eq "hostile-fail -o: no file" "absent" "$([[ -e $work/out.txt ]] && echo present || echo absent)"
finish
