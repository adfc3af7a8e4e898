#!/bin/bash
# compile_specs.sh - every valid spec set generates warning-free C (suite 'cli').
#
# Each directory under tests/fixtures/specs/compile/ is one spec set, small
# and unusual on purpose (no parameters at all, only GET endpoints, only
# json fields, nested arrays, array query parameters). Each must lint
# silently and generate into a directory that does not exist yet (two
# levels: `generate -o` makes parents), and every generated .c file must
# compile with gcc and clang at -std=c11 -Wall -Wextra -Wpedantic -Werror.
#
# Run by meson with OAPIGEN_EXE and OAPIGEN_SOURCE_ROOT set.
set -u
cd "${OAPIGEN_SOURCE_ROOT:?}" || exit 1
exe=${OAPIGEN_EXE:?}
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

cflags=(-std=c11 -Wall -Wextra -Wpedantic -Werror -D_POSIX_C_SOURCE=200809L
        -I/usr/include/cjson)

for set in tests/fixtures/specs/compile/*/; do
    name=$(basename "$set")
    out=$tmp/$name/not/yet
    err=$("$exe" lint "$set" 2>&1) || fail "lint $set: $err"
    [ -z "$err" ] || fail "lint $set printed: $err"
    if ! err=$("$exe" generate "$set" -o "$out" 2>&1); then
        fail "generate $set: $err"
        continue
    fi
    for cc in gcc clang; do
        command -v $cc >/dev/null || { fail "$cc is not installed"; continue; }
        for f in "$out"/*.c; do
            $cc "${cflags[@]}" -I"$out" -c "$f" -o "$tmp/obj.o" ||
                fail "$cc: $(basename "$f") of $set does not compile cleanly"
        done
    done
done

# A failed generate leaves no directory behind, parents included.
"$exe" generate tests/fixtures/specs/bad/unknown_type.yaml -o "$tmp/failed/a/b" 2>/dev/null &&
    fail "generate of a bad spec succeeded"
[ ! -e "$tmp/failed" ] || fail "a failed generate left $(find "$tmp/failed")"

[ "$failures" -eq 0 ] && echo "compile-specs: all sets compile cleanly"
exit $((failures > 0))
