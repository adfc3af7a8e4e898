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

[ "$failures" -eq 0 ] && echo "lint-cli: all checks passed"
exit $((failures > 0))
