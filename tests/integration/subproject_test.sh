#!/usr/bin/env bash
# oapigen as a meson subproject: a scratch downstream project with this
# source tree in subprojects/oapigen, whose meson.build and corehr/meson.build
# are taken verbatim from docs/build-integration.md, generates the corehr
# client at build time from the subproject's corehr_specs into
# <builddir>/corehr/, compiles a program that parses and validates a
# submit_probation body, and runs it. The subproject configures without its test suite (no cmocka, no
# libmicrohttpd). Then, end to end: a second `meson compile` regenerates
# nothing, touching a spec or editing a template regenerates.
set -euo pipefail
src=${OAPIGEN_SOURCE_ROOT:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oapigen-subproject.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
proj=$tmp/proj
build=$tmp/build

# The files git knows (tracked, or new and not ignored) as they are in the
# working tree, so uncommitted changes are tested too; without git, the tree
# minus build directories.
copy_tree() {
    local list
    mkdir -p "$2"
    if list=$(cd "$1" && git ls-files -z --cached --others --exclude-standard 2>/dev/null | tr '\0' '\n') &&
       [ -n "$list" ]; then
        (cd "$1" && while IFS= read -r f; do
             if [ -e "$f" ]; then printf '%s\0' "$f"; fi
         done <<<"$list" | tar --null -T - -cf -) | tar -C "$2" -xf -
    else
        tar -C "$1" --exclude='./build*' -cf - . | tar -C "$2" -xf -
    fi
}
copy_tree "$src" "$proj/subprojects/oapigen"

# The build files are the blocks of docs/build-integration.md, verbatim: each
# is the ```meson block after the comment naming the file.
doc_block() {  # doc_block FILE
    awk -v want="<!-- subproject_test.sh runs this block as $1 -->" '
        $0 == want { found = 1; next }
        found && /^```meson$/ { inside = 1; next }
        inside && /^```$/ { exit }
        inside { print }' "$src/docs/build-integration.md"
}
mkdir -p "$proj/corehr"
doc_block meson.build >"$proj/meson.build"
doc_block corehr/meson.build >"$proj/corehr/meson.build"
grep -q "get_variable('corehr_specs')" "$proj/meson.build" ||
    fail "no meson.build block in docs/build-integration.md"
grep -q "custom_target" "$proj/corehr/meson.build" ||
    fail "no corehr/meson.build block in docs/build-integration.md"
# -Werror on top of the documented options: the generated code is warning-free.
werror=(-Dwerror=true)

cat >"$proj/main.c" <<'C'
#include "corehr_api.h"
#include <stdio.h>
#include <string.h>

static void check(const char *label, const char *text)
{
    corehr_submit_probation_body_t *body = NULL;
    corehr_error_t err;
    corehr_violations_t v = {0};
    printf("%s:", label);
    if (corehr_submit_probation_body_parse(&body, text, strlen(text), &err) < 0) {
        printf(" %s at %s\n", corehr_strerror(err.code), err.path);
        return;
    }
    printf(" %d violation(s)", corehr_submit_probation_body_validate(body, &v));
    for (size_t i = 0; i < v.count; i++)
        printf(" %s", v.items[i].path);
    printf("\n");
    corehr_violations_free(&v);
    corehr_submit_probation_body_free(body);
}

int main(void)
{
    check("good", "{\"employment_id\":\"7140964208476371111\",\"conversion_mode\":2,"
                  "\"submission_type\":\"system\"}");
    check("bad", "{\"conversion_mode\":1,\"submission_type\":\"system\"}");
    check("malformed", "{\"employment_id\":7}");
    return 0;
}
C

# Without its tests the subproject must not need cmocka or libmicrohttpd:
# pkg-config sees only what the generator and the client need, and meson's
# CMake lookup is off. With tests=true the same setup fails (the control).
mkdir -p "$tmp/pc"
for m in yaml-0.1 libcjson libcurl; do
    cp "$(pkg-config --variable=pcfiledir "$m")/$m.pc" "$tmp/pc/"
done
printf "[binaries]\ncmake = 'false'\n" >"$tmp/native.ini"
setup() {  # setup BUILD_DIR [OPTIONS]
    local dir=$1
    shift
    PKG_CONFIG_LIBDIR=$tmp/pc meson setup "$dir" "$proj" --native-file "$tmp/native.ini" \
        -Dbuildtype=plain "${werror[@]}" "$@" >"$tmp/setup.log" 2>&1
}
setup "$build" || { cat "$tmp/setup.log"; fail "meson setup (tests=false)"; }
if setup "$tmp/control" -Doapigen:tests=true; then
    fail "control: tests=true configured without cmocka"
fi
grep -q cmocka "$tmp/setup.log" || { cat "$tmp/setup.log"; fail "control failed for another reason"; }
compile() { meson compile -C "$build" >"$tmp/compile.log" 2>&1 || { cat "$tmp/compile.log"; fail "meson compile $*"; }; }
compile

out=$("$build/myapp")
expected='good: 0 violation(s)
bad: 2 violation(s) /employment_id /notes
malformed: unexpected JSON type at /employment_id'
[ "$out" = "$expected" ] || fail "myapp printed:
$out
expected:
$expected"

# The generated files are in <builddir>/corehr/, none at the top.
[ -f "$build/corehr/corehr_api.h" ] || fail "no corehr_api.h in the build's corehr/"
for f in corehr.h corehr_api.c README.md corehr.md; do
    [ -e "$build/$f" ] && fail "$f generated at the top of the build directory"
done

# Regeneration: nothing changed -> nothing regenerated; then a spec, a template.
header=$build/corehr/corehr.h
stamp() { stat -c %y "$header"; }
t0=$(stamp)
compile "(no change)"
[ "$(stamp)" = "$t0" ] || fail "a second meson compile regenerated the client"
touch "$proj/subprojects/oapigen/specs/corehr/submit_probation.yaml"
compile "(spec touched)"
t1=$(stamp)
[ "$t1" != "$t0" ] || fail "touching a spec did not regenerate the client"
echo '/* edited banner */' >>"$proj/subprojects/oapigen/templates/partials/banner.mustache"
compile "(template edited)"
grep -q 'edited banner' "$header" || fail "editing a template did not regenerate the client"
"$build/myapp" >/dev/null

echo "ok: generated through the subproject, built, ran; spec and template edits regenerate"
