#!/usr/bin/env bash
# examples/list_companies and examples/user_token against a local server that
# answers from the specs' example responses: list_companies walks two pages
# (the second request must carry the first page's page_token), user_token
# must send the user's token as `Authorization: Bearer ...`.
#   examples_more_test.sh PATH/TO/list_companies PATH/TO/user_token
set -euo pipefail
src=${OAPIGEN_SOURCE_ROOT:?}
oapigen=${OAPIGEN_EXE:?}
list=${1:?usage: examples_more_test.sh LIST_COMPANIES_EXE USER_TOKEN_EXE}
user=${2:?usage: examples_more_test.sh LIST_COMPANIES_EXE USER_TOKEN_EXE}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oapigen-examples-more.XXXXXX")
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$oapigen" generate "$src/specs/corehr" --dump-context >"$tmp/view.json"

cat >"$tmp/server.py" <<'PY'
import copy, json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlsplit, parse_qs

view = json.load(open(sys.argv[1]))
def example(name):
    e = next(e['response_example'] for e in view['endpoints'] if e['name'] == name)
    return json.loads(e) if isinstance(e, str) else e

companies = example('get_companies')
match = example('get_compensation_standards_match')

def page(number):
    """Page 1 (company c-1, has_more, page_token p-2) or page 2 (c-2, last)."""
    body = copy.deepcopy(companies)
    item = body['data']['items'][0]
    item['id'] = 'c-%d' % number
    item['hiberarchy_common']['name'] = [{'lang': 'zh-CN', 'value': 'Company %d' % number}]
    body['data']['items'] = [item]
    body['data']['has_more'] = number == 1
    if number == 1:
        body['data']['page_token'] = 'p-2'
    else:
        body['data'].pop('page_token', None)
    return body

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        auth = self.headers.get('Authorization')
        if url.path == '/open-apis/corehr/v1/companies':
            if auth != 'Bearer t-good':
                self.answer(400, {'code': 99991663, 'msg': 'Invalid access token for authorization.'})
            elif q.get('page_size') != ['2']:
                self.answer(400, {'code': 1160002, 'msg': 'page_size ' + url.query})
            elif 'page_token' not in q:
                self.answer(200, page(1))
            elif q['page_token'] == ['p-2']:
                self.answer(200, page(2))
            else:
                self.answer(400, {'code': 1160002, 'msg': 'bad page_token ' + url.query})
        elif url.path == '/open-apis/corehr/v1/compensation_standards/match':
            if auth != 'Bearer u-good':
                self.answer(400, {'code': 99991668, 'msg': 'Invalid access token for authorization.'})
            elif q.get('reference_object_id') != ['7156853394442044972']:
                self.answer(400, {'code': 1160002, 'msg': 'query ' + url.query})
            else:
                self.answer(200, match)
        else:
            self.answer(404, {'code': 404, 'msg': 'not found'})

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json; charset=utf-8')
        self.send_header('Content-Length', str(len(data)))
        self.send_header('X-Tt-Logid', 'log-more-1')
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass

server = HTTPServer(('127.0.0.1', 0), Handler)
with open(sys.argv[2] + '.tmp', 'w') as f:
    f.write(str(server.server_address[1]))
import os; os.rename(sys.argv[2] + '.tmp', sys.argv[2])
server.serve_forever()
PY
python3 "$tmp/server.py" "$tmp/view.json" "$tmp/port" &
server_pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || fail "the local server did not start"
base=http://127.0.0.1:$(cat "$tmp/port")

run() {  # run ARGS...: sets status, out, err
    set +e
    out=$("$@" 2>"$tmp/stderr")
    status=$?
    set -e
    err=$(cat "$tmp/stderr")
}

# Two pages: the server only answers page 2 to a request carrying p-2.
run "$list" "$base" t-good 2
[ "$status" -eq 0 ] || fail "list: exit $status: $err"
expected=$(printf 'c-1\tCompany 1\nc-2\tCompany 2\ntotal: 2 companies in 2 pages')
[ "$out" = "$expected" ] || fail "list printed: $out"

# The environment works too; a rejected token is a typed error.
run env FEISHU_BASE_URL="$base" FEISHU_TENANT_ACCESS_TOKEN=t-good FEISHU_PAGE_SIZE=2 "$list"
[ "$status" -eq 0 ] || fail "list from the environment: exit $status: $err"
run "$list" "$base" t-bad 2
[ "$status" -eq 1 ] || fail "list with a bad token: exit $status"
grep -qF "error: authentication failed:" <<<"$err" || fail "list bad token printed: $err"
grep -qxF "  log id: log-more-1" <<<"$err" || fail "list: no log id: $err"
run env -u FEISHU_TENANT_ACCESS_TOKEN "$list" "$base"
[ "$status" -eq 2 ] || fail "list without a token: exit $status"

# The user token is sent as the bearer token.
run "$user" "$base" u-good
[ "$status" -eq 0 ] || fail "user_token: exit $status: $err"
std=$(python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
e=next(e["response_example"] for e in v["endpoints"] if e["name"]=="get_compensation_standards_match")
e=json.loads(e) if isinstance(e,str) else e
print(e["data"]["standard_id"])' "$tmp/view.json")
grep -qF "standard: $std, effective " <<<"$out" || fail "user_token printed: $out"
grep -qF "\"standard_id\":\"$std\"" <<<"$out" || fail "user_token: no JSON: $out"
run env FEISHU_BASE_URL="$base" FEISHU_USER_ACCESS_TOKEN=u-good "$user"
[ "$status" -eq 0 ] || fail "user_token from the environment: exit $status: $err"
run "$user" "$base" u-bad
[ "$status" -eq 1 ] || fail "user_token with a bad token: exit $status"
grep -qxF "  feishu code: 99991668 (Invalid access token for authorization.)" <<<"$err" ||
    fail "user_token bad token printed: $err"
run env -u FEISHU_USER_ACCESS_TOKEN "$user" "$base"
[ "$status" -eq 2 ] || fail "user_token without a token: exit $status"

echo "ok: list_companies walks both pages; user_token sends the user's token"
