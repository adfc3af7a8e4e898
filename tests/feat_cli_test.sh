#!/bin/bash
# feat_cli_test.sh - feat-cli (the CLI of the test-only bundle feat,
# tests/fixtures/specs/features) from the outside, against
# tests/support/mock_cli_server.c: what --query does with array parameters
# and json values. Run by meson with FEAT_CLI and MOCK_CLI_SERVER set.
set -u
cli=${FEAT_CLI:?}
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
    "$cli" --base-url "$url" --tenant-token t-feat-cli "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
}

expect_status() {
    [ "$status" -eq "$1" ] || fail "$2: exit status $status, want $1 (stderr: $(cat "$tmp/err"))"
}

# ---- array query parameters: one --query k=v per item ----------------------

start_server -r 200 '{"code":0,"msg":"ok","data":{"names":["x"]}}'
run list_employees --query employment_ids=a --query 'employment_ids=b c' \
    --query ids=12 --query ids=-3 --query flags=true --query page_size=5
expect_status 0 "array query"
stop_server
grep -qxF 'query employment_ids=a&employment_ids=b%20c&ids=12&ids=-3&flags=true&page_size=5' "$tmp/log" ||
    fail "array query: the server saw $(grep '^query' "$tmp/log")"
grep -qF '"x"' "$tmp/out" || fail "array query: output $(cat "$tmp/out")"

# A scalar given twice is bad usage: exit 2, nothing sent.
start_server
run list_employees --query employment_ids=a --query page_size=5 --query page_size=6
expect_status 2 "repeated scalar"
grep -qF 'query parameter page_size given twice' "$tmp/err" || fail "repeated scalar: $(cat "$tmp/err")"
run list_employees --query employment_ids=a --query ids=x
expect_status 2 "bad array item"
grep -qF "query parameter ids: 'x' is not a valid value" "$tmp/err" || fail "bad array item: $(cat "$tmp/err")"
run list_employees --query employment_ids=a --query ids=1.5
expect_status 2 "fractional array item"
grep -qF "/query/ids/0" "$tmp/err" || fail "fractional array item: $(cat "$tmp/err")"
stop_server
grep -qx 'count 0' "$tmp/log" || fail "bad usage sent a request: $(cat "$tmp/log")"

# ---- json values: sent and printed unchanged ------------------------------

printf '%s' '{"attributes":{"a":[1,"x",null],"b":{"c":true}},"extras":["s",2]}' >"$tmp/body.json"
start_server -r 200 '{"code":0,"msg":"ok","data":{"record":{"k":[1,{"z":null}]}}}'
run save_record --body "$tmp/body.json"
expect_status 0 "json body"
stop_server
grep -qxF 'body {"attributes":{"a":[1,"x",null],"b":{"c":true}},"extras":["s",2]}' "$tmp/log" ||
    fail "json body: the server saw $(grep '^body' "$tmp/log")"
tr -d ' \t\n' <"$tmp/out" | grep -qxF '{"record":{"k":[1,{"z":null}]}}' ||
    fail "json body: output $(cat "$tmp/out")"

# A json field that is required but missing: invalid request, exit 2.
printf '%s' '{"extras":[]}' >"$tmp/body.json"
start_server
run save_record --body "$tmp/body.json"
expect_status 2 "json required"
grep -qF '/body/attributes is required' "$tmp/err" || fail "json required: $(cat "$tmp/err")"
stop_server

# ---- nested arrays -----------------------------------------------------------

printf '%s' '{"matrix":[[1,2],[]],"tags":[[["a"]]],"cells":[[{"x":1}]]}' >"$tmp/body.json"
start_server -r 200 '{"code":0,"msg":"ok","data":{"matrix":[[3],[4,5]]}}'
run put_matrix --body "$tmp/body.json"
expect_status 0 "nested body"
stop_server
grep -qxF 'body {"matrix":[[1,2],[]],"tags":[[["a"]]],"cells":[[{"x":1}]]}' "$tmp/log" ||
    fail "nested body: the server saw $(grep '^body' "$tmp/log")"
tr -d ' \t\n' <"$tmp/out" | grep -qxF '{"matrix":[[3],[4,5]]}' ||
    fail "nested body: output $(cat "$tmp/out")"
printf '%s' '{"matrix":[[1,"x"]]}' >"$tmp/body.json"
start_server
run put_matrix --body "$tmp/body.json"
expect_status 2 "nested body type"
grep -qF '/body/matrix/0/1' "$tmp/err" || fail "nested body type: $(cat "$tmp/err")"
stop_server

[ "$failures" -eq 0 ] && echo "feat-cli: all checks passed"
exit $((failures > 0))
