# bash completion for salvo(1)                              -*- shell-script -*-
# Installed as .../bash-completion/completions/salvo, or source it by hand:
#     source completions/salvo.bash
#
# The options are not listed here: at each TAB they are asked from the salvo
# being completed (`salvo --dump-options`, a hidden mode that prints
# src/options.c's option table, one option a line), as bash-completion's
# _longopt asks `CMD --help`. So the completion always matches the binary
# it completes, and nothing is generated at build time.

# _salvo_table CMD: the option table of CMD, or nothing if CMD cannot say.
_salvo_table()
{
    local cmd=$1
    # The word as typed: expand a leading ~ the way the shell would.
    # shellcheck disable=SC2088 # a literal ~ is what is matched
    [[ $cmd == "~/"* ]] && cmd=$HOME/${cmd#"~/"}
    "$cmd" --dump-options 2>/dev/null
}

_salvo()
{
    local cur prev opt="" prefix="" i table
    local long short arg comp words
    local -a all=() takes=()

    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=""
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
    table=$(_salvo_table "${COMP_WORDS[0]}") || return 0
    [ -n "$table" ] || return 0

    # all: every option as offered; takes: the options with an argument.
    while IFS=$'\t' read -r long short arg _ _ _ _ _; do
        if [ "$arg" = - ]; then
            [ "$short" = - ] || all+=("$short")
            all+=("$long")
        else
            if [ "$short" != - ]; then
                all+=("$short")
                takes+=("$short")
            fi
            all+=("$long=")
            takes+=("$long")
        fi
    done <<<"$table"

    # The option whose argument is being completed, in each of its forms:
    # --opt=VAL as one word (no '=' in COMP_WORDBREAKS), "--opt" "=" "VAL"
    # (the default word breaks), --opt VAL, -d VAL and -dVAL.
    case $cur in
    --*=*)
        opt=${cur%%=*}
        prefix=$opt=
        cur=${cur#*=}
        ;;
    =)
        case $prev in
        --*) opt=$prev cur="" ;;
        esac
        ;;
    -[!-]?*)
        for i in "${takes[@]}"; do
            if [ "$i" = "${cur:0:2}" ]; then
                opt=$i
                prefix=$opt
                cur=${cur:2}
            fi
        done
        ;;
    *)
        if [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
            case ${COMP_WORDS[COMP_CWORD - 2]} in
            --*) opt=${COMP_WORDS[COMP_CWORD - 2]} ;;
            esac
        else
            for i in "${takes[@]}"; do
                [ "$i" = "$prev" ] && opt=$prev
            done
        fi
        ;;
    esac

    if [ -n "$opt" ]; then
        comp=none
        while IFS=$'\t' read -r long short arg comp words _ _ _; do
            if [ "$opt" = "$long" ] || [ "$opt" = "$short" ]; then
                break
            fi
            comp=none
        done <<<"$table"
        case $comp in
        file)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            ;;
        dir)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            ;;
        words)
            mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
            ;;
        *)
            # Numbers, rates, K/N, header lines, strings: nothing to offer.
            return 0
            ;;
        esac
        if [ -n "$prefix" ]; then
            for i in "${!COMPREPLY[@]}"; do
                COMPREPLY[i]=$prefix${COMPREPLY[i]}
            done
        fi
        return 0
    fi

    case $cur in
    -*)
        mapfile -t COMPREPLY < <(compgen -W "${all[*]}" -- "$cur")
        # "--dir=" wants its value right after the '='.
        if [[ ${COMPREPLY[0]-} == *= ]]; then
            compopt -o nospace 2>/dev/null
        fi
        ;;
    esac
    # URLs: nothing to complete.
    return 0
}
complete -F _salvo salvo

# ex: filetype=sh
