#!/bin/bash
# A NAME whose sub-folder is a symlink (out/sub -> elsewhere) fails that
# item and writes nothing through the link; the other items succeed.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out elsewhere
ln -s "$T/elsewhere" out/sub
{
    echo "$BASE/bytes/100/x?seed=1 sub/x.bin"
    echo "$BASE/bytes/100/y?seed=2 sub/deeper/y.bin"
    echo "$BASE/bytes/100/g?seed=3 good.bin"
} >list
run_salvo -d out -i list
assert_rc 1
assert_body out/good.bin 100 3
left=$(cd elsewhere && find . -mindepth 1)
[ -z "$left" ] || fail "written through the symlinked folder: $left"
assert_eq "$T/elsewhere" "$(readlink out/sub)" "out/sub link"
