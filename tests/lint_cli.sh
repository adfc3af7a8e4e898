#!/bin/bash
# lint_cli.sh - `oapigen lint` from the outside: exit status and stderr.
# Run by meson with OAPIGEN_EXE and OAPIGEN_SOURCE_ROOT set.
set -u
cd "${OAPIGEN_SOURCE_ROOT:?}" || exit 1
exe=${OAPIGEN_EXE:?}
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# The real specs lint cleanly and silently.
err=$("$exe" lint specs/corehr 2>&1 >/dev/null)
status=$?
[ "$status" -eq 0 ] || fail "lint specs/corehr exited $status"
[ -z "$err" ] || fail "lint specs/corehr printed: $err"

# A broken spec: status 1 and the positioned message on stderr, nothing on stdout.
bad=tests/fixtures/specs/bad/unknown_method.yaml
want="$bad:6:11: error: unknown method 'FETCH' (known: GET, POST, PUT, PATCH, DELETE)"
out=$("$exe" lint "$bad" 2>/dev/null)
err=$("$exe" lint "$bad" 2>&1 >/dev/null)
status=$?
[ "$status" -eq 1 ] || fail "lint $bad exited $status, want 1"
[ "$err" = "$want" ] || fail "lint $bad printed '$err', want '$want'"
[ -z "$out" ] || fail "lint $bad wrote to stdout: $out"

# Several files, one broken: still status 1, and the good ones stay quiet.
err=$("$exe" lint specs/corehr "$bad" 2>&1 >/dev/null)
status=$?
[ "$status" -eq 1 ] || fail "lint specs/corehr $bad exited $status, want 1"
[ "$err" = "$want" ] || fail "lint specs/corehr $bad printed '$err'"

# No spec at all is a usage error.
"$exe" lint 2>/dev/null
status=$?
[ "$status" -eq 2 ] || fail "lint without arguments exited $status, want 2"

# import-doc: a warning is printed and the spec written (status 0);
# --strict makes it an error (status 1, nothing written).
page=tests/fixtures/import/warning.md
want="$page:14:37: warning: scope '获取示例信息' has no '(name)'; left out"
err=$("$exe" import-doc "$page" 2>&1 >/dev/null)
status=$?
[ "$status" -eq 0 ] || fail "import-doc $page exited $status, want 0"
[ "$err" = "$want" ] || fail "import-doc $page printed '$err', want '$want'"
out=$("$exe" import-doc --strict "$page" 2>/dev/null)
err=$("$exe" import-doc --strict "$page" 2>&1 >/dev/null)
status=$?
[ "$status" -eq 1 ] || fail "import-doc --strict $page exited $status, want 1"
[ "$err" = "${want/: warning:/: error:}" ] || fail "import-doc --strict $page printed '$err'"
[ -z "$out" ] || fail "import-doc --strict $page wrote to stdout: $out"

# Notes and a special rate limit reach the reference and the Doxygen comment.
tmp=$(mktemp -d)
if "$exe" generate tests/fixtures/specs/good/notes.yaml -o "$tmp/out" 2>/dev/null; then
    for line in '**前提条件**' '- 应用需要开启机器人能力。' '每次最多 50 条。' \
                '- Rate limit: special, not enforced by the client: 特殊频控'; do
        grep -qxF -- "$line" "$tmp/out/corehr.md" || fail "corehr.md lacks '$line'"
    done
    for line in ' * @par 前提条件' ' * - 第二条' ' * @par 使用限制' \
                ' * Rate limit: special, not enforced by the client: 特殊频控'; do
        grep -qxF -- "$line" "$tmp/out/corehr_api.h" || fail "corehr_api.h lacks '$line'"
    done
else
    fail "generate tests/fixtures/specs/good/notes.yaml failed"
fi
rm -rf "$tmp"

# The reference documents every type with C types: a section with an anchor
# per named type and list struct, member types as the header declares them
# (with has_x / x_count), links from nested fields to the type's anchor,
# and the paging functions of a paginated endpoint.
tmp=$(mktemp -d)
if "$exe" generate tests/fixtures/specs/features -o "$tmp/out" 2>/dev/null &&
   "$exe" generate tests/fixtures/specs/pages -o "$tmp/pages" 2>/dev/null; then
    md=$tmp/out/feat.md
    for line in '<a id="feat_cell"></a>' '### `feat_cell_t`' \
                '<a id="feat_cell_list"></a>' '### `feat_cell_list_t`' \
                '| `x` | `x` | `int32_t` + `has_x` | yes |  |  |' \
                '| `cells` | `cells` | [`feat_cell_list_t *`](#feat_cell_list) + `cells_count` | no |  |  |' \
                '| `detail` | `detail` | [`feat_detail_t *`](#feat_detail) | no |  |  |' \
                '| `extras` | `extras` | `cJSON **` + `extras_count` | no | at most 2 items |  |' \
                '<a id="feat_list_employees"></a>' \
                '| `statuses` | `statuses` | `char **` + `statuses_count` | no | one of active, left; values in [`feat_statuses_t`](#feat_statuses) |  |' \
                '<a id="feat_statuses"></a>' '| `FEAT_STATUSES_LEFT` | `left` |  |'; do
        grep -qxF -- "$line" "$md" || fail "feat.md lacks '$line'"
    done
    for line in '<a id="pagetest_list_things"></a>' \
                'int pagetest_list_things_pages_new(pagetest_list_things_pages_t **out, pagetest_client_t *c,' \
                'int pagetest_list_things_pages_next(pagetest_list_things_pages_t *it, pagetest_list_things_data_t **page,' \
                'void pagetest_list_things_pages_free(pagetest_list_things_pages_t *it);'; do
        grep -qxF -- "$line" "$tmp/pages/pagetest.md" || fail "pagetest.md lacks '$line'"
    done
    grep -qF 'pagetest_list_things_all(pagetest_client_t *c' "$tmp/pages/pagetest.md" ||
        fail "pagetest.md lacks the _all signature"
    # every link inside the page has its anchor
    for target in $(grep -o '](#[a-z0-9_]*)' "$md" | sort -u | sed 's/](#\(.*\))/\1/'); do
        grep -qxF "<a id=\"$target\"></a>" "$md" || fail "feat.md links #$target, which has no anchor"
    done
    # every named type of the header has its section
    for t in $(sed -n 's/^typedef struct \(feat_[a-z0-9_]*\) {$/\1/p' "$tmp/out/feat.h"); do
        case $t in feat_list_employees_* | feat_put_matrix_* | feat_save_record_*) continue ;; esac
        grep -qxF "### \`${t}_t\`" "$md" || fail "feat.md has no section for ${t}_t"
    done
    # a multi-line error advice of the real specs stays one table row
    "$exe" generate specs/corehr -o "$tmp/corehr" 2>/dev/null || fail "generate specs/corehr failed"
    broken=$(awk '/^\| (HTTP|field) \|/ { t = 1; next } t && /^$/ { t = 0 } t && !/^\|/' "$tmp/corehr/corehr.md")
    [ -z "$broken" ] || fail "corehr.md has a table row broken over lines: $broken"
else
    fail "generate tests/fixtures/specs/features or pages failed"
fi
rm -rf "$tmp"

[ "$failures" -eq 0 ] && echo "lint-cli: all checks passed"
exit $((failures > 0))
