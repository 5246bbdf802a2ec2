#!/bin/bash
# --dry-run makes every decision that needs no network as a real run
# would, and says so on stdout: "URL -> PATH" for what it would fetch (a
# second URL with a taken name gets NAME.1), "skip PATH (checksum ok)"
# for a file already there whose SHA-256 matches, "fail URL: REASON" for an item that would fail (no
# --checksums entry), "fail line N: REASON" for a bad line.  The summary
# gives all three counts, the exit status is a real run's (1: something
# would fail), and with --json each item is one object whose status is
# planned, skipped or failed, with its line.  Nothing is fetched or
# written either way.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum is not installed"
start_server

mkdir out
printf 'x\n' >x.bin
cp x.bin out/here.bin
# Entries for everything but nolist.bin.
(sha256sum x.bin | sed 's|  x.bin$|  a.bin|'
    sha256sum x.bin | sed 's|  x.bin$|  here.bin|'
    sha256sum x.bin
    sha256sum x.bin | sed 's|  x.bin$|  x.bin.1|') >SHA256SUMS
{
    echo "$BASE/bytes/10/a.bin"           # line 1
    echo "$BASE/bytes/10/here.bin"        # line 2
    echo "$BASE/bytes/10/nolist.bin"      # line 3
    echo "gopher://127.0.0.1/bad.bin"     # line 4: a bad line
    echo "$BASE/bytes/10/one/x.bin"       # line 5
    echo "$BASE/bytes/20/two/x.bin"       # line 6
} >list

run_salvo --dry-run --checksums=SHA256SUMS -d out -i list
assert_rc 1
assert_files out here.bin
assert_eq 0 "$(stat_field requests)" "requests the server saw"
for line in "$BASE/bytes/10/a.bin -> out/a.bin" \
    "skip out/here.bin (checksum ok)" \
    "$BASE/bytes/10/one/x.bin -> out/x.bin" \
    "$BASE/bytes/20/two/x.bin -> out/x.bin.1"; do
    grep -Fxq -- "$line" "$T/stdout" || fail "stdout lacks the line '$line'"
done
assert_grep "^fail $BASE/bytes/10/nolist\\.bin: .*checksum" "$T/stdout" \
    "the fail line for the missing checksum entry"
assert_grep "^fail line 4: " "$T/stdout" "the fail line for the bad line"
assert_eq 6 "$(grep -c . "$T/stdout")" "lines on stdout"
assert_grep '^salvo: dry run: 3 to download, 1 skipped, 2 failed$' \
    "$T/stderr" "the summary"

run_salvo --dry-run --json --checksums=SHA256SUMS -d out -i list
assert_rc 1
assert_files out here.bin
assert_eq 0 "$(stat_field requests)" "requests the server saw (--json)"
"$PYTHON3" - "$T/stdout" "$BASE" <<'PY' || fail "--dry-run --json is wrong"
import json, sys
base = sys.argv[2]
objs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(objs) == 6, "%d objects, expected 6: %r" % (len(objs), objs)
by_line = {o["line"]: o for o in objs}
want = {
    1: ("planned", "out/a.bin"),
    2: ("skipped", "out/here.bin"),
    3: ("failed", "out/nolist.bin"),
    4: ("failed", None),
    5: ("planned", "out/x.bin"),
    6: ("planned", "out/x.bin.1"),
}
for n, (status, path) in want.items():
    o = by_line.get(n)
    assert o is not None, "no object with line %d: %r" % (n, objs)
    assert o["status"] == status, o
    assert o["path"] == path, o
    assert (o["error"] is not None) == (status == "failed"), o
PY
