#!/bin/bash
# What is committed is the file salvo wrote, not whatever stands at
# NAME.part by then.  NAME.part is swapped mid-transfer (the server holds
# the body at a gate) for a symlink out of the directory, or for a file
# with other bytes.  NAME never becomes a symlink or holds other bytes;
# the symlink's target is never written, and what was put at NAME.part is
# left alone.  Linked by descriptor (linkat AT_EMPTY_PATH, or of
# /proc/self/fd/N with SALVO_NO_EMPTY_PATH=1) the item succeeds with the
# downloaded bytes; the portable way (SALVO_NO_PROC_FD=1) sees the swap
# and fails the item.
# With and without --checksums and --overwrite.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum is not installed"
start_server

n=1500000 # over 1 MiB: it goes to NAME.part
body "$n" 7 >want
echo "$(sha256sum <want | cut -d' ' -f1)  x.bin" >SHA256SUMS
echo outside >outside
cp outside outside.orig

k=0
for way in fd proc portable; do
    for swap in symlink file; do
        for opt in "" --checksums=SHA256SUMS --overwrite; do
            k=$((k + 1))
            d=out$k
            mkdir "$d"
            [ "$opt" = --overwrite ] && echo old >"$d/x.bin"
            url="$BASE/bytes/$n/x.bin?seed=7&hold=g$k&hold_at=200000"
            case $way in
            fd) env= ;;
            proc) env=SALVO_NO_EMPTY_PATH=1 ;;
            portable) env=SALVO_NO_PROC_FD=1 ;;
            esac
            # shellcheck disable=SC2086 # $env and $opt: one word or none
            env $env timeout 120 "$SALVO" --retry=0 --no-progress $opt \
                -d "$d" "$url" >stdout 2>stderr &
            pid=$!
            writing()
            {
                [ "$(http_get "/held/g$k")" -ge 1 ] &&
                    [ -f "$d/x.bin.part" ] &&
                    [ "$(wc -c <"$d/x.bin.part")" -ge 200000 ]
            }
            wait_until 30 writing || fail "$k: x.bin.part never written"
            mv "$d/x.bin.part" "$d/moved"
            if [ "$swap" = symlink ]; then
                ln -s "$T/outside" "$d/x.bin.part"
            else
                printf 'other bytes\n' >"$d/x.bin.part"
            fi
            http_get "/release/g$k" >/dev/null
            wait "$pid"
            RC=$?
            what="$way, $swap${opt:+, $opt}"
            [ ! -L "$d/x.bin" ] || fail "$what: x.bin is a symlink"
            assert_file_eq outside.orig outside
            # What was put at NAME.part is someone else's: left alone.
            if [ "$swap" = symlink ]; then
                [ -L "$d/x.bin.part" ] || fail "$what: the planted link is gone"
            else
                assert_eq "other bytes" "$(cat "$d/x.bin.part")" \
                    "$what: the planted x.bin.part"
            fi
            left=$(find "$d" -name '.salvo-*')
            [ -z "$left" ] || fail "$what: left behind: $left"
            if [ "$way" != portable ]; then
                assert_rc 0
                assert_file_eq want "$d/x.bin"
            else
                assert_rc 1
                if [ "$opt" = --overwrite ]; then
                    assert_eq old "$(cat "$d/x.bin")" "$what: x.bin"
                else
                    assert_absent "$d/x.bin"
                fi
            fi
        done
    done
done
