#!/bin/bash
# The body of an HTTP error response is never saved as the file.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

# Retry-After: 0 keeps the retries of the (transient) 500 quick.
run_salvo -d out "$BASE/status/500/e.bin?retry_after=0" \
    "$BASE/status/403/f.bin"
assert_rc 1
assert_absent out/e.bin
assert_absent out/f.bin
if [ -d out ] && grep -rqs 'error [45]0[03]' out; then
    fail "an error body was written under out/: $(grep -rls 'error' out)"
fi
