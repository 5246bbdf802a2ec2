#!/bin/bash
# -o NAME names the file of the one URL given as an argument (as in curl,
# wget and aria2c), under -d, by the rules of an input line's NAME: a
# sub-folder is made, '..' is refused.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo -d out -o sub/named.bin "$BASE/bytes/100/ignored.bin?seed=5"
assert_rc 0
assert_body out/sub/named.bin 100 5
assert_files out sub/named.bin

run_salvo -d out -o ../escape.bin "$BASE/bytes/100/x.bin"
assert_rc 1
assert_absent escape.bin
assert_grep "\\.\\." "$T/stderr" "the reason names '..'"
assert_eq 1 "$(log_count)" "requests (none for the refused name)"
