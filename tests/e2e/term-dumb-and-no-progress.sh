#!/bin/bash
# On a terminal (a tmux pane), TERM=dumb, an unset TERM and --no-progress
# each give plain lines only: no live view (no "total:" line, no cursor
# movement), while a transfer runs for several redraw periods.  Only
# --no-progress on a real TERM may colour its words; a dumb or unknown
# terminal gets no escape byte at all.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server
tmux_start

# case_run NAME ENV ARGS...: run salvo in a tmux pane of session NAME with
# the environment change ENV (a line of sh), stderr on the pane, every
# byte the pane gets in $T/NAME.raw, and check what it shows.
case_run()
{
    name=$1
    pane_start "$name" 100x30 "unset NO_COLOR; $2" "${@:3}"
    # Everything salvo wrote has reached the pane (and the pipe) when its
    # summary line shows.
    pane_wait "$name"
    pane_text "$name" "$T/$name.screen" all
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
