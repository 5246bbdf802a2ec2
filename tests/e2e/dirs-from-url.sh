#!/bin/bash
# --dirs-from-url saves each URL under folders made from its host and
# path (wget -x): a/data.csv and b/data.csv both land as they are, not as
# data.csv and data.csv.1.  --no-host-dirs drops the host folder,
# --cut-dirs=N the path's first N folders.  A ".." never leads out of the
# output directory: written ones are resolved by libcurl inside the path,
# a decoded one (%2e%2e) fails its item before any request.  A symlinked
# folder in the tree is not followed.  A NAME on the line still wins, and
# --content-disposition renames only the file.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

host=127.0.0.1:$PORT
list()
{
    echo "$BASE/bytes/100/a/data.csv?seed=1"
    echo "$BASE/bytes/200/b/data.csv?seed=2"
}
list >list

# The host folder ("host:port", as wget names it), then the path.
run_salvo --dirs-from-url -d out -i list
assert_rc 0
assert_files out "$host/bytes/100/a/data.csv" "$host/bytes/200/b/data.csv"
assert_body "out/$host/bytes/100/a/data.csv" 100 1
assert_body "out/$host/bytes/200/b/data.csv" 200 2

# --dry-run prints the same paths.
run_salvo --dry-run --dirs-from-url -d out2 -i list
assert_rc 0
assert_grep "^$BASE/bytes/100/a/data.csv\?seed=1 -> out2/$host/bytes/100/a/data.csv\$" \
    "$T/stdout" "dry run"
assert_grep "^$BASE/bytes/200/b/data.csv\?seed=2 -> out2/$host/bytes/200/b/data.csv\$" \
    "$T/stdout" "dry run"
assert_files out2

# --no-host-dirs; --cut-dirs=1 with and without the host folder.
run_salvo --dirs-from-url --no-host-dirs -d nohost -i list
assert_rc 0
assert_files nohost bytes/100/a/data.csv bytes/200/b/data.csv
assert_body nohost/bytes/200/b/data.csv 200 2
run_salvo --dirs-from-url --cut-dirs=1 -d cut1 -i list
assert_rc 0
assert_files cut1 "$host/100/a/data.csv" "$host/200/b/data.csv"
run_salvo --dirs-from-url --no-host-dirs --cut-dirs=2 -d cut2 -i list
assert_rc 0
assert_files cut2 a/data.csv b/data.csv
assert_body cut2/a/data.csv 100 1
assert_body cut2/b/data.csv 200 2

# Without --dirs-from-url, --cut-dirs is ignored (as in wget).
run_salvo --cut-dirs=2 --no-host-dirs -d flat -i list
assert_rc 0
assert_files flat data.csv data.csv.1

# ".." tricks: written ones stay inside the path (libcurl resolves them
# before the request); a decoded one fails its item and is not asked for;
# nothing is written outside the output directory.
{
    echo "$BASE/bytes/100/x/../../100/dot.bin?seed=3"
    echo "$BASE/../../../bytes/100/up.bin?seed=4"
    echo "$BASE/bytes/100/%2e%2e/%2e%2e/%2E%2e/%2e%2e/esc.bin?seed=5"
    echo "$BASE/bytes/100/a/.%2e/.%2E/.%2e/.%2e/.%2e/esc2.bin?seed=6"
} >dots
mkdir dotsout
before=$(find . | sort)
run_salvo --dirs-from-url --no-host-dirs --json -d dotsout -i dots
assert_rc 1
assert_files dotsout bytes/100/dot.bin bytes/100/up.bin
assert_body dotsout/bytes/100/dot.bin 100 3
assert_body dotsout/bytes/100/up.bin 100 4
assert_eq failed "$(json_field esc.bin status)" "esc.bin status"
assert_eq failed "$(json_field esc2.bin status)" "esc2.bin status"
assert_eq null "$(json_field esc.bin path)" "esc.bin path"
case $(json_field esc.bin error) in
*"'..'"*) ;;
*) fail "esc.bin: the error does not name the '..'" ;;
esac
if server_paths | grep -q esc; then
    fail "a %2e%2e URL was requested: $(server_paths | grep esc)"
fi
new=$(comm -13 <(echo "$before") <(find . | sort) |
    grep -v -e '^\./dotsout' -e '^\./stdout$' -e '^\./stderr$' \
        -e '^\./server')
[ -z "$new" ] || fail "written outside dotsout/: $new"

# A symlinked folder planted in the tree is not followed: the items below
# it fail, the others land.
mkdir -p planted/bytes elsewhere
ln -s "$T/elsewhere" planted/bytes/200
run_salvo --dirs-from-url --no-host-dirs -d planted -i list
assert_rc 1
left=$(cd elsewhere && find . -mindepth 1)
[ -z "$left" ] || fail "written through the symlinked folder: $left"
assert_eq "$T/elsewhere" "$(readlink planted/bytes/200)" "the planted link"
assert_files planted bytes/100/a/data.csv bytes/200 # the link itself
assert_body planted/bytes/100/a/data.csv 100 1
mkdir -p hostlink
ln -s "$T/elsewhere" "hostlink/$host"
run_salvo --dirs-from-url -d hostlink -i list
assert_rc 1
left=$(cd elsewhere && find . -mindepth 1)
[ -z "$left" ] || fail "written through the symlinked host folder: $left"

# A NAME on the line wins (no host folder); --content-disposition renames
# only the file, in the URL's folders; a path ending in '/' is index.html.
cd=$(urlencode 'attachment; filename="../../served.bin"')
{
    echo "$BASE/bytes/100/a/data.csv?seed=8 named/x.bin"
    echo "$BASE/bytes/100/c/u.bin?seed=9&cd=$cd"
    echo "$BASE/bytes/100/d/?seed=10"
    echo "$BASE/bytes/100/%2e%2e/e.bin?seed=11&cd=$cd"
} >mixed.list
run_salvo --dirs-from-url --content-disposition --json -d mixed -i mixed.list
assert_rc 1
assert_eq failed "$(json_field seed=11 status)" "a %2e%2e URL named by the server"
assert_files mixed named/x.bin "$host/bytes/100/c/served.bin" \
    "$host/bytes/100/d/index.html"
assert_body mixed/named/x.bin 100 8
assert_body "mixed/$host/bytes/100/c/served.bin" 100 9
assert_body "mixed/$host/bytes/100/d/index.html" 100 10
