#!/bin/bash
# Bad input lines are reported with their line numbers and count as failed
# items; the good lines around them are still downloaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

{
    echo "$BASE/bytes/1000/a.bin?seed=1"
    echo "gopher://127.0.0.1/x"
    echo "not a url"
    echo "$BASE/bytes/2000/b.bin?seed=2"
} >list
run_salvo -d out -i list
assert_rc 1
assert_body out/a.bin 1000 1
assert_body out/b.bin 2000 2
grep -Eqi 'line 2([^0-9]|$)' "$T/stderr" || fail "stderr does not name line 2"
grep -Eqi 'line 3([^0-9]|$)' "$T/stderr" || fail "stderr does not name line 3"
if grep -Eqi 'line [14]([^0-9]|$)' "$T/stderr"; then
    fail "stderr blames a good line (line 1 or 4)"
fi
assert_eq 2 "$(stat_field requests)" "requests the server saw"

run_salvo --json -d out2 -i list
assert_rc 1
"$PYTHON3" - "$T/stdout" <<'PY' || fail "--json output for bad lines is wrong"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()]
statuses = sorted(o["status"] for o in objs)
assert statuses == ["failed", "failed", "ok", "ok"], statuses
for o in objs:
    if o["status"] == "failed":
        assert isinstance(o["error"], str) and o["error"], o
PY
