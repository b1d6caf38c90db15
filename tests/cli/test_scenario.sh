#!/usr/bin/env bash
# `corridor scenario` end to end.
#
# 1. A synthetic grid written here (labelled synthetic: four residential streets round a square
#    and one across its middle, 30 km/h) and a new trunk drawn from the south street to the north
#    one, crossing the middle street:
#    - grade separation: without an interchange a route from the new road to the middle street
#      goes round by the south and west streets (> 2 km); with an interchange at the crossing it
#      takes the link (< 1.2 km);
#    - the same road mapped in OSM (the new way sharing the street nodes, its link a trunk_link
#      way, the same tags) and imported routes exactly as the scenario: distance, duration and
#      cost equal on 6 pairs;
#    - --close along the middle street (a line) and over it (a polygon): the route across the
#      square goes round;
#    - info prints the scenario, contract and route (on the hierarchy) work on it;
#    - oneway=-1 runs against the drawing; the same road in UTM 33N as a GeoPackage (its CRS)
#      and as GeoJSON with --s-srs gives the same network.
# 2. Krems (datasets/): an example bypass with two interchanges (drawn for the test, no real
#    plan): info, contract, route (faster than before), matrix; a railway=rail link between two
#    rail lines gives a rail route that did not exist.
# 3. Errors: no features, an alignment outside the network's area, an interchange too far, a
#    base that is not a network, a footway, no -o: one line on stderr, exit 1 (2 for usage), no
#    output file.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_scenario.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-scenario}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the answers"
make_scratch
cd "$WORK" || finish

# ---- 1. synthetic grid ------------------------------------------------------------------------
grid_nodes='  <node id="1" lat="48.390" lon="15.600" version="1"/>
  <node id="2" lat="48.390" lon="15.610" version="1"/>
  <node id="3" lat="48.390" lon="15.620" version="1"/>
  <node id="4" lat="48.400" lon="15.600" version="1"/>
  <node id="5" lat="48.400" lon="15.620" version="1"/>
  <node id="6" lat="48.410" lon="15.600" version="1"/>
  <node id="7" lat="48.410" lon="15.610" version="1"/>
  <node id="8" lat="48.410" lon="15.620" version="1"/>
  <node id="9" lat="48.400" lon="15.6102" version="1"/>'
street='<tag k="highway" v="residential"/><tag k="maxspeed" v="30"/></way>'
grid_ways="  <way id=\"100\" version=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/><nd ref=\"3\"/>$street
  <way id=\"101\" version=\"1\"><nd ref=\"6\"/><nd ref=\"7\"/><nd ref=\"8\"/>$street
  <way id=\"102\" version=\"1\"><nd ref=\"1\"/><nd ref=\"4\"/><nd ref=\"6\"/>$street
  <way id=\"103\" version=\"1\"><nd ref=\"3\"/><nd ref=\"5\"/><nd ref=\"8\"/>$street
  <way id=\"104\" version=\"1\"><nd ref=\"4\"/><nd ref=\"9\"/><nd ref=\"5\"/>$street"
head='<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="corridor tests/cli/test_scenario.sh (synthetic)">'
printf '%s\n%s\n%s\n</osm>\n' "$head" "$grid_nodes" "$grid_ways" >grid.osm
# the same grid with the new road mapped: way 200 shares nodes 2 and 7, node 10 at the crossing,
# the interchange's link 10-9 a trunk_link with the same tags and oneway=no
printf '%s\n%s\n  <node id="10" lat="48.400" lon="15.610" version="1"/>\n%s
  <way id="200" version="1"><nd ref="2"/><nd ref="10"/><nd ref="7"/><tag k="highway" v="trunk"/><tag k="maxspeed" v="100"/><tag k="name" v="Test bypass"/></way>
  <way id="201" version="1"><nd ref="10"/><nd ref="9"/><tag k="highway" v="trunk_link"/><tag k="maxspeed" v="100"/><tag k="name" v="Test bypass"/><tag k="oneway" v="no"/></way>
