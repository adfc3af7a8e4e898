#!/usr/bin/env bash
# prepare.sh - the two codecs that tests/diffcodec compares, as sources.
#
#   tests/diffcodec/prepare.sh OUT [OAPIGEN]
#
# OLD is what the generator of the baseline commit ($DIFFCODEC_BASELINE,
# default c3bb940, the last commit with the per-field codec) makes of
# specs/corehr, with the bundle renamed to oldhr so that both link into one
# program: its generator and templates come from `git archive`, are built
# into OUT/baseline, and generate OUT/old (oldhr*.c, oldhr*.h).
# NEW is what the current generator (OAPIGEN; without it, one built here
# from generator/ into OUT/current) and templates make of the same specs:
# OUT/new (corehr*.c, corehr*.h).
# Also written: OUT/diffcodec_types.h (the structs to compare, from
# diffcodec_types.h.mustache) and OUT/cases.json (the specs' examples, from
# tests/e2e/e2e_cases.json.mustache). All from the bundle's view, rendered
# by the current generator.
#
# Reruns are cheap: the baseline generator is rebuilt only when the commit
# changes, and a generated file is rewritten (so recompiled by run.sh) only
# when its content changes.
#
# Exits 77 (skip) when there is no git history or no baseline commit.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 OUT [OAPIGEN]" >&2; exit 2; }
out=$1
oapigen=${2:-}
baseline=${DIFFCODEC_BASELINE:-c3bb940}
cc=${CC:-cc}

skip() { echo "diffcodec: SKIP: $*"; exit 77; }
command -v git >/dev/null || skip "git is not installed"
git -C "$root" rev-parse --git-dir >/dev/null 2>&1 || skip "$root is not a git checkout"
git -C "$root" cat-file -e "$baseline^{commit}" 2>/dev/null ||
    skip "baseline commit $baseline is not in the history (shallow clone?)"

commit=$(git -C "$root" rev-parse "$baseline^{commit}")
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/specs-old" "$out/fresh"
mkdir -p "$out/specs-old" "$out/fresh/old" "$out/fresh/new"

# A generator from SRC (with generator/ and templates/) into DIR/oapigen,
# built the way generator/meson.build builds it.
build_generator() {
    local src=$1 dir=$2
    # shellcheck disable=SC2046
    "$cc" -std=c11 -O1 -D_POSIX_C_SOURCE=200809L \
        -DOAPIGEN_TEMPLATE_DIR="\"$src/templates\"" \
        -DOAPIGEN_SOURCE_TEMPLATE_DIR="\"$src/templates\"" \
        -DOAPIGEN_INSTALLED_EXE="\"/nonexistent/oapigen\"" \
        $(pkg-config --cflags libcjson yaml-0.1) -I"$src/generator" \
        "$src"/generator/*.c -o "$dir/oapigen" $(pkg-config --libs libcjson yaml-0.1) -lm
}

# Makes DST hold exactly the files of SRC, rewriting only those that differ.
sync_dir() {
    local src=$1 dst=$2 f
    mkdir -p "$dst"
    for f in "$dst"/*; do
        [ -e "$f" ] && [ ! -e "$src/${f##*/}" ] && rm -f "$f"
    done
    for f in "$src"/*; do
        cmp -s "$f" "$dst/${f##*/}" || cp "$f" "$dst/${f##*/}"
    done
    return 0
}

if [ ! -x "$out/baseline/oapigen" ] || [ "$(cat "$out/baseline/commit" 2>/dev/null)" != "$commit" ]; then
    rm -rf "$out/baseline"
    mkdir -p "$out/baseline"
    git -C "$root" archive "$commit" generator templates | tar -x -C "$out/baseline"
    build_generator "$out/baseline" "$out/baseline"
    echo "$commit" > "$out/baseline/commit"
fi
if [ -z "$oapigen" ]; then
    mkdir -p "$out/current"
    build_generator "$root" "$out/current"
    oapigen=$out/current/oapigen
fi

# The same specs, bundle oldhr (overlays name no bundle).
cp "$root"/specs/corehr/*.yaml "$out/specs-old/"
sed -i 's/^bundle: corehr$/bundle: oldhr/' "$out"/specs-old/*.yaml
grep -q '^bundle: oldhr$' "$out"/specs-old/*.yaml ||
    { echo "diffcodec: no 'bundle: corehr' line in specs/corehr" >&2; exit 1; }

OAPIGEN_TEMPLATES=$out/baseline/templates "$out/baseline/oapigen" generate \
    "$out/specs-old" -o "$out/fresh/old" --always-write
OAPIGEN_TEMPLATES=$root/templates "$oapigen" generate "$root/specs/corehr" -o "$out/fresh/new" \
    --always-write
sync_dir "$out/fresh/old" "$out/old"
sync_dir "$out/fresh/new" "$out/new"
rm -rf "$out/fresh"
OAPIGEN_TEMPLATES=$root/templates "$oapigen" generate "$root/specs/corehr" --dump-context \
    > "$out/context.json"
"$oapigen" render "$root/tests/diffcodec/diffcodec_types.h.mustache" "$out/context.json" \
    > "$out/diffcodec_types.h"
"$oapigen" render "$root/tests/e2e/e2e_cases.json.mustache" "$out/context.json" \
    > "$out/cases.json"
echo "diffcodec: old = $baseline's generator (bundle oldhr), new = $oapigen (bundle corehr)," \
    "$(grep -c '^DC_TYPE' "$out/diffcodec_types.h") structs"
