#!/bin/bash
# Names holding Unicode format characters (bidi overrides and isolates,
# zero-width characters, U+FEFF, U+2028) are escaped on stderr like
# control bytes: a file named "\u202etxt.exe" must not show as "exe.txt".
# The files themselves keep their names.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

cd=$(urlencode "attachment; filename*=UTF-8''cd%E2%81%A6x%E2%81%A9.bin")
{
    echo "$BASE/bytes/10/o%E2%80%AEtxt.exe?seed=1"
    echo "$BASE/bytes/10/zw%E2%80%8Bsp%EF%BB%BF.bin?seed=2"
    echo "$BASE/bytes/10/ls%E2%80%A8x%E2%80%AA.bin?seed=3"
    echo "$BASE/status/404/gone%E2%80%AD.bin"
    echo "$BASE/bytes/10/cd?seed=4&cd=$cd"
} >list
run_salvo -v --no-progress --content-disposition -d out -i list
assert_rc 1
assert_body out/o$'\xe2\x80\xae'txt.exe 10 1
assert_body out/zw$'\xe2\x80\x8b'sp$'\xef\xbb\xbf'.bin 10 2
assert_body out/cd$'\xe2\x81\xa6'x$'\xe2\x81\xa9'.bin 10 4
assert_grep 'o/?\\xe2\\x80\\xaetxt\.exe' "$T/stderr" "the escaped name"
"$PYTHON3" - "$T/stderr" <<'PY' || fail "raw format characters on stderr"
import sys, unicodedata
text = open(sys.argv[1], "rb").read().decode("utf-8")
for i, ch in enumerate(text):
    bad = unicodedata.category(ch) in ("Cf", "Zl", "Zp")
    assert not bad, "U+%04X at %d: %r" % (ord(ch), i, text[max(0, i - 40):i + 10])
PY
