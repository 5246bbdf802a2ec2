#!/bin/bash
# 404, 403 and 410 are not transient: one request each, the item fails
# at once (even though the URL would succeed if asked again).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

codes="404 403 410"
urls=()
for code in $codes; do
    urls+=("$BASE/bytes/3000/p$code.bin?fail=5&fail_status=$code")
done
run_salvo --json --retry=3 --retry-delay=0 -d out "${urls[@]}"
assert_rc 1
for code in $codes; do
    assert_absent "out/p$code.bin"
    n=$(log_where "/p$code.bin?" path | wc -l)
    assert_eq 1 "$n" "requests for the $code URL"
    assert_eq failed "$(json_field "/p$code.bin?" status)" "$code status"
    assert_eq 1 "$(json_field "/p$code.bin?" attempts)" "$code attempts"
    assert_grep "^failed .*p$code\\.bin.*: .*HTTP $code" "$T/stderr" \
        "the failed line for $code"
done
