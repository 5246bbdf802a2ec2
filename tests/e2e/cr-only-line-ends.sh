#!/bin/bash
# A list with CR-only line ends (old Mac files) is read line by line: a
# lone CR ends a line, CRLF is one line end, and line numbers count so.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

{
    printf '%s\r' "$BASE/bytes/10/a.bin?seed=1" "# a comment"
    printf '%s\r\n' "$BASE/bytes/20/b.bin?seed=2"
    printf '%s\r' "gopher://127.0.0.1/x" "$BASE/bytes/30/c.bin?seed=3"
    printf '\r'
    printf '%s' "$BASE/bytes/40/d.bin?seed=4"
} >list
run_salvo --no-progress -d out -i list
assert_rc 1
assert_body out/a.bin 10 1
assert_body out/b.bin 20 2
assert_body out/c.bin 30 3
assert_body out/d.bin 40 4
assert_grep '^failed line 4: ' "$T/stderr" "the bad line's number"
assert_eq 1 "$(grep -c '^failed' "$T/stderr")" "failed lines"
assert_eq 4 "$(grep -c '^ok ' "$T/stderr")" "ok lines"
