#!/bin/bash
# Descriptors 0, 1 and 2 closed at start: salvo puts /dev/null there, so
# none of its own files takes their place. No URL and stdin closed is a
# usage error (exit 2), not a read from whatever descriptor 0 became; with
# stdout or stderr closed, downloads still hold exactly their bytes (no
# JSON or status line written into them).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

"$SALVO" -d out <&- >"$T/stdout" 2>"$T/stderr"
RC=$?
assert_rc 2
assert_grep 'standard input is closed' "$T/stderr" "the reason"
assert_grep "Try 'salvo --help'" "$T/stderr" "a usage hint"

"$SALVO" -d out -i - "$BASE/bytes/10/x" <&- >"$T/stdout" 2>"$T/stderr"
RC=$?
assert_rc 2
assert_grep "cannot read '-'" "$T/stderr" "-i - with stdin closed"
assert_absent out/x

"$SALVO" -d out "$BASE/bytes/100/a.bin?seed=1" <&- >"$T/stdout" \
    2>"$T/stderr"
RC=$?
assert_rc 0
assert_body out/a.bin 100 1

"$SALVO" --json -d out "$BASE/bytes/100/b.bin?seed=2" >&- 2>"$T/stderr"
RC=$?
assert_rc 0
assert_body out/b.bin 100 2
assert_absent out/b.bin.part

"$SALVO" --no-progress -d out "$BASE/bytes/100/c.bin?seed=3" \
    "$BASE/bytes/100/d.bin?seed=4" >"$T/stdout" 2>&-
RC=$?
assert_rc 0
assert_body out/c.bin 100 3
assert_body out/d.bin 100 4

"$SALVO" -d out "$BASE/bytes/100/e.bin?seed=5" <&- >&- 2>&-
RC=$?
assert_rc 0
assert_body out/e.bin 100 5
