#!/bin/bash
# TLS is verified: a self-signed server fails without --cacert (and
# nothing is saved, and the message points at --cacert); with
# --cacert=its certificate the bytes arrive intact.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
type start_tls_server >/dev/null 2>&1 ||
    fail "tests/lib.sh has no start_tls_server"
start_tls_server
# No CA bundle from the environment may sneak the test certificate in.
unset CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR

mkdir out
run_salvo -d out "$TLS_BASE/bytes/1000/x.bin?seed=3"
assert_rc 1
assert_absent out/x.bin
grep -Eqi 'certif|ssl|tls|verif' "$T/stderr" ||
    fail "stderr does not say why (certificate)"
assert_grep 'use --cacert FILE' "$T/stderr" "the hint for a private CA"

run_salvo --cacert="$T/cert.pem" -d out "$TLS_BASE/bytes/1000/x.bin?seed=3"
assert_rc 0
"$PYTHON3" "$SERVER_PY" --body 1000 3 >expected
assert_file_eq expected out/x.bin
