#!/bin/bash
# Interrupting is not failing.  With two transfers running and four items
# queued, SIGINT gives: for each running one "interrupted PATH (N bytes
# kept in PATH.part)" where N is the .part's size on disk, and a --json
# record with "status":"interrupted", its "line" and "bytes" N; nothing at
# all for the four that never started (no "failed" line, no record); a
# summary "... 2 interrupted, 4 not started, B bytes ..." where B is the
# bytes received (here the .part sizes), ending with "rerun with -c to
# resume 2 partial files"; exit status 130 as before.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

{
    echo "# two run, four wait"
    for i in 1 2 3 4 5 6; do
        # 2 MB in 1 KiB pieces 50 ms apart: each transfer runs for minutes.
        echo "$BASE/bytes/2000000/f$i.bin?drip=50"
    done
} >list

parts_growing()
{
    [ "$(find out -name '*.part' -size +4k | wc -l)" -ge 2 ]
}
start_salvo_bg --json -j 2 -d out -i list
wait_until 30 eval "parts_growing || salvo_gone"
salvo_gone && fail "salvo ended before the signal"
kill -INT "$SALVO_PID"
wait_salvo 3
assert_rc 130

parts=$(cd out && ls -- *.part)
assert_eq 2 "$(echo "$parts" | wc -l)" ".part files left"
assert_files out $parts
if grep -E '^(failed|.*interrupted before it started)' "$T/stderr"; then
    fail "items that never started are reported as failures"
fi
total=0
for p in $parts; do
    name=${p%.part}
    size=$(wc -c <"out/$p")
    total=$((total + size))
    grep -Fxq "interrupted out/$name ($size bytes kept in out/$name.part)" \
        "$T/stderr" ||
        fail "no line 'interrupted out/$name ($size bytes kept in" \
            "out/$name.part)' (the size on disk)"
    assert_eq interrupted "$(json_field "/$name" status)" "$name: status"
    assert_eq "$size" "$(json_field "/$name" bytes)" "$name: bytes"
    # Line 1 is the comment: fN.bin is on line N + 1.
    n=${name#f}
    assert_eq $((${n%.bin} + 1)) "$(json_field "/$name" line)" "$name: line"
done
assert_eq 2 "$(grep -c . "$T/stdout")" "JSON records (none for not started)"
assert_eq 2 "$(grep -c '^interrupted ' "$T/stderr")" "interrupted lines"
summary=$(grep '^salvo: ' "$T/stderr")
[[ $summary == *", 2 interrupted, 4 not started, $total bytes in "* ]] ||
    fail "summary without '2 interrupted, 4 not started, $total bytes':" \
        "$summary"
[[ $summary == *"rerun with -c to resume 2 partial files" ]] ||
    fail "summary without the hint to resume: $summary"
