#!/bin/bash
# files_cli_test.sh - uploads and downloads through the generated CLI of
# the test bundle `files` (tests/fixtures/specs/files), against a local
# server (tests/support/mock_cli_server.c): --form/--file make a
# multipart body, --output PATH|- receives a download. Run by meson with
# FILES_CLI and MOCK_CLI_SERVER set.
set -u
cli=${FILES_CLI:?}
mock=${MOCK_CLI_SERVER:?}
tmp=$(mktemp -d)
server_pid=
failures=0
TOKEN=t-files-cli-secret-6f2a9c
unset FEISHU_TENANT_ACCESS_TOKEN FEISHU_APP_ID FEISHU_APP_SECRET

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
        [ "$(wc -l <"$tmp/url")" -ge 1 ] && break
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
    "$cli" --base-url "$url" --tenant-token "$TOKEN" "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
}

expect_status() {
    [ "$status" -eq "$1" ] || fail "$2: exit status $status, want $1 (stderr: $(cat "$tmp/err"))"
}

expect_in() {
    grep -qF -- "$2" "$1" || fail "$3: '$2' not in $(basename "$1"): $(cat "$1")"
}

# ---- upload: form fields and a file part ------------------------------------
printf 'hello upload\n' >"$tmp/video.txt"
start_server -r 200 '{"code":0,"msg":"success","data":{"file_key":"file_k1"}}'
run upload_file --form file_type=stream --form 'file_name=测试.txt' --form duration=3000 \
    --file "file=@$tmp/video.txt"
stop_server
expect_status 0 "upload"
expect_in "$tmp/out" '"file_key":	"file_k1"' "upload output"
expect_in "$tmp/log" "part file_type - - 6 stream" "upload file_type part"
expect_in "$tmp/log" "part file_name - - 10 测试.txt" "upload file_name part"
expect_in "$tmp/log" "part duration - - 4 3000" "upload duration part (an int as text)"
expect_in "$tmp/log" "part file video.txt application/octet-stream 13 hello upload" "upload file part"

# form fields from a JSON --body, a --form overriding one of them
printf '{"file_type":"pdf","file_name":"a.pdf"}' >"$tmp/body.json"
start_server -r 200 '{"code":0,"msg":"success","data":{"file_key":"file_k2"}}'
run upload_file --body "$tmp/body.json" --form file_name=b.pdf --file "file=@$tmp/video.txt"
stop_server
expect_status 0 "upload with --body"
expect_in "$tmp/log" "part file_type - - 3 pdf" "--body field"
expect_in "$tmp/log" "part file_name - - 5 b.pdf" "--form wins over --body"

# the required file missing: refused before sending
start_server
run upload_file --form file_type=stream --form file_name=x
stop_server
expect_status 2 "upload without file"
expect_in "$tmp/err" "/body/file is required" "upload without file"
expect_in "$tmp/log" "count 0" "nothing sent without the file"

# an unknown file field
start_server
run upload_file --form file_type=stream --form file_name=x --file "video=@$tmp/video.txt"
stop_server
expect_status 2 "unknown --file name"
expect_in "$tmp/err" "NAME one of: file thumbnail" "unknown --file name lists the known ones"

# ---- download: to a path, to stdout, an error envelope -----------------------
printf 'binary\000bytes\377\n' >"$tmp/payload"
start_server -r 200 "@$tmp/payload" -T application/octet-stream \
    -H "Content-Disposition: attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.bin"
run download_file --path file_key=file_k1 --output "$tmp/got.bin"
stop_server
expect_status 0 "download to a path"
cmp -s "$tmp/payload" "$tmp/got.bin" || fail "download to a path: bytes differ"
expect_in "$tmp/out" '"filename":	"报告.bin"' "download summary filename"
expect_in "$tmp/out" '"size":	14' "download summary size"
expect_in "$tmp/log" "path /open-apis/im/v1/files/file_k1" "download path"

start_server -r 200 "@$tmp/payload" -T application/octet-stream
run download_file --path file_key=file_k1 --output -
stop_server
expect_status 0 "download to stdout"
cmp -s "$tmp/payload" "$tmp/out" || fail "download to stdout: bytes differ"

start_server -r 400 '{"code":234005,"msg":"Image has been deleted"}' -H "X-Tt-Logid: log-cli-1"
run download_file --path file_key=file_k1 --output "$tmp/deleted.bin"
stop_server
expect_status 1 "download answered with an error"
expect_in "$tmp/err" "code 234005: Image has been deleted" "download error code"
expect_in "$tmp/err" "log id log-cli-1" "download error log id"
[ -e "$tmp/deleted.bin" ] && fail "a failed download left $tmp/deleted.bin"
ls "$tmp" | grep -q '^deleted.bin' && fail "a failed download left a temporary file"

start_server
run download_file --path file_key=file_k1
stop_server
expect_status 2 "download without --output"
expect_in "$tmp/err" "give --output PATH" "download without --output"

[ "$failures" -eq 0 ] && echo "files-cli: all checks passed"
exit $((failures > 0))
