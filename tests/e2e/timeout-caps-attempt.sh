#!/bin/bash
# --timeout caps one attempt: a server that takes 10 s to answer fails
# the item after about 1 s (with --retry=0, one attempt).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo --json --timeout=1 --retry=0 -d out \
    "$BASE/bytes/1000/d.bin?delay=10000"
assert_rc 1
assert_absent out/d.bin
assert_eq failed "$(json_field d.bin status)" "JSON status"
assert_eq 1 "$(json_field d.bin attempts)" "JSON attempts"
assert_lt "$(json_field d.bin seconds)" 5 "JSON seconds"
assert_eq 1 "$(log_count)" "requests the server saw"
