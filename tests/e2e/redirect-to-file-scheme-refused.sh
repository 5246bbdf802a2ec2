#!/bin/bash
# A redirect to a scheme other than http, https, ftp or ftps (file:,
# gopher:, scp:) fails the item: nothing is written for it, and the other
# URLs of the run are still downloaded. The message says so in salvo's
# words: "refused redirect to URL (only http, https, ftp, ftps)".
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
run_salvo --json -d out \
    "$BASE/redirect/passwd?to=$(urlencode file:///etc/passwd)" \
    "$BASE/redirect/gopher.bin?to=$(urlencode gopher://127.0.0.1/)" \
    "$BASE/redirect/scp.bin?to=$(urlencode scp://127.0.0.1/etc/passwd)" \
    "$BASE/bytes/100/good.bin?seed=1"
assert_rc 1
assert_body out/good.bin 100 1
others=$(cd out && find . -mindepth 1 ! -name good.bin)
[ -z "$others" ] || fail "written for a refused redirect: $others"
# Said in salvo's words, not libcurl's "Protocol ... not supported".
assert_grep 'refused redirect to file:///etc/passwd \(only http, https, ftp, ftps\)' \
    "$T/stderr" "message for the file: redirect"
assert_grep 'refused redirect to gopher://127.0.0.1/ \(only http, https' \
    "$T/stderr" "message for the gopher: redirect"
if grep -q 'not supported or disabled' "$T/stderr"; then
    fail "libcurl's raw message was printed"
fi
if grep -q 'root:' "$T/stderr" "$T/stdout"; then
    fail "the contents of /etc/passwd were printed"
fi
"$PYTHON3" - "$T/stdout" <<'PY' || fail "--json statuses are wrong"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()]
got = {o["url"].split("?")[0].rsplit("/", 1)[1]: o["status"] for o in objs}
want = {"passwd": "failed", "gopher.bin": "failed", "scp.bin": "failed",
        "good.bin": "ok"}
assert got == want, got
PY
