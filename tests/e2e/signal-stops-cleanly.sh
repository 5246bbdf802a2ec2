#!/bin/bash
# SIGINT and SIGTERM each stop the run cleanly: no new transfer starts,
# the running ones stop within about a second, their NAME.part files stay,
# no final file appears, the summary is printed, and the exit status is
# 128 + the signal: 130 for SIGINT, 143 for SIGTERM.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

for i in 1 2 3 4 5 6; do
    # 2 MB in 1 KiB pieces 50 ms apart: each transfer runs for minutes.
    echo "$BASE/bytes/2000000/f$i.bin?drip=50"
done >list

# parts_growing DIR: two transfers are writing their .part files.
parts_growing()
{
    [ "$(find "$1" -name '*.part' -size +0 | wc -l)" -ge 2 ]
}

# stops SIG WANT_RC: run, send SIG once two transfers run, check.
stops()
{
    sig=$1 want=$2 out=out-$1
    reset_stats
    start_salvo_bg -j 2 -d "$out" -i list
    wait_until 30 eval "parts_growing $out || salvo_gone"
    if salvo_gone; then
        wait_salvo
        fail "SIG$sig: salvo ended before the signal (exit $RC)"
    fi
    parts_growing "$out" ||
        fail "SIG$sig: two transfers did not start writing their .part files"
    assert_eq 2 "$(stat_field requests)" "SIG$sig: requests before it"

    kill -"$sig" "$SALVO_PID"
    wait_salvo 3
    assert_rc "$want"
    assert_grep '^salvo: .*[0-9]+ ok' "$T/stderr" "SIG$sig: the summary line"
    finals=$(find "$out" -type f ! -name '*.part')
    [ -z "$finals" ] || fail "final files after SIG$sig: $finals"
    assert_eq 2 "$(find "$out" -name '*.part' | wc -l)" \
        "SIG$sig: .part files left"
    assert_eq 2 "$(stat_field requests)" "SIG$sig: requests in all"
}

stops INT 130
stops TERM 143
