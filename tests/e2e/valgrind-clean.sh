#!/bin/bash
# valgrind on a representative run: many URLs, some failing (404, a
# truncated body, a refused connection, a bad line, an existing file):
# no leak, no invalid access.
. "$(dirname "$0")/../lib.sh"
command -v valgrind >/dev/null || skip "valgrind is not installed"
[ -z "${SALVO_SANITIZERS:-}" ] || skip "a sanitizer build (not for valgrind)"
start_server

{
    i=1
    while [ $i -le 60 ]; do
        echo "$BASE/bytes/$((i * 50))/f$i.bin?seed=$i"
        i=$((i + 1))
    done
    echo "$BASE/status/404/missing.bin"
    echo "$BASE/bytes/100000/trunc.bin?truncate=1000&close=1"
    echo "http://127.0.0.1:9/refused.bin"
    echo "not a url"
    echo "$BASE/bytes/10/exists.bin"
} >list
mkdir out
echo old >out/exists.bin

SALVO_REAL=$SALVO
SALVO=valgrind
run_salvo -q --error-exitcode=42 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect,possible \
    --show-leak-kinds=definite,indirect,possible \
    "$SALVO_REAL" -j 8 --json -d out -i list
SALVO=$SALVO_REAL
[ "$RC" != 42 ] || fail "valgrind found errors: $(grep -c '==' stderr) lines"
assert_rc 1
i=1
while [ $i -le 60 ]; do
    assert_body "out/f$i.bin" $((i * 50)) $i
    i=$((i + 1))
done
assert_eq 65 "$(wc -l <stdout)" "JSON lines"
assert_eq old "$(cat out/exists.bin)" "the existing file"
