#!/usr/bin/env bash
# `corridor isochrone` end to end on the bundled Monaco extract: GeoJSON (RFC 7946) and
# GeoPackage that ogrinfo reads, one feature per band largest first with minutes, origins and
# reached_km, the bands nested (SpatiaLite's ST_Difference through ogrinfo, when GDAL has it),
# --reverse and several origins, bad input exit 1 and usage errors exit 2 with no output file;
# and the server's GET /isochrone/v1/... in Mapbox's shape, with its 4xx errors.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_isochrone.sh
#
# Places (Monaco): A 7.4197,43.7311 on a street; SEA 7.46,43.73 is ~2.5 km off the coast.
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-isochrone}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
trap stop_server EXIT

before_finish() {
    stop_server
}

need_corridor
need_python "python3 is needed to read the GeoJSON"
make_scratch

A=7.4197,43.7311
B=7.4250,43.7370
SEA=7.46,43.73
NET=$WORK/monaco.corr
if ! "$CORRIDOR" import "$SRC/datasets/osrm-monaco.osm.pbf" -o "$NET" --quiet 2>"$WORK/import.err"; then
    bad "import monaco" "$(cat "$WORK/import.err")"
    finish
fi

# ---- the command -----------------------------------------------------------------------------
ISO=$WORK/iso.geojson
if exits "isochrone geojson" 0 "$CORRIDOR" isochrone "$NET" --profile car --from $A \
    --minutes 2,4,6 -o "$ISO"; then
    ok "isochrone geojson"
    grep -q "3 bands from 1 origin" "$WORK/stderr" && ok "summary line" ||
        bad "summary line" "$(cat "$WORK/stderr")"
fi
jcheck "geojson" "$ISO" \
    'd["type"] == "FeatureCollection"' \
    'len(d["features"]) == 3' \
    '[f["properties"]["minutes"] for f in d["features"]] == [6, 4, 2]' \
    'all(f["properties"]["origins"] == 1 for f in d["features"])' \
    'd["features"][0]["properties"]["reached_km"] > d["features"][1]["properties"]["reached_km"] > d["features"][2]["properties"]["reached_km"] > 1' \
    'all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in d["features"])' \
    'all(7.38 < c[0] < 7.45 and 43.71 < c[1] < 43.76 for f in d["features"] for p in (f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon" else [f["geometry"]["coordinates"]]) for r in p for c in r)' \
    'any(len(p) > 1 for f in d["features"] for p in (f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon" else [f["geometry"]["coordinates"]]))'
if command -v ogrinfo >/dev/null; then
    if ogrinfo -ro -so -al "$ISO" >"$WORK/ogrinfo.txt" 2>&1 && grep -q "Feature Count: 3" "$WORK/ogrinfo.txt"; then
        ok "ogrinfo reads the GeoJSON"
    else
        bad "ogrinfo reads the GeoJSON" "$(head -c 400 "$WORK/ogrinfo.txt")"
    fi
    # nested: the area of a smaller band outside a larger one is rounding noise (< 1e-9 deg2,
    # about 10 m2, against bands of 1e-4 deg2)
    if ogrinfo -ro -q "$ISO" -dialect sqlite -sql "select max(ST_Area(ST_Difference(a.geometry, b.geometry))) as d from isochrone a, isochrone b where a.minutes < b.minutes" >"$WORK/nest.txt" 2>&1 &&
        grep -q "d (Real)" "$WORK/nest.txt"; then
        d=$(sed -n 's/.*d (Real) = //p' "$WORK/nest.txt")
        if "$PY" -c "import sys; sys.exit(0 if float('$d') < 1e-9 else 1)"; then
            ok "bands nested ($d deg2 outside)"
        else
            bad "bands nested" "area of a smaller band outside a larger: $d"
        fi
    else
        echo "note: no SpatiaLite in GDAL's SQLite dialect; nesting is checked by test_isochrone"
    fi
fi

