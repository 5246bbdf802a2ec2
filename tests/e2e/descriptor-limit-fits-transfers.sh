#!/bin/bash
# Under a low descriptor limit (ulimit -n 128, soft and hard) -j 200 over
# 300 slow URLs runs as many transfers as fit instead of failing items
# with "Too many open files": every item is ok, exit 0; a warning says
# how many run at once (-j was given), and the server never sees more
# in flight than that.  Without -j, it is said only with -v.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

for i in $(seq 1 300); do
    echo "$BASE/bytes/2000/f$i.bin?seed=$i&delay=100"
done >list
(
    ulimit -n 128 || exit 77
    run_salvo --no-progress -j 200 --retry=0 -d out -i list
    exit "$RC"
)
RC=$?
[ "$RC" = 77 ] && skip "cannot set ulimit -n 128"
assert_rc 0
assert_eq 300 "$(grep -c '^ok ' "$T/stderr")" "ok lines"
fit=$(sed -n 's/.*warning: running \([0-9]*\) transfers at once, not 200.*/\1/p' \
    "$T/stderr")
[ -n "$fit" ] || fail "no warning about the transfers that fit"
[ "$fit" -ge 8 ] || fail "only $fit transfers at once under 128 descriptors"
assert_ge "$fit" "$(stat_field max_inflight)" "transfers in flight"
for i in 1 150 300; do
    assert_body out/f$i.bin 2000 "$i"
done
[ "$(find out -type f | wc -l)" = 300 ] || fail "not 300 files in out"

# Without -j (the default 8) the fewer transfers are said only with -v,
# and not as a warning.
head -n 12 list >list12
for v in -v ""; do
    rm -rf out
    (
        ulimit -n 48 || exit 77
        # shellcheck disable=SC2086 # $v is empty or one word
        run_salvo --no-progress $v --retry=0 -d out -i list12
        exit "$RC"
    )
    RC=$?
    assert_rc 0
    assert_eq 12 "$(grep -c '^ok ' "$T/stderr")" "ok lines (${v:-no -v})"
    if [ -n "$v" ]; then
        assert_grep '^salvo: running [0-9]+ transfers? at once, not 8' \
            "$T/stderr" "the -v line"
    elif grep -q 'at once, not' "$T/stderr"; then
        fail "fewer transfers said without -v or -j"
    fi
    ! grep -q 'warning: running' "$T/stderr" ||
        fail "a warning without -j (${v:-no -v})"
done
