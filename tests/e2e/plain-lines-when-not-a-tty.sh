#!/bin/bash
# stderr not a terminal (a file): no live view, even with a TERM that could
# draw one and a transfer that lasts several redraw periods.  No escape
# byte, no carriage return; exactly one plain line per URL and the summary
# line "salvo: N ok, N failed, N skipped, ..." at the end.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
echo old >out/here.bin
# slow.bin: 40 KiB in 1 KiB pieces 20 ms apart, about 0.8 s.
TERM=xterm-256color run_salvo -d out "$BASE/bytes/1000/a.bin?seed=1" \
    "$BASE/status/404/missing.bin" "$BASE/bytes/10/here.bin" \
    "$BASE/bytes/40960/slow.bin?seed=2&drip=20" </dev/null
assert_rc 1
assert_body out/a.bin 1000 1
assert_body out/slow.bin 40960 2
assert_eq old "$(cat out/here.bin)" "the skipped file"

if LC_ALL=C grep -q $'[\033\r]' "$T/stderr"; then
    fail "an escape byte or a carriage return on stderr"
fi
assert_eq 5 "$(wc -l <"$T/stderr")" "lines on stderr (4 URLs + summary)"
assert_eq 1 "$(grep -c '^ok out/a\.bin (1000 bytes)$' "$T/stderr")" \
    "ok line for a.bin"
assert_eq 1 "$(grep -c '^ok out/slow\.bin (40960 bytes)$' "$T/stderr")" \
    "ok line for slow.bin"
assert_eq 1 "$(grep -c "^failed $BASE/status/404/missing\.bin: .*404" \
    "$T/stderr")" "failed line for missing.bin"
assert_eq 1 "$(grep -c '^skipped out/here\.bin (exists)$' "$T/stderr")" \
    "skipped line for here.bin"
tail -n 1 "$T/stderr" | grep -Eq '^salvo: 2 ok, 1 failed, 1 skipped, ' ||
    fail "the last line is not the summary: $(tail -n 1 "$T/stderr")"
[ ! -s "$T/stdout" ] || fail "stdout is not empty"
