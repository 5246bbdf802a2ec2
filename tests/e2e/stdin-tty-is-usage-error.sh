#!/bin/bash
# No URL argument, no -i, and stdin a terminal: a usage error (exit 2),
# not a wait for typing.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

command -v script >/dev/null 2>&1 || skip "script(1) not found"
script -qec true /dev/null </dev/null >/dev/null 2>&1 ||
    skip "script(1) cannot make a terminal here"
cmd=$(printf '%q' "$SALVO")
if command -v timeout >/dev/null 2>&1; then
    cmd="timeout 20 $cmd"
fi
script -qec "$cmd" /dev/null </dev/null >"$T/stdout" 2>"$T/stderr"
RC=$?
assert_rc 2
assert_grep 'salvo' "$T/stdout" "a message on the terminal"
