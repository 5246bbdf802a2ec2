#!/bin/bash
# -j 3: exactly 3 transfers in flight at once, never more.  The server's
# barrier releases requests only in groups of 3, so fewer than 3 in flight
# would time out; each request is held 100 ms before the barrier, so a 4th
# one in flight would show in the server's peak.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

i=1
while [ $i -le 12 ]; do
    q="group=g&timeout=5000&delay=100&size=100&seed=$i"
    echo "$BASE/barrier/3/f$i.bin?$q"
    i=$((i + 1))
done >list
run_salvo -j 3 -d out -i list
assert_rc 0
i=1
while [ $i -le 12 ]; do
    assert_body out/f$i.bin 100 $i
    i=$((i + 1))
done
assert_eq 0 "$(stat_field barrier_timeouts)" "barrier timeouts"
assert_eq 3 "$(stat_field max_inflight)" "peak requests in flight"
assert_eq 12 "$(stat_field requests)" "requests the server saw"
