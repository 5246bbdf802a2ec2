#!/bin/bash
# --timeout holds under --limit-rate: the limiter pauses a transfer
# instead of sleeping inside libcurl's write callback, so libcurl's
# timers keep running. --limit-rate=5K --timeout=2 --retry=0 on 1 MiB
# ends, failed, in about 2 s (bound 10 s for a loaded machine), where it
# used to run for minutes. A pause of the limiter is not a stall: at 20K
# with --stall-timeout=0.5 the file still arrives whole.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

t0=$(date +%s.%N)
SALVO_TEST_TIMEOUT=60 run_salvo --json --limit-rate=5K --timeout=2 \
    --retry=0 -d out "$BASE/bytes/1048576/m.bin"
t1=$(date +%s.%N)
took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
assert_rc 1
assert_eq failed "$(json_field m.bin status)" "status"
assert_absent out/m.bin
assert_lt "$took" 10 "seconds for --timeout=2 under --limit-rate=5K"
assert_ge "$took" 1.9 "seconds (the timeout is not cut short)"

run_salvo --json --limit-rate=20K --stall-timeout=0.5 -d out2 \
    "$BASE/bytes/60000/r.bin?seed=5"
assert_rc 0
assert_body out2/r.bin 60000 5
assert_eq 1 "$(json_field r.bin attempts)" "attempts at 20K"
