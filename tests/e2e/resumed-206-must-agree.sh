#!/bin/bash
# A resumed 206 is checked against what it claims and against the first
# response. The first GET gets 200 with Content-Length 10000, 5000 bytes
# and a close; the retry (Range: bytes=5000-) then gets, per mode:
#   cap   206 bytes 5000-5009/10000 and those 10 bytes: kept, but the
#         attempt is incomplete; the next one asks from 5010;
#   whole the right Content-Range with the whole 10000-byte body: nothing
#         of it is kept (never a 15000-byte file); the next asks again;
#   total 206 bytes 5000-19999/20000 (another length): nothing is mixed;
#         the next attempt starts over from byte 0.
# With one lie (lies=1) the file ends complete and exact, status ok. With
# a server that always lies and --retry=1 the item fails: no NAME.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

for mode in cap whole total; do
    q="truncate=5000&faulty=1&lie=$mode"
    run_salvo --json --retry-delay=0 -d "ok-$mode" \
        "$BASE/bytes/10000/$mode.bin?$q&lies=1"
    assert_rc 0
    assert_eq ok "$(json_field "$q&lies=1" status)" "status ($mode, one lie)"
    assert_body "ok-$mode/$mode.bin" 10000
    assert_absent "ok-$mode/$mode.bin.part"
    ranges=$(log_where "$q&lies=1" range | tr '\n' ' ')
    case $mode in
    cap) want="bytes=5000- bytes=5010- " ;;
    whole) want="bytes=5000- bytes=5000- " ;;
    total) want="bytes=5000-  " ;;
    esac
    assert_eq " $want" "$ranges" "Range of each request ($mode)"

    run_salvo --json --retry=1 --retry-delay=0 -d "bad-$mode" \
        "$BASE/bytes/10000/$mode.bin?$q"
    assert_rc 1
    assert_eq failed "$(json_field "$mode.bin" status)" \
        "status ($mode, always lies)"
    assert_absent "bad-$mode/$mode.bin"
    if [ -e "bad-$mode/$mode.bin.part" ]; then
        # What is kept is a true prefix of the resource.
        size=$(wc -c <"bad-$mode/$mode.bin.part")
        body 10000 | head -c "$size" >prefix
        assert_file_eq prefix "bad-$mode/$mode.bin.part"
    fi
done
