#!/bin/bash
# Two URLs of one run with the same name: the first input line gets x.bin,
# the second x.bin.1, even when the first one is slower to answer.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo -j 2 -d out "$BASE/bytes/1000/x.bin?seed=1&delay=300" \
    "$BASE/bytes/2000/x.bin?seed=2"
assert_rc 0
assert_body out/x.bin 1000 1
assert_body out/x.bin.1 2000 2
assert_files out x.bin x.bin.1
