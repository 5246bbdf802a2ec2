#!/bin/bash
# -N fetches only what changed.  A first run stores each file's ETag (in
# the xattr user.salvo.etag) and sets its mtime from Last-Modified.  A
# second run sends If-None-Match (else If-Modified-Since), gets 304s and
# writes nothing: inode and mtime stay, the status is "unchanged", exit 0.
# A changed resource is fetched again and replaces the file, with the new
# mtime; one whose server sends neither validator is fetched every time.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

lm1=1700000000
lm2=1700086400
xattrs=$("$PYTHON3" -c '
import os, sys
open("probe", "w").close()
try:
    os.setxattr("probe", "user.t", b"1"); print(1)
except OSError:
    print(0)')

list()
{
    echo "$BASE/bytes/3000/a.bin?seed=$1&etag=$2&lm=$3"
    echo "$BASE/bytes/2000/b.bin?seed=5&lm=$lm1"
    echo "$BASE/bytes/1000/c.bin?seed=6"
}
# inode and mtime of a file
im()
{
    stat -c '%i %Y' "$1"
}

list 1 v1 "$lm1" >list1
run_salvo -N --no-progress --json -d out -i list1
assert_rc 0
assert_body out/a.bin 3000 1
assert_eq "$lm1" "$(stat -c %Y out/a.bin)" "a.bin's mtime from Last-Modified"
assert_eq "$lm1" "$(stat -c %Y out/b.bin)" "b.bin's mtime from Last-Modified"
if [ "$xattrs" = 1 ]; then
    assert_eq '"v1"' "$("$PYTHON3" -c '
import os; print(os.getxattr("out/a.bin", "user.salvo.etag").decode())')" \
        "the ETag stored with a.bin"
fi
a1=$(im out/a.bin) b1=$(im out/b.bin) c1=$(im out/c.bin)

run_salvo -N -v --no-progress --json -d out -i list1
assert_rc 0
assert_eq unchanged "$(json_field a.bin status)" "a.bin's status"
assert_eq unchanged "$(json_field b.bin status)" "b.bin's status"
assert_eq ok "$(json_field c.bin status)" "c.bin (no validators)"
assert_eq "$a1" "$(im out/a.bin)" "a.bin's inode and mtime"
assert_eq "$b1" "$(im out/b.bin)" "b.bin's inode and mtime"
assert_grep '^unchanged out/a\.bin$' "$T/stderr" "the unchanged line"
assert_grep 'c\.bin.*no ETag or Last-Modified' "$T/stderr" "the -v note"
if [ "$xattrs" = 1 ]; then
    assert_eq '"v1"' "$(log_where /a.bin headers.if-none-match | sed -n 2p)" \
        "If-None-Match of the second run"
fi
assert_eq "" "$(log_where /b.bin headers.range | sed -n 2p)" "no Range with -N"
[ -n "$(log_where /b.bin headers.if-modified-since | sed -n 2p)" ] ||
    fail "no If-Modified-Since for b.bin"

list 4 v2 "$lm2" >list2
run_salvo -N --no-progress --json -d out -i list2
assert_rc 0
assert_eq ok "$(json_field a.bin status)" "a.bin after a change"
assert_body out/a.bin 3000 4
assert_eq "$lm2" "$(stat -c %Y out/a.bin)" "a.bin's new mtime"
assert_files out a.bin b.bin c.bin
