#!/bin/bash
# The first SIGINT stops the run cleanly: no new transfer starts, the
# running ones stop within about a second, their NAME.part files stay, no
# final file appears, the summary is printed, and the exit status is 130.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
SIG=INT
WANT_RC=130
start_server

mkdir out
for i in 1 2 3 4 5 6; do
    # 2 MB in 1 KiB pieces 50 ms apart: each transfer runs for minutes.
    echo "$BASE/bytes/2000000/f$i.bin?drip=50"
done >list
# A background job of a script starts with SIGINT ignored; salvo must get
# the default disposition, as under a terminal's Ctrl-C.
"$PYTHON3" -c '
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])
' "$SALVO" -j 2 -d out -i list >"$T/stdout" 2>"$T/stderr" &
salvo_pid=$!
# A failing test leaves no salvo behind.
cleanup_salvo()
{
    [ -z "$salvo_pid" ] || kill -KILL "$salvo_pid" 2>/dev/null
    cleanup
}
trap cleanup_salvo EXIT

salvo_gone()
{
    ! kill -0 "$salvo_pid" 2>/dev/null
}
parts_growing()
{
    [ "$(find out -name '*.part' -size +0 | wc -l)" -ge 2 ]
}
running_or_gone()
{
    parts_growing || salvo_gone
}
wait_until 30 running_or_gone
if salvo_gone; then
    wait "$salvo_pid"
    RC=$?
    salvo_pid=
    fail "salvo ended before the signal"
fi
if ! parts_growing; then
    fail "two transfers did not start writing their .part files"
fi
assert_eq 2 "$(stat_field requests)" "requests before the signal"

kill -"$SIG" "$salvo_pid"
wait_until 3 salvo_gone || fail "salvo still runs 3 s after SIG$SIG"
wait "$salvo_pid"
RC=$?
salvo_pid=
assert_rc "$WANT_RC"
assert_grep '^salvo: .*[0-9]+ ok' "$T/stderr" "the summary line"
finals=$(find out -type f ! -name '*.part')
[ -z "$finals" ] || fail "final files after SIG$SIG: $finals"
assert_eq 2 "$(find out -name '*.part' | wc -l)" ".part files left"
assert_eq 2 "$(stat_field requests)" "requests the server saw in all"
