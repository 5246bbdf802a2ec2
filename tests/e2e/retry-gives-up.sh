#!/bin/bash
# --retry=2: a URL that keeps failing (503) gets exactly 3 attempts, then
# fails: exit 1, no file under the final name, a "failed" line on stderr
# that says how many attempts were made.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo --json --retry=2 --retry-delay=0 -d out \
    "$BASE/bytes/5000/a.bin?fail=10"
assert_rc 1
assert_absent out/a.bin
assert_eq failed "$(json_field a.bin status)" "JSON status"
assert_eq 3 "$(json_field a.bin attempts)" "JSON attempts"
assert_eq 503 "$(json_field a.bin http_status)" "JSON http_status"
assert_eq 3 "$(log_count)" "requests the server saw"
assert_grep '^failed .*a\.bin.*: HTTP 503 \(3 attempts\)$' "$T/stderr" \
    "the failed line, with the attempts"
