#!/bin/bash
# -c resumes NAME.part from its size: Range: bytes=SIZE-, the 206 is
# appended, and the complete file is renamed to NAME.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
body 100000 | head -c 30000 >out/x.bin.part
run_salvo -c -d out "$BASE/bytes/100000/x.bin"
assert_rc 0
assert_body out/x.bin 100000
assert_absent out/x.bin.part
assert_eq 1 "$(log_count)" "requests the server saw"
assert_eq "bytes=30000-" "$(log_field 1 range)" "Range of the request"
