#!/bin/bash
# A bad line in the config file (an unknown option, a bad value, a value
# for a flag, a missing value) and a missing $SALVO_CONFIG are usage
# errors: exit status 2, a message naming the file and the line, and
# nothing fetched. --help and --no-config still work.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

url=$BASE/bytes/10/a.bin
# bad LINE TEXT: a config file of TEXT exits 2 naming it and LINE.
bad()
{
    printf '%b' "$2" >bad.conf
    SALVO_CONFIG=$T/bad.conf run_salvo "$url"
    assert_rc 2
    grep -qF "salvo: $T/bad.conf:$1: " "$T/stderr" ||
        fail "config '$2': no 'salvo: FILE:$1:' on stderr: $(cat "$T/stderr")"
}
bad 2 'retry = 2\nno-such-option = 1\n'
assert_grep "unknown option 'no-such-option'" "$T/stderr" "unknown option"
bad 3 '# comment\n\nmax-concurrent = lots\n'
assert_grep 'max-concurrent' "$T/stderr" "bad value"
bad 1 'json = yes\n'
bad 1 'retry\n'
bad 1 'retry 5 # no trailing comments\n'

SALVO_CONFIG=$T/nonexistent.conf run_salvo "$url"
assert_rc 2
assert_grep "nonexistent.conf" "$T/stderr" "a missing \$SALVO_CONFIG"

printf 'no-such-option\n' >bad.conf
SALVO_CONFIG=$T/bad.conf run_salvo --help
assert_rc 0
SALVO_CONFIG=$T/bad.conf run_salvo --no-config --dry-run "$url"
assert_rc 0

assert_eq 0 "$(stat_field requests)" "requests the server saw"
assert_absent a.bin
exit 0
