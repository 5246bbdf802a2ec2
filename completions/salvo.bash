# bash completion for salvo(1)                              -*- shell-script -*-
# Installed as .../bash-completion/completions/salvo, or source it by hand:
#     source completions/salvo.bash
# The option list follows `salvo --help`; tests/e2e/completions-list-every-
# option.sh checks that no option is missing.

_salvo()
{
    local cur prev opt="" prefix="" i

    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=""
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}

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
    -[jdiHA]?*)
        opt=${cur:0:2}
        prefix=$opt
        cur=${cur:2}
        ;;
    *)
        if [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
            case ${COMP_WORDS[COMP_CWORD - 2]} in
            --*) opt=${COMP_WORDS[COMP_CWORD - 2]} ;;
            esac
        else
            case $prev in
            -j | -d | -i | -H | -A | --max-concurrent | --dir | \
                --max-per-host | --limit-rate | --input-file | --retry | \
                --retry-delay | --connect-timeout | --stall-timeout | \
                --timeout | --cacert | --checksums | --shard | --header | \
                --user-agent | --color)
                opt=$prev
                ;;
            esac
        fi
        ;;
    esac

    if [ -n "$opt" ]; then
        case $opt in
        -i | --input-file | --checksums | --cacert)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            ;;
        -d | --dir)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            ;;
        --color)
            mapfile -t COMPREPLY < <(compgen -W 'auto always never' -- "$cur")
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
        mapfile -t COMPREPLY < <(compgen -W '
            -j --max-concurrent=
            -d --dir=
            --max-per-host=
            --limit-rate=
            -i --input-file=
            --overwrite
            -c --continue
            --content-disposition
            --retry=
            --retry-delay=
            --connect-timeout=
            --stall-timeout=
            --timeout=
            --cacert=
            --checksums=
            --shard=
            -H --header=
            -A --user-agent=
            --json
            --dry-run
            -q --quiet
            -v --verbose
            --no-progress
            --color=
            -h --help
            -V --version' -- "$cur")
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
