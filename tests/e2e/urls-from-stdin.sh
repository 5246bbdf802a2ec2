#!/bin/bash
# With no URL argument and no -i, URLs are read from stdin (not a tty).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

printf '%s\n' "$BASE/bytes/1000/a.bin?seed=1" \
    "$BASE/bytes/70000/b.bin?seed=2" "$BASE/bytes/5/c.bin?seed=3" >list
run_salvo -d out <list
assert_rc 0
assert_body out/a.bin 1000 1
assert_body out/b.bin 70000 2
assert_body out/c.bin 5 3
assert_files out a.bin b.bin c.bin
[ ! -s "$T/stdout" ] || fail "stdout is not empty without --json"