</osm>\n' "$head" "$grid_nodes" "$grid_ways" >grid_mapped.osm
fc() { printf '{"type":"FeatureCollection","features":[%s]}\n' "$1"; }
feature() { printf '{"type":"Feature","properties":{%s},"geometry":{"type":"%s","coordinates":%s}}' "$1" "$2" "$3"; }
fc "$(feature '"name":"Test bypass","highway":"trunk","maxspeed":100' LineString '[[15.61,48.39],[15.61,48.41]]')" >bypass.geojson
fc "$(feature '' Point '[15.61,48.40]')" >interchange.geojson
fc "$(feature '' LineString '[[15.6,48.40002],[15.62,48.40002]]')" >close_line.geojson
fc "$(feature '' Polygon '[[[15.605,48.395],[15.625,48.395],[15.625,48.405],[15.605,48.405],[15.605,48.395]]]')" >close_polygon.geojson

exits "import grid" 0 "$CORRIDOR" import grid.osm -o grid.corr &&
    exits "import grid with the road mapped" 0 "$CORRIDOR" import grid_mapped.osm -o mapped.corr || finish
exits "scenario without interchange" 0 "$CORRIDOR" scenario grid.corr -o grade.corr --add bypass.geojson &&
    ok "scenario without interchange"
if exits "scenario with interchange" 0 "$CORRIDOR" scenario grid.corr -o ic.corr --add bypass.geojson \
    --interchanges interchange.geojson --name "grid test"; then
    grep -q "interchanges joined" "$WORK/stdout" && grep -q "^ic.corr: 2.24 km added" "$WORK/stdout" &&
        ok "summary line: $(cat "$WORK/stdout")" || bad "summary line" "$(cat "$WORK/stdout")"
fi

# route NET FROM TO: the route JSON in route.json
route() { "$CORRIDOR" route "$1" --profile "${PROFILE:-car}" --from "$2" --to "$3" >route.json 2>route.err; }
route grade.corr 15.61,48.395 15.605,48.40 &&
    jcheck "grade separated: round by the streets" route.json 'd["distance_m"] > 2000'
route ic.corr 15.61,48.395 15.605,48.40 &&
    jcheck "interchange: the link" route.json 'd["distance_m"] < 1200'
route grid.corr 15.61,48.395 15.605,48.40 &&
    jcheck "base: the middle street directly" route.json 'd["distance_m"] < 500'

same=0
for pair in "15.61,48.395 15.605,48.40" "15.605,48.40 15.61,48.395" "15.601,48.39 15.619,48.41" \
    "15.619,48.399 15.61,48.405" "15.605,48.41 15.615,48.39" "15.61,48.409 15.61,48.391"; do
    set -- $pair
    a=$("$CORRIDOR" route ic.corr --profile car --from "$1" --to "$2" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["distance_m"], d["duration_s"], d["cost"])')
    b=$("$CORRIDOR" route mapped.corr --profile car --from "$1" --to "$2" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["distance_m"], d["duration_s"], d["cost"])')
    if [ -n "$a" ] && [ "$a" = "$b" ]; then same=$((same + 1)); else bad "as mapped in OSM: $1 -> $2" "scenario $a, OSM $b"; fi
done
[ "$same" -eq 6 ] && ok "as mapped in OSM and imported: 6 routes equal (distance, duration, cost)"

for kind in line polygon; do
    if exits "close $kind" 0 "$CORRIDOR" scenario grid.corr -o closed_$kind.corr --close close_$kind.geojson; then
        grep -q "1.48 km closed (1 segments)" "$WORK/stdout" && ok "close $kind: the middle street" ||
            bad "close $kind: the middle street" "$(cat "$WORK/stdout")"
        route closed_$kind.corr 15.601,48.40 15.619,48.40 &&
            jcheck "close $kind: round the square" route.json 'd["distance_m"] > 3000'
    fi
done

