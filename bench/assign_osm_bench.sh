#!/usr/bin/env bash
# assign_osm_bench.sh CORRIDOR WORKDIR: one OSM-based traffic assignment, Malta (the shared
# data's graphhopper-malta.osm.pbf, the whole country; skipped with a note when absent), car
# profile, bi-conjugate Frank-Wolfe to relative gap 1e-4 by `corridor assign` (skipped with a
# note when the binary has no `assign` command).
#
# The demand is SYNTHETIC: `corridor demand gravity` (docs/assignment.md, "Synthetic gravity
# demand"), a doubly constrained gravity model on land-use areas, not a survey.
#
# Zones: Malta has 3,067 landuse areas, 1,332 of them of a class the gravity model gives trips
# (residential 1,141, industrial 181, commercial 7, retail 3). An assignment computes one
# shortest-path tree per origin zone per iteration, so all of them would take far too long for a
# benchmark; the zones are the ASSIGN_OSM_ZONES (default 200) largest areas of those four
# classes (area from GDAL's OSM driver, ogrinfo with ST_Area in degrees squared: a ranking
# only), cut out of the OSM file with `osmium getid -r` into WORKDIR/zones.osm.pbf, which
# `corridor demand` and `corridor assign` read as any OSM file's landuse areas (`--zones`, class
# key landuse). Both get `--name-field corridor:zone`, a key no area has, so every zone is named
# by its OSM feature id: by their name tags 7 of the 200 share a name (Xaghra three times, Safi,
# Swieqi...), which would merge or refuse them. Needs ogrinfo (GDAL) and osmium-tool.
#
# Steps, each timed once (wall seconds, nanoseconds around the command) with its peak RSS
# (GNU time -v):
#   import   corridor import of the .osm.pbf
#   zones    ogrinfo + osmium getid: the zone file
#   demand   corridor demand gravity --total ASSIGN_OSM_TRIPS (default 30000) trips
#   assign   corridor assign --algorithm ASSIGN_OSM_ALGORITHM (default bfw) --gap ASSIGN_OSM_GAP
#            (default 1e-4) --max-iter ASSIGN_OSM_MAX_ITER (default 500, the command's)
#            --threads ASSIGN_OSM_THREADS (default 2)
# then what the command printed (stdout: iterations, gap reached, seconds, VKT, VHT), its last
# progress lines and its --summary JSON.
set -u

die() {
    echo "assign_osm_bench.sh: $*" >&2
    exit 1
}

[ $# -eq 2 ] || die "usage: assign_osm_bench.sh CORRIDOR WORKDIR"
CORRIDOR=$1
WORKDIR=$2
ZONES_N=${ASSIGN_OSM_ZONES:-200}
TRIPS=${ASSIGN_OSM_TRIPS:-30000}
THREADS=${ASSIGN_OSM_THREADS:-2}
GAP=${ASSIGN_OSM_GAP:-1e-4}
ALGORITHM=${ASSIGN_OSM_ALGORITHM:-bfw}
MAX_ITER=${ASSIGN_OSM_MAX_ITER:-500}
HERE=$(cd "$(dirname "$0")" && pwd)
MALTA=${ASSIGN_OSM_FILE:-$HERE/../../shared/datasets/osm/reference/graphhopper-malta.osm.pbf}
[ -x "$CORRIDOR" ] || die "$CORRIDOR is not an executable file"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time, package 'time') is not installed"
mkdir -p "$WORKDIR" || die "cannot make $WORKDIR"

if ! "$CORRIDOR" assign --help >/dev/null 2>&1; then
    echo "note: $CORRIDOR has no \`assign\` command (corridor assign): the Malta assignment is skipped"
    exit 0
fi
if [ ! -f "$MALTA" ]; then
    echo "note: $MALTA not found (the team's shared data): the Malta assignment is skipped"
    exit 0
fi
for tool in ogrinfo osmium; do
    command -v $tool >/dev/null || {
        echo "note: $tool not installed: the Malta assignment is skipped"
        exit 0
    }
done

now_ns() {
    date +%s%N
}

fmt='%-8s %9s %9s  %s\n'
rows=()
failed=0

