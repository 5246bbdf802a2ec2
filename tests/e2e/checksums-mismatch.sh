#!/bin/bash
# --checksums: a file whose SHA-256 differs from its entry fails
# ("mismatch"), is not retried, and leaves neither NAME nor NAME.part;
# the others are ok; the exit status is 1.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum is not installed"
start_server

mkdir want
body 70000 1 >want/a.bin
body 70000 9 >want/bad.bin # not what the server sends for bad.bin
body 1000 3 >want/c.bin
(cd want && sha256sum a.bin bad.bin c.bin) >SHA256SUMS ||
    fail "sha256sum failed"
run_salvo --no-progress --json --checksums=SHA256SUMS -d out \
    "$BASE/bytes/70000/a.bin?seed=1" "$BASE/bytes/70000/bad.bin?seed=2" \
    "$BASE/bytes/1000/c.bin?seed=3"
assert_rc 1
assert_file_eq want/a.bin out/a.bin
assert_file_eq want/c.bin out/c.bin
assert_files out a.bin c.bin
assert_eq failed "$(json_field /bad.bin status)" "status of bad.bin"
json_field /bad.bin error | grep -qi mismatch ||
    fail "the error of bad.bin does not say mismatch: $(json_field \
        /bad.bin error)"
assert_eq ok "$(json_field /a.bin status)" "status of a.bin"
assert_eq ok "$(json_field /c.bin status)" "status of c.bin"
assert_grep "^failed $BASE/bytes/70000/bad\.bin.*mismatch" "$T/stderr" \
    "the failed line for bad.bin"
assert_eq 1 "$(log_where /bad.bin path | wc -l)" "requests for bad.bin"
