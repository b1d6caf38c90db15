#!/usr/bin/env bash
# `corridor render` exits cleanly every time (issue 10): it once tore down fontconfig and Cairo's
# global state on its way out (FcFini, cairo_debug_reset_static_data) while Pango's own thread
# could still be using them, and about one run in 20 to 100 then died in an assertion with exit
# 134 after writing the map. That only shows at process exit, so this runs the command many
# times, each a process of its own, two at a time (the race was likelier on a busy machine),
# on a tiny drawn map in PNG, PDF and SVG, and counts: any abort, crash or other failure fails.
# The count, not a time limit, is the test: RENDER_EXIT_RUNS renders (default 300; 150 in a
# sanitizer build, whose runs are slower). Before the fix, 300 such runs gave 9 to 51 aborts.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_render_exit.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-render-exit}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
make_scratch
if grep -q __asan_init "$CORRIDOR" 2>/dev/null; then # a sanitizer build
    RUNS=${RENDER_EXIT_RUNS:-150}
else
    RUNS=${RENDER_EXIT_RUNS:-300}
fi

# a street, a railway with a station and a river, and two zones: text in every part of the page
cat >"$WORK/tiny.osm" <<'OSM'
<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="tests/cli/test_render_exit.sh">
  <node id="1" version="1" lat="10.7850" lon="106.6895"/>
  <node id="2" version="1" lat="10.7850" lon="106.6965"/>
  <node id="3" version="1" lat="10.7795" lon="106.6905"/>
  <node id="4" version="1" lat="10.7830" lon="106.6905"><tag k="railway" v="station"/><tag k="name" v="Ga Hòa Hưng"/></node>
  <node id="5" version="1" lat="10.7865" lon="106.6905"/>
  <node id="6" version="1" lat="10.7806" lon="106.6890"/>
  <node id="7" version="1" lat="10.7807" lon="106.6970"/>
  <way id="101" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/><tag k="name" v="Đường Võ Thị Sáu"/></way>
  <way id="102" version="1"><nd ref="3"/><nd ref="4"/><nd ref="5"/><tag k="railway" v="rail"/></way>
  <way id="103" version="1"><nd ref="6"/><nd ref="7"/><tag k="waterway" v="river"/></way>
</osm>
OSM
cat >"$WORK/zones.geojson" <<'JSON'
{ "type": "FeatureCollection", "features": [
  { "type": "Feature", "properties": { "class": "Residential - lowrise", "name": "Phường Tân Định" },
    "geometry": { "type": "Polygon", "coordinates": [[[106.6880, 10.7785], [106.6930, 10.7785],
      [106.6930, 10.7875], [106.6880, 10.7875], [106.6880, 10.7785]]] } },
  { "type": "Feature", "properties": { "class": "Công viên cây xanh", "name": "Công viên" },
    "geometry": { "type": "Polygon", "coordinates": [[[106.6930, 10.7785], [106.6980, 10.7785],
      [106.6980, 10.7875], [106.6930, 10.7875], [106.6930, 10.7785]]] } }
] }
JSON
run "$WORK/import.out" import "$WORK/tiny.osm" -o "$WORK/tiny.corr" --quiet
if [ "$rc" != 0 ]; then
    bad "import the tiny map" "$(cat "$WORK/import.out.err")"
    finish
fi

# render I: run I (1-based) as its own process; its exit status in run-I.rc, stderr in run-I.err
render() {
    local i=$1 fmt
    case $((i % 3)) in
    0) fmt=png ;;
    1) fmt=pdf ;;
    *) fmt=svg ;;
    esac
    "$CORRIDOR" render --network "$WORK/tiny.corr" --zones "$WORK/zones.geojson" --class-field class \
        --name-field name --size 160x120 --dpi 40 --title "Lần $i" --date 2026-01-01 \
        -o "$WORK/map-$((i % 2)).$fmt" >/dev/null 2>"$WORK/run-$i.err"
    echo $? >"$WORK/run-$i.rc"
}

for ((i = 1; i <= RUNS; i += 2)); do
    render "$i" &
    [ $((i + 1)) -le "$RUNS" ] && render $((i + 1)) &
    wait
done

aborts=0 crashes=0 others=0 first=""
for ((i = 1; i <= RUNS; i++)); do
    code=$(cat "$WORK/run-$i.rc" 2>/dev/null || echo missing)
    case $code in
    0) continue ;;
    134) aborts=$((aborts + 1)) ;;
    13[0-9] | 1[4-9][0-9] | 2[0-9][0-9]) crashes=$((crashes + 1)) ;;
    *) others=$((others + 1)) ;;
    esac
    [ -n "$first" ] || first="run $i: exit $code: $(head -c 300 "$WORK/run-$i.err")"
done
echo "render at exit: $RUNS runs (PNG, PDF, SVG in turn), $aborts aborts (exit 134), $crashes other signals, $others other failures"
if [ $((aborts + crashes + others)) = 0 ]; then
    ok "$RUNS renders, each its own process, all exit 0"
else
    bad "$RUNS renders, each its own process, all exit 0" "$aborts aborts, $crashes other signals, $others other failures" "$first"
fi
finish
