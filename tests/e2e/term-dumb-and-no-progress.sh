#!/bin/bash
# On a terminal (a tmux pane), TERM=dumb, an unset TERM and --no-progress
# each give plain lines only: no live view (no "total:" line, no cursor
# movement), while a transfer runs for several redraw periods.  Only
# --no-progress on a real TERM may colour its words; a dumb or unknown
# terminal gets no escape byte at all.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
unset TMUX
start_server

cat >"$T/tmux.conf" <<'EOF'
set -g status off
set -g remain-on-exit on
set -g history-limit 10000
set -gq scroll-on-clear off
EOF
# fd 8 (the gates, below) is closed for tmux.
tm()
{
    tmux -S "$T/tmux.sock" -f "$T/tmux.conf" "$@" 8>&-
}
cleanup_tmux()
{
    tmux -S "$T/tmux.sock" kill-server 2>/dev/null
    cleanup
}
trap cleanup_tmux EXIT
wait_for()
{
    _end=$((SECONDS + $1))
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$_end" ] || return 1
        pause
    done
}

# case NAME ENV ARGS...: run salvo in a tmux pane of session NAME with the
# environment change ENV (a line of sh), stderr on the pane, every byte
# the pane gets in $T/NAME.raw, and check what it shows.
case_run()
{
    name=$1 envline=$2
    shift 2
    mkdir "$T/$name"
    mkfifo "$T/$name/gate"
    {
        echo "cd '$T/$name' || exit 1"
        echo "read -r _ <gate"
        echo "unset NO_COLOR"
        echo "$envline"
        printf '"%s" -d out' "$SALVO"
        printf ' "%s"' "$@"
        echo ' >stdout'
        echo 'echo $? >rc.tmp && mv rc.tmp rc'
    } >"$T/$name/run.sh"
    tm new-session -d -s "$name" -x 100 -y 30 "sh $T/$name/run.sh" ||
        skip "tmux cannot start a session here"
    tm pipe-pane -t "$name" -o "cat >>$T/$name.raw" ||
        fail "tmux pipe-pane failed"
    # Open the gate only now that every byte is piped (read-write: the
    # open does not block; the line waits in the FIFO for run.sh).
    exec 8<>"$T/$name/gate"
    echo go >&8
    wait_for 60 test -e "$T/$name/rc" || fail "$name: salvo did not end"
    exec 8>&-
    # Everything salvo wrote has reached the pane (and the pipe) when its
    # summary line shows.
    wait_for 30 grep -q '^salvo: ' "$T/$name.raw" ||
        fail "$name: no summary line reached the pane"
    tm capture-pane -p -J -S - -t "$name" >"$T/$name.screen"

    RC=$(cat "$T/$name/rc")
    assert_rc 1
    assert_body "$T/$name/out/fast.bin" 1000 1
    assert_body "$T/$name/out/slow.bin" 40960 2
    "$PYTHON3" - "$name" "$T/$name.raw" "$T/$name.screen" "$BASE" <<'PY' ||
import re, sys
name, raw_path, screen_path, base = sys.argv[1:5]
raw = open(raw_path, "rb").read()
text = raw.decode("utf-8", "replace")
colour_ok = name == "no-progress"
esc = re.sub(r"\x1b\[[0-9;]*m", "", text) if colour_ok else text
assert "\x1b" not in esc, "%s: escape sequences on stderr: %r" % (
    name, text[max(0, esc.index("\x1b") - 20):esc.index("\x1b") + 20])
assert "total:" not in text, "%s: a live view's total line" % name
assert "\r" not in text.replace("\r\n", "\n"), "%s: a bare CR" % name
# The pane, the history included: exactly the plain lines.
lines = [l.rstrip() for l in open(screen_path).read().split("\n")]
lines = [l for l in lines if l and not l.startswith("Pane is dead")]
want = [
    r"ok out/fast\.bin \(1000 bytes\)",
    r"ok out/slow\.bin \(40960 bytes\)",
    r"failed %s/status/404/missing\.bin: .*404" % re.escape(base),
]
assert len(lines) == 4, "%s: %d lines in the pane, expected 4: %r" % (
    name, len(lines), lines)
for w in want:
    n = sum(1 for l in lines[:3] if re.fullmatch(w, l))
    assert n == 1, "%s: %d lines match %r: %r" % (name, n, w, lines)
assert re.match(r"salvo: 2 ok, 1 failed, 0 skipped, ", lines[3]), (
    "%s: the last line is not the summary: %r" % (name, lines[3]))
PY
        fail "$name: not plain lines"
}

urls=("$BASE/bytes/1000/fast.bin?seed=1" "$BASE/status/404/missing.bin"
    "$BASE/bytes/40960/slow.bin?seed=2&drip=20")
case_run dumb 'TERM=dumb; export TERM' "${urls[@]}"
case_run unset-term 'unset TERM' "${urls[@]}"
case_run no-progress 'TERM=xterm-256color; export TERM' --no-progress \
    "${urls[@]}"
