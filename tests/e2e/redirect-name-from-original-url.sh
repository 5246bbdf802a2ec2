#!/bin/bash
# The file name comes from the URL as given, never from the redirect
# target: /redirect/orig.bin -> .../target.bin is saved as orig.bin with
# the target's bytes.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
to=$(urlencode "$BASE/bytes/100/target.bin?seed=5")
run_salvo --json -d out "$BASE/redirect/orig.bin?to=$to"
assert_rc 0
assert_body out/orig.bin 100 5
assert_files out orig.bin
assert_grep '"path": *"out/orig.bin"' "$T/stdout" "--json path"
