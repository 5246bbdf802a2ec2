#!/bin/bash
# -H adds request headers, -A sets the User-Agent, which is salvo/VERSION
# by default.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo -d out -H "X-Test: 1" -H "X-Other: two words" -A "agent/9" \
    "$BASE/bytes/10/a.bin"
assert_rc 0
run_salvo -d out "$BASE/bytes/10/b.bin"
assert_rc 0
"$PYTHON3" - "$T/server.log" <<'PY' || fail "the headers the server saw"
import json, sys
reqs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    reqs[r["path"]] = {k.lower(): v for k, v in r["headers"].items()}
a = reqs["/bytes/10/a.bin"]
assert a.get("x-test") == "1", a
assert a.get("x-other") == "two words", a
assert a.get("user-agent") == "agent/9", a
b = reqs["/bytes/10/b.bin"]
assert b.get("user-agent", "").startswith("salvo/"), b
assert "x-test" not in b, b
PY
