#!/bin/bash
# Allocation failure, in the spirit of curl's torture tests: in a build
# made with --enable-alloc-fail, the K-th allocation of salvo's own code
# fails, for every K a small scenario makes. salvo must never crash or
# leak (the sanitizers exit 99 on a leak); when it exits 0 every file must
# be right, and when it does not, it must have said why on stderr.
. "$(dirname "$0")/../lib.sh"
[ "${SALVO_ALLOC_FAIL_BUILD:-}" = yes ] ||
    skip "needs a build configured with --enable-alloc-fail"
start_server

printf '%s\n' "$BASE/bytes/3000/a.bin?seed=1" "# a comment" \
    "gopher://127.0.0.1/x" "$BASE/status/404/missing.bin" \
    "$BASE/bytes/5000/b.bin?seed=2 sub/b.bin" >list

run_salvo_k()
{
    rm -rf out
    SALVO_FAIL_ALLOC=$1 SALVO_ALLOC_REPORT=$T/count run_salvo -j 1 --json \
        -d out -i list "$BASE/bytes/100/c.bin?seed=3"
}

run_salvo_k 0
assert_rc 1
total=$(cat count)
[ "$total" -gt 10 ] || fail "only $total allocations counted"
echo "the scenario makes $total allocations"

k=1
while [ "$k" -le "$total" ]; do
    run_salvo_k "$k"
    case $RC in
    0)
        fail "K=$k: exit 0, but the 404 and the bad line must fail" ;;
    1 | 2)
        [ -s stderr ] || fail "K=$k: exit $RC with nothing on stderr" ;;
    *)
        fail "K=$k: exit status $RC (a crash?)" ;;
    esac
    # What was reported ok is whole.
    if grep -q '^ok out/a.bin ' stderr; then
        assert_body out/a.bin 3000 1
    fi
    if grep -q '^ok out/sub/b.bin ' stderr; then
        assert_body out/sub/b.bin 5000 2
    fi
    [ ! -e out/missing.bin ] || fail "K=$k: a 404 left a file"
    k=$((k + 1))
done
echo "ran $total failure points"
