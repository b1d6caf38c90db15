#!/usr/bin/env bash
# render_bench.sh CORRIDOR WORKDIR: how long `corridor render` takes to print plan maps of real
# places (the bundled OSM extracts), end to end: open the network, load the zoning (OSM landuse
# assembled from the .osm.pbf), project, draw, label, and write the file.
#
# Prints one table row per map:
#   map         what is drawn (network, zones) and where
#   paper       paper size and resolution
#   format      png (raster, 300 dpi: 4961 x 3508 pixels on A3), pdf or svg (vector)
#   s           wall time, the fastest of RUNS runs (default 3)
#   cpu s       user + system CPU time of that run (the work done: on a busy machine the wall
#               time grows, this does not; the renderer draws on one thread)
#   peak MiB    peak RSS (GNU time)
#   MB          the file's size
# Target (issue #5): Monaco with its land use on A3 at 300 dpi, PNG and PDF, under 2 s each on
# 2 cores.
#
# The networks are imported once into WORKDIR (kept between runs; delete them to import again).
# Needs GNU time (/usr/bin/time).
set -u

die() {
    echo "render_bench.sh: $*" >&2
    exit 1
}

[ $# -eq 2 ] || die "usage: render_bench.sh CORRIDOR WORKDIR"
CORRIDOR=$1
WORKDIR=$2
RUNS=${RUNS:-3}
DATA=$(cd "$(dirname "$0")/../datasets" && pwd)
[ -x "$CORRIDOR" ] || die "$CORRIDOR is not an executable file"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time, package 'time') is not installed"
mkdir -p "$WORKDIR" || die "cannot make $WORKDIR"

now_ns() {
    date +%s%N
}

# measure CMD...: "seconds cpu_seconds peak_mib" (fastest wall time with its CPU time, largest
# peak RSS over RUNS runs)
measure() {
    local best="" cpu="" peak=0 t0 t1 s kib c
    for _ in $(seq "$RUNS"); do
        t0=$(now_ns)
        /usr/bin/time -f '%M %U %S' -o "$WORKDIR/time.txt" "$@" >/dev/null 2>"$WORKDIR/stderr.txt" || {
            echo "render_bench.sh: failed: $*" >&2
            cat "$WORKDIR/stderr.txt" >&2
            return 1
        }
        t1=$(now_ns)
        s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
        read -r kib u sy <<<"$(tail -1 "$WORKDIR/time.txt")"
        c=$(awk -v a="$u" -v b="$sy" 'BEGIN { printf "%.2f", a + b }')
        if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$s
            cpu=$c
        fi
        [ "$kib" -gt "$peak" ] && peak=$kib
    done
    echo "$best $cpu $((peak / 1024))"
}

network() { # NAME PBF [import options]: WORKDIR/NAME.corr, imported once
    local name=$1 pbf=$2
    shift 2
    if [ ! -s "$WORKDIR/$name.corr" ]; then
        "$CORRIDOR" import "$pbf" -o "$WORKDIR/$name.corr" "$@" >/dev/null 2>&1 ||
            die "cannot import $pbf"
    fi
}
network monaco "$DATA/osrm-monaco.osm.pbf"
network hcmc "$DATA/hcmc-district3-multi-tl-map.osm.pbf"
network krems "$DATA/graphhopper-krems.osm.pbf" --terminals "$DATA/terminals-krems-example.csv"

printf '%-40s %-12s %-6s %7s %6s %9s %6s\n' map paper format s "cpu s" "peak MiB" MB
row() { # LABEL PAPER FORMAT ARGS...
    local label=$1 paper=$2 fmt=$3 r
    shift 3
    local out="$WORKDIR/map.$fmt"
    r=$(measure "$CORRIDOR" render "$@" -o "$out") || return
    read -r s c mib <<<"$r"
    printf '%-40s %-12s %-6s %7s %6s %9s %6.1f\n' "$label" "$paper" "$fmt" "$s" "$c" "$mib" \
        "$(awk -v b="$(stat -c %s "$out")" 'BEGIN { print b / 1e6 }')"
}
A3=(--paper A3 --landscape --dpi 300)
MONACO=(--network "$WORKDIR/monaco.corr" --zones "$DATA/osrm-monaco.osm.pbf" --title Monaco)
HCMC=(--network "$WORKDIR/hcmc.corr" --zones "$DATA/hcmc-district3-multi-tl-map.osm.pbf"
      --title "Quận 3, TP. Hồ Chí Minh")
for fmt in png pdf svg; do
    row "Monaco: network + OSM landuse" "A3 300 dpi" $fmt "${MONACO[@]}" "${A3[@]}"
done
row "Monaco: network only" "A3 300 dpi" png --network "$WORKDIR/monaco.corr" "${A3[@]}"
row "Monaco: OSM landuse only" "A3 300 dpi" png --zones "$DATA/osrm-monaco.osm.pbf" "${A3[@]}"
for fmt in png pdf; do
    row "HCMC District 3: network + landuse" "A3 300 dpi" $fmt "${HCMC[@]}" "${A3[@]}"
    row "Krems: road, rail, Danube, terminals" "A3 300 dpi" $fmt --network "$WORKDIR/krems.corr" "${A3[@]}"
done
row "Monaco: network + OSM landuse" "A0 150 dpi" png "${MONACO[@]}" --paper A0 --landscape --dpi 150
