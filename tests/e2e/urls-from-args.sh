#!/bin/bash
# URLs given as arguments are all downloaded, byte for byte, into -d DIR.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo -d out "$BASE/bytes/1000/a.bin?seed=1" \
    "$BASE/bytes/70000/b.bin?seed=2" "$BASE/bytes/0/c.bin?seed=3"
assert_rc 0
assert_body out/a.bin 1000 1
assert_body out/b.bin 70000 2
assert_body out/c.bin 0 3
assert_files out a.bin b.bin c.bin
[ ! -s "$T/stdout" ] || fail "stdout is not empty without --json"
assert_eq 3 "$(stat_field requests)" "requests the server saw"
