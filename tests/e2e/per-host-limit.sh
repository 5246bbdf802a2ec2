#!/bin/bash
# --max-per-host=2 with -j 8: never more than 2 transfers in flight to one
# host (by the host name as written: 127.0.0.1 and localhost are two hosts
# on the same server), and 2 do run at once.  Each request is held 300 ms
# and then by a barrier of 2 per host: no barrier timeout means 2 to each
# host were in flight together; a third one to a host can only arrive
# once one of the two before it ended, so per host the i-th and (i+2)-th
# arrivals are at least 300 ms apart; and the server's peak is at most 4.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
"$PYTHON3" -c '
import socket, sys
sys.exit(0 if "127.0.0.1" in socket.gethostbyname_ex("localhost")[2] else 1)
' 2>/dev/null || skip "localhost does not resolve to 127.0.0.1"
start_server

i=1
while [ $i -le 8 ]; do
    q="delay=300&timeout=5000&size=1000"
    echo "http://127.0.0.1:$PORT/barrier/2/a$i.bin?group=h1&$q&seed=$i"
    echo "http://localhost:$PORT/barrier/2/b$i.bin?group=h2&$q&seed=$((i + 8))"
    i=$((i + 1))
done >list
run_salvo --no-progress -j 8 --max-per-host=2 -d out -i list
assert_rc 0
i=1
while [ $i -le 8 ]; do
    assert_body out/a$i.bin 1000 $i
    assert_body out/b$i.bin 1000 $((i + 8))
    i=$((i + 1))
done
assert_eq 0 "$(stat_field barrier_timeouts)" "barrier timeouts"
assert_eq 16 "$(stat_field requests)" "requests the server saw"
peak=$(stat_field max_inflight)
[ "$peak" -le 4 ] || fail "peak requests in flight: $peak, expected <= 4"

"$PYTHON3" - "$T/server.log" "$PORT" <<'PY' || fail "more than 2 per host"
import json, sys
path, port = sys.argv[1], sys.argv[2]
by_host = {}
for line in open(path):
    rec = json.loads(line)
    host = {k.lower(): v for k, v in rec["headers"].items()}.get("host")
    by_host.setdefault(host, []).append(rec["t"])
want = {"127.0.0.1:" + port, "localhost:" + port}
assert set(by_host) == want, "Host headers: %r" % sorted(by_host)
for host, ts in by_host.items():
    ts.sort()
    assert len(ts) == 8, "%s: %d requests" % (host, len(ts))
    for i in range(len(ts) - 2):
        gap = ts[i + 2] - ts[i]
        assert gap >= 0.29, ("%s: requests %d and %d arrived %.3f s apart:"
                             " 3 in flight at once" % (host, i + 1, i + 3,
                                                       gap))
PY

for bad in 0 -1 abc 2x ''; do
    run_salvo --max-per-host="$bad" -d bad "http://127.0.0.1:$PORT/bytes/1/x"
    assert_rc 2
done
assert_eq 16 "$(log_count)" "requests after the bad --max-per-host"
