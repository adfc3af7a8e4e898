#!/usr/bin/env bash
# oapigen as a meson subproject: a scratch downstream project with this
# source tree in subprojects/oapigen generates the corehr client at build time
# through the subproject's oapigen_exe (the snippet of docs/build-integration.md),
# compiles a program that parses and validates a submit_probation body, and
# runs it. The subproject configures without its test suite (no cmocka, no
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
mkdir -p "$proj/specs"
cp "$src"/specs/corehr/*.yaml "$proj/specs/"
rm -f "$proj"/specs/*.overlay.yaml

cat >"$proj/meson.build" <<'MESON'
project('downstream', 'c',
  default_options: ['c_std=c11', 'warning_level=3', 'werror=true'])

oapigen = subproject('oapigen', default_options: ['tests=false'])
oapigen_exe = oapigen.get_variable('oapigen_exe')

cjson_dep = dependency('libcjson')
curl_dep = dependency('libcurl')

corehr_src = custom_target('corehr-generate',
  input: files('specs/create_probation_assessments.yaml',
               'specs/patch_international_assignment.yaml',
               'specs/patch_probation_assessment.yaml',
               'specs/submit_probation.yaml'),
  output: ['corehr.h', 'corehr.c', 'corehr_runtime.h', 'corehr_runtime.c',
           'corehr_http.h', 'corehr_http.c', 'corehr_api.h', 'corehr_api.c'],
  command: [oapigen_exe, 'generate', '@INPUT@', '-o', '@OUTDIR@', '--always-write'],
  depend_files: oapigen.get_variable('oapigen_template_files'))

corehr_lib = static_library('corehr', corehr_src, dependencies: [cjson_dep, curl_dep])
corehr_dep = declare_dependency(link_with: corehr_lib,
  sources: [corehr_src[0], corehr_src[2], corehr_src[4], corehr_src[6]],
  dependencies: [cjson_dep, curl_dep])

executable('probe', 'probe.c', dependencies: corehr_dep)
MESON

cat >"$proj/probe.c" <<'C'
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
        -Dbuildtype=plain "$@" >"$tmp/setup.log" 2>&1
}
setup "$build" || { cat "$tmp/setup.log"; fail "meson setup (tests=false)"; }
if setup "$tmp/control" -Doapigen:tests=true; then
    fail "control: tests=true configured without cmocka"
fi
grep -q cmocka "$tmp/setup.log" || { cat "$tmp/setup.log"; fail "control failed for another reason"; }
compile() { meson compile -C "$build" >"$tmp/compile.log" 2>&1 || { cat "$tmp/compile.log"; fail "meson compile $*"; }; }
compile

out=$("$build/probe")
expected='good: 0 violation(s)
bad: 2 violation(s) /employment_id /notes
malformed: unexpected JSON type at /employment_id'
[ "$out" = "$expected" ] || fail "probe printed:
$out
expected:
$expected"

# Regeneration: nothing changed -> nothing regenerated; then a spec, a template.
header=$build/corehr.h
stamp() { stat -c %y "$header"; }
t0=$(stamp)
compile "(no change)"
[ "$(stamp)" = "$t0" ] || fail "a second meson compile regenerated the client"
touch "$proj/specs/submit_probation.yaml"
compile "(spec touched)"
t1=$(stamp)
[ "$t1" != "$t0" ] || fail "touching a spec did not regenerate the client"
echo '/* edited banner */' >>"$proj/subprojects/oapigen/templates/partials/banner.mustache"
compile "(template edited)"
grep -q 'edited banner' "$header" || fail "editing a template did not regenerate the client"
"$build/probe" >/dev/null

echo "ok: generated through the subproject, built, ran; spec and template edits regenerate"
