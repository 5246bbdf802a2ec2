#!/bin/bash
# --limit-rate shares the bandwidth fairly: 3 transfers of 1 MiB at once
# under --limit-rate=300K each take about 10 s ("seconds" in --json), all
# within 40% of the longest; an unfair share (one after the other at full
# rate) would take about 3.4, 6.8 and 10.2 s.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

for i in 1 2 3; do
    echo "$BASE/bytes/1048576/f$i.bin?seed=$i"
done >list
run_salvo --no-progress --json --limit-rate=300K -j 3 -d out -i list
assert_rc 0
for i in 1 2 3; do
    assert_body out/f$i.bin 1048576 $i
done
# All started together (the server's arrival times): the cap is shared.
spread=$(log_where /bytes/ t | sort -g | sed -n '1p;$p' |
    awk 'NR == 1 { a = $1 } NR == 2 { printf "%.3f", $1 - a }')
assert_lt "$spread" 1.5 "seconds between the first and the last request"
secs=()
for i in 1 2 3; do
    secs+=("$(json_field "/f$i.bin" seconds)")
done
awk -v a="${secs[0]}" -v b="${secs[1]}" -v c="${secs[2]}" 'BEGIN {
    lo = a; hi = a
    if (b < lo) lo = b; if (b > hi) hi = b
    if (c < lo) lo = c; if (c > hi) hi = c
    exit !(hi > 0 && (hi - lo) <= 0.4 * hi)
}' || fail "unfair shares: seconds ${secs[*]} (not within 40%)"
# 3 MiB at 300 KiB/s is 10.2 s: the cap holds for the longest one.
assert_ge "$(printf '%s\n' "${secs[@]}" | sort -g | tail -n 1)" 8 \
    "seconds of the longest transfer"