GPKG=$WORK/iso.gpkg
if exits "isochrone gpkg" 0 "$CORRIDOR" isochrone "$NET" --profile car --from $A --minutes 3 \
    --buffer 30 -o "$GPKG"; then
    if command -v ogrinfo >/dev/null; then
        ogrinfo -ro -al -q "$GPKG" >"$WORK/gpkg.txt" 2>&1
        grep -q "minutes (Real) = 3" "$WORK/gpkg.txt" && grep -q "reached_km" "$WORK/gpkg.txt" &&
            ok "gpkg fields" || bad "gpkg fields" "$(head -c 400 "$WORK/gpkg.txt")"
    else
        ok "isochrone gpkg"
    fi
fi

# reversed and several origins
REV=$WORK/rev.geojson
exits "reverse" 0 "$CORRIDOR" isochrone "$NET" --profile car --from $A --minutes 2 --reverse -o "$REV" && ok "reverse"
printf 'lon,lat\n%s\n' "$B" >"$WORK/origins.csv"
TWO=$WORK/two.geojson
exits "two origins" 0 "$CORRIDOR" isochrone "$NET" --profile car --from $A --origins "$WORK/origins.csv" \
    --minutes 2 -o "$TWO" && ok "two origins"
"$CORRIDOR" isochrone "$NET" --profile car --from $A --minutes 2 -o "$WORK/one.geojson" 2>/dev/null
jcheck "reverse and origins" "$TWO" \
    'd["features"][0]["properties"]["origins"] == 2' \
    "d['features'][0]['properties']['reached_km'] > __import__('json').load(open('$WORK/one.geojson'))['features'][0]['properties']['reached_km']" \
    "__import__('json').load(open('$REV'))['features'][0]['properties']['reached_km'] != __import__('json').load(open('$WORK/one.geojson'))['features'][0]['properties']['reached_km']"

# ---- --compare and --map ---------------------------------------------------------------------
# The same network twice: before and after bands are identical (same geometry, same reached_km).
CMP=$WORK/cmp.geojson
if exits "compare: same network twice" 0 "$CORRIDOR" isochrone "$NET" --profile car --from $A \
    --minutes 2,4 --compare "$NET" -o "$CMP" --map "$WORK/cmp.png"; then
    ok "compare: same network twice"
    grep -q "2 bands before" "$WORK/stderr" && grep -q "2 bands after" "$WORK/stderr" &&
        ok "compare: a summary line per network" || bad "compare: a summary line per network" "$(cat "$WORK/stderr")"
fi
jcheck "compare geojson" "$CMP" \
    'len(d["features"]) == 4' \
    '[(f["properties"]["minutes"], f["properties"]["network"]) for f in d["features"]] == [(4, "before"), (2, "before"), (4, "after"), (2, "after")]' \
    'd["features"][0]["geometry"] == d["features"][2]["geometry"] and d["features"][1]["geometry"] == d["features"][3]["geometry"]' \
    'd["features"][0]["properties"]["reached_km"] == d["features"][2]["properties"]["reached_km"]'
PNG="$PY $SRC/tests/cli/render_png.py"
if [ -s "$WORK/cmp.png" ]; then
    size=$($PNG size "$WORK/cmp.png")
    [ "$size" = "1754 1240" ] && ok "compare map: A4 landscape PNG at 150 dpi" ||
        bad "compare map: A4 landscape PNG at 150 dpi" "size $size"
else
    bad "compare map: the PNG exists" "$(ls "$WORK")"
