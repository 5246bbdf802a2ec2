#!/bin/bash
# A NAME that someone else creates while salvo downloads it is never
# replaced, whether the output directory was empty at the start (salvo
# then does not look for existing files before each download) or not:
# the item fails, naming NAME and the NAME.part that holds the data.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

in_flight()
{
    [ "$(stat_field inflight)" -ge 1 ]
}
fetch_slowly()
{
    run_salvo --retry=0 -d "$1" "$BASE/bytes/3000/x.bin?seed=3&delay=1500"
    echo "$RC" >"$T/rc.$1"
}

for dir in empty used; do
    mkdir "$dir"
    [ "$dir" = used ] && echo other >"$dir/other.txt"
    reset_stats
    fetch_slowly "$dir" &
    pid=$!
    # The request is at the server: salvo is past any look for x.bin.
    wait_until 20 in_flight || fail "$dir: the request never arrived"
    echo mine >"$dir/x.bin"
    wait "$pid"
    RC=$(cat "$T/rc.$dir")
    assert_rc 1
    assert_eq mine "$(cat "$dir/x.bin")" "$dir: x.bin after the run"
    body 3000 3 >"$T/want"
    cmp -s "$dir/x.bin.part" "$T/want" ||
        fail "$dir: x.bin.part does not hold the downloaded data"
    assert_grep "x.bin appeared during the download" "$T/stderr" "$dir"
done
