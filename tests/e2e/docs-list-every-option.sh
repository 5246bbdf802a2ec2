#!/bin/bash
# The man page and the README document every option of salvo's option
# table (`salvo --dump-options`, the table --help and the completions are
# made from), with its short form and the same default, and `--help`, the
# man page and the README all list every exit status.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

man=$srcdir/man/salvo.1
readme=$srcdir/README.md
[ -f "$man" ] || fail "$man is missing"
[ -f "$readme" ] || fail "$readme is missing"

run_salvo --dump-options
assert_rc 0
cp "$T/stdout" table
assert_ge "$(grep -c . table)" 20 "options in the table"
run_salvo --help
assert_rc 0
cp "$T/stdout" help.txt

# The man page as text: roff's \- and font escapes undone, then one
# item per line: the .TP item's first line (the option and its forms), a
# TAB, then the rest of the item joined into one line.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(\(aq\|dq\)/"/g' \
    -e 's/\\&//g' "$man" >man.txt
awk '/^\.SH OPTIONS/ { on = 1; next }
    /^\.SH/ { on = 0 }
    on && /^\.TP/ { if (hdr != "") print hdr "\t" body
        hdr = body = ""; want = 1; next }
    on { sub(/^\.[A-Z]+ /, "")
        if (want) { hdr = $0; want = 0 } else body = body " " $0 }
    END { if (hdr != "") print hdr "\t" body }' man.txt >man-items.txt
awk '/^\.SH "EXIT STATUS"/ { on = 1; next } /^\.SH/ { on = 0 }
    on && prev ~ /^\.TP/ { sub(/^\.B /, ""); print }
    { prev = $0 }' man.txt >man-status.txt

# The README's option table rows, and its exit status table rows.
grep -E '^\| `-' "$readme" >readme-rows.txt
grep -E '^\| `[0-9]+` \|' "$readme" | cut -d'`' -f2 >readme-status.txt

# word OPTION: an ERE for OPTION as a whole option word.
word()
{
    printf '(^|[^-a-zA-Z0-9])%s([^-a-zA-Z0-9]|$)' "$1"
}

errors=0
err()
{
    echo "FAIL: $*" >&2
    errors=$((errors + 1))
}

while IFS=$'\t' read -r long short _ _ _ _ deflt _; do
    # The man page: the item whose first line names the option, and its
    # short form; "Default: D." (or "Default: D (...)") in its text.
    item=$(awk -F'\t' -v re="$(word "$long")" '$1 ~ re { print; exit }' \
        man-items.txt)
    if [ -z "$item" ]; then
        err "man/salvo.1 has no OPTIONS item for $long"
    else
        if [ "$short" != - ] && ! echo "${item%%$'\t'*}" | grep -Eq -- "$(word "$short")"; then
            err "man/salvo.1: the item for $long does not show $short"
        fi
        if [ "$deflt" != - ]; then
            case $item in
            *"Default: $deflt."* | *"Default: $deflt ("*) ;;
            *) err "man/salvo.1: $long does not say 'Default: $deflt.'" ;;
            esac
        fi
    fi
    # The README: a row of the option table whose first cell names the
    # option (and its short form); the last cell is the default: the same
    # as the table's, or empty or "off..." for an option without one.
    row=$(awk -F'|' -v re="$(word "$long")" '$2 ~ re { print; exit }' \
        readme-rows.txt)
    if [ -z "$row" ]; then
        err "README.md's option table has no row for $long"
        continue
    fi
    first=$(echo "$row" | awk -F'|' '{ print $2 }')
    if [ "$short" != - ] && ! echo "$first" | grep -Eq -- "$(word "$short")"; then
        err "README.md: the row of $long does not show $short"
    fi
    cell=$(echo "$row" | awk -F'|' '{ print $(NF - 1) }' | tr -d '`' |
        sed -e 's/^ *//' -e 's/ *$//')
    if [ "$deflt" != - ]; then
        [ "$cell" = "$deflt" ] ||
            err "README.md: the default of $long is '$cell', not '$deflt'"
    else
        case $cell in
        "" | off*) ;;
        *) err "README.md: $long has no default, but the README says '$cell'" ;;
        esac
    fi
done <table
[ "$errors" -eq 0 ] || fail "$errors option(s) not documented alike"

# Every exit status, in all three.
awk '/^Exit status:/ { on = 1; next } on && /^  [0-9]+ / { print $1 }' \
    help.txt >help-status.txt
for s in 0 1 2 130 141 143; do
    grep -qx "$s" help-status.txt || err "--help does not list exit status $s"
    grep -qx "$s" man-status.txt || err "man/salvo.1 does not list exit status $s"
    grep -qx "$s" readme-status.txt || err "README.md does not list exit status $s"
done
[ "$errors" -eq 0 ] || fail "$errors exit status(es) not documented"
exit 0
