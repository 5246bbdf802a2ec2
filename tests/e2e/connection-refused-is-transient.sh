#!/bin/bash
# Connection refused is transient: --retry=2 makes 3 attempts, then the
# item fails.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

# A port nothing listens on: bound by the kernel, then closed.
port=$("$PYTHON3" -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')
run_salvo --json --retry=2 --retry-delay=0 -d out \
    "http://127.0.0.1:$port/c.bin"
assert_rc 1
assert_absent out/c.bin
assert_eq failed "$(json_field c.bin status)" "JSON status"
assert_eq 3 "$(json_field c.bin attempts)" "JSON attempts"
assert_grep '^failed .*c\.bin' "$T/stderr" "the failed line"
