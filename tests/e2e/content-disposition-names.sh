#!/bin/bash
# --content-disposition names a file from the server's header, but only
# by what follows the last '/' or '\': the name never leaves the output
# directory.  filename*= wins over filename=; with no header the name
# comes from the URL.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out abs
cd_url()
{
    echo "$BASE/bytes/$1/u$1?seed=$1&cd=$(urlencode "$2")"
}
both="attachment; filename=\"plain.bin\"; filename*=UTF-8''star%20name.bin"
before=$(find . | sort)
run_salvo --content-disposition -d out \
    "$(cd_url 11 'attachment; filename="../../evil.bin"')" \
    "$(cd_url 12 "attachment; filename*=UTF-8''..%2F..%2Fevil2.bin")" \
    "$(cd_url 13 "attachment; filename=\"$T/abs/passwd\"")" \
    "$(cd_url 14 'attachment; filename="a\\b.bin"')" \
    "$(cd_url 15 "$both")" \
    "$BASE/bytes/16/fromurl.bin?seed=16"
assert_rc 0
deep=$(find out -mindepth 2)
[ -z "$deep" ] || fail "files below out/: $deep"
new=$(comm -13 <(echo "$before") <(find . | sort) |
    grep -v -e '^\./out' -e '^\./stdout$' -e '^\./stderr$' -e '^\./server')
[ -z "$new" ] || fail "written outside out/: $new"
assert_absent abs/passwd
assert_body out/evil.bin 11 11
assert_body out/passwd 13 13
assert_body out/b.bin 14 14
assert_body "out/star name.bin" 15 15
assert_absent out/plain.bin
assert_body out/fromurl.bin 16 16
for n in 11 12 13 14 15; do
    assert_absent "out/u$n"
done
# The filename*= one is evil2.bin or otherwise sanitized, but it is one
# file directly in out/.
others=()
shopt -s dotglob nullglob
for f in out/*; do
    [ -f "$f" ] || continue
    case ${f#out/} in
    evil.bin | passwd | b.bin | "star name.bin" | fromurl.bin) ;;
    *) others+=("$f") ;;
    esac
done
[ "${#others[@]}" = 1 ] ||
    fail "not one file for filename*=..%2F..%2Fevil2.bin: ${others[*]}"
assert_body "${others[0]}" 12 12
