#!/bin/bash
# Workers are reused, not started per URL, yet every slot stays busy:
# after the first item has finished (its worker now idle), 4 items that
# arrive together on a stream must all run at once at -j 4 (the server's
# barrier answers only groups of 4; an idle worker that was woken for one
# item must not be counted for another).  Over a longer list, salvo's
# threads never exceed 2 x -j + 16.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkfifo fifo || skip "mkfifo failed"
(run_salvo -j 4 --retry=0 -d out <fifo; exit "$RC") &
salvo_pid=$!
exec 3>fifo
echo "$BASE/bytes/100/first.bin?seed=1" >&3
first_done()
{
    [ -f out/first.bin ]
}
wait_until 20 first_done || {
    exec 3>&-
    wait "$salvo_pid"
    fail "first.bin did not appear"
}
i=1
while [ $i -le 8 ]; do
    echo "$BASE/barrier/4/b$i.bin?group=g&timeout=5000&size=100&seed=$i"
    i=$((i + 1))
done >&3
exec 3>&-
wait "$salvo_pid"
RC=$?
assert_rc 0
i=1
while [ $i -le 8 ]; do
    assert_body out/b$i.bin 100 $i
    i=$((i + 1))
done
assert_eq 0 "$(stat_field barrier_timeouts)" "barrier timeouts"

# The thread bound, where /proc shows a process's threads.
[ -d /proc/self/task ] || skip "no /proc/PID/task here"
i=1
while [ $i -le 300 ]; do
    echo "$BASE/bytes/100/many/m$i.bin?delay=20&seed=$i"
    i=$((i + 1))
done >list
rm -rf out
"$SALVO" -j 4 -d out -i list >/dev/null 2>"$T/stderr" &
pid=$!
peak=0 samples=0
while kill -0 "$pid" 2>/dev/null; do
    n=$(ls "/proc/$pid/task" 2>/dev/null | wc -l)
    [ "$n" -gt "$peak" ] && peak=$n
    samples=$((samples + 1))
    pause
done
wait "$pid"
RC=$?
assert_rc 0
assert_eq 300 "$(ls out | wc -l)" "files downloaded"
echo "peak threads: $peak ($samples samples)"
[ "$samples" -gt 0 ] || fail "salvo ended before a sample"
[ "$peak" -gt 1 ] || fail "never saw a worker thread ($samples samples)"
assert_lt "$peak" $((2 * 4 + 16 + 1)) "peak threads"

# Threads follow the waits, up to the bound of 4 x -j + 64: at -j 2, 100
# URLs that each fail once and back off 1-2 s run their backoffs side by
# side on extra threads (far more than -j), never more than the bound.
i=1
while [ $i -le 100 ]; do
    echo "$BASE/bytes/100/waits/w$i.bin?fail=1&seed=$i"
    i=$((i + 1))
done >list
rm -rf out
"$SALVO" -j 2 --retry-delay=2 -d out -i list >/dev/null 2>"$T/stderr" &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null; do
    n=$(ls "/proc/$pid/task" 2>/dev/null | wc -l)
    [ "$n" -gt "$peak" ] && peak=$n
    pause
done
wait "$pid"
RC=$?
assert_rc 0
assert_eq 100 "$(ls out | wc -l)" "files downloaded after a backoff each"
echo "peak threads with backoffs: $peak"
assert_ge "$peak" 20 "peak threads while many items back off"
assert_lt "$peak" $((4 * 2 + 64 + 2 + 1)) "peak threads (the bound, main, spare)"
