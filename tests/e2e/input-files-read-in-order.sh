#!/bin/bash
# -i may be repeated: every list is read, in the order given (at -j 1 the
# server sees the first list's URLs, then the second's); a list that
# cannot be read is a setup error (exit 2) before any request.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

printf '%s\n' "$BASE/bytes/10/a.bin?seed=1" "$BASE/bytes/10/b.bin?seed=2" >one
printf '%s\n' "$BASE/bytes/10/c.bin?seed=3" >two
run_salvo -j 1 -d out -i one -i two
assert_rc 0
assert_files out a.bin b.bin c.bin
assert_eq "/bytes/10/a.bin?seed=1 /bytes/10/b.bin?seed=2 /bytes/10/c.bin?seed=3" \
    "$(server_paths | tr '\n' ' ' | sed 's/ $//')" "the order of the requests"

run_salvo -d out2 -i one -i no-such-list
assert_rc 2
assert_grep "no-such-list" "$T/stderr" "the message names the list"
assert_eq 3 "$(log_count)" "requests after the unreadable list"
