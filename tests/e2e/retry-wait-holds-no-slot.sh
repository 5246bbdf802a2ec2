#!/bin/bash
# A URL waiting to retry holds no transfer slot and no worker: at -j 2,
# two URLs on one host answer 503 with Retry-After: 5, then 20 good URLs
# on another host follow.  All 20 are fetched within 2 s of the first
# request (the server's clock), and the two slow ones succeed on their
# retry.  Run twice: without and with --max-per-host=1.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
"$PYTHON3" -c '
import socket, sys
sys.exit(0 if "127.0.0.1" in socket.gethostbyname_ex("localhost")[2] else 1)
' 2>/dev/null || skip "localhost does not resolve to 127.0.0.1"
start_server

# span RUN SUBSTR: seconds from the first request of RUN to the last
# request of RUN whose path holds SUBSTR.
span()
{
    "$PYTHON3" - "$T/server.log" "/$1/" "$2" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
recs = [r for r in recs if sys.argv[2] in r["path"]]
t0 = min(r["t"] for r in recs)
print("%.3f" % max(r["t"] - t0 for r in recs if sys.argv[3] in r["path"]))
PY
}

# Retry-After is 5 s here: the two slow URLs share a host, and when the
# second one starts only after the first one's answer it waits out that
# host's pause first, then its own.
run=0
for extra in "" "--max-per-host=1"; do
    run=$((run + 1))
    rm -rf out
    {
        for i in 1 2; do
            echo "http://localhost:$PORT/bytes/500/r$run/slow$i.bin?seed=$i&fail=1&retry_after=5"
        done
        for i in $(seq 1 20); do
            echo "$BASE/bytes/2000/r$run/good$i.bin?seed=$((i + 2))&delay=20"
        done
    } >list
    # shellcheck disable=SC2086
    run_salvo --no-progress -j 2 $extra -d out -i list
    assert_rc 0
    for i in 1 2; do
        assert_body "out/slow$i.bin" 500 "$i"
        assert_eq 2 "$(log_where "/r$run/slow$i.bin" t | wc -l)" \
            "requests for slow$i.bin ($extra)"
    done
    for i in $(seq 1 20); do
        assert_body "out/good$i.bin" 2000 $((i + 2))
    done
    last=$(span "r$run" /good)
    echo "last good request ${last} s after the first ($extra)"
    assert_lt "$last" 2 "seconds to the last good request ($extra)"
    assert_grep "retrying http://localhost:[0-9]+/bytes/500/r$run/slow1\.bin[^ ]* in 5 s \(1/3\): HTTP 503" \
        "$T/stderr" "the plain retry line ($extra)"
done
