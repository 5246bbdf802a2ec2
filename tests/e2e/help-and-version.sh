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

# What --help used to leave out or get wrong.
long=$(awk 'length > 79' "$T/stdout")
assert_eq "" "$long" "--help lines over 79 columns"
assert_grep '^  141 ' "$T/stdout" "--help lists exit status 141"
# The help with its wrapping undone, to match phrases across lines.
tr -s ' \n' ' ' <"$T/stdout" >help1
assert_grep '--stall-timeout=SECS .*0 = off' help1 \
    "--help: 0 turns --stall-timeout off"
assert_grep '--timeout=SECS cap on one attempt; 0 = no limit' help1 \
    "--help: 0 turns --timeout off"
assert_grep '--limit-rate=RATE .*2MiB.*0 = no limit' help1 \
    "--help: --limit-rate units and 0"
grep -q "'#' starts a comment" help1 && fail "--help: '#' starts a comment"
assert_grep "lines that start with '#' are skipped" help1 "--help: comments"
run_salvo --dump-options
assert_rc 0
assert_eq "" "$(cat "$T/stderr")" "--dump-options stderr"

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
