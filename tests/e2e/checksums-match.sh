#!/bin/bash
# --checksums=FILE (sha256sum format, names relative to -d; "HEX  NAME"
# and the binary-mode "HEX *NAME"): every file whose SHA-256 matches is
# ok and final, with no .part left.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum is not installed"
start_server

mkdir -p want/sub
body 70000 1 >want/a.bin
body 1000 2 >want/b.bin
body 5000 3 >want/sub/c.bin
(
    cd want &&
        sha256sum a.bin sub/c.bin &&
        sha256sum -b b.bin &&
        printf '%064d  not-in-this-run.bin\n' 0
) >SHA256SUMS || fail "sha256sum failed"
grep -q ' \*b\.bin$' SHA256SUMS || fail "no binary-mode line in SHA256SUMS"
{
    echo "$BASE/bytes/70000/a.bin?seed=1"
    echo "$BASE/bytes/1000/b.bin?seed=2"
    echo "$BASE/bytes/5000/whatever?seed=3 sub/c.bin"
} >list
run_salvo --no-progress --json --checksums=SHA256SUMS -d out -i list
assert_rc 0
assert_file_eq want/a.bin out/a.bin
assert_file_eq want/b.bin out/b.bin
assert_file_eq want/sub/c.bin out/sub/c.bin
for u in /a.bin /b.bin /whatever; do
    assert_eq ok "$(json_field "$u" status)" "status of $u"
done
assert_files out a.bin b.bin sub/c.bin
assert_eq 3 "$(stat_field requests)" "requests the server saw"
