#!/bin/bash
# -j 1: one transfer at a time, even when each one is slow to answer.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

i=1
while [ $i -le 6 ]; do
    echo "$BASE/bytes/500/f$i.bin?delay=100&seed=$i"
    i=$((i + 1))
done >list
run_salvo -j 1 -d out -i list
assert_rc 0
i=1
while [ $i -le 6 ]; do
    assert_body out/f$i.bin 500 $i
    i=$((i + 1))
done
assert_eq 1 "$(stat_field max_inflight)" "peak requests in flight"
assert_eq 6 "$(stat_field requests)" "requests the server saw"
