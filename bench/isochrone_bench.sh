#!/usr/bin/env bash
# isochrone_bench.sh CORRIDOR WORKDIR: `corridor isochrone` with 3 bands (10, 20, 30 min, car,
# buffer 50 m) from one point on Monaco (datasets/, 7.4197,43.7311) and on Malta (the shared
# data's graphhopper-malta.osm.pbf, from Valletta 14.5136,35.8989; skipped with a note when
# absent). Real OSM extracts, imported once into WORKDIR.
#
# Prints one table row per network:
#   network      the extract
#   km 10/20/30  road reached within each band (both directions of a road counted once)
#   search s     snapping and the bounded Dijkstra on the turn graph (the command's own timer)
#   polygons s   cutting, buffering and unioning the reached roads, back to WGS 84 (GEOS)
#   total s      the command end to end: open the network, build the turn graph, search,
#                polygons, write the GeoJSON
#   peak MiB     peak RSS (GNU time -v)
# Times are the fastest of RUNS runs (default 3). Target: Malta 3 bands < 5 s end to end.
set -u

die() {
    echo "isochrone_bench.sh: $*" >&2
    exit 1
}

[ $# -eq 2 ] || die "usage: isochrone_bench.sh CORRIDOR WORKDIR"
CORRIDOR=$1
WORKDIR=$2
RUNS=${RUNS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
MALTA=$HERE/../../shared/datasets/osm/reference/graphhopper-malta.osm.pbf
[ -x "$CORRIDOR" ] || die "$CORRIDOR is not an executable file"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time, package 'time') is not installed"
mkdir -p "$WORKDIR" || die "cannot make $WORKDIR"

now_ns() {
    date +%s%N
}

row() { # NAME PBF LON,LAT
    local name=$1 pbf=$2 at=$3 net=$WORKDIR/$1.corr best= best_line= peak=0 i t0 t1 ns line mib
    if [ ! -f "$net" ] && ! "$CORRIDOR" import "$pbf" -o "$net" --quiet 2>"$WORKDIR/$name.import.err"; then
        echo "note: $name: import failed: $(head -c 200 "$WORKDIR/$name.import.err")"
        return
    fi
    for i in $(seq 1 "$RUNS"); do
        t0=$(now_ns)
        if ! /usr/bin/time -v -o "$WORKDIR/$name.time" "$CORRIDOR" isochrone "$net" --profile car \
            --from "$at" --minutes 10,20,30 -o "$WORKDIR/$name.geojson" 2>"$WORKDIR/$name.err"; then
            echo "note: $name: isochrone failed: $(head -c 300 "$WORKDIR/$name.err")"
            return
        fi
        t1=$(now_ns)
        ns=$((t1 - t0))
        line=$(grep "bands from" "$WORKDIR/$name.err")
        mib=$(awk -F': ' '/Maximum resident/ { printf "%d", $2 / 1024 }' "$WORKDIR/$name.time")
        [ "${mib:-0}" -gt "$peak" ] && peak=$mib
        if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then
            best=$ns
            best_line=$line
        fi
    done
    # "...: 10 min 559.8 km, 20 min 2248.8 km, 30 min 2680.4 km; search 0.004 s, polygons 3.3 s"
    echo "$best_line" | awk -v name="$name" -v total="$best" -v peak="$peak" '{
        n = split($0, part, " min ")
        km = ""
        for (i = 2; i <= n; i++) { split(part[i], w, " "); km = km (km == "" ? "" : "/") w[1] }
        match($0, /search [0-9.]+ s/); s = substr($0, RSTART + 7, RLENGTH - 9)
        match($0, /polygons [0-9.]+ s/); p = substr($0, RSTART + 9, RLENGTH - 11)
        printf "| %-8s | %-22s | %8s | %10s | %7.3f | %8d |\n", name, km, s, p, total / 1e9, peak
    }'
}

echo "| network  | km 10/20/30            | search s | polygons s | total s | peak MiB |"
echo "|----------|------------------------|----------|------------|---------|----------|"
row monaco "$HERE/../datasets/osrm-monaco.osm.pbf" 7.4197,43.7311
if [ -f "$MALTA" ]; then
    row malta "$MALTA" 14.5136,35.8989
else
    echo "note: graphhopper-malta.osm.pbf not found beside the repository (../shared); Malta skipped"
fi