if exits "info" 0 "$CORRIDOR" info ic.corr; then
    grep -q "scenario   grid test: base grid.corr" "$WORK/stdout" &&
        grep -q "2.24 km added, 1 interchanges, 2 ends joined, 0.00 km closed" "$WORK/stdout" &&
        ok "info prints the scenario" || bad "info prints the scenario" "$(tail -4 "$WORK/stdout")"
fi
exits "info --json" 0 "$CORRIDOR" info ic.corr --json && cp "$WORK/stdout" info.json &&
    jcheck "provenance" info.json 'd["provenance"]["scenario"]["changes"]["interchanges"] == 1' \
        'len(d["provenance"]["scenario"]["base_crc32"]) == 8' \
        'd["provenance"]["scenario"]["inputs"]["add"] == "bypass.geojson"'
exits "contract" 0 "$CORRIDOR" contract ic.corr --profiles car --metrics time --quiet && ok contract
route ic.corr 15.61,48.395 15.605,48.40 &&
    jcheck "route on the hierarchy" route.json 'd["algorithm"] == "ch"' 'd["distance_m"] < 1200'

# oneway=-1: the road runs against its drawing (north to south only)
fc "$(feature '"highway":"trunk","maxspeed":100,"oneway":"-1"' LineString '[[15.61,48.39],[15.61,48.41]]')" >oneway.geojson
if exits "oneway=-1" 0 "$CORRIDOR" scenario grid.corr -o oneway.corr --add oneway.geojson; then
    route oneway.corr 15.61,48.409 15.61,48.391 &&
        jcheck "oneway=-1: along it (north to south)" route.json 'd["distance_m"] < 2100'
    route oneway.corr 15.61,48.391 15.61,48.409 &&
        jcheck "oneway=-1: not against it" route.json 'd["distance_m"] > 3000'
fi
# the same road in UTM 33N: as a GeoPackage with its CRS, and as GeoJSON without one (--s-srs)
if command -v ogr2ogr >/dev/null; then
    ogr2ogr -t_srs EPSG:32633 bypass_utm.gpkg bypass.geojson 2>/dev/null
    ogr2ogr -t_srs EPSG:32633 -lco RFC7946=NO bypass_utm_crs.geojson bypass.geojson 2>/dev/null
    "$PY" -c 'import json; d=json.load(open("bypass_utm_crs.geojson")); d.pop("crs", None); json.dump(d, open("bypass_utm.geojson", "w"))'
    exits "GeoPackage in UTM" 0 "$CORRIDOR" scenario grid.corr -o utm.corr --add bypass_utm.gpkg &&
        grep -q "^utm.corr: 2.22 km added (1 ways, 1 segments), 0 interchanges joined, 2 ends joined" "$WORK/stdout" &&
        ok "GeoPackage in UTM: as in WGS 84" || bad "GeoPackage in UTM: as in WGS 84" "$(cat "$WORK/stdout")"
    exits "--s-srs" 0 "$CORRIDOR" scenario grid.corr -o utm2.corr --add bypass_utm.geojson --s-srs EPSG:32633 &&
        grep -q "^utm2.corr: 2.22 km added (1 ways, 1 segments), 0 interchanges joined, 2 ends joined" "$WORK/stdout" &&
        ok "--s-srs: as in WGS 84" || bad "--s-srs: as in WGS 84" "$(cat "$WORK/stdout")"
fi

# ---- 2. Krems ---------------------------------------------------------------------------------
fc "$(feature '"name":"Example bypass (test)","highway":"trunk","maxspeed":100' LineString \
    '[[15.5995,48.4080],[15.610,48.399],[15.625,48.400],[15.645,48.401],[15.6565,48.4056]]')" >krems_bypass.geojson
fc "$(feature '' Point '[15.6248,48.4000]'),$(feature '' Point '[15.6481,48.4022]')" >krems_ic.geojson
exits "import Krems" 0 "$CORRIDOR" import "$SRC/datasets/graphhopper-krems.osm.pbf" -o krems.corr || finish
if exits "Krems scenario" 0 "$CORRIDOR" scenario krems.corr -o krems_bypass.corr --add krems_bypass.geojson \
    --interchanges krems_ic.geojson; then
    grep -q "2 interchanges joined, 2 ends joined" "$WORK/stdout" && ok "Krems: $(cat "$WORK/stdout")" ||
        bad "Krems: joins" "$(cat "$WORK/stdout")"
