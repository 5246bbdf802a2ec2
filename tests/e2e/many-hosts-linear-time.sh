#!/bin/bash
# A list with a new host on every line costs time in proportion to its
# length: 30,000 loopback hosts (127.1.x.y, where nothing listens, so each
# is a quick "connection refused") stay far below the CPU time that a
# DNS cache walked in full after every transfer took (over 12 s here).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

[ "$(uname -s)" = Linux ] || skip "only Linux routes all of 127.0.0.0/8"
start_server # listens on 127.0.0.1 only: $PORT elsewhere is refused

n=30000
"$PYTHON3" - "$PORT" "$n" <<'PY' >list
import sys
port, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    print("http://127.1.%d.%d:%s/f%d" % (i // 250, i % 250 + 1, port, i))
PY
TIMEFORMAT='%U %S'
{ time run_salvo -q --retry=0 -d out -i list; } 2>"$T/cpu"
assert_rc 1
assert_eq "$n" "$(grep -c '^failed ' "$T/stderr")" "failed items"
cpu=$(awk '{ print $1 + $2 }' "$T/cpu")
echo "CPU time for $n hosts: $cpu s"
# Generous for a loaded CI machine and the sanitizer builds.
limit=8
[ -z "$SALVO_SANITIZERS" ] || limit=20
assert_lt "$cpu" "$limit" "CPU seconds for $n distinct hosts"
