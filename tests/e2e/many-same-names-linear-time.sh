#!/bin/bash
# 30,000 URLs that all map to one name (export?id=N) are named export,
# export.1, ... in input order, stepping over a NAME the list gives
# itself, at a cost in proportion to the list: a dry run stays far below
# the time that probing .1, .2, ... from scratch for every URL took
# (over 20 s of CPU here).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

n=30000
"$PYTHON3" - "$n" <<'PY' >list
import sys
n = int(sys.argv[1])
print("http://127.0.0.1:9/other export.7")
for i in range(n):
    print("http://127.0.0.1:9/export?id=%d" % i)
PY
TIMEFORMAT='%U %S'
{ time run_salvo --dry-run -d out -i list; } 2>"$T/cpu"
assert_rc 0
"$PYTHON3" - "$T/stdout" "$n" <<'PY' || fail "names in the dry run"
import sys
lines = open(sys.argv[1]).read().splitlines()
n = int(sys.argv[2])
assert lines[0].endswith(" -> out/export.7"), lines[0]
names = [l.rsplit(" -> ", 1)[1] for l in lines[1:]]
want = ["out/export"] + ["out/export.%d" % k
                         for k in range(1, n + 1) if k != 7]
assert names == want[:n], "first difference at %d" % next(
    i for i, (a, b) in enumerate(zip(names, want)) if a != b)
PY
cpu=$(awk '{ print $1 + $2 }' "$T/cpu")
echo "CPU time to name $n URLs: $cpu s"
limit=6
[ -z "$SALVO_SANITIZERS" ] || limit=15
assert_lt "$cpu" "$limit" "CPU seconds to name $n URLs with one name"