fi
exits "Krems info" 0 "$CORRIDOR" info krems_bypass.corr && ok "Krems info"
exits "Krems contract" 0 "$CORRIDOR" contract krems_bypass.corr --profiles car --metrics time --quiet &&
    ok "Krems contract"
route krems.corr 15.6001,48.4078 15.6555,48.4050 && cp route.json before.json
route krems_bypass.corr 15.6001,48.4078 15.6555,48.4050 &&
    jcheck "Krems route along the bypass" route.json 'd["status"] == "ok"' 'd["algorithm"] == "ch"'
"$PY" -c 'import json,sys; a=json.load(open("before.json")); b=json.load(open("route.json")); sys.exit(0 if b["duration_s"] < a["duration_s"] else 1)' &&
    ok "Krems: the bypass is faster end to end" || bad "Krems: the bypass is faster end to end"
printf 'lon,lat\n15.6001,48.4078\n15.6555,48.4050\n15.62,48.41\n' >points.csv
exits "Krems matrix" 0 "$CORRIDOR" matrix krems_bypass.corr --profile car --sources points.csv &&
    ok "Krems matrix"
# a rail link between the end of a main line and an industrial spur (railway=rail)
fc "$(feature '"railway":"rail","name":"Test rail link"' LineString \
    '[[15.6162526,48.414312],[15.622,48.4165],[15.6291426,48.4176704]]')" >krems_rail.geojson
if exits "Krems rail link" 0 "$CORRIDOR" scenario krems.corr -o krems_rail.corr --add krems_rail.geojson; then
    grep -q "2 ends joined" "$WORK/stdout" && ok "Krems rail link: both ends on rail" ||
        bad "Krems rail link: both ends on rail" "$(cat "$WORK/stdout")"
    PROFILE=rail route krems_rail.corr 15.6150,48.4139 15.6290,48.4170 &&
        jcheck "Krems rail link: a rail route over it" route.json 'd["status"] == "ok"' 'd["distance_m"] < 1500'
    PROFILE=rail route krems.corr 15.6150,48.4139 15.6290,48.4170
    [ -s route.json ] && jcheck "Krems rail link: none before" route.json 'd["status"] != "ok"' ||
        ok "Krems rail link: none before"
fi

# ---- 2b. --set: tags changed on existing ways --------------------------------------------------
# way 104 (the middle street, drawn west to east) made one-way at 50 km/h: routes as the same
# street tagged so in OSM and imported (6 pairs), east to west goes round the square
street104='<tag k="highway" v="residential"/><tag k="maxspeed" v="50"/><tag k="oneway" v="yes"/></way>'
printf '%s\n%s\n%s\n</osm>\n' "$head" "$grid_nodes" "$(printf '%s\n' "$grid_ways" | sed "/way id=\"104\"/s|<tag.*|$street104|")" >grid_set.osm
exits "import grid re-tagged" 0 "$CORRIDOR" import grid_set.osm -o set_mapped.corr || finish
if exits "--set way/104" 0 "$CORRIDOR" scenario grid.corr -o set_way.corr --set 'way/104:oneway=yes,maxspeed=50'; then
    grep -q "1.48 km re-tagged (1 ways)" "$WORK/stdout" && ok "--set way: $(cat "$WORK/stdout")" ||
        bad "--set way: summary" "$(cat "$WORK/stdout")"
    route set_way.corr 15.601,48.40 15.619,48.40 &&
        jcheck "--set oneway=yes: along it" route.json 'd["distance_m"] < 1600'
    route set_way.corr 15.619,48.40 15.601,48.40 &&
        jcheck "--set oneway=yes: not against it (round the square)" route.json 'd["distance_m"] > 3000'
    same=0
    for pair in "15.601,48.40 15.619,48.40" "15.619,48.40 15.601,48.40" "15.605,48.40 15.61,48.395" \
        "15.601,48.39 15.619,48.41" "15.61,48.40 15.6,48.405" "15.615,48.40 15.605,48.41"; do
        set -- $pair
        a=$("$CORRIDOR" route set_way.corr --profile car --from "$1" --to "$2" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["distance_m"], d["duration_s"], d["cost"])')
        b=$("$CORRIDOR" route set_mapped.corr --profile car --from "$1" --to "$2" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["distance_m"], d["duration_s"], d["cost"])')
        if [ -n "$a" ] && [ "$a" = "$b" ]; then same=$((same + 1)); else bad "--set as re-tagged in OSM: $1 -> $2" "scenario $a, OSM $b"; fi
    done
    [ "$same" -eq 6 ] && ok "--set as re-tagged in OSM and imported: 6 routes equal (distance, duration, cost)"
