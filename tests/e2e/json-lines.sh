#!/bin/bash
# --json: one JSON object per finished URL on stdout, with every field in
# the documented order; "line" is null for a command-line argument,
# "source" the URL whose bytes were kept (null when none were).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
echo old >out/here.bin
run_salvo --json -d out "$BASE/bytes/1000/a.bin?seed=1" \
    "$BASE/status/404/missing.bin" "$BASE/bytes/70000/b.bin?seed=2" \
    "$BASE/bytes/10/here.bin"
assert_rc 1
"$PYTHON3" - "$T/stdout" "$BASE" <<'PY' || fail "--json output is wrong"
import json, sys
base = sys.argv[2]
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "", "stdout does not end with a newline"
lines = lines[:-1]
assert len(lines) == 4, "%d lines, expected 4: %r" % (len(lines), lines)
fields = ["url", "line", "path", "status", "http_status", "bytes",
          "seconds", "attempts", "source", "error"]
by_url = {}
for line in lines:
    obj = json.loads(line)
    assert list(obj) == fields, "keys %r, expected %r" % (list(obj), fields)
    assert obj["line"] is None, obj
    by_url[obj["url"]] = obj
want = {
    base + "/bytes/1000/a.bin?seed=1": ("ok", "out/a.bin", 1000),
    base + "/status/404/missing.bin": ("failed", "out/missing.bin", None),
    base + "/bytes/70000/b.bin?seed=2": ("ok", "out/b.bin", 70000),
    base + "/bytes/10/here.bin": ("skipped", "out/here.bin", None),
}
assert set(by_url) == set(want), "urls: %r" % sorted(by_url)
for url, (status, path, size) in want.items():
    obj = by_url[url]
    assert obj["status"] == status, obj
    assert obj["path"] == path, obj
    assert isinstance(obj["seconds"], (int, float)), obj
    assert obj["seconds"] >= 0, obj
    assert isinstance(obj["attempts"], int), obj
    if status == "ok":
        assert obj["bytes"] == size, obj
        assert obj["http_status"] == 200, obj
        assert obj["error"] is None, obj
        assert obj["attempts"] == 1, obj
        assert obj["source"] == url, obj
    if status == "failed":
        assert obj["http_status"] == 404, obj
        assert isinstance(obj["error"], str) and obj["error"], obj
    if status == "skipped":
        assert obj["error"] is None, obj
        assert obj["source"] is None, obj
PY
