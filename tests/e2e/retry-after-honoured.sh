#!/bin/bash
# A Retry-After header (delta seconds, or an HTTP-date) replaces the
# backoff: with --retry-delay=0 the retry still waits as the server asked.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

# An HTTP-date 4 s ahead (whole seconds). Its epoch too: the retry must
# not come before it (less the second the format rounds away), however
# long this machine took to start salvo.
when=$("$PYTHON3" -c 'import time; print(int(time.time()) + 4)')
date=$("$PYTHON3" -c '
import email.utils, sys
print(email.utils.formatdate(int(sys.argv[1]), usegmt=True))' "$when")
run_salvo --json --retry-delay=0 -d out \
    "$BASE/bytes/1000/s.bin?fail=1&retry_after=2" \
    "$BASE/bytes/1000/d.bin?fail=1&retry_after=$(urlencode "$date")"
assert_rc 0
assert_body out/s.bin 1000
assert_body out/d.bin 1000

gap()
{
    log_where "$1" t | awk 'NR == 1 { a = $1 } NR == 2 { print $1 - a }'
}
assert_eq 2 "$(log_where /s.bin? t | wc -l)" "requests for s.bin"
assert_ge "$(gap /s.bin?)" 1.9 "seconds between s.bin's requests (2)"
assert_eq 2 "$(log_where /d.bin? t | wc -l)" "requests for d.bin"
second=$(log_where /d.bin? t | sed -n 2p)
assert_ge "$second" "$((when - 1))" "the retry of d.bin (not before the date)"
