#!/bin/bash
# Credentials are not sent to another host after a redirect: neither
# user:pw@ from the URL nor an Authorization header given with -H.
# 127.0.0.1 -> localhost counts as another host.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
to=$(urlencode "http://localhost:$PORT/bytes/10/x?seed=1")
run_salvo -d out "http://user:pw@127.0.0.1:$PORT/redirect/a.bin?to=$to"
assert_rc 0
assert_body out/a.bin 10 1
run_salvo -d out -H "Authorization: Bearer secret" \
    "http://127.0.0.1:$PORT/redirect/b.bin?to=$to"
assert_rc 0
assert_body out/b.bin 10 1

"$PYTHON3" - "$T/server.log" <<'PY' || fail "credentials reached localhost"
import json, sys
reqs = [json.loads(line) for line in open(sys.argv[1])]
assert len(reqs) == 4, "%d requests, expected 4" % len(reqs)
for r in reqs:
    r["h"] = {k.lower(): v for k, v in r["headers"].items()}
first = [r for r in reqs if r["path"].startswith("/redirect/")]
second = [r for r in reqs if r["path"].startswith("/bytes/")]
assert len(first) == 2 and len(second) == 2, [r["path"] for r in reqs]
a, b = sorted(first, key=lambda r: r["path"])
# base64("user:pw") = dXNlcjpwdw==
assert a["h"].get("authorization") == "Basic dXNlcjpwdw==", a["h"]
assert b["h"].get("authorization") == "Bearer secret", b["h"]
for r in second:
    assert r["h"].get("host", "").startswith("localhost"), r["h"]
    assert "authorization" not in r["h"], r["h"]
    text = json.dumps(r["headers"])
    assert "secret" not in text and "dXNlcjpwdw" not in text, text
PY
