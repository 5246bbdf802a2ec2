#!/bin/bash
# A line may list mirrors: URL [MIRROR-URL]... [NAME], apart by spaces or
# a TAB (aria2c's form).  A permanent failure moves to the next URL at
# once; a transient one is retried --retry times first; data failing its
# checksum moves on too.  Partial data is continued from another URL only
# when a --checksums entry will check the result, else the next URL starts
# at byte 0.  --json's "source" is the URL whose bytes were kept, -v shows
# the switch, --dry-run shows every URL, and a bad URL in mirror position
# or a NAME holding "://" makes a bad line.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum is not installed"
start_server

L=http://localhost:$PORT
{
    printf '%s\t%s\n' "$BASE/status/404/a.bin" "$L/bytes/1000/a.bin?seed=1"
    echo "$BASE/bytes/1000/b.bin?seed=2&fail=10 $L/bytes/1000/b.bin?seed=2"
    echo "$BASE/bytes/4000/c.bin?seed=3&truncate=1500 $L/bytes/4000/c.bin?seed=3"
    echo "$BASE/bytes/10/d.bin gopher://127.0.0.1/d.bin"
    echo "$BASE/bytes/10/e.bin some name://x"
} >list
run_salvo -v --no-progress --json --retry=1 --retry-delay=0 -d out -i list
assert_rc 1
assert_body out/a.bin 1000 1
assert_body out/b.bin 1000 2
assert_body out/c.bin 4000 3
assert_files out a.bin b.bin c.bin
assert_eq 1 "$(log_where /status/404/a.bin t | wc -l)" "requests for the 404"
assert_eq 2 "$(log_where '/bytes/1000/b.bin?seed=2&fail' t | wc -l)" \
    "attempts on b.bin's first URL (1 + --retry=1)"
assert_eq "$L/bytes/1000/a.bin?seed=1" "$(json_field a.bin source)" \
    "a.bin's source"
assert_eq "$L/bytes/1000/b.bin?seed=2" "$(json_field /b.bin source)" \
    "b.bin's source"
# Without a checksum c.bin's mirror starts over: no Range.
"$PYTHON3" - "$T/server.log" <<'PY' || fail "c.bin's mirror request sent a Range"
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    host = {k.lower(): v for k, v in r["headers"].items()}.get("host", "")
    if host.startswith("localhost") and "/c.bin" in r["path"]:
        assert r["range"] is None, r
PY
assert_grep 'failed line 4: mirror URL 2: unsupported scheme' "$T/stderr" \
    "the bad mirror"
assert_grep "failed line 5: NAME must not contain '://'" "$T/stderr" \
    "the NAME with ://"
assert_grep 'a\.bin.*failed \(HTTP 404\); trying mirror 2/2' "$T/stderr" \
    "-v shows the switch"

# With a checksum, c.bin's mirror goes on from the first URL's bytes; and
# data that fails its checksum moves on to the next URL.
body 4000 3 >want-c
body 1000 5 >want-f
{
    echo "$(sha256sum <want-c | cut -d' ' -f1)  c2.bin"
    echo "$(sha256sum <want-f | cut -d' ' -f1)  f.bin"
} >SUMS
{
    echo "$BASE/bytes/4000/c2.bin?seed=3&truncate=1500 $L/bytes/4000/c2.bin?seed=3"
    echo "$BASE/bytes/1000/f.bin?seed=9 $L/bytes/1000/f.bin?seed=5"
} >list2
run_salvo --no-progress --json --retry=0 --checksums=SUMS -d out2 -i list2
assert_rc 0
assert_file_eq want-c out2/c2.bin
assert_file_eq want-f out2/f.bin
"$PYTHON3" - "$T/server.log" <<'PY' || fail "c2.bin's mirror did not resume"
import json, sys
ranges = [json.loads(l)["range"] for l in open(sys.argv[1])
          if "/c2.bin" in json.loads(l)["path"]]
assert ranges == [None, "bytes=1500-"], ranges
PY
assert_eq "$L/bytes/1000/f.bin?seed=5" "$(json_field /f.bin source)" \
    "f.bin's source after a checksum mismatch"

# --dry-run shows every URL of an item.
run_salvo --dry-run -d out3 -i list
assert_grep "^$BASE/status/404/a\\.bin $L/bytes/1000/a\\.bin\\?seed=1 -> out3/a\\.bin\$" \
    "$T/stdout" "the dry run's line for a.bin"
