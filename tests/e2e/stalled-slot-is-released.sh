#!/bin/bash
# -j 1: a transfer aborted for stalling gives its slot back, so the other
# URLs still run: all are reported, the normal one is ok, exit 1.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

# Two stalling URLs and a normal one: in whatever order -j 1 runs them,
# some stalled transfer comes before another one, which needs its slot.
run_salvo --json -j 1 --stall-timeout=1 --retry=0 -d out \
    "$BASE/bytes/100000/s1.bin?stall=60000&stall_at=0" \
    "$BASE/bytes/1000/n.bin?seed=2" \
    "$BASE/bytes/100000/s2.bin?stall=60000&stall_at=0"
assert_rc 1
assert_eq 3 "$(grep -c . "$T/stdout")" "--json lines"
assert_eq failed "$(json_field s1.bin status)" "status of s1.bin"
assert_eq failed "$(json_field s2.bin status)" "status of s2.bin"
assert_eq ok "$(json_field n.bin status)" "status of n.bin"
assert_body out/n.bin 1000 2
assert_absent out/s1.bin
assert_absent out/s2.bin
assert_eq 3 "$(log_count)" "requests the server saw"
