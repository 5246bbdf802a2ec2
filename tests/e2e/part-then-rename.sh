#!/bin/bash
# Data goes to NAME.part, renamed to NAME only when complete: a truncated
# transfer never leaves NAME, a complete one leaves no .part behind.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

# A truncated body is transient; Retry-After: 0 keeps the retries quick.
q="truncate=1000&close=1&retry_after=0"
run_salvo -d out "$BASE/bytes/1000000/t.bin?$q" \
    "$BASE/bytes/200000/g.bin?seed=2"
assert_rc 1
assert_absent out/t.bin
assert_body out/g.bin 200000 2
assert_absent out/g.bin.part
if [ -e out/t.bin.part ]; then
    # Whatever was kept is a true prefix of the body.
    size=$(wc -c <out/t.bin.part)
    [ "$size" -le 1000000 ] || fail "t.bin.part has $size bytes"
    body 1000000 | head -c "$size" >prefix
    assert_file_eq prefix out/t.bin.part
fi
assert_grep '^failed .*t\.bin' "$T/stderr" "the failed line"
