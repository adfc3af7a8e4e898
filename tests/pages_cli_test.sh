#!/bin/bash
# pages_cli_test.sh - `--all-pages` and `--max-items` of pagetest-cli (the
# CLI of the test-only bundle tests/fixtures/specs/pages) from the outside,
# against tests/support/mock_cli_server.c: JSON Lines on stdout, the token
# each request carried, errors. Run by meson with PAGETEST_CLI and
# MOCK_CLI_SERVER set.
set -u
cli=${PAGETEST_CLI:?}
mock=${MOCK_CLI_SERVER:?}
tmp=$(mktemp -d)
server_pid=
failures=0

cleanup() {
    [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid"
    rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

start_server() {
    rm -f "$tmp/url" "$tmp/log"
    "$mock" -o "$tmp/log" -t 60 "$@" >"$tmp/url" &
    server_pid=$!
    for _ in $(seq 200); do
        [ "$(wc -l <"$tmp/url" 2>/dev/null || echo 0)" -ge 1 ] && break
        sleep 0.05
    done
    url=$(head -n 1 "$tmp/url")
    [ -n "$url" ] || { fail "mock_cli_server did not start"; exit 1; }
}

stop_server() {
    kill -TERM "$server_pid"
    wait "$server_pid" || fail "mock_cli_server exited $?"
    server_pid=
}

run() {
    "$cli" --base-url "$url" --tenant-token t-pages-cli "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
}

expect_status() {
    [ "$status" -eq "$1" ] || fail "$2: exit status $status, want $1 (stderr: $(cat "$tmp/err"))"
}

# expect_out NAME LINE...: stdout is exactly these lines.
expect_out() {
    local name=$1
    shift
    printf '%s\n' "$@" >"$tmp/want"
    cmp -s "$tmp/want" "$tmp/out" || fail "$name: stdout is '$(cat "$tmp/out")', want '$(cat "$tmp/want")'"
}

page() {  # page ITEMS HAS_MORE [TOKEN]
    echo "{\"code\":0,\"msg\":\"ok\",\"data\":{\"items\":$1,\"has_more\":$2${3:+,\"page_token\":\"$3\"}}}"
}

# ---- GET: three pages, one item per line, each token sent -----------------

start_server -r 200 "$(page '[{"id":"a","rank":1},{"id":"b"}]' true p2)" \
             -r 200 "$(page '[]' true p3)" \
             -r 200 "$(page '[{"id":"c"}]' false)"
run list_things --all-pages --query page_size=2
expect_status 0 "three pages"
stop_server
expect_out "three pages" '{"id":"a","rank":1}' '{"id":"b"}' '{"id":"c"}'
[ "$(grep '^query' "$tmp/log" | tr '\n' ' ')" = "query page_size=2 query page_size=2&page_token=p2 query page_size=2&page_token=p3 " ] ||
    fail "three pages: the server saw $(grep '^query' "$tmp/log" | tr '\n' ' ')"

# Per-call options (--header) go with every page's request.
start_server -r 200 "$(page '[{"id":"a"}]' true p2)" \
             -r 200 "$(page '[{"id":"b"}]' false)"
run list_things --all-pages --header 'X-Page-Trace: t1'
expect_status 0 "header"
stop_server
expect_out "header" '{"id":"a"}' '{"id":"b"}'
[ "$(grep -c '^header X-Page-Trace: t1$' "$tmp/log")" -eq 2 ] ||
    fail "header: the server saw $(grep -c '^header X-Page-Trace' "$tmp/log") X-Page-Trace headers, want 2"

# --max-items: stops when it has N items; the next page is not fetched.
start_server -r 200 "$(page '[{"id":"a"},{"id":"b"}]' true p2)" \
             -r 200 "$(page '[{"id":"c"},{"id":"d"}]' true p3)" \
             -r 200 "$(page '[{"id":"e"}]' false)"
run list_things --all-pages --max-items 3
expect_status 0 "max items"
stop_server
expect_out "max items" '{"id":"a"}' '{"id":"b"}' '{"id":"c"}'
grep -qx 'count 2' "$tmp/log" || fail "max items: $(grep '^count' "$tmp/log") requests, want 2"

# ---- POST: the token goes in the body ------------------------------------------

echo '{"keyword":"x"}' >"$tmp/body.json"
start_server -r 200 '{"code":0,"msg":"ok","data":{"ids":["1","2"],"more":true,"next_cursor":"c2"}}' \
             -r 200 '{"code":0,"msg":"ok","data":{"ids":["3"],"more":false}}'
run search_things --all-pages --body "$tmp/body.json"
expect_status 0 "post"
stop_server
expect_out "post" '"1"' '"2"' '"3"'
grep -qxF 'body {"keyword":"x"}' "$tmp/log" || fail "post: first body $(grep '^body' "$tmp/log" | head -n 1)"
grep -qxF 'body {"keyword":"x","cursor":"c2"}' "$tmp/log" || fail "post: second body $(grep '^body' "$tmp/log" | tail -n 1)"

# ---- failures ----------------------------------------------------------------

# A server error on page 2: the items of page 1 are out, then exit 1.
start_server -r 200 "$(page '[{"id":"a"}]' true p2)" \
             -r 400 '{"code":1254000,"msg":"bad page"}'
run list_things --all-pages
expect_status 1 "error on page 2"
stop_server
expect_out "error on page 2" '{"id":"a"}'
grep -qF 'code 1254000' "$tmp/err" || fail "error on page 2: stderr $(cat "$tmp/err")"

# has_more with the token already sent: the typed error, never a loop.
start_server -r 200 "$(page '[{"id":"a"}]' true p2)" \
             -r 200 "$(page '[{"id":"b"}]' true p2)" \
             -r 200 "$(page '[{"id":"never"}]' false)"
run list_things --all-pages
expect_status 1 "repeated token"
stop_server
expect_out "repeated token" '{"id":"a"}' '{"id":"b"}'
grep -qF "the server's page tokens would loop" "$tmp/err" || fail "repeated token: stderr $(cat "$tmp/err")"
grep -qx 'count 2' "$tmp/log" || fail "repeated token: $(grep '^count' "$tmp/log") requests"

# Bad usage: exit 2, nothing sent.
start_server
run list_things --all-pages --max-items 0
expect_status 2 "max items 0"
run list_things --max-items 3
expect_status 2 "max items without all pages"
grep -qF -- '--max-items needs --all-pages' "$tmp/err" || fail "max items alone: $(cat "$tmp/err")"
stop_server
grep -qx 'count 0' "$tmp/log" || fail "bad usage sent a request: $(cat "$tmp/log")"

# Without --all-pages: one page, printed as the response data, as before.
start_server -r 200 "$(page '[{"id":"a"}]' true p2)"
run list_things
expect_status 0 "one page"
stop_server
grep -qF '"page_token":	"p2"' "$tmp/out" || fail "one page: stdout $(cat "$tmp/out")"

[ "$failures" -eq 0 ] && echo "pages-cli: all checks passed"
exit $((failures > 0))
