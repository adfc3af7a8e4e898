#!/usr/bin/env bash
# `meson install` with -Dinstall_client=true: installs oapigen and its
# templates, the corehr library, its headers and corehr.pc. The installed
# oapigen uses the installed templates (even though this source tree exists)
# and generates the same client as the committed one; a program built with
# `pkg-config --cflags --libs corehr` links and runs.
set -euo pipefail
src=${OAPIGEN_SOURCE_ROOT:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oapigen-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
prefix=$tmp/prefix

meson setup "$tmp/build" "$src" --prefix="$prefix" -Dinstall_client=true -Dtests=false \
    -Dbuildtype=plain >"$tmp/setup.log" || { cat "$tmp/setup.log"; exit 1; }
meson compile -C "$tmp/build" >"$tmp/compile.log" || { cat "$tmp/compile.log"; exit 1; }
meson install -C "$tmp/build" --quiet >"$tmp/install.log" || { cat "$tmp/install.log"; exit 1; }

# What is installed.
for f in bin/oapigen bin/corehr-cli share/oapigen/templates/bundle.h.mustache \
         share/oapigen/templates/partials/banner.mustache \
         include/corehr/corehr.h include/corehr/corehr_runtime.h \
         include/corehr/corehr_http.h include/corehr/corehr_api.h; do
    [ -e "$prefix/$f" ] || fail "not installed: $f"
done
lib=$(find "$prefix" -name libcorehr.a) || true
[ -n "$lib" ] || fail "libcorehr.a not installed"
pc=$(find "$prefix" -name corehr.pc) || true
[ -n "$pc" ] || fail "corehr.pc not installed"

# The installed oapigen, away from any templates/ directory, without
# OAPIGEN_TEMPLATES, uses the installed templates.
mkdir -p "$tmp/work/sub"
cd "$tmp/work/sub"
version=$(env -u OAPIGEN_TEMPLATES "$prefix/bin/oapigen" --version)
grep -qxF "templates: $prefix/share/oapigen/templates" <<<"$version" ||
    fail "installed oapigen uses: $version"
env -u OAPIGEN_TEMPLATES "$prefix/bin/oapigen" generate "$src/specs/corehr" -o "$tmp/work/corehr"
OAPIGEN_TEMPLATES=$src/templates "$prefix/bin/oapigen" generate "$src/specs/corehr" -o "$tmp/work/ref"
diff -r "$tmp/work/ref" "$tmp/work/corehr" >/dev/null ||
    fail "the installed templates render differently from $src/templates"

# A program built against the installed library through pkg-config.
cat >"$tmp/work/main.c" <<'C'
#include <corehr_api.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    const char text[] = "{\"employment_id\":\"7140964208476371111\","
                        "\"conversion_mode\":2,\"submission_type\":\"system\"}";
    corehr_submit_probation_body_t *body = NULL;
    corehr_error_t err;
    corehr_violations_t v = {0};
    if (corehr_submit_probation_body_parse(&body, text, strlen(text), &err) < 0) {
        fprintf(stderr, "parse: %s\n", err.message);
        return 1;
    }
    int n = corehr_submit_probation_body_validate(body, &v);
    corehr_client_t *client = NULL;
    corehr_global_init();
    int rc = corehr_client_new(&client, NULL, &err);
    printf("violations %d, client %s\n", n, rc == 0 ? "ok" : err.message);
    corehr_client_free(client);
    corehr_global_cleanup();
    corehr_violations_free(&v);
    corehr_submit_probation_body_free(body);
    return n == 0 && rc == 0 ? 0 : 1;
}
C
export PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --cflags --libs corehr)
cc -std=c11 -Wall -Wextra -Wpedantic -Werror "$tmp/work/main.c" -o "$tmp/work/main" $flags ||
    fail "cannot build with pkg-config flags: $flags"
out=$("$tmp/work/main")
[ "$out" = "violations 0, client ok" ] || fail "program printed '$out'"
echo "ok: installed oapigen + templates + corehr (pkg-config: $flags)"
