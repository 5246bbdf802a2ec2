#!/bin/bash
# A symlink standing at NAME.part is replaced by a fresh file, with or
# without -c: the link's target is never written (nor created, when the
# link dangles), never resumed from, and NAME ends up a regular file with
# the right bytes (with -c: fetched from byte 0, no Range request).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

echo victim >victim
cp victim expected
for c in "" -c; do
    rm -rf out
    mkdir out
    : >"$T/server.log"
    ln -s "$T/victim" out/a.bin.part
    ln -s "$T/nowhere" out/b.bin.part
    # shellcheck disable=SC2086 # $c is empty or one word
    run_salvo $c -d out "$BASE/bytes/1000/a.bin?seed=1" \
        "$BASE/bytes/1000/b.bin?seed=2"
    assert_rc 0
    assert_file_eq expected victim
    assert_absent "$T/nowhere"
    for f in a b; do
        [ ! -L out/$f.bin ] || fail "${c:-no -c}: out/$f.bin is a symlink"
        if [ -e out/$f.bin.part ] || [ -L out/$f.bin.part ]; then
            fail "${c:-no -c}: out/$f.bin.part is still there"
        fi
        assert_eq "" "$(log_where /$f.bin range)" "${c:-no -c}: $f.bin Range"
    done
    assert_body out/a.bin 1000 1
    assert_body out/b.bin 1000 2
done
