#!/bin/bash
# Many https transfers at once, to one host: every file arrives whole.
# Under ThreadSanitizer this is the test that sees the threads' TLS
# handshakes overlap: libcurl before 8.10.1 with OpenSSL shares one
# SSL_SESSION object between the handles that resume it, and OpenSSL
# changes it outside the share's lock (src/pool.c). With that share,
# about one run in ten of this shape drew a report; twenty runs catch
# it most times.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
type start_tls_server >/dev/null 2>&1 ||
    fail "tests/lib.sh has no start_tls_server"
start_server # for the expected bodies
start_tls_server

n=48
mkdir expected
urls=()
for i in $(seq 1 "$n"); do
    urls+=("$TLS_BASE/bytes/$((1000 + i))/f$i.bin?seed=$i")
    body $((1000 + i)) "$i" >"expected/f$i.bin"
done
for run in $(seq 1 20); do
    rm -rf out
    mkdir out
    run_salvo --cacert="$T/cert.pem" -j 12 -d out "${urls[@]}"
    assert_rc 0
    for i in $(seq 1 "$n"); do
        assert_file_eq "expected/f$i.bin" "out/f$i.bin"
    done
    assert_eq "$n" "$(find out -type f | wc -l)" "files after run $run"
done
