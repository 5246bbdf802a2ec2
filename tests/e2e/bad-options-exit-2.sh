#!/bin/bash
# Bad options are usage errors: exit status 2, a message naming salvo on
# stderr, and nothing downloaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

url=$BASE/bytes/10/a.bin
check()
{
    run_salvo "$@" </dev/null
    [ "$RC" = 2 ] || fail "salvo $*: exit status $RC, expected 2"
    grep -q salvo "$T/stderr" || fail "salvo $*: no message naming salvo"
}
check --no-such-option "$url"
check -j 0 "$url"
check -j 5000 "$url"
check -j abc "$url"
check --max-concurrent=-1 "$url"
check "$url" -d
check --limit-rate=2Mbit "$url"
check -o x.bin "$url" "$BASE/bytes/10/b.bin"
printf '%s\n' "$url" >list
check -o x.bin -i list
check -o x.bin -i list "$url"
check --netrc-file="$T/no-such-netrc" "$url"
: >unreadable-netrc
chmod 000 unreadable-netrc
# root reads any file: only then is an unreadable netrc file not a test.
if ! cat unreadable-netrc 2>/dev/null; then
    check --netrc-file="$T/unreadable-netrc" "$url"
fi
assert_eq 0 "$(stat_field requests)" "requests the server saw"
assert_absent a.bin
assert_absent x.bin
