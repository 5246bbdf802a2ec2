#!/bin/bash
# A transient failure (503 twice) is retried until the item succeeds:
# three attempts, three requests, the exact bytes on disk.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo --json -v --retry-delay=0 -d out \
    "$BASE/bytes/5000/a.bin?fail=2&seed=1"
assert_rc 0
assert_body out/a.bin 5000 1
assert_absent out/a.bin.part
assert_eq ok "$(json_field a.bin status)" "JSON status"
assert_eq 3 "$(json_field a.bin attempts)" "JSON attempts"
assert_eq 3 "$(log_count)" "requests the server saw"
n=$(grep -c 'retrying in' "$T/stderr")
assert_eq 2 "$n" "-v lines saying 'retrying in'"
