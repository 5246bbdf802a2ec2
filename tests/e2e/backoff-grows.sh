#!/bin/bash
# The backoff doubles: --retry-delay=0.4 waits at least d/2 of 0.4, 0.8,
# 1.6 s before retries 1, 2, 3 (jitter picks in [d/2, d]).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo --json --retry-delay=0.4 -d out "$BASE/bytes/1000/b.bin?fail=3"
assert_rc 0
assert_body out/b.bin 1000
assert_eq 4 "$(json_field b.bin attempts)" "JSON attempts"
assert_eq 4 "$(log_count)" "requests the server saw"
gaps=$(log_where /b.bin? t | awk 'NR > 1 { printf "%s ", $1 - p } { p = $1 }')
read -r g1 g2 g3 <<<"$gaps"
assert_ge "$g1" 0.2 "seconds before retry 1"
assert_ge "$g2" 0.4 "seconds before retry 2"
assert_ge "$g3" 0.8 "seconds before retry 3"
