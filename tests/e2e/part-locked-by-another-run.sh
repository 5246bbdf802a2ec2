#!/bin/bash
# Two salvo runs on the same URL and directory at once: the first holds
# NAME.part locked while it writes it; the second (with or without -c)
# fails that item with "NAME.part is being written by another process"
# and never removes, truncates or appends to that file.  The first then
# completes NAME with the right bytes.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

# Over 1 MiB, so that it goes to NAME.part.  The first request stops at
# the gate after 100000 bytes; later ones (faulty=1) are not held.
n=2000000
url="$BASE/bytes/$n/x.bin?seed=4&hold=g&hold_at=100000&faulty=1"
first_is_writing()
{
    [ "$(http_get /held/g)" -ge 1 ] && [ -f out/x.bin.part ] &&
        [ "$(wc -c <out/x.bin.part)" -ge 100000 ]
}

timeout 120 "$SALVO" --retry=0 --no-progress -d out "$url" \
    >stdout1 2>stderr1 &
pid=$!
wait_until 30 first_is_writing || fail "the first run never wrote x.bin.part"
inode=$(stat -c %i out/x.bin.part)

for c in "" -c; do
    # shellcheck disable=SC2086 # $c is empty or one word
    run_salvo --retry=0 --no-progress $c -d out "$url"
    assert_rc 1
    assert_grep "x\.bin\.part is being written by another process" \
        "$T/stderr" "second run ${c:-without -c}"
    assert_absent out/x.bin
    assert_eq "$inode" "$(stat -c %i out/x.bin.part)" \
        "x.bin.part inode after a second run ${c:-without -c}"
    [ "$(wc -c <out/x.bin.part)" -ge 100000 ] ||
        fail "x.bin.part lost bytes to a second run ${c:-without -c}"
done

http_get /release/g >/dev/null
wait "$pid"
rc1=$?
[ "$rc1" = 0 ] || { cat stderr1 >&2; fail "the first run exited $rc1"; }
assert_grep "^ok .*x\.bin" stderr1 "the first run's line"
assert_body out/x.bin "$n" 4
assert_absent out/x.bin.part
