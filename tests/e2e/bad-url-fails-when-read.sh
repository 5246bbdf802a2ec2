#!/bin/bash
# Every URL is parsed by libcurl's curl_url() when its line is read: a bad
# port, a host libcurl refuses ("a@b@host") or a missing scheme is
# "failed line N: REASON" before any transfer, with its line number, and
# the other lines are downloaded. A line without a scheme gets a
# suggestion.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

{
    echo "$BASE/bytes/10/a.bin?seed=1"
    echo "http://127.0.0.1:70000/x"
    echo "127.0.0.1:$PORT/bytes/10/noscheme"
    echo "http://a@b@127.0.0.1:$PORT/bytes/10/two-ats"
    echo "$BASE/bytes/20/b.bin?seed=2"
} >list
run_salvo --no-progress -d out -i list
assert_rc 1
assert_body out/a.bin 10 1
assert_body out/b.bin 20 2
assert_grep '^failed line 2: bad URL: Port number' "$T/stderr" "line 2"
assert_grep "^failed line 3: no scheme: did you mean https://127\.0\.0\.1:$PORT/bytes/10/noscheme\?\$" \
    "$T/stderr" "line 3"
assert_grep '^failed line 4: bad URL: ' "$T/stderr" "line 4"
assert_eq 3 "$(grep -c '^failed line' "$T/stderr")" "failed lines"
if server_paths | grep -q -e noscheme -e two-ats; then
    fail "a bad line was fetched"
fi