fi
if command -v pdftotext >/dev/null; then
    if exits "map: PDF" 0 "$CORRIDOR" isochrone "$NET" --profile car --from $A --from $B \
        --minutes 2,4 --compare "$NET" -o "$WORK/cmp.gpkg" --map "$WORK/cmp.pdf" --title "Thử nghiệm"; then
        pdftotext "$WORK/cmp.pdf" "$WORK/cmp.txt" 2>/dev/null
        for want in "2 min before" "2 min after" "4 min before" "4 min after" "origins" "Thử nghiệm" \
            "before monaco.corr, after monaco.corr"; do
            grep -qF "$want" "$WORK/cmp.txt" && ok "map PDF text: $want" ||
                bad "map PDF text: $want" "not in $WORK/cmp.txt"
        done
    fi
    if exits "map: one set" 0 "$CORRIDOR" isochrone "$NET" --profile car --from $A --minutes 3 \
        -o "$WORK/one.geojson" --map "$WORK/one.pdf"; then
        pdftotext "$WORK/one.pdf" "$WORK/one.txt" 2>/dev/null
        grep -qx "3 min" "$WORK/one.txt" && grep -qF "Isochrones on monaco.corr" "$WORK/one.txt" &&
            ! grep -q "before" "$WORK/one.txt" && ok "map without --compare: one set of bands" ||
            bad "map without --compare: one set of bands" "$(head -c 600 "$WORK/one.txt")"
    fi
else
    echo "note: no pdftotext; the map's text is not checked"
fi
if command -v ogrinfo >/dev/null; then
    ogrinfo -ro -al "$WORK/cmp.gpkg" >"$WORK/cmp-ogr.txt" 2>&1
    grep -q "Feature Count: 4" "$WORK/cmp-ogr.txt" && grep -q "network (String) = after" "$WORK/cmp-ogr.txt" &&
        ok "compare gpkg: one layer, field network" || bad "compare gpkg: one layer, field network" "$(head -c 600 "$WORK/cmp-ogr.txt")"
fi
error "map: bad extension" 2 "png, .pdf or .svg" "$CORRIDOR" isochrone "$NET" --profile car --from $A -o "$WORK/none.geojson" --map "$WORK/none.jpg"
error "map: --title without --map" 2 "needs --map" "$CORRIDOR" isochrone "$NET" --profile car --from $A -o "$WORK/none.geojson" --title T
error "map: unwritable" 1 "no-such-dir" "$CORRIDOR" isochrone "$NET" --profile car --from $A -o "$WORK/none.geojson" --map "$WORK/no-such-dir/m.png"
error "compare: missing network" 1 "nowhere.corr" "$CORRIDOR" isochrone "$NET" --profile car --from $A -o "$WORK/none.geojson" --compare "$WORK/nowhere.corr" --map "$WORK/none.png"
error "map: no road near" 1 "no way the car profile may use" "$CORRIDOR" isochrone "$NET" --profile car --from $SEA -o "$WORK/none.geojson" --map "$WORK/none.png"

# ---- errors: one line, exit 1 (input) or 2 (usage), no output file ----------------------------
OUT=$WORK/none.geojson
error "no road near" 1 "no way the car profile may use" "$CORRIDOR" isochrone "$NET" --profile car --from $SEA -o "$OUT"
error "bad minutes" 2 "minutes" "$CORRIDOR" isochrone "$NET" --profile car --from $A --minutes 10,abc -o "$OUT"
error "zero minutes" 2 "minutes" "$CORRIDOR" isochrone "$NET" --profile car --from $A --minutes 0 -o "$OUT"
error "no origin" 2 "want --from" "$CORRIDOR" isochrone "$NET" --profile car -o "$OUT"
error "no output" 2 "want -o" "$CORRIDOR" isochrone "$NET" --profile car --from $A
error "bad from" 2 "LON,LAT" "$CORRIDOR" isochrone "$NET" --profile car --from 7.4 -o "$OUT"
error "distance metric" 2 "time only" "$CORRIDOR" isochrone "$NET" --profile car --metric distance --from $A -o "$OUT"
error "bad buffer" 2 "buffer" "$CORRIDOR" isochrone "$NET" --profile car --from $A --buffer -5 -o "$OUT"
error "bad extension" 1 "geojson or .gpkg" "$CORRIDOR" isochrone "$NET" --profile car --from $A -o "$WORK/iso.txt"
error "not a network" 1 "" "$CORRIDOR" isochrone "$WORK/origins.csv" --profile car --from $A -o "$OUT"
error "missing origins file" 1 "nothing.csv" "$CORRIDOR" isochrone "$NET" --profile car --origins "$WORK/nothing.csv" -o "$OUT"
if ls "$WORK"/none* "$WORK"/iso.txt 2>/dev/null | grep -q .; then
    bad "no output file on failure" "$(ls "$WORK")"
