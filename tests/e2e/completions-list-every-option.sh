#!/bin/bash
# Every option that `salvo --help` prints is offered by the bash and zsh
# completions and documented in man/salvo.1 and README.md; bash can load
# the completion, and `salvo --lim<TAB>` completes to --limit-rate.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

bash_comp=$srcdir/completions/salvo.bash
zsh_comp=$srcdir/completions/_salvo
for f in "$bash_comp" "$zsh_comp" "$srcdir/man/salvo.1" "$srcdir/README.md"; do
    [ -f "$f" ] || fail "$f is missing"
done

run_salvo --help
assert_rc 0
# Option lines look like "  -j, --max-concurrent=N  ..." or
# "      --json  ...": the first long option on such a line is the one.
longs=$(sed -n 's/^  *\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' \
    "$T/stdout" | sort -u)
shorts=$(sed -n 's/^  *\(-[A-Za-z]\), --.*/\1/p' "$T/stdout" | sort -u)
n=$(echo "$longs" | grep -c .)
assert_ge "$n" 20 "long options found in --help"
assert_ge "$(echo "$shorts" | grep -c .)" 8 "short options found in --help"

# The texts to search, with roff's \- and font escapes undone.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$srcdir/man/salvo.1" >man.txt
cp "$bash_comp" bash.txt
cp "$zsh_comp" zsh.txt
cp "$srcdir/README.md" readme.txt

# has OPTION FILE: OPTION appears as a whole option word in FILE.
has()
{
    grep -Eq -- "(^|[^-a-zA-Z0-9])$1([^-a-z0-9]|\$)" "$2"
}

for o in $longs; do
    has "$o" bash.txt || fail "completions/salvo.bash does not offer $o"
    has "$o" zsh.txt || fail "completions/_salvo does not offer $o"
    has "$o" man.txt || fail "man/salvo.1 does not document $o"
    has "$o" readme.txt || fail "README.md does not document $o"
done
for o in $shorts; do
    has "$o" bash.txt || fail "completions/salvo.bash does not offer $o"
    has "$o" zsh.txt || fail "completions/_salvo does not offer $o"
done

# bash loads the completion and registers it for salvo.
got=$(bash -c 'source "$1" && complete -p salvo' _ "$bash_comp" 2>&1) ||
    fail "bash cannot load completions/salvo.bash: $got"
assert_eq "complete -F _salvo salvo" "$got" "complete -p salvo"

# complete WORD...: what _salvo offers for the last WORD of "salvo WORD...",
# one per line.
complete_words()
{
    bash -c 'source "$1" || exit 1
        shift
        COMP_WORDS=(salvo "$@")
        COMP_CWORD=$#
        COMP_LINE="salvo $*"
        COMP_POINT=${#COMP_LINE}
        _salvo
        printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_comp" "$@"
}

got=$(complete_words --lim) || fail "_salvo failed for --lim"
[[ $got =~ ^--limit-rate=?$ ]] ||
    fail "salvo --lim<TAB> offers '$got', not --limit-rate"
got=$(complete_words --color = a | sort | tr '\n' ' ')
assert_eq "always auto " "$got" "salvo --color=a<TAB>"
mkdir -p outdir/sub
: >outfile
got=$(complete_words -d out | tr '\n' ' ')
assert_eq "outdir " "$got" "salvo -d out<TAB> (directories only)"
got=$(complete_words --checksums out | sort | tr '\n' ' ')
assert_eq "outdir outfile " "$got" "salvo --checksums out<TAB> (files)"

# zsh, when installed, at least parses its completion.
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$zsh_comp" || fail "zsh cannot parse completions/_salvo"
fi
exit 0
