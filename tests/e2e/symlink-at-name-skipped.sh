#!/bin/bash
# A symlink standing at NAME is skipped like an existing file: the link
# and its target stay as they were, also when the link dangles (nothing is
# created at the link's target).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
echo victim >victim
cp victim expected
ln -s "$T/victim" out/a.bin
ln -s "$T/nowhere" out/b.bin
run_salvo --json -d out "$BASE/bytes/100/a.bin" "$BASE/bytes/100/b.bin"
assert_rc 0
assert_file_eq expected victim
assert_absent "$T/nowhere"
assert_eq "$T/victim" "$(readlink out/a.bin)" "out/a.bin link"
assert_eq "$T/nowhere" "$(readlink out/b.bin)" "out/b.bin link"
"$PYTHON3" - "$T/stdout" <<'PY' || fail "--json statuses are wrong"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()]
got = {o["url"].rsplit("/", 1)[1]: o["status"] for o in objs}
assert got == {"a.bin": "skipped", "b.bin": "skipped"}, got
PY
