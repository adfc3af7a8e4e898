#!/usr/bin/env bash
# examples/submit_probation against a local server that answers like Feishu:
# the documentation's example response for a good token, a typed error
# (HTTP 400, Feishu code, log id) for a rejected employment, and an
# authentication error for a bad token. Arguments and environment variables
# both work.
#   example_test.sh PATH/TO/submit_probation
set -euo pipefail
src=${OAPIGEN_SOURCE_ROOT:?}
oapigen=${OAPIGEN_EXE:?}
example=${1:?usage: example_test.sh SUBMIT_PROBATION_EXE}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oapigen-example.XXXXXX")
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The response example of the spec, as the generator sees it.
"$oapigen" generate "$src/specs/corehr" --dump-context >"$tmp/view.json"

cat >"$tmp/server.py" <<'PY'
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

view = json.load(open(sys.argv[1]))
example = next(e['response_example'] for e in view['endpoints']
               if e['name'] == 'submit_probation')

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        req = json.loads(body or b'{}')
        if self.path.split('?')[0] != '/open-apis/corehr/v2/probation/submit':
            self.answer(404, {'code': 404, 'msg': 'not found'})
        elif self.headers.get('Authorization') != 'Bearer t-good':
            self.answer(400, {'code': 99991663, 'msg': 'Invalid access token for authorization.'})
        elif req.get('employment_id') == '404':
            self.answer(400, {'code': 1161001, 'msg': 'employment not found'})
        elif req.get('conversion_mode') != 2 or req.get('submission_type') != 'system':
            self.answer(400, {'code': 1160002, 'msg': 'unexpected body ' + body.decode()})
        else:
            self.answer(200, example)

    def answer(self, status, payload):
        data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json; charset=utf-8')
        self.send_header('Content-Length', str(len(data)))
        self.send_header('X-Tt-Logid', 'log-example-1')
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

# Success, with arguments: the probation record of the documentation.
run "$example" "$base" t-good
[ "$status" -eq 0 ] || fail "success case: exit $status: $err"
grep -qF "submitted: probation 6893014062142064132 of employment 6893014062142064135, process 6893014062142164135" \
    <<<"$out" || fail "success case printed: $out"
grep -qF '"probation_id":"6893014062142064132"' <<<"$out" || fail "no JSON record: $out"

# Success, with the environment instead of arguments.
run env FEISHU_BASE_URL="$base" FEISHU_TENANT_ACCESS_TOKEN=t-good "$example"
[ "$status" -eq 0 ] || fail "environment case: exit $status: $err"

# A Feishu error: typed, with HTTP status, Feishu code and log id.
run "$example" "$base" t-good 404
[ "$status" -eq 1 ] || fail "API error case: exit $status"
grep -qF "error: the API returned an error code:" <<<"$err" || fail "API error case printed: $err"
grep -qxF "  http status: 400" <<<"$err" || fail "no HTTP status: $err"
grep -qxF "  feishu code: 1161001 (employment not found)" <<<"$err" || fail "no Feishu code: $err"
grep -qxF "  log id: log-example-1" <<<"$err" || fail "no log id: $err"

# A rejected token: an authentication error.
run "$example" "$base" t-bad
[ "$status" -eq 1 ] || fail "auth case: exit $status"
grep -qF "error: authentication failed:" <<<"$err" || fail "auth case printed: $err"

# No token at all: usage, exit 2.
run env -u FEISHU_TENANT_ACCESS_TOKEN "$example" "$base"
[ "$status" -eq 2 ] || fail "no token: exit $status"

echo "ok: submit_probation prints the record and typed errors"
