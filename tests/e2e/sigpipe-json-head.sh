#!/bin/bash
# SIGPIPE never kills salvo: with `salvo --json ... | head -n 1`, salvo
# exits (141 when it hit the closed pipe, 0 when it had written every line
# first) without a "Broken pipe" message, and head's line is valid JSON.
# The items that never started after the stop are no noise on stderr:
# no "failed" line each, only a count in the summary.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
{
    echo "$BASE/bytes/10/f0.bin"
    # The others come later, after head has gone away.
    for i in $(seq 1 49); do
        echo "$BASE/bytes/10/f$i.bin?delay=200"
    done
} >list

timeout "$SALVO_TEST_TIMEOUT" "$SALVO" --json -d out -i list 2>"$T/stderr" |
    head -n 1 >first
RC=${PIPESTATUS[0]}
[ "$RC" != 124 ] || fail "salvo did not exit after head went away"
[ "$RC" = 141 ] || [ "$RC" = 0 ] || fail "salvo exit status $RC, want 141 or 0"
"$PYTHON3" -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
obj = json.loads(lines[0])
assert obj["status"] == "ok", obj
' first || fail "head did not get one valid JSON line: $(cat first)"
if grep -qi 'broken pipe' "$T/stderr"; then
    fail "salvo printed a Broken pipe message"
fi
if [ "$RC" = 141 ]; then
    if grep -E '^failed|before it started' "$T/stderr"; then
        fail "items stopped by the closed pipe are reported as failures"
    fi
    assert_grep '^salvo: .*, [0-9]+ not started, ' "$T/stderr" \
        "the summary counts the items that never started"
fi

# Killed by SIGPIPE and exiting with 141 look the same to a shell: ask the
# kernel.  Python gives the child the default SIGPIPE disposition.
"$PYTHON3" - "$SALVO" list <<'PY' || fail "salvo was killed by SIGPIPE"
import subprocess, sys
p = subprocess.Popen([sys.argv[1], "--json", "-d", "out2", "-i", sys.argv[2]],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
p.stdout.readline()
p.stdout.close()
rc = p.wait(timeout=120)
assert rc in (141, 0), "exit status %d" % rc
PY
