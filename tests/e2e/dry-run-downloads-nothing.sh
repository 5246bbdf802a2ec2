#!/bin/bash
# --dry-run prints "URL -> PATH" per item and makes no request, no file.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

u1="$BASE/bytes/10/a.bin"
u2="$BASE/bytes/20/b.bin?seed=2"
u3="$BASE/bytes/30/c.bin"
printf '%s\n' "$u1" "$u2 sub/named.bin" >list
run_salvo --dry-run -d out -i list "$u3"
assert_rc 0
assert_eq 0 "$(stat_field requests)" "requests the server saw"
assert_files out
assert_eq 3 "$(wc -l <"$T/stdout")" "lines on stdout"
for line in "$u1 -> out/a.bin" "$u2 -> out/sub/named.bin" \
    "$u3 -> out/c.bin"; do
    grep -Fxq -- "$line" "$T/stdout" || fail "stdout lacks the line '$line'"
done
