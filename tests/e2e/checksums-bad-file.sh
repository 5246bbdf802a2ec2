#!/bin/bash
# --checksums=FILE with a malformed line is a usage error: exit status 2,
# a message naming the line ("line N"), and no request at all.  So is a
# missing FILE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

good=$(printf '%064d' 0)
check()
{
    # check N LINE: LINE as line N (after N-1 good lines).
    _i=1
    while [ $_i -lt "$1" ]; do
        echo "$good  ok$_i.bin"
        _i=$((_i + 1))
    done >SUMS
    printf '%s\n' "$2" >>SUMS
    echo "$good  after.bin" >>SUMS
    run_salvo --checksums=SUMS -d out "$BASE/bytes/10/ok1.bin"
    [ "$RC" = 2 ] || fail "bad line '$2': exit status $RC, expected 2"
    grep -Eq "line $1([^0-9]|$)" "$T/stderr" ||
        fail "bad line '$2': the message does not name line $1:" \
            "$(cat "$T/stderr")"
}
check 1 "zz  a.bin"
check 2 "${good}0  a.bin"        # 65 hex digits
check 3 "${good:1}  a.bin"       # 63
check 2 "${good:1}g  a.bin"      # not hex
check 4 "$good a.bin"            # one space only
check 2 "$good  "                # no name
check 3 "no digest here"
run_salvo --checksums=no-such-file -d out "$BASE/bytes/10/ok1.bin"
assert_rc 2
assert_grep "no-such-file" "$T/stderr" "the message for a missing file"
assert_eq 0 "$(stat_field requests)" "requests the server saw"
assert_absent out/ok1.bin