# step NAME WHAT CMD...: runs CMD under GNU time; adds a row "NAME seconds peak WHAT".
step() {
    local name=$1 what=$2 t0 t1 s mib
    shift 2
    t0=$(now_ns)
    if ! /usr/bin/time -v -o "$WORKDIR/$name.time" "$@" >"$WORKDIR/$name.out" 2>"$WORKDIR/$name.err"; then
        rows+=("$(printf "$fmt" "$name" FAILED - "$(tail -c 300 "$WORKDIR/$name.err" | tr '\n' ' ')")")
        failed=1
        return 1
    fi
    t1=$(now_ns)
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    mib=$(awk -F': ' '/Maximum resident/ { printf "%d", $2 / 1024 }' "$WORKDIR/$name.time")
    rows+=("$(printf "$fmt" "$name" "$s" "$mib" "$what")")
}

zone_file() { # the ZONES_N largest trip-bearing landuse areas of MALTA into WORKDIR/zones.osm.pbf
    ogrinfo -ro -q "$MALTA" -dialect sqlite -sql "SELECT CASE WHEN osm_id IS NOT NULL THEN 'r' || osm_id ELSE 'w' || osm_way_id END AS id FROM multipolygons WHERE landuse IN ('residential', 'industrial', 'commercial', 'retail') ORDER BY ST_Area(geometry) DESC LIMIT $ZONES_N" |
        awk '/id \(String\) =/ { print $4 }' >"$WORKDIR/zone_ids.txt" || return 1
    [ -s "$WORKDIR/zone_ids.txt" ] || {
        echo "no landuse area found" >&2
        return 1
    }
    osmium getid -r --overwrite "$MALTA" -i "$WORKDIR/zone_ids.txt" -o "$WORKDIR/zones.osm.pbf"
}

net=$WORKDIR/malta.corr
zones=$WORKDIR/zones.osm.pbf
od=$WORKDIR/od_SYNTHETIC.csv
echo "Malta ($(basename "$MALTA"), whole country), car; demand SYNTHETIC (corridor demand gravity, $TRIPS trips);"
echo "zones: the $ZONES_N largest residential/industrial/commercial/retail landuse areas; $ALGORITHM to $GAP (at most $MAX_ITER iterations) on $THREADS threads"
echo
printf "$fmt" step s "peak MiB" what
printf "$fmt" -------- --------- --------- ----
step import "corridor import" "$CORRIDOR" import "$MALTA" -o "$net" --quiet &&
    step zones "ogrinfo + osmium getid: $ZONES_N areas" bash -c "$(declare -f zone_file); MALTA='$MALTA' ZONES_N=$ZONES_N WORKDIR='$WORKDIR' zone_file" &&
    step demand "corridor demand gravity (SYNTHETIC)" "$CORRIDOR" demand gravity "$net" --zones "$zones" \
        --name-field corridor:zone --profile car --total "$TRIPS" -o "$od" &&
    step assign "corridor assign --algorithm $ALGORITHM --gap $GAP --threads $THREADS" "$CORRIDOR" assign "$net" \
        --zones "$zones" --name-field corridor:zone --demand "$od" --profile car --algorithm "$ALGORITHM" --gap "$GAP" \
        --threads "$THREADS" --max-iter "$MAX_ITER" -o "$WORKDIR/flows.csv" --summary "$WORKDIR/summary.json"
printf '%s\n' "${rows[@]}"
[ -f "$WORKDIR/demand.err" ] && grep -h "SYNTHETIC" "$WORKDIR/demand.err" | sed 's/^/  /'
[ -s "$WORKDIR/assign.out" ] && sed 's/^/  assign: /' "$WORKDIR/assign.out"
[ -s "$WORKDIR/assign.err" ] && sed 's/^/  assign: /' "$WORKDIR/assign.err" | tail -3
[ -s "$WORKDIR/summary.json" ] && echo "  summary: $(tr -s ' \n' ' ' <"$WORKDIR/summary.json" | head -c 800)"
echo "target: Malta assigned to $GAP (no time target in issue 13)"
exit $failed
