#!/bin/bash
# -q: nothing at all on success (ok and skipped items, no summary); with a
# failure, the failure's line and no line for the items that went well.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
echo old >out/here.bin
run_salvo -q -d out "$BASE/bytes/1000/a.bin?seed=1" "$BASE/bytes/10/here.bin"
assert_rc 0
assert_body out/a.bin 1000 1
[ ! -s "$T/stderr" ] || fail "-q printed on success: $(cat "$T/stderr")"
[ ! -s "$T/stdout" ] || fail "-q printed on stdout: $(cat "$T/stdout")"

run_salvo -q -d out "$BASE/bytes/1000/b.bin?seed=2" \
    "$BASE/status/404/missing.bin"
assert_rc 1
assert_body out/b.bin 1000 2
assert_grep "missing\.bin.*404" "$T/stderr" "the failure on stderr"
if grep -Eq '^(ok|skipped) |b\.bin' "$T/stderr"; then
    fail "-q printed a line for an item that went well"
fi
assert_eq 3 "$(stat_field requests)" "requests the server saw"
