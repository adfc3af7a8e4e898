#!/bin/bash
# cli_test.sh - the generated corehr-cli from the outside, against a local
# server (tests/support/mock_cli_server.c): exit status, stdout, stderr, and
# the request the server saw. Run by meson with COREHR_CLI and
# MOCK_CLI_SERVER set; python3 compares JSON values.
set -u
cli=${COREHR_CLI:?}
mock=${MOCK_CLI_SERVER:?}
# Debian's python3 (a bootstrap package) first: wrappers such as pyenv shims
# can take seconds per start.
python=/usr/bin/python3
[ -x "$python" ] || python=python3
tmp=$(mktemp -d)
server_pid=
failures=0

cleanup() {
    [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid"
    rm -rf "$tmp"
}
trap cleanup EXIT

# Credentials only come from what each check sets.
unset FEISHU_TENANT_ACCESS_TOKEN FEISHU_APP_ID FEISHU_APP_SECRET

TOKEN=t-cli-secret-0c7e4b2a91
ENV_TOKEN=t-cli-env-secret-5d1f8e
APP_SECRET=cli-app-secret-9a8b7c
FETCHED=t-cli-fetched-3e6a0d
SUBMIT_PATH=/open-apis/corehr/v2/probation/submit
ASSIGNMENTS=/open-apis/corehr/v2/employees/international_assignments
UUID='[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# ---- helpers -------------------------------------------------------------

# start_server [-r STATUS BODY [-H HEADER]...]...: serves the canned
# responses in order; sets $url.
start_server() {
    rm -f "$tmp/url" "$tmp/log"
    "$mock" -o "$tmp/log" -t 60 "$@" >"$tmp/url" &
    server_pid=$!
    for _ in $(seq 200); do
        [ "$(wc -l <"$tmp/url")" -ge 1 ] && break
        sleep 0.05
    done
    url=$(head -n 1 "$tmp/url")
    if [ -z "$url" ]; then
        fail "mock_cli_server did not start"
        exit 1
    fi
}

# stop_server: ends the server; $tmp/log then holds what it received.
stop_server() {
    kill -TERM "$server_pid"
    wait "$server_pid" || fail "mock_cli_server exited $?"
    server_pid=
}

# run ARGS...: runs the CLI; $status, $tmp/out and $tmp/err.
run() {
    "$cli" "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
}

# expect_status WANT WHAT
expect_status() {
    [ "$status" -eq "$1" ] || fail "$2: exit status $status, want $1 (stderr: $(cat "$tmp/err"))"
}

# expect_in FILE TEXT WHAT: FILE contains TEXT literally.
expect_in() {
    grep -qF -- "$2" "$1" || fail "$3: '$2' not in $(basename "$1"): $(cat "$1")"
}

# log_line REGEX WHAT: the server log has a line matching REGEX.
log_line() {
    grep -qE -- "$1" "$tmp/log" || fail "$2: no line /$1/ in the request log: $(cat "$tmp/log")"
}

# expect_requests N WHAT
expect_requests() {
    local n
    n=$(sed -n 's/^count //p' "$tmp/log")
    [ "$n" = "$1" ] || fail "$2: the server received ${n:-?} requests, want $1"
}

# no_secret WHAT: neither stdout nor stderr holds a token or secret.
no_secret() {
    local s
    for s in "$TOKEN" "$ENV_TOKEN" "$APP_SECRET" "$FETCHED"; do
        if grep -qF -- "$s" "$tmp/out" "$tmp/err"; then
            fail "$1: the secret $s was printed"
        fi
    done
}

# json_equal A_FILE B_FILE [KEY]: A equals B (or B's member KEY) as JSON.
json_equal() {
    "$python" - "$@" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
b = json.load(open(sys.argv[2], encoding="utf-8"))
if len(sys.argv) > 3:
    b = b[sys.argv[3]]
sys.exit(0 if a == b else 1)
EOF
}

# body_of N: the body line of request N of the log, into $tmp/body.
body_of() {
    awk -v want="request $1" '$0 == want { on = 1; next }
        on && /^body / { sub(/^body /, ""); print; exit }' "$tmp/log" >"$tmp/body"
}

# ---- fixtures: the doc examples of submit_probation (the response shortened)

cat >"$tmp/submit.json" <<'EOF'
{
    "employment_id": "7140964208476371111",
    "conversion_mode": 1,
    "actual_probation_end_date": "2022-05-20",
    "submission_type": "system",
    "initiator_id": "7140964208476371111",
    "notes": "符合预期",
    "self_review": "符合预期",
    "custom_fields": [
        {
            "custom_api_name": "name",
            "name": {"zh_cn": "自定义姓名", "en_us": "Custom Name"},
            "type": 1,
            "value": "231"
        }
    ]
}
EOF

cat >"$tmp/submit_response.json" <<'EOF'
{
    "code": 0,
    "msg": "success",
    "data": {
        "probation_info": {
            "employment_id": "6893014062142064135",
            "probation_id": "6893014062142064132",
            "probation_start_date": "2022-05-20",
            "probation_expected_end_date": "2022-05-28",
            "actual_probation_end_date": "2022-06-28",
            "initiating_time": "2022-07-28",
            "submission_type": {"enum_name": "phone_type", "display": [{"lang": "zh-CN", "value": "张三"}]},
            "initiator_id": "6893014062142061135",
            "probation_status": {"enum_name": "phone_type", "display": [{"lang": "zh-CN", "value": "张三"}]},
            "self_review": "符合预期",
            "notes": "高潜",
            "process_id": "6893014062142164135",
            "converted_via_bpm": false,
            "custom_fields": [
                {
                    "custom_api_name": "name",
                    "name": {"zh_cn": "自定义姓名", "en_us": "Custom Name"},
                    "type": 1,
                    "value": "231"
                }
            ],
            "final_assessment_score": 99.9,
            "final_assessment_comment": "超出预期",
            "final_assessment_detail": "暂无示例"
        }
    }
}
EOF

# The same body without its required employment_id.
grep -v '"employment_id"' "$tmp/submit.json" >"$tmp/no_employment.json"
echo '{"work_location_id": "7127921432117937708"}' >"$tmp/assignment.json"

# ---- usage ---------------------------------------------------------------

run --help
expect_status 0 "--help"
for line in "submit_probation" "发起转正" "create_probation_assessments" "新增试用期考核信息" \
            "patch_probation_assessment" "更新试用期考核信息" \
            "patch_international_assignment" "更新外派信息"; do
    expect_in "$tmp/out" "$line" "--help"
done
[ -s "$tmp/err" ] && fail "--help wrote to stderr: $(cat "$tmp/err")"

run no_such_endpoint --tenant-token "$TOKEN"
expect_status 2 "unknown endpoint"
expect_in "$tmp/err" "unknown endpoint 'no_such_endpoint'" "unknown endpoint"
[ -s "$tmp/out" ] && fail "unknown endpoint wrote to stdout"

# ---- a call that succeeds ------------------------------------------------

start_server -r 200 "@$tmp/submit_response.json" -H "X-Tt-Logid: log-cli-ok"
run submit_probation --body "$tmp/submit.json" --query user_id_type=open_id \
    --tenant-token "$TOKEN" --base-url "$url"
stop_server
expect_status 0 "submit_probation"
json_equal "$tmp/out" "$tmp/submit_response.json" data ||
    fail "submit_probation printed something else than the response data: $(cat "$tmp/out")"
expect_requests 1 "submit_probation"
log_line "^method POST$" "submit_probation"
log_line "^path $SUBMIT_PATH$" "submit_probation"
log_line "^query client_token=$UUID&user_id_type=open_id$" "submit_probation"
log_line "^header Authorization: Bearer $TOKEN$" "submit_probation"
log_line "^header Content-Type: application/json; charset=utf-8$" "submit_probation"
body_of 0
json_equal "$tmp/body" "$tmp/submit.json" || fail "submit_probation sent the body $(cat "$tmp/body")"
no_secret "submit_probation"

# --verbose logs the call on stderr, never the token.
start_server -r 200 "@$tmp/submit_response.json"
run --verbose submit_probation --body - --tenant-token "$TOKEN" --base-url "$url" \
    <"$tmp/submit.json"
stop_server
expect_status 0 "--verbose"
expect_in "$tmp/err" "submit_probation" "--verbose"
no_secret "--verbose"

# ---- nothing invalid is sent ----------------------------------------------

start_server -r 200 "@$tmp/submit_response.json"
run submit_probation --body "$tmp/no_employment.json" --query user_id_type=open_id \
    --tenant-token "$TOKEN" --base-url "$url"
stop_server
expect_status 2 "missing employment_id"
expect_in "$tmp/err" "invalid request: /body/employment_id is required" "missing employment_id"
expect_requests 0 "missing employment_id"
[ -s "$tmp/out" ] && fail "missing employment_id wrote to stdout"

# 限制两位小数: 37.555 is refused, 37.55 (stored as 37.549999...) is sent.
printf '{"weekly_working_hours_v2": 37.555}' >"$tmp/hours3.json"
start_server -r 200 '{"code":0,"msg":"ok","data":{}}'
run patch_international_assignment --path international_assignment_id=1 \
    --body "$tmp/hours3.json" --tenant-token "$TOKEN" --base-url "$url"
stop_server
expect_status 2 "three decimal places"
expect_in "$tmp/err" "invalid request: /body/weekly_working_hours_v2 must have at most 2 decimal places (37.555 has 3)" "three decimal places"
expect_requests 0 "three decimal places"

printf '{"weekly_working_hours_v2": 37.55}' >"$tmp/hours2.json"
start_server -r 200 '{"code":0,"msg":"ok","data":{}}'
run patch_international_assignment --path international_assignment_id=1 \
    --body "$tmp/hours2.json" --tenant-token "$TOKEN" --base-url "$url"
stop_server
expect_status 0 "two decimal places"
expect_requests 1 "two decimal places"

# Rules that only the pages' prose states, added by the overlays of
# specs/corehr: refused before anything is sent, accepted once satisfied.
printf '{"active": true}' >"$tmp/enable.json"
printf '{"to_user_id": "1", "approver_ids": ["2"], "system_user": false}' >"$tmp/transfer.json"
start_server -r 200 '{"code":0,"msg":"ok","data":{}}'
# 试用期考核系统入口链接，当启用功能时该字段必填。
run post_probation_enable_disable_assessment --body "$tmp/enable.json" \
    --tenant-token "$TOKEN" --base-url "$url"
expect_status 2 "app_url when active"
expect_in "$tmp/err" "invalid request: /body/app_url is required when active is true" \
    "app_url when active"
# 是否以系统身份操作，如果为fasle，则operator必填
run put_processes_transfer --path process_id=7 --body "$tmp/transfer.json" \
    --tenant-token "$TOKEN" --base-url "$url"
expect_status 2 "operator unless system_user"
expect_in "$tmp/err" "invalid request: /body/operator is required when system_user is false" \
    "operator unless system_user"
# 职务名称: 最少1个字符，最多200个字符
run get_jobs_v2 --query page_size=10 --query name= --tenant-token "$TOKEN" --base-url "$url"
expect_status 2 "empty job name"
expect_in "$tmp/err" "invalid request: /query/name must be at least 1 character (has 0)" \
    "empty job name"
stop_server
expect_requests 0 "prose rules"
printf '{"active": false}' >"$tmp/disable.json"
start_server -r 200 '{"code":0,"msg":"ok","data":{}}'
run post_probation_enable_disable_assessment --body "$tmp/disable.json" \
    --tenant-token "$TOKEN" --base-url "$url"
stop_server
expect_status 0 "no app_url when disabling"
expect_requests 1 "no app_url when disabling"
# client_token (根据 client_token 是否一致来判断是否为同一请求) is an
# idempotency key: left out, it is sent as a fresh UUID
start_server -r 200 '{"code":0,"msg":"ok","data":{}}'
printf '{"employment_id": "7"}' >"$tmp/withdraw.json"
run post_probation_withdraw --body "$tmp/withdraw.json" --tenant-token "$TOKEN" --base-url "$url"
stop_server
expect_status 0 "withdraw without client_token"
log_line "^query client_token=$UUID$" "withdraw without client_token"

printf '{"employment_id": 7, "conversion_mode": 2, "submission_type": "system"}' >"$tmp/typed.json"
start_server -r 200 "@$tmp/submit_response.json"
run submit_probation --body "$tmp/typed.json" --tenant-token "$TOKEN" --base-url "$url"
stop_server
expect_status 2 "wrong-typed body"
expect_in "$tmp/err" "[at /body/employment_id]" "wrong-typed body"
expect_requests 0 "wrong-typed body"

start_server -r 200 "@$tmp/submit_response.json"
run submit_probation --body "$tmp/submit.json" --query user_id_type=email \
    --tenant-token "$TOKEN" --base-url "$url"
expect_status 2 "bad user_id_type"
expect_in "$tmp/err" "invalid request: /query/user_id_type must be one of" "bad user_id_type"
run submit_probation --body "$tmp/submit.json" --query no_such=1 \
    --tenant-token "$TOKEN" --base-url "$url"
expect_status 2 "unknown query parameter"
expect_in "$tmp/err" "unknown query parameter 'no_such=1'" "unknown query parameter"
run submit_probation --body "$tmp/submit.json" --base-url "$url"
expect_status 2 "no credentials"
expect_in "$tmp/err" "no credentials" "no credentials"
stop_server
expect_requests 0 "refused calls"

# ---- credentials from the environment -------------------------------------

start_server -r 200 "@$tmp/submit_response.json"
FEISHU_TENANT_ACCESS_TOKEN=$ENV_TOKEN run submit_probation --body "$tmp/submit.json" \
    --base-url "$url" --verbose
stop_server
expect_status 0 "FEISHU_TENANT_ACCESS_TOKEN"
log_line "^header Authorization: Bearer $ENV_TOKEN$" "FEISHU_TENANT_ACCESS_TOKEN"
no_secret "FEISHU_TENANT_ACCESS_TOKEN"

start_server -r 200 "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"$FETCHED\",\"expire\":7200}" \
    -r 200 "@$tmp/submit_response.json"
FEISHU_APP_ID=cli_a1b2c3 FEISHU_APP_SECRET=$APP_SECRET run --verbose submit_probation \
    --body "$tmp/submit.json" --base-url "$url"
stop_server
expect_status 0 "FEISHU_APP_ID"
expect_requests 2 "FEISHU_APP_ID"
log_line "^path /open-apis/auth/v3/tenant_access_token/internal$" "FEISHU_APP_ID"
log_line "^header Authorization: Bearer $FETCHED$" "FEISHU_APP_ID"
no_secret "FEISHU_APP_ID"

# ---- path parameters and API errors ---------------------------------------

start_server -r 400 "{\"code\":1160001,\"msg\":\"参数错误 $TOKEN\",\"data\":{}}" \
    -H "X-Tt-Logid: 20250609-cli-error"
run --verbose patch_international_assignment --path international_assignment_id=a/../b \
    --body "$tmp/assignment.json" --tenant-token "$TOKEN" --base-url "$url"
stop_server
expect_status 1 "API error"
expect_in "$tmp/err" "1160001" "API error"
expect_in "$tmp/err" "参数错误" "API error"
expect_in "$tmp/err" "20250609-cli-error" "API error"
expect_in "$tmp/err" "HTTP 400" "API error"
[ -s "$tmp/out" ] && fail "API error wrote to stdout: $(cat "$tmp/out")"
expect_requests 1 "API error"
log_line "^method PATCH$" "API error"
log_line "^path $ASSIGNMENTS/a%2F..%2Fb$" "API error"
log_line "^query client_token=$UUID$" "API error"
no_secret "API error"

# ---- input mistakes are invalid input (exit 2), not failed calls ----------

printf '{"assessment_status": "completed", "is_final_asssessment": false}' >"$tmp/assessment.json"
start_server -r 200 '{"code":0,"msg":"ok","data":{}}'
for value in .. . ""; do
    run patch_probation_assessment --path "assessment_id=$value" --body "$tmp/assessment.json" \
        --tenant-token "$TOKEN" --base-url "$url"
    expect_status 2 "--path assessment_id=$value"
    expect_in "$tmp/err" "invalid request: /path/assessment_id must not be" "--path assessment_id=$value"
done
run patch_probation_assessment --path assessment_id=1 --path assessment_id=2 \
    --body "$tmp/assessment.json" --tenant-token "$TOKEN" --base-url "$url"
expect_status 2 "a second --path"
expect_in "$tmp/err" "path parameter assessment_id given twice" "a second --path"
for value in -5 12abc "" 0 " 7" 99999999999999999999999; do
    run --timeout-ms "$value" submit_probation --body "$tmp/submit.json" \
        --tenant-token "$TOKEN" --base-url "$url"
    expect_status 2 "--timeout-ms '$value'"
    expect_in "$tmp/err" "--timeout-ms: '$value' is not a positive number" "--timeout-ms '$value'"
done
# a field the endpoint does not know, at the top and nested in an array
sed 's/"notes": "符合预期",/"notez": "x", "notes": "符合预期",/; s/"custom_api_name": "name",/"custom_api_name": "name", "extra\/1": 1,/' \
    "$tmp/submit.json" >"$tmp/unknown.json"
run submit_probation --body "$tmp/unknown.json" --tenant-token "$TOKEN" --base-url "$url"
expect_status 2 "unknown body field"
expect_in "$tmp/err" "invalid request: /body/notez: unknown field" "unknown body field"
expect_in "$tmp/err" "invalid request: /body/custom_fields/0/extra~11: unknown field" "unknown body field"
stop_server
expect_requests 0 "input mistakes"

start_server -r 200 "@$tmp/submit_response.json"
run submit_probation --allow-unknown --body "$tmp/unknown.json" --tenant-token "$TOKEN" \
    --base-url "$url"
stop_server
expect_status 0 "--allow-unknown"
expect_in "$tmp/err" "warning: /body/notez: unknown field, not sent" "--allow-unknown"
expect_requests 1 "--allow-unknown"
body_of 0
json_equal "$tmp/body" "$tmp/submit.json" || fail "--allow-unknown sent the body $(cat "$tmp/body")"

# ---- the base URL: FEISHU_BASE_URL, --base-url over it, /open-apis removed --

start_server -r 200 "@$tmp/submit_response.json" -r 200 "@$tmp/submit_response.json"
FEISHU_BASE_URL="$url/open-apis/" run submit_probation --body "$tmp/submit.json" \
    --tenant-token "$TOKEN"
expect_status 0 "FEISHU_BASE_URL"
FEISHU_BASE_URL=http://127.0.0.1:9 run submit_probation --body "$tmp/submit.json" \
    --tenant-token "$TOKEN" --base-url "$url/open-apis"
expect_status 0 "--base-url over FEISHU_BASE_URL"
stop_server
expect_requests 2 "FEISHU_BASE_URL"
[ "$(grep -c "^path $SUBMIT_PATH$" "$tmp/log")" = 2 ] ||
    fail "base URL with /open-apis: paths $(grep '^path' "$tmp/log")"

# ---- per-call options: --user-token, --header, --raw-response -------------

USER_TOKEN=u-cli-user-secret-7f3a2c
start_server -r 200 "@$tmp/submit_response.json" -r 200 "@$tmp/submit_response.json"
run submit_probation --body "$tmp/submit.json" --user-token "$USER_TOKEN" \
    --header "X-Trace: t 1" --header "X-Empty:" --base-url "$url"
expect_status 0 "--user-token"
FEISHU_USER_ACCESS_TOKEN="$USER_TOKEN" run submit_probation --body "$tmp/submit.json" \
    --base-url "$url"
expect_status 0 "FEISHU_USER_ACCESS_TOKEN"
grep -qF -- "$USER_TOKEN" "$tmp/out" "$tmp/err" && fail "--user-token: the token was printed"
stop_server
expect_requests 2 "--user-token"
[ "$(grep -c "^header Authorization: Bearer $USER_TOKEN$" "$tmp/log")" = 2 ] ||
    fail "--user-token: $(grep '^header Authorization' "$tmp/log")"
log_line "^header X-Trace: t 1$" "--header"
log_line "^header X-Empty: ?$" "--header with an empty value"

start_server -r 200 "@$tmp/submit_response.json"
run submit_probation --body "$tmp/submit.json" --tenant-token "$TOKEN" --base-url "$url" \
    --header $'X-A: v\r\nX-Injected: 1'
expect_status 2 "--header with CR/LF"
expect_in "$tmp/err" "control character" "--header with CR/LF"
run submit_probation --body "$tmp/submit.json" --tenant-token "$TOKEN" --base-url "$url" \
    --header "Authorization: Bearer other"
expect_status 2 "--header Authorization"
expect_in "$tmp/err" "cannot be overridden" "--header Authorization"
run submit_probation --body "$tmp/submit.json" --tenant-token "$TOKEN" --base-url "$url" \
    --header "no-colon"
expect_status 2 "--header without a colon"
stop_server
expect_requests 0 "refused headers"

# --raw-response prints the body exactly as it came, also when the data
# would not decode (a number where a string belongs).
printf '%s' '{"code":0,"msg":"ok","data":{"probation_info":{"employment_id":12}}}' >"$tmp/odd.json"
start_server -r 200 "@$tmp/odd.json" -H "X-Tt-Logid: log-odd"
run submit_probation --body "$tmp/submit.json" --tenant-token "$TOKEN" --base-url "$url" \
    --raw-response
stop_server
expect_status 1 "--raw-response of undecodable data"
[ "$(cat "$tmp/out")" = "$(cat "$tmp/odd.json")" ] ||
    fail "--raw-response printed $(cat "$tmp/out")"
expect_in "$tmp/err" "/data/probation_info/employment_id" "--raw-response: the JSON path"
expect_in "$tmp/err" "log-odd" "--raw-response: the log id"

# ---- raw METHOD PATH ---------------------------------------------------------

echo '{"employment_status": "hired"}' >"$tmp/search.json"
start_server -r 200 '{"code":0,"msg":"ok","data":{"items":[{"id":"1"}],"has_more":false}}' \
    -r 400 '{"code":1254001,"msg":"no such employee"}'
run raw POST /open-apis/corehr/v2/employees/search --query page_size=10 \
    --query user_id_type=open_id --body "$tmp/search.json" --tenant-token "$TOKEN" \
    --base-url "$url"
expect_status 0 "raw POST"
echo '{"items":[{"id":"1"}],"has_more":false}' >"$tmp/want.json"
json_equal "$tmp/out" "$tmp/want.json" || fail "raw POST printed $(cat "$tmp/out")"
run raw GET /open-apis/corehr/v2/employees/x --tenant-token "$TOKEN" --base-url "$url"
expect_status 1 "raw GET with a Feishu error"
expect_in "$tmp/err" "code 1254001: no such employee" "raw GET with a Feishu error"
stop_server
expect_requests 2 "raw"
log_line "^method POST$" "raw POST"
log_line "^path /open-apis/corehr/v2/employees/search$" "raw POST"
log_line "^query page_size=10&user_id_type=open_id$" "raw POST"
body_of 0
json_equal "$tmp/body" "$tmp/search.json" || fail "raw POST sent the body $(cat "$tmp/body")"
log_line "^method GET$" "raw GET"

run raw GET --tenant-token "$TOKEN"
expect_status 2 "raw without a path"
expect_in "$tmp/err" "raw needs METHOD and PATH" "raw without a path"
run raw GET /not-open-apis --tenant-token "$TOKEN" --base-url http://127.0.0.1:9
expect_status 2 "raw outside /open-apis/"
echo 'not json' >"$tmp/bad.json"
run raw POST /open-apis/x --body "$tmp/bad.json" --tenant-token "$TOKEN" \
    --base-url http://127.0.0.1:9
expect_status 1 "raw with a body that is not JSON"
expect_in "$tmp/err" "not valid JSON" "raw with a body that is not JSON"

# ---- a store app: app_ticket -> app_access_token -> the tenant's token -------

STORE_TICKET=ticket-cli-4b5c6d
start_server -r 200 '{"code":0,"msg":"ok","app_access_token":"a-cli-app-8e9f","expire":7200}' \
    -r 200 '{"code":0,"msg":"ok","tenant_access_token":"t-cli-tenant-1a2b","expire":7200}' \
    -r 200 "@$tmp/submit_response.json"
FEISHU_APP_TICKET="$STORE_TICKET" run submit_probation --body "$tmp/submit.json" \
    --app-id cli_store --app-secret "$APP_SECRET" --tenant-key tenant-cli --base-url "$url"
stop_server
expect_status 0 "store app"
expect_requests 3 "store app"
log_line "^path /open-apis/auth/v3/app_access_token$" "store app"
log_line "^body .*\"app_ticket\":\"$STORE_TICKET\"" "store app: the ticket is sent"
log_line "^path /open-apis/auth/v3/tenant_access_token$" "store app"
log_line "^body .*\"tenant_key\":\"tenant-cli\"" "store app: the tenant key is sent"
log_line "^header Authorization: Bearer t-cli-tenant-1a2b$" "store app"
grep -qF -- "$STORE_TICKET" "$tmp/out" "$tmp/err" && fail "store app: the ticket was printed"
no_secret "store app"

run submit_probation --body "$tmp/submit.json" --app-id cli_store --app-secret "$APP_SECRET" \
    --app-ticket "$STORE_TICKET" --base-url http://127.0.0.1:9
expect_status 2 "store app without --tenant-key"
expect_in "$tmp/err" "tenant_key" "store app without --tenant-key"

[ "$failures" -eq 0 ] && echo "corehr-cli: all checks passed"
exit $((failures > 0))
