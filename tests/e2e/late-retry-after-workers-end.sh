#!/bin/bash
# A retry that comes after every other URL is done still runs, on a
# fresh connection handle: once the list is all queued, workers with
# nothing left exit and free their handles (src/worker.c), so the
# retrying URL must not depend on any of them. With --max-per-host=1 the
# other URLs of its host wait behind it while it backs off.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

for limit in "" 1; do
    rm -rf out
    late=late${limit:-0}.bin # a fresh path: the server counts fail= per path
    urls=("$BASE/bytes/2000/$late?fail=1&fail_status=503&seed=99")
    for i in 1 2 3 4 5 6 7 8; do
        urls+=("$BASE/bytes/$((500 + i))/g$i.bin?seed=$i")
    done
    run_salvo --json --retry-delay=1 ${limit:+--max-per-host=$limit} -j 4 \
        -d out "${urls[@]}"
    assert_rc 0
    assert_body "out/$late" 2000 99
    assert_eq 2 "$(json_field "/$late?" attempts)" \
        "attempts of the late retry (--max-per-host=${limit:-none})"
    for i in 1 2 3 4 5 6 7 8; do
        assert_body out/g$i.bin $((500 + i)) "$i"
    done
    assert_eq 9 "$(find out -type f | wc -l)" \
        "files (--max-per-host=${limit:-none})"
done
