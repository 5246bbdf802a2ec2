#!/bin/bash
# Timeouts are seconds with fractions, honoured to well within a second:
# - --stall-timeout=0.5 on a server that goes silent aborts in well under
#   2 s (it was 7 s: libcurl's low-speed check averages over seconds);
# - --stall-timeout=2 aborts in under 4 s (it was 8 s), not before 2 s;
# - --stall-timeout=0 turns the check off: a 1.5 s silence is waited out;
# - --connect-timeout=0.0001 gives up a connection that hangs (it became
#   0, libcurl's "default", 300 s).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

stalled="$BASE/bytes/100000/s.bin?stall=30000&stall_at=1000"
run_salvo --json --stall-timeout=0.5 --retry=0 -d out "$stalled"
assert_rc 1
assert_lt "$(json_field s.bin seconds)" 1.9 "seconds at --stall-timeout=0.5"
assert_absent out/s.bin

run_salvo --json --stall-timeout=2 --retry=0 -d out "$stalled"
assert_rc 1
secs=$(json_field s.bin seconds)
assert_lt "$secs" 4 "seconds at --stall-timeout=2"
assert_ge "$secs" 1.9 "seconds at --stall-timeout=2"

run_salvo --json --stall-timeout=0 --retry=0 -d out0 \
    "$BASE/bytes/5000/z.bin?stall=1500&stall_at=1000"
assert_rc 0
assert_body out0/z.bin 5000

# A listening socket that never accepts, its queue full: a connect to it
# hangs (the SYN is dropped) until the client gives up.
"$PYTHON3" - "$T/blackhole" <<'PY' &
import os, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
fill = []
for _ in range(4):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(s.getsockname())
    except BlockingIOError:
        pass
    fill.append(c)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(120)
PY
HOLE_PID=$!
trap 'kill $HOLE_PID 2>/dev/null; cleanup' EXIT
wait_until 10 test -s "$T/blackhole" || fail "no blackhole port"
hole=$(cat "$T/blackhole")
SALVO_TEST_TIMEOUT=60 run_salvo --json --connect-timeout=0.0001 --retry=0 \
    -d out "http://127.0.0.1:$hole/c.bin"
assert_rc 1
assert_eq failed "$(json_field c.bin status)" "status"
assert_lt "$(json_field c.bin seconds)" 5 "seconds at --connect-timeout=0.0001"
