#!/bin/sh
# Runs each libFuzzer binary for FUZZ_SECONDS seconds (default 60) on a
# scratch copy of its seed corpus, so the source tree is never written,
# and prints how many inputs each ran. Exits 1 if any target failed; its
# log and reproducer stay in the scratch directory, whose path is shown.
#
# Usage: fuzz-run.sh CORPUS_DIR BIN_DIR TARGET...
# (make fuzz-run calls it; FUZZ_MAX_LEN, default 4096, caps input size.)
set -u

if [ $# -lt 3 ]; then
    echo "usage: $0 CORPUS_DIR BIN_DIR TARGET..." >&2
    exit 2
fi
corpus=$1
bindir=$2
shift 2
seconds=${FUZZ_SECONDS:-60}
max_len=${FUZZ_MAX_LEN:-4096}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/salvo-fuzz.XXXXXX") || exit 1
status=0
for t in "$@"; do
    mkdir "$tmp/$t" || exit 1
    if [ -d "$corpus/$t" ]; then
        cp "$corpus/$t"/* "$tmp/$t/" || exit 1
    fi
    echo "$t: fuzzing for $seconds s"
    if "$bindir/$t" -max_total_time="$seconds" -max_len="$max_len" \
        -timeout=10 -print_final_stats=1 -artifact_prefix="$tmp/$t-" \
        "$tmp/$t" >"$tmp/$t.log" 2>&1; then
        runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) sec.*/\1 runs in \2 s/p' \
            "$tmp/$t.log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$tmp/$t.log")
        echo "$t: ok, ${runs:-? runs} (${rate:-?} exec/s)"
    else
        status=1
        echo "$t: FAILED; from $tmp/$t.log:"
        # Not the progress lines, nor the long dumps of the input.
        grep -v -E '^(INFO|#[0-9]|MS:)' "$tmp/$t.log" |
            awk 'length < 200' | tail -n 40
        echo "$t: reproducer(s):" "$tmp/$t"-*
    fi
done
if [ $status -eq 0 ]; then
    rm -rf "$tmp"
else
    echo "fuzz-run: logs and reproducers kept in $tmp"
fi
exit $status
