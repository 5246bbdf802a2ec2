#!/bin/bash
# A 429 with Retry-After pauses the whole host, not just its URL: six
# URLs for one host, the first answers 429 with Retry-After: 3.  The
# server sees no request to that host for about 3 s afterwards, while
# URLs for a second host run in that time; -v says so once.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
"$PYTHON3" -c '
import socket, sys
sys.exit(0 if "127.0.0.1" in socket.gethostbyname_ex("localhost")[2] else 1)
' 2>/dev/null || skip "localhost does not resolve to 127.0.0.1"
start_server

{
    echo "$BASE/bytes/300/a1.bin?seed=1&fail=1&fail_status=429&retry_after=3"
    for i in 2 3 4 5 6; do
        echo "$BASE/bytes/300/a$i.bin?seed=$i"
    done
    for i in $(seq 1 6); do
        echo "http://localhost:$PORT/bytes/300/b$i.bin?seed=$((i + 6))&delay=200"
    done
} >list
# --max-per-host=1: a2.. cannot start before a1's answer has come.
run_salvo -v --no-progress -j 4 --max-per-host=1 -d out -i list
assert_rc 0
for i in 1 2 3 4 5 6; do
    assert_body "out/a$i.bin" 300 "$i"
    assert_body "out/b$i.bin" 300 $((i + 6))
done

"$PYTHON3" - "$T/server.log" >"$T/timeline" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
t0 = min(r["t"] for r in recs)
for r in sorted(recs, key=lambda r: r["t"]):
    host = {k.lower(): v for k, v in r["headers"].items()}["host"]
    print("%.3f %s %s" % (r["t"] - t0, host.split(":")[0], r["path"].split("?")[0]))
PY
cat "$T/timeline"
# The 429 came at the first request to 127.0.0.1; the next one to that
# host must come about 3 s later.
gap=$(awk '$2 == "127.0.0.1" { t[n++] = $1 } END { printf "%.3f", t[1] - t[0] }' \
    "$T/timeline")
assert_ge "$gap" 2.9 "seconds between the 429 and the next request to its host"
during=$(awk '$2 == "localhost" && $1 < 2.9 { n++ } END { print n + 0 }' \
    "$T/timeline")
assert_ge "$during" 3 "requests to the other host during the pause"
assert_eq 1 "$(grep -c 'asked to wait' "$T/stderr")" "-v lines about the pause"
assert_grep 'host 127\.0\.0\.1:[0-9]+ asked to wait 3 s' "$T/stderr" "the -v line"
