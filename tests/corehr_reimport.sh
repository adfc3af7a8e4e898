#!/usr/bin/env bash
# specs/corehr/ is exactly what scripts/import-corehr.sh makes from the pages
# (the four seed pages and the CoreHR pages of feishu-pages) and the overlays.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=${OAPIGEN_SOURCE_ROOT:?}
bash "$src/scripts/import-corehr.sh" "${OAPIGEN_EXE:?}" "${OAPIGEN_SHARED:?}" "$tmp" \
    2>"$tmp/import.log" || { cat "$tmp/import.log" >&2; exit 1; }
diff -r "$src/specs/corehr" "$tmp/corehr" || { echo "FAIL: specs/corehr differs" >&2; exit 1; }
n=$(find "$tmp/corehr" -name '*.yaml' ! -name '*.overlay.yaml' | wc -l)
echo "$n specs re-imported, equal to specs/corehr"
