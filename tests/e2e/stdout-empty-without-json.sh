#!/bin/bash
# Without --json (or --dry-run, --help, --version) stdout stays empty; the
# report goes to stderr.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo -d out "$BASE/bytes/1000/a.bin" "$BASE/status/404/b.bin"
assert_rc 1
if [ -s "$T/stdout" ]; then
    fail "stdout has $(wc -c <"$T/stdout") bytes, expected none"
fi
[ -s "$T/stderr" ] || fail "stderr is empty"
assert_grep '^ok out/a\.bin' "$T/stderr" "the ok line"
assert_grep "^failed .*b\.bin.*404" "$T/stderr" "the failed line"
assert_grep '^salvo: 1 ok, 1 failed, 0 skipped' "$T/stderr" "the summary"
