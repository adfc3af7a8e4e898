#!/usr/bin/env bash
# `oapigen generate --check`: exit 0 and print nothing when the output
# directory is up to date; exit 1 and name every file that would change
# (edited or missing) otherwise; never write anything.
set -euo pipefail
src=${OAPIGEN_SOURCE_ROOT:?}
oapigen=${OAPIGEN_EXE:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oapigen-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# Names, sizes, modes and checksums of every file, and the directory's mtime.
snapshot() {
    (cd "$1" && find . -printf '%p %s %m %T@\n' | sort && find . -type f -exec sha256sum {} + | sort)
}
check() {  # check OUT_DIR: runs --check; sets status, out, err
    set +e
    out=$("$oapigen" generate "$src/specs/corehr" -o "$1" --check 2>"$tmp/stderr")
    status=$?
    set -e
    err=$(cat "$tmp/stderr")
}

out_dir=$tmp/corehr
cp -r "$src/generated/corehr" "$out_dir"

# Unmodified: exit 0, silent.
before=$(snapshot "$out_dir")
check "$out_dir"
[ "$status" -eq 0 ] || fail "unmodified: exit $status, expected 0 ($err)"
[ -z "$out$err" ] || fail "unmodified: printed '$out' '$err'"
[ "$(snapshot "$out_dir")" = "$before" ] || fail "unmodified: --check changed the directory"

# One file edited, one removed: exit 1, both named, nothing written.
echo "/* local edit */" >>"$out_dir/corehr_api.c"
rm "$out_dir/corehr_runtime.h"
before=$(snapshot "$out_dir")
check "$out_dir"
[ "$status" -eq 1 ] || fail "drift: exit $status, expected 1"
grep -qxF "$out_dir/corehr_api.c" <<<"$out" || fail "edited file not listed: '$out'"
grep -qxF "$out_dir/corehr_runtime.h" <<<"$out" || fail "removed file not listed: '$out'"
[ "$(wc -l <<<"$out")" -eq 2 ] || fail "unchanged files listed too: '$out'"
grep -q "2 file(s) differ" <<<"$err" || fail "no summary on stderr: '$err'"
[ "$(snapshot "$out_dir")" = "$before" ] || fail "drift: --check changed the directory"

# A missing output directory is not created.
check "$tmp/absent"
[ "$status" -eq 1 ] || fail "absent dir: exit $status, expected 1"
[ ! -e "$tmp/absent" ] || fail "--check created $tmp/absent"
[ "$(wc -l <<<"$out")" -eq "$(ls "$src/generated/corehr" | wc -l)" ] ||
    fail "absent dir: expected every file listed, got '$out'"

echo "ok: --check is silent when up to date, lists drift, writes nothing"
