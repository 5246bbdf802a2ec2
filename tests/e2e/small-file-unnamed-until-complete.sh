#!/bin/bash
# A fresh small download of known size (Content-Length <= 1 MiB) is
# written to an unnamed file (O_TMPFILE) and linked to NAME when
# complete: while it runs there is no NAME.part.  A failure with data
# leaves that data in NAME.part, and -c resumes it.  A large file, and
# any file with SALVO_NO_TMPFILE=1 (the fallback for file systems
# without O_TMPFILE), goes through NAME.part as before.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
"$PYTHON3" -c '
import os, sys
try:
    os.close(os.open(".", os.O_TMPFILE | os.O_RDWR, 0o600))
except (AttributeError, OSError):
    sys.exit(1)
' || skip "no O_TMPFILE here"
[ -d /proc/self/fd ] || skip "no /proc/self/fd"
start_server

# watch K DIR SIZE SEED [ENV...]: fetch /bytes/SIZE/x.bin into DIR,
# held at gate gK after 20000 bytes; list DIR while it is held (into
# DIR.seen), then release.
watch()
{
    local k=$1 d=$2 n=$3 seed=$4
    shift 4
    env "$@" timeout 120 "$SALVO" --retry=0 --no-progress -d "$d" \
        "$BASE/bytes/$n/x.bin?seed=$seed&hold=g$k&hold_at=20000" \
        >stdout 2>stderr &
    local pid=$!
    held() { [ "$(http_get "/held/g$k")" -ge 1 ]; }
    wait_until 30 held || fail "$d: the request never reached the gate"
    # The gate holds after 20000 bytes sent: wait for salvo (the child
    # of timeout) to have them in its file, named or not.
    opened()
    {
        local f spid
        spid=$(pgrep -P "$pid" | head -n 1)
        [ -n "$spid" ] || return 1
        for f in "/proc/$spid/fd/"*; do
            case $(readlink "$f") in
            "$T/$d/"*) [ "$(stat -L -c %s "$f")" -ge 20000 ] && return 0 ;;
            esac
        done
        return 1
    }
    ls -A "$d" >"$d.seen"
    http_get "/release/g$k" >/dev/null
    wait "$pid"
    RC=$?
}

# Small: no NAME.part while it runs, and none after.
watch 1 small 100000 1
assert_rc 0
assert_eq "" "$(cat small.seen)" "entries in small/ during the download"
assert_body small/x.bin 100000 1
assert_eq x.bin "$(ls -A small)" "entries in small/ after"

# The fallback: NAME.part while it runs.
watch 2 fallback 100000 2 SALVO_NO_TMPFILE=1
assert_rc 0
assert_eq x.bin.part "$(cat fallback.seen)" "entries in fallback/ during"
assert_body fallback/x.bin 100000 2
assert_eq x.bin "$(ls -A fallback)" "entries in fallback/ after"

# Large: NAME.part as before.
watch 3 large 2000000 3
assert_rc 0
assert_eq x.bin.part "$(cat large.seen)" "entries in large/ during"
assert_body large/x.bin 2000000 3

# A failure with data keeps it in NAME.part; -c resumes from there.
run_salvo --retry=0 --no-progress -d cut \
    "$BASE/bytes/100000/y.bin?seed=4&truncate=30000&close=1"
assert_rc 1
assert_absent cut/y.bin
body 100000 4 | head -c 30000 >prefix
assert_file_eq prefix cut/y.bin.part
: >"$T/server.log"
run_salvo --retry=0 --no-progress -c -d cut "$BASE/bytes/100000/y.bin?seed=4"
assert_rc 0
assert_eq "bytes=30000-" "$(log_where /y.bin range)" "Range of the resume"
assert_body cut/y.bin 100000 4
assert_absent cut/y.bin.part

# An earlier run's NAME.part in the folder, no -c: the small file still
# goes unnamed, and the stale NAME.part is not left behind. (A folder
# empty at the start has none to look for, and is not looked at.)
mkdir old
printf 'stale' >old/z.bin.part
run_salvo --retry=0 --no-progress -d old "$BASE/bytes/5000/z.bin?seed=5"
assert_rc 0
assert_body old/z.bin 5000 5
assert_absent old/z.bin.part
