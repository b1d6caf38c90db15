#!/bin/sh
# Tables with durations and distances, cells per second (bench/README.md, "Tables"): imports
# Monaco (bundled) and Malta (the team's shared data, ../shared/datasets/osm/reference), contracts
# car/time, and runs table_bench for 100^2, 1,000^2 and 10,000^2 on 1 and 2 threads.
#
#   bench/table_bench.sh BUILD_DIR [SIZES] [THREADS]     e.g. bench/table_bench.sh build/release
set -eu
BUILD=${1:?usage: bench/table_bench.sh BUILD_DIR [SIZES] [THREADS]}
SIZES=${2:-100,1000,10000}
THREADS=${3:-1,2}
SRC=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$SRC/../shared}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
C=$BUILD/cli/corridor
B=$BUILD/bench/table_bench

"$B" --header
for net in "monaco:$SRC/datasets/osrm-monaco.osm.pbf" \
    "malta:$SHARED/datasets/osm/reference/graphhopper-malta.osm.pbf"; do
    name=${net%%:*}
    pbf=${net#*:}
    if [ ! -f "$pbf" ]; then
        echo "note: $pbf absent: $name skipped" >&2
        continue
    fi
    "$C" import "$pbf" -o "$WORK/$name.corr" --quiet
    "$C" contract "$WORK/$name.corr" --profiles car --metrics time --quiet
    "$B" "$WORK/$name.corr" --name "$name" --sizes "$SIZES" --threads "$THREADS"
done
