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
assert_eq 0 "$(stat_field requests)" "requests the server saw"
assert_absent a.bin
