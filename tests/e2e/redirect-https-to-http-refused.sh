#!/bin/bash
# A redirect from https to plain http is refused: the item fails and the
# plain server never sees a request.  (An https URL with --cacert in the
# same run works, so the failure is the downgrade, not TLS.)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
type start_tls_server >/dev/null 2>&1 ||
    fail "tests/lib.sh has no start_tls_server"
start_server
start_tls_server

mkdir out
to=$(urlencode "http://127.0.0.1:$PORT/bytes/10/x")
run_salvo --json --cacert="$T/cert.pem" -d out \
    "$TLS_BASE/redirect/down.bin?to=$to" "$TLS_BASE/bytes/100/ok.bin?seed=2"
assert_rc 1
"$PYTHON3" "$SERVER_PY" --body 100 2 >expected
assert_file_eq expected out/ok.bin
assert_absent out/down.bin
assert_grep "refused redirect to http://127.0.0.1:$PORT/bytes/10/x \(no https to http\)" \
    "$T/stderr" "message for the downgrade"
assert_absent out/x
assert_eq 0 "$(stat_field requests)" "requests the plain http server saw"
grep -q '/redirect/down.bin' "$T/tls-server.log" ||
    fail "the TLS server never saw the redirecting request"
"$PYTHON3" - "$T/stdout" <<'PY' || fail "--json for the downgrade is wrong"
import json, sys
objs = {json.loads(l)["url"].split("?")[0].rsplit("/", 1)[1]: json.loads(l)
        for l in open(sys.argv[1]).read().splitlines()}
assert objs["down.bin"]["status"] == "failed", objs["down.bin"]
assert objs["ok.bin"]["status"] == "ok", objs["ok.bin"]
PY
