#!/bin/bash
# A body cut short is transient, and the retry asks only for the rest:
# Range: bytes=RECEIVED-, appended to what is already there.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo --json --retry-delay=0 -d out \
    "$BASE/bytes/200000/t.bin?truncate=50000&faulty=1"
assert_rc 0
assert_body out/t.bin 200000
assert_absent out/t.bin.part
assert_eq 2 "$(log_count)" "requests the server saw"
assert_eq "" "$(log_field 1 range)" "Range of the first request"
assert_eq "bytes=50000-" "$(log_field 2 range)" "Range of the retry"
assert_eq 2 "$(json_field t.bin attempts)" "JSON attempts"
