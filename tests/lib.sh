# tests/lib.sh: sourced (by bash) by every tests/e2e/*.sh script.
#
# Gives the test a private temp dir $T (the current directory), a local
# server (start_server sets PORT and BASE; start_tls_server a second one
# over HTTPS, TLS_PORT and TLS_BASE), and small assertions.  A test
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
TLS_SERVER_PID=
_AT_EXIT=()
# at_exit CMD: run the shell command CMD when the test ends (before the
# servers stop and $T goes), however it ends; the last added runs first.
at_exit()
{
    _AT_EXIT=("$1" "${_AT_EXIT[@]}")
}
cleanup()
{
    for _cmd in "${_AT_EXIT[@]}"; do
        eval "$_cmd"
    done
    for _pid in $SERVER_PID $TLS_SERVER_PID; do
        kill -TERM "$_pid" 2>/dev/null
        wait "$_pid" 2>/dev/null
    done
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
    if [ -s "$T/stderr" ] && [ "${RC-}" = 99 ] &&
        grep -q 'Sanitizer\|runtime error:' "$T/stderr"; then
        # A sanitizer's report in full: its first stack is the one that
        # says what went wrong.
        echo "--- salvo stderr (the sanitizer's report), exit status 99:" >&2
        sed -n '/Sanitizer\|runtime error:/,$p' "$T/stderr" |
            head -n 300 >&2
    elif [ -s "$T/stderr" ]; then
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
    # Wall-clock seconds (bash's SECONDS), however slow CMD is.
    _deadline=$((SECONDS + $1 + 1))
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$_deadline" ] || return 1
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

# make_cert: a self-signed certificate for 127.0.0.1 and localhost (one
# day) in $T/cert.pem, its key in $T/key.pem.  Skips without openssl.
make_cert()
{
    command -v openssl >/dev/null 2>&1 || skip "openssl is not installed"
    cat >"$T/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
x509_extensions = ext
prompt = no
[dn]
CN = 127.0.0.1
[ext]
subjectAltName = IP:127.0.0.1, DNS:localhost
basicConstraints = critical, CA:TRUE
keyUsage = digitalSignature, keyEncipherment, keyCertSign
extendedKeyUsage = serverAuth
EOF
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
        -config "$T/openssl.cnf" -keyout "$T/key.pem" -out "$T/cert.pem" \
        >"$T/openssl.err" 2>&1 || {
        cat "$T/openssl.err" >&2
        fail "make_cert: openssl could not make a certificate"
    }
}

# start_tls_server [ARGS]: start a second tests/server.py over HTTPS with
# $T/cert.pem (made by make_cert if missing), logging to $T/tls-server.log;
# sets TLS_PORT and TLS_BASE.  May run beside start_server's.
# shellcheck disable=SC2120
start_tls_server()
{
    [ -z "$TLS_SERVER_PID" ] || fail "start_tls_server: already running"
    if [ ! -s "$T/cert.pem" ] || [ ! -s "$T/key.pem" ]; then
        make_cert
    fi
    rm -f "$T/tls-port"
    "$PYTHON3" "$SERVER_PY" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" \
        --port-file "$T/tls-port" --log "$T/tls-server.log" \
        "$@" 2>"$T/tls-server.err" &
    TLS_SERVER_PID=$!
    wait_until 10 test -s "$T/tls-port" || {
        cat "$T/tls-server.err" >&2
        fail "the TLS test server did not start"
    }
    TLS_PORT=$(cat "$T/tls-port")
    # shellcheck disable=SC2034 # for the tests
    TLS_BASE=https://127.0.0.1:$TLS_PORT
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

# _log_query MODE ARG FIELD LOG: the python behind log_field / log_where.
_log_query()
{
    "$PYTHON3" - "$@" <<'PY'
import json, sys
mode, arg, field, path = sys.argv[1:5]
try:
    lines = [l for l in open(path) if l.strip()]
except FileNotFoundError:
    lines = []
recs = [json.loads(l) for l in lines]
if mode == "n":
    n = int(arg)
    if not 1 <= n <= len(recs):
        sys.exit("log_field: no request %d in %s (%d logged)"
                 % (n, path, len(recs)))
    recs = [recs[n - 1]]
else:
    recs = [r for r in recs if arg in r["path"]]
for rec in recs:
    if field.startswith("headers."):
        name = field[len("headers."):].lower()
        value = None
        for k, v in rec.get("headers", {}).items():
            if k.lower() == name:
                value = v
    else:
        value = rec.get(field)
    print("" if value is None else
          (repr(value) if isinstance(value, float) else value))
PY
}

# log_field N FIELD [LOG]: print FIELD of the N-th (from 1) request in
# $T/server.log (or LOG): path, range, t, or headers.NAME (a request
# header, NAME in any case).  Prints an empty line for an absent field;
# fails the test when there is no N-th request.
log_field()
{
    _log_query n "$1" "$2" "${3:-$T/server.log}" || fail "log_field $*"
}

# log_where SUBSTR FIELD [LOG]: FIELD (as for log_field) of every logged
# request whose path (with query) contains SUBSTR, one line each, in
# arrival order.
log_where()
{
    _log_query where "$1" "$2" "${3:-$T/server.log}" || fail "log_where $*"
}

# log_count [LOG]: how many requests $T/server.log (or LOG) holds.
# shellcheck disable=SC2120
log_count()
{
    if [ -f "${1:-$T/server.log}" ]; then
        grep -c . "${1:-$T/server.log}"
    else
        echo 0
    fi
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

# json_field URLPART FIELD: FIELD of the one --json line in $T/stdout
# whose "url" contains URLPART (null prints "null", true "true").
json_field()
{
    "$PYTHON3" - "$T/stdout" "$1" "$2" <<'PY' || fail "json_field $*"
import json, sys
path, part, field = sys.argv[1:4]
objs = []
for line in open(path):
    if line.strip():
        obj = json.loads(line)
        if part in obj.get("url", ""):
            objs.append(obj)
if len(objs) != 1:
    sys.exit("json_field: %d --json lines with a url containing %r"
             % (len(objs), part))
value = objs[0].get(field)
print(json.dumps(value) if value is None or isinstance(value, bool)
      else value)
PY
}

# assert_ge A B WHAT: the number A >= the number B (decimals allowed).
assert_ge()
{
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }' ||
        fail "$3: expected >= $2, got '$1'"
}

# assert_lt A B WHAT: the number A < the number B (decimals allowed).
assert_lt()
{
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }' ||
        fail "$3: expected < $2, got '$1'"
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

# assert_files DIR NAME...: DIR holds exactly these files (paths relative
# to DIR, sub-folders allowed), nothing else: no .part, no NAME.1, no
# stray file.  Directories themselves are not listed.  With no NAME, DIR
# holds no file (or does not exist).
assert_files()
{
    _dir=$1
    shift
    _want=$(printf '%s\n' "$@" | sed '/^$/d' | LC_ALL=C sort)
    if [ -d "$_dir" ]; then
        _got=$(cd "$_dir" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort)
    else
        _got=
    fi
    [ "$_want" = "$_got" ] || fail "files in $_dir: expected [$(echo \
        $_want)], got [$(echo $_got)]"
}

# --- salvo in the background ---------------------------------------------

# start_salvo_bg ARGS...: start salvo in the background (stdout in
# $T/stdout, stderr in $T/stderr); sets SALVO_PID.  SIGINT gets its
# default disposition (a script's background job starts with it ignored;
# a terminal's Ctrl-C finds it at the default).  Killed when the test
# ends.  wait_salvo collects its exit status.
SALVO_PID=
start_salvo_bg()
{
    "$PYTHON3" -c '
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])
' "$SALVO" "$@" >"$T/stdout" 2>"$T/stderr" &
    SALVO_PID=$!
    at_exit '[ -z "$SALVO_PID" ] || kill -KILL "$SALVO_PID" 2>/dev/null'
}

