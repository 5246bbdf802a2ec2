#!/bin/bash
# -j 1: a transfer aborted for stalling gives its slot back, so the next
# URL still runs: both are reported, the second is ok, exit 1.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo --json -j 1 --stall-timeout=1 --retry=0 -d out \
    "$BASE/bytes/100000/s.bin?stall=60000&stall_at=0" \
    "$BASE/bytes/1000/n.bin?seed=2"
assert_rc 1
assert_eq 2 "$(grep -c . "$T/stdout")" "--json lines"
assert_eq failed "$(json_field s.bin status)" "status of the stalled URL"
assert_eq ok "$(json_field n.bin status)" "status of the second URL"
assert_body out/n.bin 1000 2
assert_absent out/s.bin
