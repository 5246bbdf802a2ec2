#!/bin/bash
# A missing output directory is created, with its parents.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo -d a/b/c "$BASE/bytes/100/x.bin?seed=1"
assert_rc 0
[ -d a/b/c ] || fail "a/b/c was not created"
assert_body a/b/c/x.bin 100 1
