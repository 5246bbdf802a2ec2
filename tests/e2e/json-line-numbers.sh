#!/bin/bash
# --json with -i: every record's "line" is the number of its input line
# (comments and blank lines count), so a masked URL maps back to the list;
# a bad line's record has its number too, and arguments have null.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

{
    echo "# a list"                          # line 1
    echo ""                                  # line 2
    echo "$BASE/bytes/100/a.bin"             # line 3
    echo "gopher://127.0.0.1/bad.bin"        # line 4: a bad line
    echo "http://user:pw@127.0.0.1:$PORT/bytes/200/b.bin" # line 5
    echo "$BASE/status/404/c.bin"            # line 6
} >list
run_salvo --json -d out -i list "$BASE/bytes/300/arg.bin"
assert_rc 1
"$PYTHON3" - "$T/stdout" <<'PY' || fail "--json line numbers are wrong"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(objs) == 5, objs
def one(part):
    m = [o for o in objs if part in o["url"]]
    assert len(m) == 1, (part, objs)
    return m[0]
assert one("/a.bin")["line"] == 3, one("/a.bin")
assert one("gopher:")["line"] == 4, one("gopher:")
assert one("/b.bin")["line"] == 5, one("/b.bin")
assert "pw" not in one("/b.bin")["url"], one("/b.bin")
assert one("/c.bin")["line"] == 6, one("/c.bin")
assert one("/arg.bin")["line"] is None, one("/arg.bin")
PY
