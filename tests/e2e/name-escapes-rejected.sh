#!/bin/bash
# A NAME with a ".." component or an absolute NAME is a bad line: nothing
# is fetched or written for it, and the rest of the list still works.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

{
    echo "$BASE/bytes/10/e1 ../evil.bin"
    echo "$BASE/bytes/10/e2 /abs/evil.bin"
    echo "$BASE/bytes/10/e3 sub/../../evil.bin"
    echo "$BASE/bytes/1000/good?seed=1 good.bin"
} >list
mkdir out
run_salvo -d out -i list
assert_rc 1
assert_body out/good.bin 1000 1
found=$(find "$T" -name 'evil.bin*')
[ -z "$found" ] || fail "written for a rejected name: $found"
assert_absent /abs/evil.bin
for n in 1 2 3; do
    grep -Eqi "line $n([^0-9]|\$)" "$T/stderr" ||
        fail "stderr does not name line $n"
done
if server_paths | grep -q '/e[123]$'; then
    fail "a rejected line was fetched"
fi
