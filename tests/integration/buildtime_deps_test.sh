#!/usr/bin/env bash
# Build-time generation reruns when its inputs change: the build graph's edge
# that generates client/corehr.h must list every spec of specs/corehr/, every
# template (partials too) and the oapigen binary among its inputs, so that
# touching any of them regenerates on the next `meson compile`.
# (subproject_test.sh checks the same end to end, by touching files.)
#   buildtime_deps_test.sh BUILD_ROOT
set -euo pipefail
src=${OAPIGEN_SOURCE_ROOT:?}
build=${1:?usage: buildtime_deps_test.sh BUILD_ROOT}

query=$(ninja -C "$build" -t query client/corehr.h)
# The inputs of the edge, as absolute paths (ninja prints them relative to
# the build directory, implicit ones after "| ").
inputs=$(printf '%s\n' "$query" |
    sed -n '/^  input:/,/^  outputs:/{/^    /{s/^ *|* *//;p}}' |
    while IFS= read -r f; do (cd "$build" && realpath -m -- "$f"); done)

fail=0
expect() {
    if ! grep -qxF -- "$(realpath -m -- "$1")" <<<"$inputs"; then
        echo "FAIL: $1 is not an input of the corehr-generate step" >&2
        fail=1
    fi
}

n=0
while IFS= read -r -d '' f; do expect "$f"; n=$((n + 1)); done \
    < <(find "$src/templates" -name '*.mustache' -print0)
[ "$n" -gt 0 ] || { echo "FAIL: no templates found under $src/templates" >&2; exit 1; }
for f in "$src"/specs/corehr/*.yaml; do
    case $f in *.overlay.yaml) continue ;; esac   # the generator skips these
    expect "$f"
done
expect "$build/generator/oapigen"

if [ "$fail" -ne 0 ]; then
    printf 'ninja -t query client/corehr.h:\n%s\n' "$query" >&2
    exit 1
fi
echo "ok: $n templates, the specs and oapigen are inputs of corehr-generate"
