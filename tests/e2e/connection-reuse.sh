#!/bin/bash
# 2000 small files at -j 16 go over a few kept-alive connections, not one
# connection per file.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

i=1
while [ $i -le 2000 ]; do
    echo "$BASE/bytes/4096/f$i"
    i=$((i + 1))
done >list
run_salvo -j 16 -d out -i list
assert_rc 0
n=$(find out -type f -name 'f*' -size 4096c | wc -l)
assert_eq 2000 "$n" "files of 4096 bytes in out/"
assert_absent out/f1.part
assert_body out/f2000 4096
assert_eq 2000 "$(stat_field requests)" "requests the server saw"
conns=$(stat_field connections)
[ "$conns" -le 32 ] || fail "$conns connections for 2000 requests at -j 16"
