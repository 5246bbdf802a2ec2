#!/bin/bash
# The bash and zsh completions offer every option of salvo's option table
# (`salvo --dump-options`), and so does `salvo --help`; bash can load the
# completion, and `salvo --lim<TAB>` completes to --limit-rate. The man
# page and README are checked by docs-list-every-option.sh.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

bash_comp=$srcdir/completions/salvo.bash
zsh_comp=$srcdir/completions/_salvo
for f in "$bash_comp" "$zsh_comp"; do
    [ -f "$f" ] || fail "$f is missing"
done

run_salvo --dump-options
assert_rc 0
cp "$T/stdout" table
longs=$(cut -f1 table)
shorts=$(cut -f2 table | grep -v '^-$')
assert_ge "$(echo "$longs" | grep -c '^--[a-z]')" 20 "long options in the table"
assert_ge "$(echo "$shorts" | grep -c '^-[A-Za-z]$')" 8 "short options in the table"
assert_eq "" "$(awk -F'\t' 'NF != 8' table)" "lines without 8 fields"
grep -q -- --dump-options table && fail "--dump-options lists itself"

run_salvo --help
assert_rc 0
cp "$T/stdout" help.txt
grep -q -- --dump-options help.txt && fail "--help shows the hidden --dump-options"

# has OPTION FILE: OPTION appears as a whole option word in FILE.
has()
{
    grep -Eq -- "(^|[^-a-zA-Z0-9])$1([^-a-z0-9]|\$)" "$2"
}

# complete WORD...: what _salvo offers for the last WORD of "salvo WORD...",
# one per line; the salvo completed is the one under test.
complete_words()
{
    bash -c 'source "$1" || exit 1
        shift
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        _salvo
        [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_comp" "$SALVO" "$@"
}

complete_words - >bash.txt || fail "_salvo failed for -"
for o in $longs; do
    has "$o" help.txt || fail "--help does not list $o"
    has "$o" bash.txt || fail "the bash completion does not offer $o"
done
for o in $shorts; do
    has "$o" help.txt || fail "--help does not list $o"
    has "$o" bash.txt || fail "the bash completion does not offer $o"
done

# bash loads the completion and registers it for salvo.
got=$(bash -c 'source "$1" && complete -p salvo' _ "$bash_comp" 2>&1) ||
    fail "bash cannot load completions/salvo.bash: $got"
assert_eq "complete -F _salvo salvo" "$got" "complete -p salvo"

got=$(complete_words --lim) || fail "_salvo failed for --lim"
[[ $got =~ ^--limit-rate=?$ ]] ||
    fail "salvo --lim<TAB> offers '$got', not --limit-rate"
got=$(complete_words --color = a | sort | tr '\n' ' ')
assert_eq "always auto " "$got" "salvo --color=a<TAB>"
got=$(complete_words --color=a | sort | tr '\n' ' ')
assert_eq "--color=always --color=auto " "$got" "salvo --color=a<TAB> (one word)"
mkdir -p outdir/sub
: >outfile
got=$(complete_words -d out | tr '\n' ' ')
assert_eq "outdir " "$got" "salvo -d out<TAB> (directories only)"
got=$(complete_words -dout | tr '\n' ' ')
assert_eq "-doutdir " "$got" "salvo -dout<TAB>"
got=$(complete_words --checksums out | sort | tr '\n' ' ')
assert_eq "outdir outfile " "$got" "salvo --checksums out<TAB> (files)"
got=$(complete_words -j '' | tr '\n' ' ')
assert_eq "" "$got" "salvo -j <TAB> (a number: nothing to offer)"

# A salvo that cannot be run offers nothing, and the completion does not
# fail.
got=$(bash -c 'source "$1" || exit 1
    COMP_WORDS=(/nonexistent/salvo --); COMP_CWORD=1; _salvo
    echo "rc=$? n=${#COMPREPLY[@]}"' _ "$bash_comp" 2>&1)
assert_eq "rc=0 n=0" "$got" "completion with no salvo to ask"

# zsh, when installed: the completion parses, and the specs it hands to
# _arguments (the completion system's own functions stubbed) name every
# option, with its argument and file or directory action.
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$zsh_comp" || fail "zsh cannot parse completions/_salvo"
    zsh -fc 'fpath=("$1" $fpath); autoload -Uz _salvo
        words=("$2")
        _call_program() { shift; eval "$@"; }
        _arguments() { printf "%s\n" "$@"; }
        _salvo' _ "$(dirname "$zsh_comp")" "$SALVO" >zsh.txt ||
        fail "_salvo failed in zsh"
    for o in $longs; do
        has "$o" zsh.txt || fail "the zsh completion does not offer $o"
    done
    for o in $shorts; do
        has "$o" zsh.txt || fail "the zsh completion does not offer $o"
    done
    assert_grep '^\(-d --dir\)--dir=\[.*\]:DIR:_files -/$' zsh.txt "zsh --dir spec"
    assert_grep '^\*--header=\[' zsh.txt "zsh: --header is repeatable"
    assert_grep '^\(--color\)--color=\[.*\]:WHEN:\(auto always never\)$' \
        zsh.txt "zsh --color spec"
else
    echo "note: zsh not found, its completion not checked" >&2
fi
exit 0
