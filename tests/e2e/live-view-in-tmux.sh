#!/bin/bash
# On a terminal (a tmux pane) stderr is a live view: one line per active
# transfer (name shortened from the middle, done / total, a bar with the
# percent, the rate) under the finished items' permanent lines, and a total
# line "total: N ok, N failed, N skipped of N" with a "+" while the input
# still streams.  It is redrawn in place (nothing scrolls), at most 10 times
# a second, and fits the terminal's width again after a resize.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server
tmux_start
at_exit 'exec 7>&- 2>/dev/null'

mkdir out
echo old >out/here.bin
mkfifo in
# Held open read-write: salvo's input ends only when the test closes it.
exec 7<>in
cat >run.sh <<EOF
cd "$T" || exit 1
unset NO_COLOR
TERM=xterm-256color
export TERM
"$SALVO" -j 3 -d out -i in >stdout
echo \$? >rc.tmp && mv rc.tmp rc
EOF
tm new-session -d -s salvo -x 120 -y 30 "sh $T/run.sh" ||
    skip "tmux cannot start a session here"
tm pipe-pane -t salvo -o "cat >>$T/raw" || fail "tmux pipe-pane failed"
t0=$(date +%s.%N)

# Names longer than the name column, so they are shortened even at 120.
long=with-a-name-long-enough-that-it-has-to-be-shortened-from-the-middle
printf '%s\n' "$long" >long

# One line per pane row; -J joins rows that the terminal wrapped.
screen()
{
    tm capture-pane -p -J -t salvo >"$T/screen.tmp" 2>/dev/null &&
        mv "$T/screen.tmp" "$T/screen"
}
everything()
{
    tm capture-pane -p -J -S - -t salvo >"$T/all.tmp" 2>/dev/null &&
        mv "$T/all.tmp" "$T/all"
}

history_size()
{
    tm display-message -p -t salvo '#{history_size}'
}

# check MODE FILE [quiet]: the pane text in FILE is a clean live view.
check()
{
    "$PYTHON3" - "$@" <<'PY'
import re, sys
mode, path = sys.argv[1], sys.argv[2]
quiet = len(sys.argv) > 3
long = open("long").read().strip()
names = ["slow-%d-%s-end%d.bin" % (i, long, i) for i in range(1, 5)]
UNIT = r"[0-9.]+ (?:B|KiB|MiB|GiB)"
XFER = re.compile(r"^(?P<name>\S.*?) +(?P<done>%s) / (?P<total>%s|\?)"
                  r"(?: +\[(?P<bar>=* *)\])?(?: +(?P<pct>[0-9]+)%%)?"
                  r" +(?P<rate>%s)/s$" % (UNIT, UNIT, UNIT))
TOTAL = re.compile(r"^total: (\d+) ok, (\d+) failed, (\d+) skipped of "
                   r"(\d+)(\+?)(?:\s|$)")
PERM = {
    "ok": re.compile(r"^ok out/fast\.bin \(1000 bytes\)$"),
    "failed": re.compile(r"^failed http://127\.0\.0\.1:\d+/status/404/"
                         r"missing\.bin: .*404"),
    "skipped": re.compile(r"^skipped out/here\.bin \(exists\)$"),
}

def bad(msg):
    if not quiet:
        print("pane text (%s):" % path, file=sys.stderr)
        print(open(path).read().rstrip("\n"), file=sys.stderr)
        print("not a clean live view: " + msg, file=sys.stderr)
    sys.exit(1)

def size(s):
    v, u = s.split()
    return float(v) * {"B": 1, "KiB": 1024, "MiB": 1024 ** 2,
                       "GiB": 1024 ** 3}[u]

def transfer(line, width, want_bar):
    m = XFER.match(line)
    if not m:
        return False
    if len(line) > width:
        bad("a transfer line is wider than %d columns: %r" % (width, line))
    shown = m.group("name").rstrip()
    if "..." not in shown:
        bad("name not shortened: %r" % line)
    head, _, tail = shown.partition("...")
    if len(head) < 4 or len(tail) < 4 or abs(len(head) - len(tail)) > 2:
        bad("name not shortened from the middle: %r" % line)
    if not any(n.startswith(head) and n.endswith(tail) for n in names):
        bad("name %r is not a shortened transfer name" % shown)
    if m.group("total") != "2.9 MiB":
        bad("total size %r, expected 2.9 MiB: %r" % (m.group("total"), line))
    if want_bar:
        if m.group("bar") is None:
            bad("no [===   ] bar with a percent at width %d: %r"
                % (width, line))
        pct = int(m.group("pct"))
        real = 100.0 * size(m.group("done")) / 3000000
        if not 0 <= pct <= 100 or abs(pct - real) > 3:
            bad("percent %d does not match %s of 3000000: %r"
                % (pct, m.group("done"), line))
    return True

lines = [l.rstrip() for l in open(path).read().split("\n")]
lines = [l for l in lines if l]
if mode in ("wide", "narrow"):
    width, want_bar = (120, True) if mode == "wide" else (60, False)
    kinds = []
    for line in lines:
        if transfer(line, width, want_bar):
            kinds.append("transfer")
        elif TOTAL.match(line):
            if len(line) > width:
                bad("the total line is wider than %d: %r" % (width, line))
            kinds.append("total")
        elif any(p.match(line) for p in PERM.values()):
            kinds.append("perm")
        else:
            bad("garbage line %r" % line)
    if kinds.count("transfer") != 3:
        bad("%d transfer lines, expected 3 (-j 3)" % kinds.count("transfer"))
    if kinds.count("total") != 1 or kinds[-1] != "total":
        bad("the total line is not once, at the bottom")
    first = kinds.index("transfer")
    if "perm" in kinds[first:]:
        bad("a permanent line inside the live block")
    if kinds[first:] != ["transfer"] * 3 + ["total"]:
        bad("the live block is not 3 transfer lines and the total line")
    t = TOTAL.match(lines[-1])
    ok, failed, skipped, queued = (int(t.group(i)) for i in range(1, 5))
    if (ok, failed, skipped) != (1, 1, 1):
        bad("total counts %r, expected 1 ok, 1 failed, 1 skipped"
            % ((ok, failed, skipped),))
    if queued < 6 or t.group(5) != "+":
        bad("expected 'of N+' with N >= 6 while the input streams: %r"
            % lines[-1])
    if mode == "wide":
        perms = [l for l, k in zip(lines, kinds) if k == "perm"]
        for what, p in PERM.items():
            if sum(1 for l in perms if p.match(l)) != 1:
                bad("not exactly one %r permanent line" % what)
elif mode == "history":
    # The whole scrollback after the resize: each permanent line once,
    # above the last total line.
    last = max(i for i, l in enumerate(lines) if TOTAL.match(l))
    for what, p in PERM.items():
        at = [i for i, l in enumerate(lines) if p.match(l)]
        if len(at) != 1 or at[0] > last:
            bad("the %r line is not once above the live block" % what)
elif mode == "ended":
    t = TOTAL.match(lines[-1]) if lines else None
    if not t or t.group(5) == "+" or int(t.group(4)) != 7:
        bad("expected the total line to end in 'of 7' without '+'")
PY
}

