#!/usr/bin/env bash
# Vendoring: generated/corehr/ alone, copied into a scratch project, builds
# (1) with its own meson.build as subprojects/corehr, needing only libcjson
# and libcurl, and (2) with a plain `cc *.c -lcjson -lcurl`; each with gcc
# and clang at -std=c11 -Wall -Wextra -Wpedantic -Werror. A small program
# using corehr_api.h, and the generated CLI, run.
set -euo pipefail
src=${OAPIGEN_SOURCE_ROOT:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oapigen-vendor.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
proj=$tmp/proj
warn=(-std=c11 -Wall -Wextra -Wpedantic -Werror)

mkdir -p "$proj/subprojects"
cp -r "$src/generated/corehr" "$proj/subprojects/corehr"

cat >"$proj/probe.c" <<'C'
#include "corehr_api.h"
#include <stdio.h>
#include <string.h>

int main(void)
{
    const char text[] = "{\"employment_id\":\"7140964208476371111\","
                        "\"conversion_mode\":1,\"submission_type\":\"system\"}";
    corehr_submit_probation_request_t req = {0};
    corehr_submit_probation_body_t *body = NULL;
    corehr_violations_t v = {0};
    corehr_error_t err;
    corehr_client_options_t opts;
    corehr_client_t *client = NULL;

    if (corehr_submit_probation_body_parse(&body, text, strlen(text), &err) < 0)
        return printf("parse: %s\n", err.message), 1;
    req.body = *body;   /* shallow: body still owns the strings */
    int n = corehr_submit_probation_request_validate(&req, &v);
    printf("%d violation(s):", n);
    for (size_t i = 0; i < v.count; i++)
        printf(" %s (%s)", v.items[i].path, v.items[i].message);
    printf("\n");

    corehr_global_init();
    corehr_client_options_init(&opts);
    opts.base_url = COREHR_BASE_URL_LARK;
    if (corehr_client_new(&client, &opts, &err) < 0)
        return printf("client: %s\n", err.message), 1;
    /* Invalid requests fail before anything is sent. */
    corehr_submit_probation_data_t *data = NULL;
    int rc = corehr_submit_probation(client, &req, &data, &err);
    printf("call: %s\n", corehr_strerror(rc));
    corehr_client_free(client);
    corehr_global_cleanup();
    corehr_violations_free(&v);
    corehr_submit_probation_body_free(body);
    return 0;
}
C
expected='1 violation(s): /body/notes'
check_probe() {  # check_probe EXE
    local out
    out=$("$1") || fail "$1 failed: $out"
    case $out in
        "$expected"*"call: request failed validation") ;;
        *) fail "$1 printed: $out" ;;
    esac
}

check_cli() {  # check_cli EXE
    # grep reads all of --help (grep -q would stop early and SIGPIPE the CLI)
    "$1" --help | grep '^usage: corehr-cli' >/dev/null || fail "$1 --help"
}

# (1) meson, the folder as a subproject.
cat >"$proj/meson.build" <<'MESON'
project('vendoring', 'c', default_options: ['c_std=c11', 'warning_level=3', 'werror=true'])
corehr_dep = subproject('corehr').get_variable('corehr_dep')
executable('probe', 'probe.c', dependencies: corehr_dep)
MESON
# Only libcjson and libcurl can be found: pkg-config sees just their .pc
# files, and meson's CMake lookup is off.
mkdir -p "$tmp/pc"
for m in libcjson libcurl; do
    cp "$(pkg-config --variable=pcfiledir "$m")/$m.pc" "$tmp/pc/"
done
printf "[binaries]\ncmake = 'false'\n" >"$tmp/native.ini"
for cc in gcc clang; do
    build=$tmp/build-$cc
    CC=$cc PKG_CONFIG_LIBDIR=$tmp/pc meson setup "$build" "$proj" --native-file "$tmp/native.ini" \
        -Dbuildtype=plain -Dcorehr:werror=true \
        >"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; fail "$cc: meson setup"; }
    meson compile -C "$build" >"$tmp/compile.log" 2>&1 ||
        { cat "$tmp/compile.log"; fail "$cc: meson compile"; }
    grep -q -- '-Werror' "$build/compile_commands.json" || fail "$cc: not built with -Werror"
    grep -q -- '-Wpedantic' "$build/compile_commands.json" || fail "$cc: not built with -Wpedantic"
    deps=$(sed -n "s/^Determining dependency '\([^']*\)'.*/\1/p" \
           "$build/meson-logs/meson-log.txt" | sort -u | tr '\n' ' ')
    [ "$deps" = "libcjson libcurl " ] || fail "$cc: the vendored build looks for: $deps"
    check_probe "$build/probe"
    check_cli "$build/subprojects/corehr/corehr-cli"
done

# (2) no meson: the C files and the two libraries.
mkdir -p "$tmp/plain"
cp "$src"/generated/corehr/*.c "$src"/generated/corehr/*.h "$tmp/plain/"
cd "$tmp/plain"
for cc in gcc clang; do
    $cc "${warn[@]}" *.c -o "corehr-cli-$cc" -lcjson -lcurl ||
        fail "$cc: cc *.c -lcjson -lcurl"
    check_cli "./corehr-cli-$cc"
    lib=(corehr.c corehr_runtime.c corehr_http.c corehr_api.c)
    $cc "${warn[@]}" -I. "${lib[@]}" "$proj/probe.c" -o "probe-$cc" -lcjson -lcurl ||
        fail "$cc: probe without meson"
    check_probe "./probe-$cc"
done

echo "ok: generated/corehr builds alone with meson and with plain cc (gcc, clang)"
