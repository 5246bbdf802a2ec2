#!/bin/bash
# A 206 whose Content-Range starts elsewhere than asked is never appended
# blindly: the final name holds the exact body, or the item failed and
# there is no final file.  Never wrong bytes under the final name.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

# faulty=2: the first request is cut at 50000 bytes; the second (the
# retry with Range: bytes=50000-) is answered from 51000 (or 49000),
# saying so in Content-Range, and cut short again; later ones are normal.
for shift in 1000 -1000; do
    rm -rf out
    url="$BASE/bytes/200000/w.bin?truncate=50000&faulty=2&range_shift=$shift"
    run_salvo --json --retry-delay=0 -d out "$url"
    ranges=$(log_where "range_shift=$shift" range | sed -n 2p)
    assert_eq "bytes=50000-" "$ranges" "Range of the retry (shift $shift)"
    status=$(json_field "range_shift=$shift" status)
    case $status in
    ok)
        assert_rc 0
        assert_body out/w.bin 200000
        ;;
    failed)
        assert_rc 1
        assert_absent out/w.bin
        ;;
    *)
        fail "status '$status' (shift $shift)"
        ;;
    esac
done
