#!/usr/bin/env bash
# tile_bench.sh CORRIDOR WORKDIR: map tiles (docs/tiles.md) at zooms 12, 14 and 16 over HCMC
# District 3 (datasets/) and Malta (the shared data's graphhopper-malta.osm.pbf; skipped with a
# note when absent), cold (the metatile drawn: what a request for a tile not in the cache costs)
# and cached (the server's LRU cache), by bench/tile_bench (built beside CORRIDOR's build:
# BUILD/bench/tile_bench). Networks are imported once into WORKDIR.
#
# One table row per network and zoom (bench/tile_bench.c says how tiles are chosen):
#   metatiles       metatiles drawn (each once), tiles each (16 from zoom 2)
#   metatile p50/p99  wall and CPU milliseconds of one metatile (16 PNG tiles), one thread
#   per tile        the same divided by the tiles of a metatile (amortized cold cost)
#   cached p50 µs   a tile from the cache
# Target (issue 16): p50 < 30 ms and p99 < 150 ms cold at zoom 14 on 2 cores.
set -u

die() {
    echo "tile_bench.sh: $*" >&2
    exit 1
}

[ $# -eq 2 ] || die "usage: tile_bench.sh CORRIDOR WORKDIR"
CORRIDOR=$1
WORKDIR=$2
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=${TILE_BENCH:-$(dirname "$CORRIDOR")/../bench/tile_bench}
MALTA=$HERE/../../shared/datasets/osm/reference/graphhopper-malta.osm.pbf
[ -x "$CORRIDOR" ] || die "$CORRIDOR is not an executable file"
[ -x "$BENCH" ] || die "$BENCH is not built (make build-release)"
mkdir -p "$WORKDIR" || die "cannot make $WORKDIR"

"$BENCH" --header
for pair in "hcmc-district3:$HERE/../datasets/hcmc-district3-map.osm.pbf" "malta:$MALTA"; do
    name=${pair%%:*}
    osm=${pair#*:}
    if [ ! -f "$osm" ]; then
        echo "note: $osm not found; $name not benchmarked" >&2
        continue
    fi
    net=$WORKDIR/$name.corr
    [ -f "$net" ] || "$CORRIDOR" import "$osm" -o "$net" --quiet || die "cannot import $osm"
    "$BENCH" "$net" --name "$name" --zooms 12,14,16 --tiles 100 || die "tile_bench failed on $name"
done