fi
if exits "--set polygon" 0 "$CORRIDOR" scenario grid.corr -o set_poly.corr --set 'close_polygon.geojson:maxspeed=10'; then
    grep -q "1.48 km re-tagged (1 ways)" "$WORK/stdout" && ok "--set polygon: the middle street" ||
        bad "--set polygon: the middle street" "$(cat "$WORK/stdout")"
    route grid.corr 15.601,48.40 15.619,48.40 && cp route.json before.json
    route set_poly.corr 15.601,48.40 15.619,48.40 &&
        "$PY" -c 'import json,sys; a=json.load(open("before.json")); b=json.load(open("route.json")); sys.exit(0 if b["duration_s"] > a["duration_s"] else 1)' &&
        ok "--set polygon maxspeed=10: slower" || bad "--set polygon maxspeed=10: slower"
fi
if exits "--set info" 0 "$CORRIDOR" info set_way.corr; then
    grep -q "set way/104:oneway=yes,maxspeed=50: 1 ways, 1.48 km" "$WORK/stdout" &&
        ok "info prints the --set" || bad "info prints the --set" "$(tail -4 "$WORK/stdout")"
fi
exits "--set info --json" 0 "$CORRIDOR" info set_way.corr --json && cp "$WORK/stdout" info.json &&
    jcheck "--set provenance" info.json 'd["provenance"]["scenario"]["set"][0]["ways"] == 1' \
        'd["provenance"]["scenario"]["changes"]["ways_set"] == 1'
# access=no: the street is closed as the importer leaves it out
if exits "--set access=no" 0 "$CORRIDOR" scenario grid.corr -o set_closed.corr --set 'way/104:access=no'; then
    route set_closed.corr 15.601,48.40 15.619,48.40 &&
        jcheck "--set access=no: round the square" route.json 'd["distance_m"] > 3000'
fi

# --terminals: a new landing on the Danube east of Krems (the second row of
# datasets/terminals-krems-example.csv) makes a freight route by barge to the inbound B37a that
# no road reaches (tests/cli/test_routing_cli.sh explains the place); it routes exactly as the
# same terminal given to import --terminals
head -1 "$SRC/datasets/terminals-krems-example.csv" >landing.csv
grep "Danube landing east" "$SRC/datasets/terminals-krems-example.csv" >>landing.csv
exits "import Krems with the landing" 0 "$CORRIDOR" import "$SRC/datasets/graphhopper-krems.osm.pbf" \
    --terminals landing.csv -o krems_landing.corr || finish
