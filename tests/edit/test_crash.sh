#!/usr/bin/env bash
# Runs crash_test on a scratch copy of the fixture model (see crash_test.c).
# Usage: test_crash.sh TOCM MODEL_DIR CRASH_TEST [EDITS]
set -euo pipefail
tocm=$1 model_dir=$2 driver=$3 edits=${4:-1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$model_dir"/. "$work"/
"$driver" "$tocm" "$work/model.json" "$edits"
