# tests/lib.sh: sourced (by bash) by every tests/e2e/*.sh script.
#
# Gives the test a private temp dir $T (the current directory), a local
# server (start_server sets PORT and BASE), and small assertions.  A test
# exits 0 on pass, 1 on fail (see fail), 77 on skip.
#
# From the harness (Makefile.am sets them): SALVO, the binary; srcdir, the
# source tree; PYTHON3, the interpreter.  Run by hand:
#     SALVO=src/salvo srcdir=. bash tests/e2e/NAME.sh
# KEEP_TMP=1 keeps $T for a look afterwards.

# The test script's own directory, as an absolute path.
TEST_DIR=$(cd "$(dirname "$0")" && pwd)
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

: "${srcdir:=$(cd "$LIB_DIR/.." && pwd)}"
srcdir=$(cd "$srcdir" && pwd)
: "${SALVO:=$TEST_DIR/../../src/salvo}"
case $SALVO in
/*) ;;
*) SALVO=$(cd "$(dirname "$SALVO")" && pwd)/$(basename "$SALVO") ;;
esac
: "${PYTHON3:=python3}"
SERVER_PY=$srcdir/tests/server.py
export SALVO srcdir PYTHON3

if ! command -v "$PYTHON3" >/dev/null 2>&1; then
    echo "SKIP: $PYTHON3 not found" >&2
    exit 77
fi
if [ ! -x "$SALVO" ]; then
    echo "FAIL: no salvo binary at $SALVO" >&2
    exit 1
fi

# A hung salvo must not hang the suite: cap every run (0 = no cap).
: "${SALVO_TEST_TIMEOUT:=120}"

T=$(mktemp -d "${TMPDIR:-/tmp}/salvo-test.XXXXXX") || exit 1
SERVER_PID=
cleanup()
{
    if [ -n "$SERVER_PID" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    cd /
    if [ "${KEEP_TMP:-0}" = 1 ]; then
        echo "kept $T" >&2
    else
        rm -rf "$T"
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
cd "$T" || exit 1

# fail MSG: end the test as failed, with salvo's last stderr for context.
fail()
{
    echo "FAIL: $*" >&2
    if [ -s "$T/stderr" ]; then
        echo "--- salvo stderr (last 20 lines), exit status ${RC-?}:" >&2
        tail -n 20 "$T/stderr" >&2
    fi
    exit 1
}

skip()
{
    echo "SKIP: $*" >&2
    exit 77
}

# pause: a short pause between polls (never to synchronise by itself).
pause()
{
    sleep 0.05 2>/dev/null || sleep 1
}

# wait_until SECS CMD...: poll CMD until it succeeds; 1 after SECS.
wait_until()
{
    _limit=$(($1 * 20))
    shift
    _n=0
    until "$@"; do
        _n=$((_n + 1))
        [ "$_n" -lt "$_limit" ] || return 1
        pause
    done
    return 0
}

# start_server [ARGS]: start tests/server.py; sets PORT and BASE.
# shellcheck disable=SC2120
start_server()
{
    [ -z "$SERVER_PID" ] || fail "start_server: a server is already running"
    rm -f "$T/port"
    "$PYTHON3" "$SERVER_PY" --port-file "$T/port" --log "$T/server.log" \
        "$@" 2>"$T/server.err" &
    SERVER_PID=$!
    wait_until 10 test -s "$T/port" || {
        cat "$T/server.err" >&2
        fail "the test server did not start"
    }
    PORT=$(cat "$T/port")
    BASE=http://127.0.0.1:$PORT
    HAVE_DEV_TCP=0
    if (exec 8<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        HAVE_DEV_TCP=1
    fi
}

# http_get PATH: print the body of GET $BASE/PATH.  Uses bash's /dev/tcp
# (python3 takes a noticeable time to start); falls back to python3.
# Only for the server's uncounted endpoints (/stats, /reset, /body).
http_get()
{
    if [ "$HAVE_DEV_TCP" = 1 ]; then
        exec 8<>"/dev/tcp/127.0.0.1/$PORT" || return 1
        printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&8
        while IFS= read -r _line <&8; do
            if [ "$_line" = $'\r' ] || [ -z "$_line" ]; then
                break
            fi
        done
        cat <&8
        exec 8<&-
        return 0
    fi
    "$PYTHON3" -c '
import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + sys.argv[2], timeout=30) as r:
    shutil.copyfileobj(r, sys.stdout.buffer)
' "$BASE" "$1"
}

# stat_field NAME: print one counter from the server's /stats.
stat_field()
{
    _json=$(http_get /stats)
    if [[ $_json =~ \"$1\":\ *([0-9]+) ]]; then
        echo "${BASH_REMATCH[1]}"
    else
        fail "stat_field $1: not in /stats: $_json"
    fi
}

# reset_stats: zero the server's counters.
reset_stats()
{
    http_get /reset >/dev/null
}

# server_paths: print the path (with query) of every request the server
# logged, one per line, in arrival order.
server_paths()
{
    [ -f "$T/server.log" ] || return 0
    "$PYTHON3" -c '
import json, sys
for line in open(sys.argv[1]):
    print(json.loads(line)["path"])
' "$T/server.log"
}

# body N [SEED]: the bytes /bytes/N?seed=SEED serves, on stdout
# (server.py --body; from the running server, which is quicker).
body()
{
    if [ -n "$SERVER_PID" ]; then
        http_get "/body/$1?seed=${2:-0}"
    else
        "$PYTHON3" "$SERVER_PY" --body "$1" "${2:-0}"
    fi
}

# urlencode STR: STR percent-encoded for a query value.
urlencode()
{
    "$PYTHON3" -c '
import sys, urllib.parse
print(urllib.parse.quote(sys.argv[1], safe=""))
' "$1"
}

# run_salvo ARGS...: run salvo; stdout in $T/stdout, stderr in $T/stderr,
# exit status in RC.  Never ends the test.
run_salvo()
{
    if [ "$SALVO_TEST_TIMEOUT" != 0 ] && command -v timeout >/dev/null 2>&1
    then
        timeout "$SALVO_TEST_TIMEOUT" "$SALVO" "$@" >"$T/stdout" 2>"$T/stderr"
    else
        "$SALVO" "$@" >"$T/stdout" 2>"$T/stderr"
    fi
    RC=$?
    # The sanitizer builds exit 99 on any report (see Makefile.am).
    [ "$RC" != 99 ] || fail "a sanitizer reported an error (exit 99)"
    if [ "$RC" = 124 ]; then
        echo "note: salvo timed out after ${SALVO_TEST_TIMEOUT}s" >&2
    fi
    return 0
}

# assert_eq EXPECTED ACTUAL WHAT
assert_eq()
{
    [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

# assert_rc EXPECTED: salvo's exit status from the last run_salvo.
assert_rc()
{
    assert_eq "$1" "$RC" "salvo exit status"
}

# assert_file_eq EXPECTED_FILE ACTUAL_FILE
assert_file_eq()
{
    [ -f "$2" ] || fail "$2 is missing"
    cmp -s "$1" "$2" || fail "$2 differs from the expected bytes ($1)"
}

# assert_body PATH N [SEED]: PATH holds exactly /bytes/N?seed=SEED.
assert_body()
{
    body "$2" "${3:-0}" >"$T/expected.tmp"
    assert_file_eq "$T/expected.tmp" "$1"
    rm -f "$T/expected.tmp"
}

assert_absent()
{
    [ ! -e "$1" ] || fail "$1 exists but should not"
}

assert_present()
{
    [ -e "$1" ] || fail "$1 is missing"
}

# assert_grep PATTERN FILE WHAT: FILE has a line matching PATTERN (ERE).
assert_grep()
{
    grep -Eq -- "$1" "$2" || fail "$3: no line matching '$1' in $2"
}
