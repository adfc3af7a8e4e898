#!/bin/bash
# run.sh - hostile specs from the outside (meson suite 'cli').
#
# accept_NAME.yaml: specs whose texts and names try to break the generated C.
# Each must lint silently, generate, compile with gcc and clang at
# -std=c11 -Wall -Wextra -Wpedantic -Werror -Wtrigraphs (its headers also
# as C++), keep its descriptions inside comments (NAME.comments lists lines
# the headers must hold), and pass
# NAME_check.c, which proves the client means what the spec says (wire names,
# enum values, messages and requests byte for byte), built with ASan+UBSan.
#
# reject_NAME.yaml: names and values that cannot be made safe. `oapigen lint`
# must exit 1 and print exactly reject_NAME.expected; `generate` must write
# nothing.
#
# Run by meson with OAPIGEN_EXE and OAPIGEN_SOURCE_ROOT set.
set -u
cd "${OAPIGEN_SOURCE_ROOT:?}" || exit 1
exe=${OAPIGEN_EXE:?}
dir=tests/hostile
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

cflags=(-std=c11 -Wall -Wextra -Wpedantic -Werror -Wtrigraphs -D_POSIX_C_SOURCE=200809L
        -I/usr/include/cjson)
libs=(-lcjson -lcurl -lmicrohttpd -lpthread)

# Comment text must not be able to end its comment, and no trigraph may be
# left anywhere (in literals '?' is escaped, in comments "??" is split).
check_text() {
    local out=$1 f
    for f in "$out"/*.[ch]; do
        if grep -n "??[=/'()!<>-]" "$f" >&2; then
            fail "$f holds a trigraph"
        fi
    done
}

check_accepted() {
    local spec=$1 name out cc cxx f err
    name=$(basename "$spec" .yaml)
    name=${name#accept_}
    out=$tmp/$name
    err=$("$exe" lint "$spec" 2>&1) || fail "lint $spec: $err"
    [ -z "$err" ] || fail "lint $spec printed: $err"
    if ! err=$("$exe" generate "$spec" -o "$out" 2>&1); then
        fail "generate $spec: $err"
        return
    fi
    check_text "$out"
    # NAME.comments: lines (descriptions made comment-safe) the headers must hold.
    if [ -f "$dir/$name.comments" ]; then
        while IFS= read -r line; do
            cat "$out"/*.h | grep -qxF -- "$line" || fail "no line '$line' in the headers"
        done < "$dir/$name.comments"
    fi
    for cc in gcc clang; do
        command -v $cc >/dev/null || { fail "$cc is not installed"; continue; }
        for f in "$out"/*.c; do
            $cc "${cflags[@]}" -I"$out" -c "$f" -o "$tmp/obj.o" ||
                fail "$cc: $(basename "$f") from $spec does not compile cleanly"
        done
    done
    # The headers declare extern "C": C++ keywords must not be member names.
    for cxx in g++ clang++; do
        command -v $cxx >/dev/null || continue
        for f in "$out"/*.h; do
            printf '#include "%s"\n' "$(basename "$f")" > "$tmp/header.cc"
            $cxx -std=c++11 -Wall -Wextra -Wpedantic -Werror -I/usr/include/cjson \
                -I"$out" -fsyntax-only "$tmp/header.cc" ||
                fail "$cxx: $(basename "$f") from $spec is not valid C++"
        done
    done
    [ -f "$dir/${name}_check.c" ] || return
    local srcs=("$dir/${name}_check.c" tests/support/mock_server.c)
    for f in "$out"/*.c; do
        case $f in *_cli.c) ;; *) srcs+=("$f") ;; esac
    done
    if gcc "${cflags[@]}" -g -fsanitize=address,undefined -fno-sanitize-recover=all \
        -I"$out" -Itests/support "${srcs[@]}" "${libs[@]}" -o "$tmp/${name}_check"; then
        "$tmp/${name}_check" || fail "${name}_check failed on $spec"
    else
        fail "${name}_check.c does not build against $spec"
    fi
}

check_rejected() {
    local spec=$1 want out err status
    want=${spec%.yaml}.expected
    out=$("$exe" lint "$spec" 2>"$tmp/stderr")
    status=$?
    err=$(cat "$tmp/stderr")
    [ "$status" -eq 1 ] || fail "lint $spec exited $status, want 1"
    [ -z "$out" ] || fail "lint $spec wrote to stdout: $out"
    if [ "$err" != "$(cat "$want")" ]; then
        fail "lint $spec printed:"
        diff "$want" "$tmp/stderr" >&2
    fi
    "$exe" generate "$spec" -o "$tmp/rejected" 2>/dev/null
    status=$?
    [ "$status" -eq 1 ] || fail "generate $spec exited $status, want 1"
    [ ! -e "$tmp/rejected" ] || fail "generate $spec wrote $(ls "$tmp/rejected")"
    rm -rf "$tmp/rejected"
}

for spec in "$dir"/accept_*.yaml; do
    check_accepted "$spec"
done
for spec in "$dir"/reject_*.yaml; do
    check_rejected "$spec"
done

[ "$failures" -eq 0 ] && echo "hostile-specs: all checks passed"
exit $((failures > 0))
