#!/bin/bash
# --checksums: an item whose name has no entry in the file fails with
# "no checksum" before any download (the server sees no request for it);
# the others are ok; the exit status is 1.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum is not installed"
start_server

mkdir want
body 1000 1 >want/a.bin
body 1000 3 >want/c.bin
# An entry for a same-named file in a sub-folder is not one for nolist.bin.
(cd want && sha256sum a.bin c.bin && sha256sum c.bin |
    sed 's|  c.bin$|  sub/nolist.bin|') >SHA256SUMS || fail "sha256sum failed"
run_salvo --no-progress --json --checksums=SHA256SUMS -d out \
    "$BASE/bytes/1000/a.bin?seed=1" "$BASE/bytes/1000/nolist.bin?seed=2" \
    "$BASE/bytes/1000/c.bin?seed=3"
assert_rc 1
assert_file_eq want/a.bin out/a.bin
assert_file_eq want/c.bin out/c.bin
assert_absent out/nolist.bin
assert_absent out/nolist.bin.part
assert_eq failed "$(json_field /nolist.bin status)" "status of nolist.bin"
assert_grep "^failed $BASE/bytes/1000/nolist\.bin.*no checksum" \
    "$T/stderr" "the failed line for nolist.bin"
assert_eq 0 "$(log_where /nolist.bin path | wc -l)" "requests for nolist.bin"
assert_eq 2 "$(stat_field requests)" "requests the server saw"
