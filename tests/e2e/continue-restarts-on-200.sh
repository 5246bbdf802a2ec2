#!/bin/bash
# -c with a server that ignores Range (200): the file starts over, so
# NAME is the body, not the old .part followed by the body.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
body 100000 | head -c 30000 >out/x.bin.part
run_salvo -c -d out "$BASE/bytes/100000/x.bin?norange=1"
assert_rc 0
assert_eq 100000 "$(wc -c <out/x.bin | tr -d ' ')" "size of x.bin"
assert_body out/x.bin 100000
assert_absent out/x.bin.part
assert_eq "bytes=30000-" "$(log_field 1 range)" "Range of the request"
