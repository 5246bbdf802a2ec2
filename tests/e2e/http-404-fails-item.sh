#!/bin/bash
# A 404 fails that item only: the others are downloaded, exit status 1,
# nothing saved under the failed name.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo -d out "$BASE/bytes/1000/a.bin?seed=1" \
    "$BASE/status/404/missing.bin" "$BASE/bytes/2000/c.bin?seed=3"
assert_rc 1
assert_body out/a.bin 1000 1
assert_body out/c.bin 2000 3
assert_absent out/missing.bin
assert_absent out/missing.bin.part
assert_grep '404' "$T/stderr" "stderr names the HTTP status"
# 404 is not transient: asked for exactly once.
n=$(server_paths | grep -c '^/status/404/')
assert_eq 1 "$n" "requests for the 404 URL"
