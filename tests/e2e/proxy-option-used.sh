#!/bin/bash
# --proxy=URL sends every transfer through that proxy: here the test
# server, which serves a proxy request (an absolute URI) like any other.
# The host in the URL does not exist, so only the proxy can answer.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server
# The environment's proxy settings must not take part (no_proxy=* would
# even turn --proxy off).
unset http_proxy HTTP_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

url=http://salvo-proxy-test.invalid/bytes/10/a.bin
run_salvo --proxy="$BASE" --retry=0 "$url"
assert_rc 0
body 10 >want
cmp -s want a.bin || fail "a.bin is not the body the proxy served"
assert_eq "$url" "$(log_field 1 path)" "the request the proxy saw"

# Without --proxy the name does not resolve.
rm -f a.bin
run_salvo --retry=0 "$url"
assert_rc 1
assert_absent a.bin
exit 0