# salvo_gone: the background salvo has ended.
salvo_gone()
{
    ! kill -0 "$SALVO_PID" 2>/dev/null
}

# wait_salvo [SECS]: wait (at most SECS, default 10) for the background
# salvo to end; sets RC.  Fails the test if it does not.
wait_salvo()
{
    wait_until "${1:-10}" salvo_gone ||
        fail "salvo still runs ${1:-10} s later"
    wait "$SALVO_PID"
    RC=$?
    SALVO_PID=
    [ "$RC" != 99 ] || fail "a sanitizer reported an error (exit 99)"
}

# --- tmux: salvo on a terminal -------------------------------------------

# tmux_start: a private tmux server for this test (its own socket and
# config: no status line, panes stay after their program ends, a clear
# does not push the screen into the history), killed at the end.  Skips
# the test without tmux.  Then tm ARGS... runs tmux commands on it.
tmux_start()
{
    command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
    unset TMUX
    cat >"$T/tmux.conf" <<'EOF'
set -g status off
set -g remain-on-exit on
set -g history-limit 10000
set -gq scroll-on-clear off
EOF
    at_exit 'tmux -S "$T/tmux.sock" kill-server 2>/dev/null'
}

# tm ARGS...: tmux on the test's server.  Descriptors 7 to 9 (the tests'
# FIFOs) are closed for it: its server must not hold them open.
tm()
{
    tmux -S "$T/tmux.sock" -f "$T/tmux.conf" "$@" 7>&- 8>&- 9>&-
}

