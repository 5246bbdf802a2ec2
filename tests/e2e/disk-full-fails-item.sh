#!/bin/bash
# A full disk (ENOSPC) fails only the item being written, with a clear
# message; it gets no final file, and the other transfers of the run
# succeed.  out/full is a 512 KiB tmpfs; the other items go to out/.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || skip "mounting a tmpfs needs root"

mkdir -p out/full
mount -t tmpfs -o size=512k tmpfs "$T/out/full" 2>/dev/null ||
    skip "cannot mount a tmpfs"
cleanup_mount()
{
    umount "$T/out/full" 2>/dev/null
    cleanup
}
trap cleanup_mount EXIT
start_server

{
    echo "$BASE/bytes/10240/a?seed=1 a.bin"
    echo "$BASE/bytes/2097152/big?seed=2 full/big.bin"
    echo "$BASE/bytes/10240/c?seed=3 c.bin"
} >list
run_salvo --json -j 3 -d out -i list
assert_rc 1
assert_grep 'No space left on device' "$T/stderr" "stderr says why"
assert_absent out/full/big.bin
assert_body out/a.bin 10240 1
assert_body out/c.bin 10240 3
"$PYTHON3" - "$T/stdout" <<'PY' || fail "--json statuses are wrong"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()]
got = {o["path"]: o["status"] for o in objs}
want = {"out/a.bin": "ok", "out/full/big.bin": "failed", "out/c.bin": "ok"}
assert got == want, got
PY
