#!/bin/bash
# user:password@ in a URL is shown as ***@ wherever salvo prints the URL
# (stderr, -v lines, --json); neither the user nor the password appears.
# Also in a redirect target, and for a user without a password.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
# Every byte of the redirect target percent-encoded: the credentials in it
# show only once decoded, in the Location header.
to=$("$PYTHON3" -c '
import sys
print("".join("%%%02X" % b for b in sys.argv[1].encode()))
' "http://alice:s3cret@127.0.0.1:$PORT/bytes/10/r?seed=3")
run_salvo -v --json --no-progress -d out \
    "http://alice:s3cret@127.0.0.1:$PORT/status/404/x.bin" \
    "http://alice:s3cret@127.0.0.1:$PORT/bytes/10/y.bin?seed=1" \
    "http://bobby@127.0.0.1:$PORT/bytes/10/z.bin?seed=2" \
    "http://127.0.0.1:$PORT/redirect/r.bin?to=$to"
assert_rc 1
assert_body out/y.bin 10 1
assert_body out/z.bin 10 2
assert_body out/r.bin 10 3
for f in stdout stderr; do
    for secret in alice s3cret bobby YWxpY2U6czNjcmV0; do
        if grep -q "$secret" "$T/$f"; then
            fail "$f shows '$secret': $(grep "$secret" "$T/$f" | head -3)"
        fi
    done
    grep -qF '***@' "$T/$f" || fail "$f has no ***@"
done
"$PYTHON3" - "$T/stdout" "$PORT" <<'PY' || fail "--json urls are not masked"
import json, sys
port = sys.argv[2]
urls = sorted(json.loads(l)["url"] for l in open(sys.argv[1]))
want = sorted([
    "http://***@127.0.0.1:%s/status/404/x.bin" % port,
    "http://***@127.0.0.1:%s/bytes/10/y.bin?seed=1" % port,
    "http://***@127.0.0.1:%s/bytes/10/z.bin?seed=2" % port,
])
assert all(u in urls for u in want), urls
PY
