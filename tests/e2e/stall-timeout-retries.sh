#!/bin/bash
# --stall-timeout: an attempt that receives nothing for SECS is aborted
# and retried (transient), resuming from the bytes already received.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

# The first request sends 20000 bytes, then nothing for 30 s.
run_salvo --json --stall-timeout=1 --retry-delay=0 -d out \
    "$BASE/bytes/100000/s.bin?stall=30000&stall_at=20000&faulty=1"
assert_rc 0
assert_body out/s.bin 100000
assert_absent out/s.bin.part
assert_eq 2 "$(json_field s.bin attempts)" "JSON attempts"
assert_lt "$(json_field s.bin seconds)" 20 "JSON seconds"
assert_eq 2 "$(log_count)" "requests the server saw"
assert_eq "bytes=20000-" "$(log_field 2 range)" "Range of the retry"