if exits "--terminals" 0 "$CORRIDOR" scenario krems.corr -o krems_term.corr --terminals landing.csv; then
    grep -q "1 terminals added" "$WORK/stdout" && ok "--terminals: $(cat "$WORK/stdout")" ||
        bad "--terminals: summary" "$(cat "$WORK/stdout")"
    PROFILE=freight route krems.corr 15.6049,48.4089 15.6760,48.3795
    [ -s route.json ] && jcheck "--terminals: no freight route before" route.json 'd["status"] != "ok"' ||
        ok "--terminals: no freight route before"
    for metric in co2 cost time; do
        a=$("$CORRIDOR" route krems_term.corr --profile freight --metric $metric --from 15.6049,48.4089 --to 15.6760,48.3795 | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["distance_m"], d["duration_s"], d["cost"], d["co2_kg"])')
        b=$("$CORRIDOR" route krems_landing.corr --profile freight --metric $metric --from 15.6049,48.4089 --to 15.6760,48.3795 | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["distance_m"], d["duration_s"], d["cost"], d["co2_kg"])')
        [ -n "$a" ] && [ "$a" = "$b" ] && ok "--terminals: freight by $metric as imported with the terminal ($a)" ||
            bad "--terminals: freight by $metric as imported" "scenario $a, import $b"
    done
    exits "--terminals info --json" 0 "$CORRIDOR" info krems_term.corr --json && cp "$WORK/stdout" info.json &&
        jcheck "--terminals provenance" info.json 'd["provenance"]["scenario"]["changes"]["terminals_added"] == 1' \
            'd["provenance"]["scenario"]["inputs"]["terminals"] == "landing.csv"'
fi

# ---- 3. errors --------------------------------------------------------------------------------
fc "" >empty.geojson
fc "$(feature '' LineString '[[106.7,10.7],[106.8,10.8]]')" >far.geojson
fc "$(feature '' Point '[15.70,48.30]')" >ic_far.geojson
fc "$(feature '"highway":"footway"' LineString '[[15.61,48.39],[15.61,48.41]]')" >footway.geojson
no_file() { [ ! -e bad.corr ] && ok "$1: no output file" || bad "$1: no output file"; }
error "no features" 1 "empty.geojson: no lines" "$CORRIDOR" scenario grid.corr -o bad.corr --add empty.geojson
no_file "no features"
error "outside the area" 1 "far.geojson: feature 1: outside the base network's area" \
    "$CORRIDOR" scenario grid.corr -o bad.corr --add far.geojson
no_file "outside the area"
error "interchange too far" 1 "ic_far.geojson: feature 1: no new road within 50 m" \
    "$CORRIDOR" scenario grid.corr -o bad.corr --add bypass.geojson --interchanges ic_far.geojson
no_file "interchange too far"
error "not a network" 1 "not_a_network.txt" \
    "$CORRIDOR" scenario "$SRC/tests/bad/not_a_network.txt" -o bad.corr --add bypass.geojson
no_file "not a network"
error "a footway" 1 "footway.geojson: feature 1: highway=footway is not a way" \
    "$CORRIDOR" scenario grid.corr -o bad.corr --add footway.geojson
no_file "a footway"
error "no -o" 2 "-o SCENARIO.corr is required" "$CORRIDOR" scenario grid.corr --add bypass.geojson
fc "$(feature '' Polygon '[[[15.70,48.30],[15.71,48.30],[15.71,48.31],[15.70,48.30]]]')" >poly_far.geojson
error "--set unknown way" 1 "no way/999 in grid.corr" \
    "$CORRIDOR" scenario grid.corr -o bad.corr --set 'way/999:maxspeed=50'
no_file "--set unknown way"
error "--set polygon matching nothing" 1 "no road way inside poly_far.geojson" \
    "$CORRIDOR" scenario grid.corr -o bad.corr --set 'poly_far.geojson:maxspeed=50'
no_file "--set polygon matching nothing"
error "--set a key not settable" 1 'key "name" cannot be set' \
    "$CORRIDOR" scenario grid.corr -o bad.corr --set 'way/104:name=x'
no_file "--set a key not settable"
printf 'name,lon,lat,modes\n"Bad",15.6,123.5,road\n' >bad_terminals.csv
error "--terminals bad file" 1 "bad_terminals.csv: line 2" \
    "$CORRIDOR" scenario grid.corr -o bad.corr --terminals bad_terminals.csv
no_file "--terminals bad file"
error "bad radius" 2 "--join-radius" "$CORRIDOR" scenario grid.corr -o bad.corr --add bypass.geojson --join-radius x
finish