# The quick items first: skipped, ok and failed, all permanent lines.
{
    echo "$BASE/bytes/10/here.bin"
    echo "$BASE/bytes/1000/fast.bin"
    echo "$BASE/status/404/missing.bin"
} >&7
perms_shown()
{
    screen &&
        grep -q '^skipped out/here.bin' screen &&
        grep -q '^ok out/fast.bin' screen &&
        grep -q '^failed .*missing.bin' screen
}
wait_until 30 perms_shown || {
    cat screen >&2
    fail "the ok, failed and skipped lines did not appear in the pane"
}

# Then 4 slow ones (2.9 MiB at 50 KiB/s, about a minute each): 3 run.
for i in 1 2 3 4; do
    echo "$BASE/bytes/3000000/slow-$i-$long-end$i.bin?drip=20"
done >&7
wide_view()
{
    screen && everything && [ "$(history_size)" = 0 ] &&
        check wide all quiet
}
wait_until 30 wide_view || {
    screen
    everything
    check wide all
    [ "$(history_size)" = 0 ] ||
        fail "the pane scrolled: $(history_size) lines in the history"
    fail "no clean 120-column live view"
}
before=$(grep '^total:' screen)

# Narrower: the live view must fit 60 columns.  The terminal itself
# rewraps the old 120-column lines, so the permanent lines above the
# block may move up into the history: look for them there.
tm resize-window -t salvo -x 60 || fail "tmux resize-window failed"
narrow_view()
{
    screen && check narrow screen quiet
}
wait_until 30 narrow_view || {
    screen
    check narrow screen
    fail "no clean 60-column live view after the resize"
}
after=$(grep '^total:' screen)
[ "$before" != "$after" ] || fail "the total line did not change"
everything
check history all || fail "the permanent lines are lost after the resize"

# The redraw rate: at most 10 a second (with slack for the redraws that
# finished items and the resize cause).
t1=$(date +%s.%N)
draws=$(grep -ao 'total: ' "$T/raw" | wc -l)
# (t0 is taken after salvo has started: on a loaded machine some frames
# come before it, hence the slack.)
limit=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", 10 * (b - a) + 15 }')
[ "$draws" -ge 2 ] || fail "only $draws redraws seen in the pane output"
[ "$draws" -le "$limit" ] ||
    fail "$draws redraws in $(awk -v a="$t0" -v b="$t1" \
        'BEGIN { print b - a }') s: more than 10 a second"

# The input ends: the "+" goes.
exec 7>&-
done_view()
{
    screen && check ended screen quiet
}
wait_until 30 done_view || {
    screen
    check ended screen
    fail "the total line still shows '+' after the input ended"
}
[ ! -e rc ] || fail "salvo ended early, exit status $(cat rc)"