# pane_start NAME COLSxROWS ENV ARGS...: run salvo ARGS (in $T/NAME, with
# -d out added) in a new tmux session NAME of that size, after the sh
# line ENV (e.g. 'TERM=dumb; export TERM'); TERM is xterm-256color and
# NO_COLOR unset unless ENV says otherwise.  stdout goes to
# $T/NAME/stdout, every byte the pane gets to $T/NAME.raw; the exit
# status lands in $T/NAME/rc.  salvo starts only once the pane's output
# is piped.
pane_start()
{
    _name=$1 _size=$2 _env=$3
    shift 3
    mkdir -p "$T/$_name"
    rm -f "$T/$_name/gate"
    mkfifo "$T/$_name/gate"
    {
        echo "cd '$T/$_name' || exit 1"
        echo "read -r _ <gate"
        # A Ctrl-C in the pane (send-keys C-c) is for salvo: the shell
        # lives on to write the exit status (its child gets the default).
        echo "trap : INT"
        echo "TERM=xterm-256color; export TERM; unset NO_COLOR"
        echo "$_env"
        printf '"%s" -d out' "$SALVO"
        printf ' "%s"' "$@"
        echo ' >stdout'
        echo 'echo $? >rc.tmp && mv rc.tmp rc'
    } >"$T/$_name/run.sh"
    tm new-session -d -s "$_name" -x "${_size%x*}" -y "${_size#*x}" \
        "sh $T/$_name/run.sh" || skip "tmux cannot start a session here"
    tm pipe-pane -t "$_name" -o "cat >>$T/$_name.raw" ||
        fail "tmux pipe-pane failed"
    # The open blocks until run.sh reads: in the background.
    echo go >"$T/$_name/gate" &
    at_exit "kill $! 2>/dev/null"
}

# pane_wait NAME [SECS]: wait for salvo in pane NAME to end and for its
# summary line to reach the pane; sets RC.
pane_wait()
{
    wait_until "${2:-60}" test -e "$T/$1/rc" || fail "$1: salvo did not end"
    # Not anchored: the live view's erase codes may precede the summary
    # on the same raw line.
    wait_until 30 grep -q 'salvo: ' "$T/$1.raw" ||
        fail "$1: no summary line reached the pane"
    RC=$(cat "$T/$1/rc")
}

# pane_text NAME FILE [all]: the pane's text (one line per row, wrapped
# rows joined) in FILE; with all, the whole history too.
pane_text()
{
    if [ "${3:-}" = all ]; then
        tm capture-pane -p -J -S - -t "$1" >"$2.tmp" 2>/dev/null
    else
        tm capture-pane -p -J -t "$1" >"$2.tmp" 2>/dev/null
    fi && mv "$2.tmp" "$2"
}
