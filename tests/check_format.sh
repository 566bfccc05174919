#!/usr/bin/env bash
# check_format.sh -- fails when a tracked C file differs from what
# clang-format makes of it under the checked-in .clang-format, and names the
# files. `tests/check_format.sh --fix` rewrites them instead.
set -euo pipefail
cd "$(dirname "$0")/.."
fix=0
[ "${1:-}" = "--fix" ] && fix=1
mapfile -t files < <(git ls-files '*.c' '*.h')
drift=()
for f in "${files[@]}"; do
  if ! clang-format --style=file "$f" | cmp -s - "$f"; then
    drift+=("$f")
  fi
done
if ((${#drift[@]} == 0)); then
  echo "layout: ${#files[@]} C files match .clang-format"
  exit 0
fi
if ((fix)); then
  clang-format --style=file -i "${drift[@]}"
  echo "layout: reformatted ${#drift[@]} files"
  exit 0
fi
printf 'layout: %s differs from .clang-format\n' "${drift[@]}" >&2
echo "layout: ${#drift[@]} of ${#files[@]} C files drift; run tests/check_format.sh --fix" >&2
exit 1
