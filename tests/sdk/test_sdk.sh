#!/usr/bin/env bash
# The SDK and the install, end to end, as a user would do it:
#   - `cmake --install` to a temporary prefix: every file where README.md's
#     "Install" section says, and the installed tocm finds its plugins;
#   - the example plugin (examples/plugins/ph-prosecutors) built out of tree
#     with find_package(tocm), loaded with --plugin, its figure checked
#     against the one the ASEAN-ACT report prints (65% women);
#   - a program embedding the library (tests/sdk/consumer) built with
#     tocm::tocm, and again with pkg-config alone;
#   - plugins/README.md followed as written: its C code, CMakeLists.txt,
#     model, data and commands, extracted from the guide and run.
#
# usage: test_sdk.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1 src=$2
. "$src/tests/lib.sh"

prefix=$work/prefix
expect_status 0 cmake --install "$build" --prefix "$prefix"
version=$(sed -n 's/^project(tocm VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
for f in bin/tocm lib/libtocm.a include/tocm/tocm.h include/tocm/plugin.h include/tocm/host.h \
  include/tocm/version.h lib/cmake/tocm/tocmConfig.cmake lib/cmake/tocm/tocmTargets.cmake \
  lib/cmake/tocm/TocmPlugin.cmake lib/pkgconfig/tocm.pc lib/tocm/plugins/calc-basic.so \
  lib/tocm/plugins/json.so; do
  [[ -f $prefix/$f ]] && pass "installed $f" || fail "installed $f" "not in $prefix"
done
expect_eq "tocm/version.h is project(VERSION)" "#define TOCM_VERSION \"$version\"" \
  "$(grep '^#define TOCM_VERSION ' "$prefix/include/tocm/version.h")"
tocm=$prefix/bin/tocm
expect_eq "tocm --version" "tocm $version (model format 1)" "$("$tocm" --version)"

# The installed tocm finds its own built-in plugins from its prefix.
"$tocm" plugins --json | python3 -c "
import json,sys
d=json.load(sys.stdin)
assert any(p['name']=='calc-basic' for p in d['plugins']), d" &&
  pass "the installed tocm finds its plugins" || fail "the installed tocm finds its plugins"

# pkg-config sees the SDK too.
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
inc=$(pkg-config --cflags-only-I tocm | sed 's/^-I//; s/ *$//')
[[ -f $inc/tocm/plugin.h ]] && pass "pkg-config --cflags tocm" || fail "pkg-config --cflags tocm" "$inc"

# ---- the example plugin, out of tree ------------------------------------
expect_status 0 cmake -S "$src/examples/plugins/ph-prosecutors" -B "$work/example" \
  -DCMAKE_PREFIX_PATH="$prefix"
expect_status 0 cmake --build "$work/example"
so=$work/example/ph-prosecutors.so
"$tocm" --plugin "$so" report "$src/examples/plugins/ph-prosecutors/model.json" --format json \
  >"$work/report.json"
python3 - "$work/report.json" <<'PY' && pass "the example plugin computes 65% (53 of 81)" ||
import json, sys
r = json.load(open(sys.argv[1]))
cell = r["indicators"][0]["cells"][0]
assert cell["numerator"] == 53 and cell["denominator"] == 81, cell
assert cell["display"] == "65%", cell
assert r["checks"] == [], r["checks"]
PY
  fail "the example plugin computes 65% (53 of 81)"

# ---- a program linking the library ----------------------------------------
model=$src/examples/plugins/ph-prosecutors/model.json
want="tocm $version: 2 nodes, 0 errors"
expect_status 0 cmake -S "$src/tests/sdk/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix"
expect_status 0 cmake --build "$work/consumer"
expect_eq "a program linked with tocm::tocm" "$want" "$("$work/consumer/consumer" "$model" 2>&1)"
# shellcheck disable=SC2046 # the flags are words
expect_status 0 cc -std=c11 -o "$work/consumer-pc" "$src/tests/sdk/consumer/consumer.c" \
  $(pkg-config --cflags --static --libs tocm)
expect_eq "a program linked with pkg-config --static --libs tocm" "$want" \
  "$("$work/consumer-pc" "$model" 2>&1)"

# ---- plugins/README.md, as written ---------------------------------------
# block HEADING LANGUAGE: the first ```LANGUAGE block after the heading.
guide=$src/plugins/README.md
block() {
  awk -v head="$1" -v lang="$2" '
    $0 == head { seen = 1; next }
    seen && !inside && $0 == "```" lang { inside = 1; next }
    inside && $0 == "```" { exit }
    inside { print }' "$guide"
}
# nth_block HEADING LANGUAGE N: the Nth such block (1-based).
nth_block() {
  awk -v head="$1" -v lang="$2" -v n="$3" '
    $0 == head { seen = 1; next }
    seen && !inside && $0 == "```" lang { k++; if (k == n) { inside = 1; next } }
    inside && $0 == "```" { exit }
    inside { print }' "$guide"
}
mine=$work/my-plugin
mkdir -p "$mine"
block "## 1. Write" c >"$mine/my_plugin.c"
block "## 2. Build" cmake >"$mine/CMakeLists.txt"
block "## 4. Test" json >"$mine/model.json"
block "## 4. Test" csv >"$mine/workshops.csv"
for f in my_plugin.c CMakeLists.txt model.json workshops.csv; do
  [[ -s $mine/$f ]] || fail "the guide has $f" "no block found in $guide"
done
# The build commands, with the prefix this test installed to.
nth_block "## 2. Build" sh 1 | sed "s#/usr/local#$prefix#g" >"$work/build.sh"
(cd "$mine" && bash -e "$work/build.sh") >"$work/out" 2>&1 &&
  pass "the guide's build commands" || fail "the guide's build commands" "$(tail -20 "$work/out")"
nth_block "## 4. Test" sh 1 >"$work/test.sh"
(cd "$mine" && PATH=$prefix/bin:$PATH bash -e "$work/test.sh") >"$work/out" 2>"$work/err" &&
  pass "the guide's test commands" || fail "the guide's test commands" "$(cat "$work/err")"
grep -q 'calculator participants' "$work/out" &&
  pass "tocm plugins lists the guide's calculator" || fail "tocm plugins lists the guide's calculator" "$(cat "$work/out")"
python3 - "$work/out" <<'PY' && pass "the guide's report says 43" || fail "the guide's report says 43"
import json, sys
text = open(sys.argv[1]).read()
report = json.loads(text[text.index("{"):])
cell = report["indicators"][0]["cells"][0]
assert cell["value"] == 43, cell
PY
# Without CMake, as the guide says.
(cd "$mine" && cc -shared -fPIC -fvisibility=hidden $(pkg-config --cflags tocm) -o my-plugin.so \
  my_plugin.c) 2>"$work/err" && pass "the guide's build without CMake" ||
  fail "the guide's build without CMake" "$(cat "$work/err")"
finish
