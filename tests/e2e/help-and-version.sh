#!/bin/bash
# --help lists every long option, -V prints the version, and the manual
# page documents every long option too.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

options='--max-concurrent --dir --input-file --overwrite --json --dry-run
--quiet --verbose --no-progress --header --user-agent --help --version'

run_salvo --help
assert_rc 0
for o in $options; do
    grep -Eq -- "$o([^-a-z]|\$)" "$T/stdout" || fail "--help does not list $o"
done

run_salvo -V
assert_rc 0
assert_grep '^salvo [0-9]+\.[0-9]+' "$T/stdout" "-V output"
run_salvo --version
assert_rc 0
assert_grep '^salvo [0-9]+\.[0-9]+' "$T/stdout" "--version output"

man=$srcdir/man/salvo.1
if [ -f "$man" ]; then
    # roff writes a minus as \-.
    sed 's/\\-/-/g' "$man" >salvo.1.txt
    for o in $options; do
        grep -Eq -- "$o([^-a-z]|\$)" salvo.1.txt ||
            fail "man/salvo.1 does not mention $o"
    done
else
    echo "note: $man not found, not checked" >&2
fi
