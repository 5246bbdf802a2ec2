#!/bin/bash
# Time spent waiting for a transfer slot does not count against
# --timeout: with -j 1, four 0.6 s transfers and --timeout=1 all succeed,
# though the last one waits about 1.8 s for its slot.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo --json -j 1 --timeout=1 --retry=0 -d out \
    "$BASE/bytes/1000/a.bin?delay=600&seed=1" \
    "$BASE/bytes/1000/b.bin?delay=600&seed=2" \
    "$BASE/bytes/1000/c.bin?delay=600&seed=3" \
    "$BASE/bytes/1000/d.bin?delay=600&seed=4"
assert_rc 0
assert_body out/a.bin 1000 1
assert_body out/b.bin 1000 2
assert_body out/c.bin 1000 3
assert_body out/d.bin 1000 4
assert_eq 4 "$(log_count)" "requests the server saw"
# The transfers did run one after another (else this proves nothing).
span=$(log_where /bytes/ t | awk 'NR == 1 { a = $1 } END { print $1 - a }')
assert_ge "$span" 1.7 "seconds from the first to the last request"
