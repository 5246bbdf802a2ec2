#!/bin/bash
# Names derived from hostile URLs stay directly in the output directory:
# after one percent-decoding, '/', '\', NUL and control bytes become '_',
# "." and ".." become "_" and "__", and a long name is cut to 240 bytes
# keeping its extension.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
long=$(printf 'x%.0s' $(seq 1 296)).bin
# Each URL has its own size N and seed N: the file tells where it came from.
urls=(
    "$BASE/bytes/11/a%2Fb?seed=11"
    "$BASE/bytes/12/k%2F?seed=12"
    "$BASE/bytes/13/c%5Cd?seed=13"
    "$BASE/bytes/14/%2e%2e?seed=14"
    "$BASE/bytes/15/%2e?seed=15"
    "$BASE/bytes/16/e%00f?seed=16"
    "$BASE/bytes/17/g%0d%0ah?seed=17"
    "$BASE/bytes/18/i%1bj?seed=18"
    "$BASE/bytes/19/%2e%2e%2f%2e%2e%2fesc?seed=19"
    "$BASE/bytes/20/$long?seed=20"
)
before=$(find . | sort)
run_salvo -d out "${urls[@]}"
assert_rc 0
deep=$(find out -mindepth 2)
[ -z "$deep" ] || fail "files below out/: $deep"
new=$(comm -13 <(echo "$before") <(find . | sort) |
    grep -v -e '^\./out' -e '^\./stdout$' -e '^\./stderr$' -e '^\./server')
[ -z "$new" ] || fail "written outside out/: $new"

"$PYTHON3" - "$SERVER_PY" <<'PY' || fail "the names in out/ are wrong"
import os, subprocess, sys
want = {11: b"a_b", 12: b"k_", 13: b"c_d", 14: b"__", 15: b"_",
        16: b"e_f", 17: b"g__h", 18: b"i_j", 19: b".._.._esc"}
names = os.listdir(b"out")
assert len(names) == 10, names
by_size = {}
for n in names:
    assert all(c >= 0x20 and c != 0x7f for c in n), "control byte: %r" % n
    assert len(n) <= 240, "%d bytes: %r" % (len(n), n)
    by_size[os.path.getsize(b"out/" + n)] = n
assert sorted(by_size) == list(range(11, 21)), by_size
for size, name in want.items():
    assert by_size[size] == name, "size %d: %r, want %r" % (
        size, by_size[size], name)
assert by_size[20].endswith(b".bin"), by_size[20]
assert by_size[20].startswith(b"x" * 100), by_size[20]
for size, name in by_size.items():
    body = subprocess.run([sys.executable, sys.argv[1], "--body", str(size),
                           str(size)], capture_output=True).stdout
    assert open(b"out/" + name, "rb").read() == body, name
PY
