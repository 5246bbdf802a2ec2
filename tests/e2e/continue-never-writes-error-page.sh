#!/bin/bash
# -c against a URL answering 500 (transient, retried) or 404: the error
# page is never written into NAME.part, which stays byte for byte, and
# there is no NAME.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
body 100000 | head -c 30000 >out/x.bin.part
cp out/x.bin.part out/y.bin.part
cp out/x.bin.part before
run_salvo -c --retry=1 --retry-delay=0 -d out \
    "$BASE/status/500/x.bin" "$BASE/status/404/y.bin"
assert_rc 1
assert_absent out/x.bin
assert_absent out/y.bin
assert_file_eq before out/x.bin.part
assert_file_eq before out/y.bin.part
assert_eq "bytes=30000-" "$(log_where /x.bin range | head -n 1)" \
    "Range of the request for x.bin"
