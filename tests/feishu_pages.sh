#!/usr/bin/env bash
# The whole chain on every real page: $OAPIGEN_SHARED/feishu-pages through
# import-doc (the folder as one set) -> lint -> generate -> gcc and clang
# -Wall -Wextra -Wpedantic -Werror -c. Prints "N/TOTAL pages" and fails
# unless every page makes it. One process per stage and bundle; the C files
# compile two at a time.
set -u
exe=${OAPIGEN_EXE:?}
pages=${OAPIGEN_SHARED:?}/feishu-pages
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

total=$(find "$pages" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.md' \) \
        ! -name 'README*' | wc -l)
"$exe" import-doc "$pages" -o "$tmp/specs" 2>"$tmp/import.log"
grep -v ': warning: ' "$tmp/import.log" | grep -v '^oapigen import-doc: ' >&2
tail -n 1 "$tmp/import.log" >&2

ok=0
for dir in "$tmp"/specs/*/; do
    [ -d "$dir" ] || continue
    bundle=$(basename "$dir")
    count=$(find "$dir" -name '*.yaml' ! -name '*.overlay.yaml' | wc -l)
    out=$tmp/gen/$bundle
    if ! "$exe" lint "$dir" >"$tmp/lint.log" 2>&1 || [ -s "$tmp/lint.log" ]; then
        echo "FAIL: lint $bundle ($count pages):" >&2
        cat "$tmp/lint.log" >&2
        continue
    fi
    if ! "$exe" generate "$dir" -o "$out" >"$tmp/gen.log" 2>&1; then
        echo "FAIL: generate $bundle ($count pages):" >&2
        cat "$tmp/gen.log" >&2
        continue
    fi
    # Every C file by gcc and by clang, two compilations at a time.
    for f in "$out"/*.c; do echo "gcc $f"; echo "clang $f"; done |
        OUT=$out xargs -P 2 -L 1 sh -c '"$0" -std=c11 -Wall -Wextra -Wpedantic -Werror \
            -D_POSIX_C_SOURCE=200809L -I/usr/include/cjson -I"$OUT" -c "$1" -o /dev/null ||
            echo "FAIL: $0 $1"' >"$tmp/cc.log" 2>&1
    if [ -s "$tmp/cc.log" ]; then
        echo "FAIL: compile $bundle ($count pages):" >&2
        head -n 40 "$tmp/cc.log" >&2
        continue
    fi
    ok=$((ok + count))
done
echo "$ok/$total pages: imported, linted, generated and compiled by gcc and clang"
[ "$ok" -eq "$total" ]
