#!/bin/bash
# Names come from the URL's last non-empty path segment, percent-decoded,
# without the query; a decoded ".." never escapes the output directory.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

mkdir out
run_salvo -d out "$BASE/bytes/10/a%20b.bin?x=1&seed=1" "$BASE/bytes/11/?seed=2"
assert_rc 0
assert_body "out/a b.bin" 10 1
assert_body out/11 11 2
assert_absent "out/a%20b.bin"

# %2e%2e decodes to "..", which must not become the name.
before=$(cd "$T" && find . -path ./out -prune -o -print | sort)
run_salvo -d out "$BASE/bytes/12/%2e%2e?seed=3"
after=$(cd "$T" && find . -path ./out -prune -o -print | sort)
new=$(comm -13 <(echo "$before") <(echo "$after") | grep -v -e '^\./stdout$' \
    -e '^\./stderr$')
[ -z "$new" ] || fail "written outside out/: $new"
found=
for f in out/* out/.[!.]*; do
    [ -f "$f" ] || continue
    case $f in "out/a b.bin" | out/11) continue ;; esac
    [ "$(wc -c <"$f")" -eq 12 ] && found=$f
done
[ -n "$found" ] || fail "no 12-byte file in out/ for the %2e%2e URL (exit $RC)"
assert_body "$found" 12 3
assert_rc 0
