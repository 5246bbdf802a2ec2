#!/bin/bash
# A 206 to a request that asked for no range is never saved as the whole
# file: a plain GET answered "206 bytes 5000-9999/10000" (5000 bytes)
# fails the item, with no NAME and no .part; with -c and no .part the
# same. Once the server answers honestly (lies=1), the retry gets the
# whole file.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

for c in "" -c; do
    rm -rf out
    run_salvo --json --retry=0 $c -d out "$BASE/bytes/10000/p.bin?lie=partial"
    assert_rc 1
    assert_eq failed "$(json_field p.bin status)" "status (${c:-plain})"
    assert_absent out/p.bin
    assert_absent out/p.bin.part
done

rm -rf out
run_salvo --json --retry-delay=0 -d out \
    "$BASE/bytes/10000/q.bin?lie=partial&lies=1"
assert_rc 0
assert_body out/q.bin 10000
assert_eq 2 "$(json_field q.bin attempts)" "attempts"
