#!/bin/bash
# A redirect loop fails its item cleanly after at most 20 redirects (so at
# most 21 requests); the other URLs of the run are downloaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
run_salvo --json -d out "$BASE/loop/loop.bin" "$BASE/bytes/100/good.bin?seed=1"
[ "$RC" != 124 ] || fail "salvo did not finish (timed out) on a loop"
assert_rc 1
assert_body out/good.bin 100 1
assert_absent out/loop.bin
loops=$(server_paths | grep -c '^/loop')
[ "$loops" -ge 1 ] || fail "the server saw no /loop request"
[ "$loops" -le 21 ] || fail "the server saw $loops /loop requests (max 21)"
"$PYTHON3" - "$T/stdout" <<'PY' || fail "--json for the loop is wrong"
import json, sys
objs = {json.loads(l)["url"].split("?")[0].rsplit("/", 1)[1]: json.loads(l)
        for l in open(sys.argv[1]).read().splitlines()}
assert objs["loop.bin"]["status"] == "failed", objs["loop.bin"]
assert isinstance(objs["loop.bin"]["error"], str), objs["loop.bin"]
assert objs["good.bin"]["status"] == "ok", objs["good.bin"]
PY
