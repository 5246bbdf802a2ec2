#!/bin/bash
# With more transfers than the terminal has rows, the live view uses at
# most rows - 2 lines ("... and N more" for the rest) and so never
# scrolls: the whole pane history holds each permanent line once and the
# view once, with no stale copies; after Ctrl-C the view is gone.  At
# each common size the fields fit: at 80x24 whole names with a bar and a
# percentage; at 60x20 shortened names that stay distinguishable
# (dataset-part-001-2026.tar.gz vs -002-); at 35x10 whole fields only,
# never a number or a word cut.  SALVO_CAPTURE_DIR=DIR keeps the pane
# captures there (captures-COLSxROWS.txt, and -interrupted).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server
tmux_start

{
    for i in 1 2 3 4 5; do
        echo "$BASE/bytes/1000/fast-$i.bin"
    done
    echo "$BASE/status/404/missing.bin"
    # 3 MB in 1 KiB pieces 50 ms apart: they run until the Ctrl-C.
    for i in $(seq -w 1 40); do
        echo "$BASE/bytes/3000000/dataset-part-0$i-2026.tar.gz?drip=50"
    done
} >list

# check SIZE MODE FILE [quiet]: FILE (a whole-history capture) is clean.
check()
{
    "$PYTHON3" - "$@" <<'PY'
import re, sys
size, mode, path = sys.argv[1:4]
quiet = len(sys.argv) > 4
cols, rows = (int(x) for x in size.split("x"))
text = open(path).read()
lines = [l.rstrip() for l in text.split("\n")]
lines = [l for l in lines if l and not l.startswith("Pane is dead")]

def bad(msg):
    if not quiet:
        print("pane text (%s):\n%s" % (path, text.rstrip("\n")),
              file=sys.stderr)
        print("%s: %s" % (size, msg), file=sys.stderr)
    sys.exit(1)

PERM = [re.compile(r"^ok out/fast-%d\.bin \(1000 bytes\)$" % i)
        for i in range(1, 6)]
PERM.append(re.compile(r"^failed http://127\.0\.0\.1:\d+/status/404/"
                       r"missing\.bin: .*404"))
# Any of the forms of the total line: whole fields only.
TOTAL = re.compile(r"^(?:total: )?(?:\d+ ok, \d+ failed(?:, \d+ skipped)?"
                   r" of \d+\+?|\d+/\d+\+?)"
                   r"(?:  [0-9.]+ (?:B|KiB|MiB|GiB))?"
                   r"(?:  [0-9.]+ (?:B|KiB|MiB|GiB)/s)?"
                   r"(?:  ETA \d+:\d\d(?::\d\d)?)?$")
MORE = re.compile(r"^\.\.\. and (\d+) more$")
UNIT = r"[0-9.]+ (?:B|KiB|MiB|GiB)"
XFER = re.compile(r"^(?P<name>\S+) +(?:(?P<sizes>%s / (?:%s|\?))"
                  r"(?: +\[(?P<bar>[= ]+)\])? +)?(?P<pct>\d+%%)?"
                  r"(?: +(?P<rate>%s/s))?$" % (UNIT, UNIT, UNIT))

for i, p in enumerate(PERM):
    n = sum(1 for l in lines if p.match(l))
    if n != 1:
        bad("permanent line %d (%s) appears %d times" % (i, p.pattern, n))

if mode == "ended":
    for l in lines:
        if TOTAL.match(l) or MORE.match(l) or XFER.match(l):
            bad("a piece of the live view is left: %r" % l)
    sys.exit(0)

totals = [i for i, l in enumerate(lines) if TOTAL.match(l)]
if len(totals) != 1 or totals[0] != len(lines) - 1:
    bad("the total line is not once, at the bottom: %r"
        % [lines[i] for i in totals])
first = max(i for i, l in enumerate(lines)
            if any(p.match(l) for p in PERM)) + 1
block = lines[first:]
if len(block) > rows - 2:
    bad("the view takes %d rows of %d" % (len(block), rows))
if len(block) < rows - 2:
    bad("the view takes %d rows of %d; 40 transfers would fill %d"
        % (len(block), rows, rows - 2))
more = MORE.match(block[-2]) if len(block) >= 2 else None
if not more:
    bad("no '... and N more' above the total line")
xfers = block[:-2]
if len(xfers) + int(more.group(1)) < 32:
    bad("%d shown + %s more: fewer than the 32 transfers (-j 32)"
        % (len(xfers), more.group(1)))
names = []
for l in block:
    if len(l) > cols - 1:
        bad("a line wider than %d columns: %r" % (cols - 1, l))
for l in xfers:
    m = XFER.match(l)
    if not m:
        bad("not a transfer line of whole fields: %r" % l)
    names.append(m.group("name"))
    if cols >= 80 and not (m.group("bar") and m.group("pct")):
        bad("no bar and percentage at %d columns: %r" % (cols, l))
    if cols >= 80 and not re.fullmatch(r"dataset-part-0\d\d-2026\.tar\.gz",
                                        m.group("name")):
        bad("the name is not whole at %d columns: %r" % (cols, l))
    if not m.group("pct") and not m.group("rate"):
        bad("neither percentage nor rate: %r" % l)
# Wait for a view in full flow (for the captures): rates measured.
if not any(m and m.group("rate") and not m.group("rate").startswith("0 B")
           for m in map(XFER.match, xfers)):
    bad("no transfer shows a rate yet")
if len(set(names)) != len(names):
    bad("names shown at once are not distinguishable: %r" % names)
for n in names:
    head, _, tail = n.partition("...")
    if not any(("dataset-part-0%02d-2026.tar.gz" % i).startswith(head) and
               ("dataset-part-0%02d-2026.tar.gz" % i).endswith(tail)
               for i in range(1, 41)):
        bad("%r is not a shortened transfer name" % n)
PY
}

for size in 80x24 60x20 35x10; do
    pane_start "v$size" "$size" '' -j 32 -i "$T/list"
    # The first check that passes is the one kept: a capture may catch
    # a frame half drawn, so look until one is whole.
    viewed()
    {
        pane_text "v$size" "$T/v$size.all" all &&
            check "$size" running "$T/v$size.all" quiet
    }
    wait_until 60 viewed || {
        pane_text "v$size" "$T/v$size.all" all
        check "$size" running "$T/v$size.all"
        fail "$size: no clean live view"
    }
    pane_text "v$size" "$T/v$size.screen"
    # Ctrl-C, as a person would.
    tm send-keys -t "v$size" C-c
    pane_wait "v$size" 10
    assert_rc 130
    ended()
    {
        pane_text "v$size" "$T/v$size.end" all &&
            grep -q '^salvo: ' "$T/v$size.end"
    }
    wait_until 10 ended || fail "$size: no summary in the pane"
    check "$size" ended "$T/v$size.end" ||
        fail "$size: the live view left copies after the run"
    if [ -n "${SALVO_CAPTURE_DIR:-}" ]; then
        cp "$T/v$size.screen" "$SALVO_CAPTURE_DIR/captures-$size.txt"
        cp "$T/v$size.end" \
            "$SALVO_CAPTURE_DIR/captures-$size-interrupted.txt"
    fi
    tm kill-session -t "v$size"
done
