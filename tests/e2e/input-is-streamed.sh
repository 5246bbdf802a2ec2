#!/bin/bash
# Input is a stream: the first URL is downloaded while stdin is still open.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkfifo fifo || skip "mkfifo failed"
(run_salvo -d out <fifo; exit "$RC") &
salvo_pid=$!
# Hold the FIFO open for writing on fd 3 until the test says so.
exec 3>fifo
echo "$BASE/bytes/1000/first.bin?seed=1" >&3

first_done()
{
    [ -f out/first.bin ]
}
if ! wait_until 20 first_done; then
    exec 3>&-
    wait "$salvo_pid"
    fail "first.bin did not appear while stdin was still open"
fi
assert_eq 1 "$(stat_field requests)" "requests before stdin closed"

echo "$BASE/bytes/2000/second.bin?seed=2" >&3
exec 3>&-
wait "$salvo_pid"
RC=$?
assert_rc 0
assert_body out/first.bin 1000 1
assert_body out/second.bin 2000 2
