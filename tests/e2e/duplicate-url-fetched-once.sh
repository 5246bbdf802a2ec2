#!/bin/bash
# The same URL listed again with the same (or no) NAME is fetched once:
# the later line is "skipped PATH (same as line N)" and takes no NAME.1.
# The same URL with another NAME is another item.  A dry run says the
# same, and so does a duplicate among the arguments.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

{
    echo "$BASE/bytes/100/a.bin?seed=1"              # line 1
    echo "$BASE/bytes/100/b.bin?seed=2"              # line 2
    echo "$BASE/bytes/100/a.bin?seed=1"              # line 3: as line 1
    echo "$BASE/bytes/100/a.bin?seed=1 other.bin"    # line 4: another NAME
    echo "  $BASE/bytes/100/a.bin?seed=1	other.bin" # line 5: as line 4
} >list
run_salvo --no-progress --json -d out -i list
assert_rc 0
assert_files out a.bin b.bin other.bin
assert_body out/a.bin 100 1
assert_body out/other.bin 100 1
assert_eq 2 "$(log_where /a.bin t | wc -l)" "requests for a.bin's URL"
assert_grep '^skipped out/a\.bin \(same as line 1\)$' "$T/stderr" "line 3"
assert_grep '^skipped out/other\.bin \(same as line 4\)$' "$T/stderr" "line 5"
assert_eq 2 "$(grep -c '"status":"skipped"' "$T/stdout")" "skipped records"
grep '"line":3' "$T/stdout" | grep -q '"status":"skipped"' ||
    fail "line 3's record is not skipped: $(cat "$T/stdout")"

run_salvo --dry-run -d out2 -i list
assert_rc 0
assert_grep '^skip out2/a\.bin \(same as line 1\)$' "$T/stdout" "the dry run"
assert_eq 3 "$(grep -c -- ' -> ' "$T/stdout")" "planned items in the dry run"

run_salvo --no-progress -d out3 "$BASE/bytes/100/c.bin" "$BASE/bytes/100/c.bin"
assert_rc 0
assert_files out3 c.bin
assert_grep '^skipped out3/c\.bin \(same as an earlier URL\)$' "$T/stderr" \
    "a duplicate argument"
