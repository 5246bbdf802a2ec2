#!/bin/bash
# -c with a .part that already holds the whole body: the server answers
# 416 with Content-Range: bytes */SIZE equal to the .part size, and that
# completes the file.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
body 100000 >out/x.bin.part
run_salvo -c -d out "$BASE/bytes/100000/x.bin"
assert_rc 0
assert_body out/x.bin 100000
assert_absent out/x.bin.part
# bytes=100000- of a 100000-byte body: the server's answer is the 416.
assert_eq 1 "$(log_count)" "requests the server saw"
assert_eq "bytes=100000-" "$(log_field 1 range)" "Range of the request"
