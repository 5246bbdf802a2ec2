#!/bin/sh
# make demo: start the local test server and fetch a few hundred files
# through salvo, so a newcomer sees it work with no internet.
set -eu
salvo=$1
top=$2
out=${3:-demo-out}
py=${PYTHON3:-python3}
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$py" "$top/tests/server.py" --port-file "$tmp/port" &
pid=$!
i=0
while [ ! -s "$tmp/port" ]; do
    i=$((i + 1))
    [ $i -lt 100 ] || { echo "demo: the server did not start" >&2; exit 1; }
    "$py" -c 'import time; time.sleep(0.1)'
done
port=$(cat "$tmp/port")
n=300
i=1
while [ $i -le $n ]; do
    echo "http://127.0.0.1:$port/bytes/$((i * 97 % 20000 + 1))?seed=$i file$i.bin"
    i=$((i + 1))
done > "$tmp/list.txt"
echo "demo: fetching $n files from the local server at 127.0.0.1:$port ..."
rm -rf "$out"
"$salvo" -j 16 -q -d "$out" -i "$tmp/list.txt"
echo "demo: $(ls "$out" | wc -l) files, $(du -sk "$out" | cut -f1) KiB in $out/"
"$salvo" -j 16 -d "$out" -i "$tmp/list.txt" 2>&1 | tail -n 1
echo "demo: (a second run skips every file that is already there)"
