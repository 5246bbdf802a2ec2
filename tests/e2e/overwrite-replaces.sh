#!/bin/bash
# --overwrite: a file that exists before the run is replaced.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
echo old >out/a.bin
run_salvo --overwrite --json -d out "$BASE/bytes/1000/a.bin?seed=7"
assert_rc 0
assert_body out/a.bin 1000 7
assert_files out a.bin
"$PYTHON3" - "$T/stdout" <<'PY' || fail "--json does not say ok"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
obj = json.loads(lines[0])
assert obj["status"] == "ok" and obj["bytes"] == 1000, obj
PY
