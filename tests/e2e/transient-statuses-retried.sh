#!/bin/bash
# 408, 429, 500, 502, 503 and 504 are transient: each URL fails once,
# is retried, and succeeds on its second request.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

codes="408 429 500 502 503 504"
urls=()
for code in $codes; do
    urls+=("$BASE/bytes/3000/s$code.bin?fail=1&fail_status=$code&seed=$code")
done
run_salvo --json --retry-delay=0 -d out "${urls[@]}"
assert_rc 0
for code in $codes; do
    assert_body "out/s$code.bin" 3000 "$code"
    n=$(log_where "/s$code.bin?" path | wc -l)
    assert_eq 2 "$n" "requests for the $code URL"
    assert_eq 2 "$(json_field "/s$code.bin?" attempts)" "attempts after $code"
done
