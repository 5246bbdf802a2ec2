#!/bin/bash
# Bytes from URLs, servers and input lines are escaped on stderr: no raw
# C0 control (but the newline ending a line), no DEL, no C1 control (UTF-8
# c2 80..c2 9f), and only valid UTF-8.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
# A Location header with a raw ESC in it, from the server.
to=$(urlencode "$BASE/status/404/loc"$'\x1b'"[31mred")
# A Content-Disposition name with raw ESC, 0x9b and DEL bytes in it.
cd=$(urlencode 'attachment; filename="cd'$'\x1b''[31m'$'\xc2\x9b\x7f''.bin"')
{
    echo "$BASE/status/404/a%1b%5b31mred"
    echo "$BASE/status/404/b%c2%9bc"
    echo "$BASE/status/404/c%ff"
    echo "$BASE/bytes/10/d%1b%5b31m%c2%9b%ff%7f.bin"
    printf 'bad\x1b[31m line \x9b \xc2\x9b \x7f end\n'
    echo "$BASE/redirect/r%1b.bin?to=$to"
    echo "$BASE/bytes/10/cd?cd=$cd"
} >list
run_salvo -v --no-progress --content-disposition -d out -i list
assert_rc 1
grep -Eq 'line 5([^0-9]|$)' "$T/stderr" || fail "stderr does not name line 5"
[ "$(wc -l <"$T/stderr")" -ge 7 ] || fail "stderr has too few lines"
"$PYTHON3" - "$T/stderr" <<'PY' || fail "raw control bytes on stderr"
import re, sys
data = open(sys.argv[1], "rb").read()
for i, c in enumerate(data):
    assert c >= 0x20 or c == 0x0a, "byte %#x at %d: %r" % (
        c, i, data[max(0, i - 40):i + 10])
    assert c != 0x7f, "DEL at %d: %r" % (i, data[max(0, i - 40):i + 10])
text = data.decode("utf-8")  # raises on invalid UTF-8
m = re.search("[\x80-\x9f]", text)
assert m is None, "C1 control: %r" % text[max(0, m.start() - 40):m.end()]
PY
