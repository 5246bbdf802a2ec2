#!/bin/bash
# A busy host does not hold global slots: -j 4 --max-per-host=1 with 4
# slow URLs to 127.0.0.1 listed first (2.5 s each, one at a time) and then
# 3 quick ones to localhost (another host name for the same server).  The
# localhost files are complete while the first 127.0.0.1 request is still
# the only one to that host; had the 3 waiting 127.0.0.1 items taken the
# other 3 global slots, localhost would wait for the first slow one.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
"$PYTHON3" -c '
import socket, sys
sys.exit(0 if "127.0.0.1" in socket.gethostbyname_ex("localhost")[2] else 1)
' 2>/dev/null || skip "localhost does not resolve to 127.0.0.1"
start_server

for i in 1 2 3 4; do
    echo "http://127.0.0.1:$PORT/bytes/1000/slow$i.bin?seed=$i&delay=2500"
done >list
for i in 1 2 3; do
    echo "http://localhost:$PORT/bytes/1000/quick$i.bin?seed=$((i + 4))"
done >>list
"$SALVO" --no-progress -j 4 --max-per-host=1 -d out -i list \
    >"$T/stdout" 2>"$T/stderr" &
salvo_pid=$!
cleanup_salvo()
{
    [ -z "$salvo_pid" ] || kill -KILL "$salvo_pid" 2>/dev/null
    cleanup
}
trap cleanup_salvo EXIT

# requests_to HOSTPREFIX: how many requests the server saw for that Host.
requests_to()
{
    "$PYTHON3" - "$T/server.log" "$1" <<'PY'
import json, sys
n = 0
try:
    for line in open(sys.argv[1]):
        h = {k.lower(): v for k, v in json.loads(line)["headers"].items()}
        n += h.get("host", "").startswith(sys.argv[2] + ":")
except FileNotFoundError:
    pass
print(n)
PY
}
quick_done()
{
    [ -f out/quick1.bin ] && [ -f out/quick2.bin ] && [ -f out/quick3.bin ]
}
salvo_gone()
{
    ! kill -0 "$salvo_pid" 2>/dev/null
}
wait_until 60 quick_done || fail "the localhost files did not appear"

wait_until 60 salvo_gone || fail "salvo did not end"
wait "$salvo_pid"
RC=$?
salvo_pid=
assert_rc 0
for i in 1 2 3 4; do
    assert_body out/slow$i.bin 1000 $i
done
for i in 1 2 3; do
    assert_body out/quick$i.bin 1000 $((i + 4))
done
assert_eq 4 "$(requests_to 127.0.0.1)" "requests to 127.0.0.1"
assert_eq 3 "$(requests_to localhost)" "requests to localhost"

# From the server's own clock, not from when this script looked: every
# localhost request arrived before the second 127.0.0.1 one, i.e. while
# the first slow transfer still held 127.0.0.1's only slot.
order=$("$PYTHON3" - "$T/server.log" <<'PY'
import json, sys
quick, slow = [], []
for line in open(sys.argv[1]):
    r = json.loads(line)
    h = {k.lower(): v for k, v in r["headers"].items()}.get("host", "")
    (quick if h.startswith("localhost:") else slow).append(r["t"])
slow.sort()
print("ok" if len(slow) >= 2 and max(quick) < slow[1] else
      "localhost waited: last at %.3f, 2nd 127.0.0.1 at %.3f"
      % (max(quick), slow[1] if len(slow) > 1 else -1))
PY
)
assert_eq ok "$order" "localhost requests before 127.0.0.1's second"
