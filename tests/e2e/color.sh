#!/bin/bash
# --color=WHEN: "always" colours the status words even into a file (ok
# green \033[32m, failed red \033[31m, each closed by \033[0m), and beats
# NO_COLOR; "auto" colours only a terminal, and not when NO_COLOR is set
# (non-empty); "never" never does.  A bad WHEN is a usage error.  The
# terminal cases run in a tmux pane (skipped without tmux).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

urls=("$BASE/bytes/1000/fast.bin?seed=1" "$BASE/status/404/missing.bin")
ESC=$'\033'

# colours FILE: FILE holds an SGR colour sequence (30-49, 90-107).
colours()
{
    "$PYTHON3" - "$1" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
for m in re.finditer(r"\x1b\[([0-9;]*)m", data):
    for p in m.group(1).split(";"):
        if p and (30 <= int(p) <= 49 or 90 <= int(p) <= 107):
            sys.exit(0)
sys.exit(1)
PY
}
# words FILE: the ok and failed words are coloured, then reset.
words()
{
    grep -q "^${ESC}\[32mok${ESC}\[0m out/fast\.bin (1000 bytes)" "$1" ||
        fail "$2: no green 'ok' line in $1: $(cat -v "$1")"
    grep -q "^${ESC}\[31mfailed${ESC}\[0m $BASE/status/404/missing\.bin" \
        "$1" || fail "$2: no red 'failed' line in $1: $(cat -v "$1")"
}

# Into a file.
env -u NO_COLOR true || fail "env -u does not work here"
rm -rf out
NO_COLOR='' run_salvo --color=always -d out "${urls[@]}"
assert_rc 1
assert_body out/fast.bin 1000 1
words "$T/stderr" "--color=always into a file"

rm -rf out
NO_COLOR=1 run_salvo --color=always -d out "${urls[@]}"
assert_rc 1
words "$T/stderr" "--color=always with NO_COLOR=1"

for when in auto never; do
    rm -rf out
    NO_COLOR='' run_salvo --color=$when -d out "${urls[@]}"
    assert_rc 1
    assert_body out/fast.bin 1000 1
    if grep -q "$ESC" "$T/stderr"; then
        fail "--color=$when into a file: an escape byte: $(cat -v "$T/stderr")"
    fi
done

before=$(stat_field requests)
for when in bogus '' ALWAYS; do
    run_salvo --color="$when" -d out2 "$BASE/bytes/10/x.bin"
    assert_rc 2
    grep -q salvo "$T/stderr" || fail "--color=$when: no message naming salvo"
done
assert_eq "$before" "$(stat_field requests)" "requests after bad --color"
assert_absent out2/x.bin

# On a terminal.
tmux_start

# pane NAME ENV ARGS...: salvo ARGS in a pane (session NAME) after the sh
# line ENV; every byte the pane gets lands in $T/NAME.raw.
pane()
{
    name=$1
    pane_start "$name" 120x20 "$2" "${@:3}"
    pane_wait "$name"
    assert_rc 1
    assert_body "$T/$name/out/fast.bin" 1000 1
    grep -q 'out/fast\.bin (1000 bytes)' "$T/$name.raw" ||
        fail "$name: no ok line for fast.bin in the pane"
}
# auto on a terminal colours (so the cases below can fail) ...
pane auto 'unset NO_COLOR' "${urls[@]}"
# The live view's cursor moves (up, erase) may precede a permanent line
# on the same raw line: drop them, keep the colours.
tr -d '\r' <"$T/auto.raw" | sed "s/${ESC}\[[0-9]*[AJK]//g" >"$T/auto.lines"
words "$T/auto.lines" "--color=auto on a terminal"
pane auto-empty 'NO_COLOR=; export NO_COLOR' "${urls[@]}"
colours "$T/auto-empty.raw" ||
    fail "--color=auto with an empty NO_COLOR: no colour on a terminal"
# ... but not with NO_COLOR, nor with never.
pane no-color 'NO_COLOR=1; export NO_COLOR' --color=auto "${urls[@]}"
if colours "$T/no-color.raw"; then
    fail "NO_COLOR=1 --color=auto: colour on a terminal: $(cat -v \
        "$T/no-color.raw")"
fi
pane never 'unset NO_COLOR' --color=never "${urls[@]}"
if colours "$T/never.raw"; then
    fail "--color=never: colour on a terminal: $(cat -v "$T/never.raw")"
fi
