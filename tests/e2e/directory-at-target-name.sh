#!/bin/bash
# A directory standing where a file is to go fails that item ("Is a
# directory"), leaves the directory alone, and the others succeed.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir -p out/b.bin
run_salvo --json -d out "$BASE/bytes/100/a.bin?seed=1" \
    "$BASE/bytes/100/b.bin?seed=2" "$BASE/bytes/100/c.bin?seed=3"
assert_rc 1
assert_body out/a.bin 100 1
assert_body out/c.bin 100 3
[ -d out/b.bin ] || fail "out/b.bin is no longer a directory"
inside=$(ls -A out/b.bin)
[ -z "$inside" ] || fail "written into out/b.bin/: $inside"
assert_grep 'Is a directory' "$T/stderr" "stderr says why b.bin failed"
"$PYTHON3" - "$T/stdout" <<'PY' || fail "--json statuses are wrong"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()]
got = {o["url"].split("?")[0].rsplit("/", 1)[1]: o["status"] for o in objs}
assert got == {"a.bin": "ok", "b.bin": "failed", "c.bin": "ok"}, got
PY
