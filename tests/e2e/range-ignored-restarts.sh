#!/bin/bash
# A retry after a cut-short body that gets a 200 (the server ignores
# Range) starts the file over: the exact body, not prefix + body.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo --json --retry-delay=0 -d out \
    "$BASE/bytes/200000/r.bin?norange=1&truncate=50000&faulty=1"
assert_rc 0
assert_eq 200000 "$(wc -c <out/r.bin | tr -d ' ')" "size of r.bin"
assert_body out/r.bin 200000
assert_absent out/r.bin.part
assert_eq 2 "$(log_count)" "requests the server saw"
