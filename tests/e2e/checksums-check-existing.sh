#!/bin/bash
# --checksums looks at what is already there: an existing NAME whose
# SHA-256 matches is skipped without a request ("checksum ok"); one that
# does not is fetched again and replaced once the new data matches; one
# whose new data does not match either stays as it was, and the failure
# names the expected and the actual hash.  The sums file mixes the
# `sha256sum --tag` (BSD) form with the usual one.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum is not installed"
start_server

mkdir -p want out
body 3000 1 >want/good.bin
body 4000 2 >want/bad.bin
body 5000 3 >want/new.bin
(cd want && sha256sum --tag good.bin new.bin && sha256sum bad.bin) >SUMS ||
    fail "sha256sum failed"
grep -q '^SHA256 (good.bin) = ' SUMS || fail "no BSD-style line in SUMS"
cp want/good.bin out/good.bin
printf 'corrupted\n' >out/bad.bin
good_inode=$(stat -c %i out/good.bin)

{
    echo "$BASE/bytes/3000/good.bin?seed=1"
    echo "$BASE/bytes/4000/bad.bin?seed=2"
    echo "$BASE/bytes/5000/new.bin?seed=3"
} >list
run_salvo --no-progress --json --checksums=SUMS -d out -i list
assert_rc 0
assert_file_eq want/good.bin out/good.bin
assert_eq "$good_inode" "$(stat -c %i out/good.bin)" "good.bin's inode"
assert_file_eq want/bad.bin out/bad.bin
assert_file_eq want/new.bin out/new.bin
assert_eq 0 "$(log_where /good.bin t | wc -l)" "requests for good.bin"
assert_eq skipped "$(json_field good.bin status)" "good.bin's status"
assert_eq 3000 "$(json_field good.bin bytes)" "good.bin's bytes"
assert_eq ok "$(json_field bad.bin status)" "bad.bin's status"
assert_grep '^skipped out/good\.bin \(checksum ok\)' "$T/stderr" \
    "the skipped line"
assert_absent out/bad.bin.part

# The server's bytes do not match either: the existing file is kept.
printf 'corrupted\n' >out/bad.bin
run_salvo --no-progress --retry=0 --checksums=SUMS -d out \
    "$BASE/bytes/4000/bad.bin?seed=9"
assert_rc 1
assert_eq "corrupted" "$(cat out/bad.bin)" "bad.bin after a mismatch"
want_hex=$(sha256sum <want/bad.bin | cut -d' ' -f1)
got_hex=$(body 4000 9 | sha256sum | cut -d' ' -f1)
assert_grep "expected $want_hex, got $got_hex" "$T/stderr" \
    "the mismatch names both hashes"
