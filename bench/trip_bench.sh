#!/bin/sh
# Trips of 10, 25 and 100 points, seconds (bench/README.md, "Trips"): the solver alone on
# SYNTHETIC tables (trip_bench --solver), then Monaco (bundled) and Malta (the team's shared data,
# ../shared/datasets/osm/reference) imported, contracted for car/time, one round trip per size
# through seeded random points (snapping, the table, the solver, the route in order).
#
#   bench/trip_bench.sh BUILD_DIR [SIZES]     e.g. bench/trip_bench.sh build/release 10,25,100
set -eu
BUILD=${1:?usage: bench/trip_bench.sh BUILD_DIR [SIZES]}
SIZES=${2:-10,25,100}
SRC=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$SRC/../shared}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
C=$BUILD/cli/corridor
B=$BUILD/bench/trip_bench

"$B" --solver
echo
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
    "$B" "$WORK/$name.corr" --name "$name" --sizes "$SIZES"
done
