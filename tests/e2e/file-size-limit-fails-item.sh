#!/bin/bash
# Under a file-size limit (ulimit -f) a too-large download fails with "File
# too large" (EFBIG), salvo is not killed by SIGXFSZ, and the small items
# of the run succeed.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
{
    echo "$BASE/bytes/10240/a.bin?seed=1"
    echo "$BASE/bytes/1048576/big.bin?seed=2"
    echo "$BASE/bytes/10240/c.bin?seed=3"
} >list
# 200 blocks of 1 KiB: 204800 bytes.
(
    ulimit -f 200 || exit 77
    run_salvo -d out -i list
    exit "$RC"
)
RC=$?
[ "$RC" != 77 ] || skip "ulimit -f failed"
[ "$RC" != 153 ] || fail "salvo was killed by SIGXFSZ"
assert_rc 1
assert_grep 'File too large' "$T/stderr" "stderr says why"
assert_absent out/big.bin
assert_body out/a.bin 10240 1
assert_body out/c.bin 10240 3
