#!/bin/bash
# A 10 MB input line is reported as a bad line without holding it in
# memory, and the next line is still downloaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
"$PYTHON3" - "$BASE" <<'PY' >list
import sys
base = sys.argv[1].encode()
sys.stdout.buffer.write(base + b"/bytes/10/" + b"a" * 10000000 + b"\n")
sys.stdout.buffer.write(base + b"/bytes/100/good.bin?seed=1\n")
PY
echo "$BASE/bytes/100/good.bin?seed=1" >small

if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o rss true 2>/dev/null; then
    # What the same run costs without the long line, and with it.
    SALVO_REAL=$SALVO
    SALVO=/usr/bin/time
    run_salvo -f %M -o rss.small "$SALVO_REAL" -d out.small -i small
    assert_rc 0
    run_salvo -f %M -o rss.huge "$SALVO_REAL" -d out -i list
    SALVO=$SALVO_REAL
    small_kb=$(tail -n 1 rss.small)
    huge_kb=$(tail -n 1 rss.huge)
    echo "max RSS: $small_kb KiB without the long line, $huge_kb KiB with it"
    [ "$huge_kb" -lt 65536 ] || fail "max RSS $huge_kb KiB, limit 64 MiB"
    [ $((huge_kb - small_kb)) -lt 8192 ] ||
        fail "the 10 MB line cost $((huge_kb - small_kb)) KiB (limit 8 MiB)"
else
    echo "no GNU /usr/bin/time: memory not measured"
    run_salvo -d out -i list
fi
assert_rc 1
assert_body out/good.bin 100 1
assert_grep 'failed line 1: ' "$T/stderr" "line 1 reported"
if grep -q 'failed line [2-9]' "$T/stderr"; then
    fail "more than line 1 reported: $(grep 'failed line' "$T/stderr")"
fi
[ "$(wc -c <"$T/stderr")" -lt 10000 ] ||
    fail "stderr is $(wc -c <"$T/stderr") bytes: the long line was echoed"
if server_paths | grep -q '^/bytes/10/aaaa'; then
    fail "the long line was fetched"
fi
