#!/bin/bash
# -i FILE: comments, blank lines, surrounding whitespace and CRLF line ends
# are handled; "URL NAME" saves under NAME, sub-folders created.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

{
    printf '# a comment line\r\n'
    printf '\r\n'
    printf '   \t  \n'
    printf '  %s  \r\n' "$BASE/bytes/1000/a.bin?seed=1"
    printf '\t%s\tsub/dir/x.bin\r\n' "$BASE/bytes/2000/whatever?seed=2"
    printf '%s   named.bin   \n' "$BASE/bytes/3000/other?seed=3"
    printf '    # an indented comment\n'
    printf '%s' "$BASE/bytes/10/last.bin?seed=4"   # no final newline
} >list.txt

run_salvo -d out -i list.txt </dev/null
assert_rc 0
assert_body out/a.bin 1000 1
assert_body out/sub/dir/x.bin 2000 2
assert_body out/named.bin 3000 3
assert_body out/last.bin 10 4
assert_files out a.bin sub/dir/x.bin named.bin last.bin
assert_eq 4 "$(stat_field requests)" "requests the server saw"
