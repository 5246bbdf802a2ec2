#!/bin/bash
# A symlink standing at NAME.part is replaced by a fresh file: the link's
# target is never written (nor created, when the link dangles), and NAME
# ends up a regular file with the right bytes.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
echo victim >victim
cp victim expected
ln -s "$T/victim" out/a.bin.part
ln -s "$T/nowhere" out/b.bin.part
run_salvo -d out "$BASE/bytes/1000/a.bin?seed=1" \
    "$BASE/bytes/1000/b.bin?seed=2"
assert_rc 0
assert_file_eq expected victim
assert_absent "$T/nowhere"
for f in a b; do
    [ ! -L out/$f.bin ] || fail "out/$f.bin is a symlink"
    if [ -e out/$f.bin.part ] || [ -L out/$f.bin.part ]; then
        fail "out/$f.bin.part is still there"
    fi
done
assert_body out/a.bin 1000 1
assert_body out/b.bin 1000 2
