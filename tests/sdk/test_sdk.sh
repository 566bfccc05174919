#!/usr/bin/env bash
# The plugin SDK end to end: install tocm to a temporary prefix, build the
# example plugin (examples/plugins/ph-prosecutors) out of tree against that
# prefix with find_package(tocm), load it with --plugin, and check the figure
# it computes against the one the ASEAN-ACT report prints (65% women).
#
# usage: test_sdk.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
# pkg-config sees the SDK too.
inc=$(PKG_CONFIG_PATH=$work/prefix/lib/pkgconfig pkg-config --cflags-only-I tocm | sed 's/^-I//; s/ *$//')
test -f "$inc/tocm/plugin.h"

cmake -S "$src/examples/plugins/ph-prosecutors" -B "$work/example" \
      -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/example" >/dev/null
so=$work/example/ph-prosecutors.so
test -f "$so"

tocm=$work/prefix/bin/tocm
# The installed tocm finds its own built-in plugins from its prefix.
"$tocm" plugins --json | python3 -c "
import json,sys
d=json.load(sys.stdin)
assert any(p['name']=='calc-basic' for p in d['plugins']), d"

"$tocm" --plugin "$so" report "$src/examples/plugins/ph-prosecutors/model.json" --format json \
    >"$work/report.json"
python3 - "$work/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
cell = r["indicators"][0]["cells"][0]
assert cell["numerator"] == 53 and cell["denominator"] == 81, cell
assert cell["display"] == "65%", cell
assert r["checks"] == [], r["checks"]
print("sdk: example plugin built out of tree computes", cell["display"], "(53 of 81)")
PY
echo "1 passed, 0 failed"
