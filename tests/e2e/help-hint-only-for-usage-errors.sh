#!/bin/bash
# "Try 'salvo --help'" follows usage errors only (a bad option, nothing to
# read), not other reasons to stop before any download (an output
# directory that is a file, a bad --checksums file, an unreadable list),
# which still exit 2 with a message that names the problem.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

hint="Try 'salvo --help'"
echo keep >notadir
printf 'not a checksum line\n' >SUMS

run_salvo -d notadir http://127.0.0.1:9/x
assert_rc 2
assert_grep 'output directory' "$T/stderr" "the output directory message"
grep -qF "$hint" "$T/stderr" && fail "the hint after an unusable directory"

run_salvo --checksums=SUMS -d out http://127.0.0.1:9/x
assert_rc 2
assert_grep 'SUMS: line 1' "$T/stderr" "the checksums message"
grep -qF "$hint" "$T/stderr" && fail "the hint after a bad checksums file"

run_salvo -i no-such-list -d out
assert_rc 2
grep -qF "$hint" "$T/stderr" && fail "the hint after an unreadable list"

run_salvo --no-such-option
assert_rc 2
assert_grep "$hint" "$T/stderr" "the hint after a bad option"
exit 0
