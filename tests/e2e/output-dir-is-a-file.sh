#!/bin/bash
# An output directory that is a regular file is a usage error (exit 2),
# reported as such before any network request; the file is untouched.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

echo keep >notadir
cp notadir expected
run_salvo -d notadir "$BASE/bytes/100/x.bin"
assert_rc 2
assert_grep 'output directory' "$T/stderr" "stderr names the problem"
assert_file_eq expected notadir
assert_eq 0 "$(stat_field requests)" "requests the server saw"
