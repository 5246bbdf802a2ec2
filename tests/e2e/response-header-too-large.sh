#!/bin/bash
# A response header line of 1 MB (over libcurl's limit) fails the item
# as "response header too large", not "Out of memory", and at once (it is
# not transient). The other URL of the run is downloaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo --json --retry-delay=0 -d out \
    "$BASE/bytes/10/big.bin?big_header=1048576" "$BASE/bytes/100/ok.bin?seed=4"
assert_rc 1
assert_body out/ok.bin 100 4
assert_absent out/big.bin
assert_absent out/big.bin.part
assert_eq failed "$(json_field big.bin status)" "status"
assert_eq "response header too large" "$(json_field big.bin error)" "error"
assert_eq 1 "$(json_field big.bin attempts)" "attempts"
if grep -qi 'out of memory' "$T/stderr"; then
    fail "reported as out of memory"
fi
