#!/bin/bash
# Bad input lines (a NUL byte, over 64 KiB, an unsupported scheme) are
# reported as "failed line N: REASON" and count as failed; CRLF line ends
# are fine, non-UTF-8 bytes do not crash salvo, and the good lines are
# downloaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
"$PYTHON3" - "$BASE" <<'PY' >list
import sys
base = sys.argv[1].encode()
out = sys.stdout.buffer
out.write(base + b"/bytes/10/n\0ul.bin\n")                    # 1: NUL
out.write(base + b"/bytes/10/long?" + b"a" * 70 * 1024 + b"\n")  # 2: 70 KiB
out.write(base + b"/bytes/100/crlf.bin?seed=3\r\n")           # 3: CRLF, good
out.write(base + b"/bytes/10/\xff\xfe.bin?seed=4\n")          # 4: not UTF-8
out.write(b"file:///etc/passwd\n")                            # 5: scheme
out.write(b"scp://127.0.0.1/etc/passwd\r\n")                  # 6: scheme
out.write(base + b"/bytes/200/good.bin?seed=6\n")             # 7: good
PY
run_salvo -d out -i list
assert_rc 1
assert_body out/crlf.bin 100 3
assert_body out/good.bin 200 6
for n in 1 2 5 6; do
    assert_grep "failed line $n: ." "$T/stderr" "line $n reported"
done
reported=$(grep -Eo 'failed line [0-9]+' "$T/stderr" | sort -u |
    grep -v -x -e 'failed line 1' -e 'failed line 2' -e 'failed line 4' \
        -e 'failed line 5' -e 'failed line 6')
[ -z "$reported" ] || fail "good lines reported as failed: $reported"
if server_paths | grep -q -e '^/bytes/10/n' -e '^/bytes/10/long'; then
    fail "a bad line was fetched"
fi
