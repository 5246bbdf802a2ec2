#!/bin/bash
# --limit-rate caps all transfers together (K = 1024): 4 transfers of
# 300 KiB at once under --limit-rate=200K move 1.2 MiB, which takes 6 s
# (a per-transfer cap would take 1.5 s).  Lower bound 4.5 s for a first
# burst; the bytes are exact.  A bad RATE is a usage error.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

for i in 1 2 3 4; do
    echo "$BASE/bytes/307200/f$i.bin?seed=$i"
done >list
t0=$(date +%s.%N)
run_salvo --no-progress --limit-rate=200K -j 4 -d out -i list
t1=$(date +%s.%N)
assert_rc 0
for i in 1 2 3 4; do
    assert_body out/f$i.bin 307200 $i
done
assert_eq 4 "$(stat_field requests)" "requests the server saw"
# All started together (the server's arrival times): the cap is shared.
spread=$(log_where /bytes/ t | sort -g | sed -n '1p;$p' |
    awk 'NR == 1 { a = $1 } NR == 2 { printf "%.3f", $1 - a }')
assert_lt "$spread" 1.5 "seconds between the first and the last request"
took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
assert_ge "$took" 4.5 "seconds for 1.2 MiB at 200K"
assert_lt "$took" 30 "seconds for 1.2 MiB at 200K"

for bad in abc -5 10X 1.5.5K '' K; do
    run_salvo --limit-rate="$bad" -d bad "$BASE/bytes/10/x.bin"
    [ "$RC" = 2 ] || fail "--limit-rate='$bad': exit status $RC, expected 2"
    grep -q salvo "$T/stderr" || fail "--limit-rate='$bad': no message"
done
assert_eq 4 "$(stat_field requests)" "requests after the bad --limit-rate"
assert_absent bad/x.bin
