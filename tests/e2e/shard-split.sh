#!/bin/bash
# --shard=K/N splits a list across N runs by a hash of the URL: 4 runs
# (1/4 .. 4/4) of the same 40 URLs into one directory download each file
# exactly once (40 requests, 40 exact files, no NAME.1), every shard gets
# some of them, and each run's files are its own.  K/N out of range or
# malformed is a usage error.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

i=1
while [ $i -le 40 ]; do
    echo "$BASE/bytes/100/s$i.bin?seed=$i"
    i=$((i + 1))
done >list
for k in 1 2 3 4; do
    run_salvo --no-progress --shard=$k/4 -d out -i list
    assert_rc 0
    grep -o '^ok out/[^ ]*' "$T/stderr" | sed 's|^ok out/||' | sort >got$k
    n=$(wc -l <got$k)
    [ "$n" -ge 1 ] || fail "shard $k/4 downloaded nothing"
    if grep -q '^skipped' "$T/stderr"; then
        fail "shard $k/4 met a file of another shard"
    fi
done
echo "shard sizes: $(wc -l got1 got2 got3 got4 | head -n 4 | awk '{print $1}' |
    tr '\n' ' ')" >&2
assert_eq 40 "$(cat got1 got2 got3 got4 | sort -u | wc -l)" \
    "distinct files over the 4 shards"
assert_eq 40 "$(cat got1 got2 got3 got4 | wc -l)" "files over the 4 shards"
assert_eq 40 "$(stat_field requests)" "requests the server saw"
assert_eq 40 "$(find out -type f | wc -l)" "files in out"
i=1
while [ $i -le 40 ]; do
    assert_body out/s$i.bin 100 $i
    i=$((i + 1))
done

for bad in 0/4 5/4 x 1/0 4 /4 1/ -1/4 1/4x 1.5/4; do
    run_salvo --shard="$bad" -d bad -i list
    [ "$RC" = 2 ] || fail "--shard=$bad: exit status $RC, expected 2"
    grep -q salvo "$T/stderr" || fail "--shard=$bad: no message"
done
assert_eq 40 "$(stat_field requests)" "requests after the bad --shard"
assert_absent bad
