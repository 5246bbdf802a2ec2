#!/bin/bash
# A file that exists before the run is skipped: not fetched, not touched.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
echo old >out/a.bin
run_salvo --json -d out "$BASE/bytes/1000/a.bin"
assert_rc 0
echo old >expected
assert_file_eq expected out/a.bin
assert_files out a.bin
assert_eq 0 "$(stat_field requests)" "requests the server saw"
"$PYTHON3" - "$T/stdout" <<'PY' || fail "--json does not say skipped"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
obj = json.loads(lines[0])
assert obj["status"] == "skipped", obj
assert obj["path"] == "out/a.bin", obj
PY
assert_grep 'skipped' "$T/stderr" "stderr reports the skip"
