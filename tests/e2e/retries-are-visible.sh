#!/bin/bash
# A run that is slow because of retries says why.  A failure after
# retries names the attempts: "failed URL: HTTP 503 (3 attempts)".  Not on
# a terminal, each retry is one line "retrying URL in S s (N/M): HTTP 503".
# On a terminal the live view shows the waiting item as "NAME  retry 1/3
# in S s (HTTP 503)" while it waits.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

run_salvo --retry=2 --retry-delay=0 -d out "$BASE/bytes/5000/a.bin?fail=10"
assert_rc 1
assert_grep "^failed $BASE/bytes/5000/a\\.bin\\?fail=10: HTTP 503 \\(3 attempts\\)\$" \
    "$T/stderr" "the failed line with the attempts"

# Plain lines: one per retry, the wait from Retry-After.
run_salvo --retry=3 -d out "$BASE/bytes/100/b.bin?fail=1&retry_after=1"
assert_rc 0
assert_body out/b.bin 100
assert_grep "^retrying $BASE/bytes/100/b\\.bin\\?fail=1&retry_after=1 in 1 s \\(1/3\\): HTTP 503\$" \
    "$T/stderr" "the retry line"
assert_eq 1 "$(grep -c '^retrying ' "$T/stderr")" "retry lines"

# The live view: the waiting item says so.  (A slow item keeps the run,
# and the view, going.)
tmux_start
pane_start live 100x20 '' --retry=3 \
    "$BASE/bytes/100/c.bin?fail=1&retry_after=6" \
    "$BASE/bytes/200000/slow.bin?drip=50"
waiting()
{
    pane_text live "$T/live.screen" &&
        grep -Eq '^c\.bin +retry 1/3 in [1-6] s \(HTTP 503\)$' "$T/live.screen"
}
wait_until 30 waiting || {
    cat "$T/live.screen" >&2
    fail "the live view does not show the waiting item"
}
pane_wait live 60
assert_rc 0
assert_body "$T/live/out/c.bin" 100
