#!/bin/bash
# --checksums with -c: the bytes already in NAME.part are hashed too.  A
# .part with the right first 30000 bytes is resumed (Range bytes=30000-)
# and passes; one with wrong first bytes is resumed the same way and fails
# (mismatch), leaving no NAME; a complete .part (416) passes.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum is not installed"
start_server

mkdir want out
for n in good bad full; do
    body 100000 5 >want/$n.bin
done
(cd want && sha256sum good.bin bad.bin full.bin) >SHA256SUMS ||
    fail "sha256sum failed"
head -c 30000 want/good.bin >out/good.bin.part
body 30000 6 >out/bad.bin.part # 30000 bytes, not the body's first ones
cp want/full.bin out/full.bin.part
run_salvo --no-progress --json -c --checksums=SHA256SUMS -d out \
    "$BASE/bytes/100000/good.bin?seed=5" "$BASE/bytes/100000/bad.bin?seed=5" \
    "$BASE/bytes/100000/full.bin?seed=5"
assert_rc 1
assert_file_eq want/good.bin out/good.bin
assert_file_eq want/full.bin out/full.bin
assert_absent out/bad.bin
assert_eq "bytes=30000-" "$(log_where /good.bin range)" "Range for good.bin"
assert_eq "bytes=30000-" "$(log_where /bad.bin range)" "Range for bad.bin"
assert_eq "bytes=100000-" "$(log_where /full.bin range)" "Range for full.bin"
assert_eq ok "$(json_field /good.bin status)" "status of good.bin"
assert_eq 206 "$(json_field /good.bin http_status)" "HTTP status of good.bin"
assert_eq ok "$(json_field /full.bin status)" "status of full.bin"
assert_eq failed "$(json_field /bad.bin status)" "status of bad.bin"
json_field /bad.bin error | grep -qi mismatch ||
    fail "the error of bad.bin does not say mismatch"
assert_absent out/good.bin.part
assert_absent out/full.bin.part