else
    ok "no output file on failure"
fi
exits "help" 0 "$CORRIDOR" isochrone --help && grep -q "usage: corridor isochrone" "$WORK/stdout" && ok "help"

# ---- the server ------------------------------------------------------------------------------
if ! command -v curl >/dev/null; then
    echo "note: no curl; the server's isochrones are not checked"
    finish
fi
if ! start_server "$WORK/serve.log" --profiles car; then
    bad "serve" "$(cat "$WORK/serve.log")"
    finish
fi
get() { # get NAME PATH: body in $WORK/NAME.json, HTTP status in $WORK/NAME.status
    curl -s -o "$WORK/$1.json" -w '%{http_code}' "http://127.0.0.1:$PORT$2" >"$WORK/$1.status"
}
status_is() { # status_is LABEL NAME WANT
    local got
    got=$(cat "$WORK/$2.status")
    [ "$got" = "$3" ] && ok "$1: HTTP $3" || bad "$1: HTTP $got, want $3" "$(head -c 300 "$WORK/$2.json")"
}
get poly "/isochrone/v1/driving/$A?contours_minutes=2,4&polygons=true"
status_is "polygons" poly 200
jcheck "mapbox polygons" "$WORK/poly.json" \
    'd["type"] == "FeatureCollection"' \
    '[f["properties"]["contour"] for f in d["features"]] == [4, 2]' \
    'all(f["properties"]["metric"] == "time" for f in d["features"])' \
    'all(k in f["properties"] for f in d["features"] for k in ("color", "opacity", "fill", "fill-opacity", "fillColor", "fillOpacity"))' \
    'all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in d["features"])'
# the same bands as the command (reached km)
"$CORRIDOR" isochrone "$NET" --profile car --from $A --minutes 2,4 -o "$WORK/cmd24.geojson" 2>/dev/null
jcheck "server = command" "$WORK/poly.json" \
    "[f['properties']['reached_km'] for f in d['features']] == [f['properties']['reached_km'] for f in __import__('json').load(open('$WORK/cmd24.geojson'))['features']]"
get lines "/isochrone/v1/mapbox/driving/$A?contours_minutes=3&polygons=false&contours_colors=ff0000"
status_is "lines" lines 200
jcheck "mapbox lines" "$WORK/lines.json" \
    'd["features"][0]["geometry"]["type"] in ("LineString", "MultiLineString")' \
    'd["features"][0]["properties"]["color"] == "#ff0000"' \
    '"fill" not in d["features"][0]["properties"]'
get badmin "/isochrone/v1/car/$A?contours_minutes=abc"
status_is "bad minutes" badmin 400
get toomany "/isochrone/v1/car/$A?contours_minutes=1,2,3,4,5"
status_is "five contours" toomany 400
get nominutes "/isochrone/v1/car/$A"
status_is "no contours_minutes" nominutes 400
get sea "/isochrone/v1/car/$SEA?contours_minutes=5"
status_is "no road near" sea 422
jcheck "no road near" "$WORK/sea.json" 'd["code"] == "NoSegment"' '"7.460000,43.730000" in d["message"]'
get noprofile "/isochrone/v1/bicycle/$A?contours_minutes=5"
status_is "profile not served" noprofile 404
get badcoord "/isochrone/v1/car/7.4?contours_minutes=5"
status_is "bad coordinate" badcoord 400
# the OSRM services still answer beside it
get route "/route/v1/driving/$A;$B"
status_is "route beside isochrone" route 200
finish
