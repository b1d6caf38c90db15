#!/usr/bin/env bash
# `corridor landtake` end to end.
#
# 1. Two 1 km squares written by this script (GeoJSON in UTM 48N) and a straight alignment
#    through both: exact areas (flat end caps), CSV and JSON, --pieces.
# 2. Real planned parcels, $SHARED/datasets/planning/saigon-peninsula-hcmc/
#    LandUse_Noninteractive.shp (373 polygons in UTM 48N, class field LandUseTyp), with a
#    ring-road-like alignment written here: the land take per class is compared with an
#    independent computation by GDAL's SQLite dialect (SpatiaLite's ST_Buffer with flat end caps
#    and round joins of 8 segments a quadrant, ST_Intersection, ST_Area) within 0.1 %, parcel
#    counts exactly; then the same for copies of the layer made here with ogr2ogr (reprojected
#    to EPSG:4326 as GeoPackage and GeoJSON, and as GeoJSON in UTM 48N), which corridor loads
#    back into UTM 48N. The shared data is never copied into the repository; where it is
#    absent this part is skipped (exit 77 after part 1 passes).
# 3. Errors: a missing class field, an alignment GDAL cannot open, an alignment with no lines,
#    an alignment with no CRS, width <= 0 or not a number, an unwritable -o: one line on stderr,
#    exit 1 (2 for usage), no output file left behind.
#
# Run by ctest with CORRIDOR, SRC, SHARED and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor SHARED=../shared bash tests/cli/test_landtake.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
SHARED=${SHARED:-$SRC/../shared}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-landtake}
PARCELS=$SHARED/datasets/planning/saigon-peninsula-hcmc/LandUse_Noninteractive.shp
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the answers"
for tool in ogr2ogr ogrinfo; do
    command -v $tool >/dev/null || { bad "$tool (package gdal-bin) is needed"; finish; }
done
make_scratch out

# ---- 1. two squares, exact -------------------------------------------------------------------
# A [0,1000]x[0,1000] residential, B [1000,2000]x[0,1000] industrial (offset to a real UTM 48N
# place: x + 690000, y + 1186000). The alignment runs along y=500 from x=500 to x=1500, 100 m
# wide: flat caps give exactly 50 000 m2 of each (round caps would add 7 854 m2).
cat >"$WORK/squares.geojson" <<'EOF'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32648"}},
"features":[
{"type":"Feature","properties":{"use":"residential","name":"A"},"geometry":{"type":"Polygon","coordinates":[[[690000,1186000],[691000,1186000],[691000,1187000],[690000,1187000],[690000,1186000]]]}},
{"type":"Feature","properties":{"use":"industrial","name":"B"},"geometry":{"type":"Polygon","coordinates":[[[691000,1186000],[692000,1186000],[692000,1187000],[691000,1187000],[691000,1186000]]]}}
]}
EOF
cat >"$WORK/straight.geojson" <<'EOF'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32648"}},
"features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[690500,1186500],[691500,1186500]]}}]}
EOF
if exits "squares: csv" 0 "$CORRIDOR" landtake --zones "$WORK/squares.geojson" --class-field use \
    --alignment "$WORK/straight.geojson" --width 100; then
    want=$'class,area_m2,area_ha,parcels,share\nindustrial,50000.00,5.0000,1,0.500000\nresidential,50000.00,5.0000,1,0.500000'
    if [ "$(cat "$WORK/stdout")" = "$want" ]; then
        ok "squares: csv, exact areas (flat end caps)"
    else
        bad "squares: csv, exact areas (flat end caps)" "got:" "$(cat "$WORK/stdout")" "want:" "$want"
    fi
fi
if exits "squares: json" 0 "$CORRIDOR" landtake --zones "$WORK/squares.geojson" --class-field use \
    --alignment "$WORK/straight.geojson" --width 100 -o "$WORK/out/squares.json" \
    --pieces "$WORK/out/squares.gpkg"; then
    msg=$("$PY" - "$WORK/out/squares.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
c = {x["class"]: x for x in d["classes"]}
assert d["corridor_area_m2"] == 100000, d
assert set(c) == {"residential", "industrial"}, c
for x in c.values():
    assert x["area_m2"] == 50000 and x["area_ha"] == 5 and x["parcels"] == 1 and x["share"] == 0.5, x
EOF
    ) && ok "squares: json (-o .json)" || bad "squares: json (-o .json)" "$msg"
    got=$(ogrinfo -ro -q "$WORK/out/squares.gpkg" -dialect SQLite \
        -sql "SELECT COUNT(*) AS n, SUM(area_m2) AS a, SUM(ST_Area(geom)) AS g FROM pieces" 2>&1 |
        awk -F' = ' '/ n /{n=$2} / a /{a=$2} / g /{g=$2} END {print n, a, g}')
    if [ "$got" = "2 100000 100000" ]; then
        ok "squares: --pieces GeoPackage (2 pieces, 100000 m2)"
    else
        bad "squares: --pieces GeoPackage (2 pieces, 100000 m2)" "got: $got"
    fi
fi

# ---- the zoning options every command shares: a CP1258 Shapefile, --encoding, --layer --------
# The squares with Vietnamese classes, as a Shapefile in CP1258 with its .cpg removed: --encoding
# CP1258 gives the classes whole in UTF-8, as for `corridor zones info` and `corridor skim`.
mkdir -p "$WORK/vn1258"
sed -e 's/"residential"/"Đất ở đô thị"/' -e 's/"industrial"/"Đất khu công nghiệp"/' \
    "$WORK/squares.geojson" >"$WORK/vn-squares.geojson"
if ogr2ogr -f "ESRI Shapefile" -lco ENCODING=CP1258 "$WORK/vn1258/sq.shp" \
    "$WORK/vn-squares.geojson" 2>"$WORK/ogr.err"; then
    rm -f "$WORK/vn1258/sq.cpg"
    if exits "CP1258 Shapefile, --encoding CP1258" 0 "$CORRIDOR" landtake \
        --zones "$WORK/vn1258/sq.shp" --class-field use --encoding CP1258 --layer sq \
        --alignment "$WORK/straight.geojson" --width 100; then
        want=$'class,area_m2,area_ha,parcels,share\nĐất khu công nghiệp,50000.00,5.0000,1,0.500000\nĐất ở đô thị,50000.00,5.0000,1,0.500000'
        if [ "$(cat "$WORK/stdout")" = "$want" ]; then
            ok "CP1258 Shapefile, --encoding: classes whole in UTF-8"
        else
            bad "CP1258 Shapefile, --encoding: classes whole in UTF-8" "got:" "$(cat "$WORK/stdout")"
        fi
    fi
    error "--layer that is not there" 1 '"nope"' "$CORRIDOR" landtake \
        --zones "$WORK/vn1258/sq.shp" --class-field use --layer nope \
        --alignment "$WORK/straight.geojson" --width 100
else
    bad "ogr2ogr to a CP1258 Shapefile" "$(cat "$WORK/ogr.err")"
fi

# ---- 3. errors ---------------------------------------------------------------------------------
Z=(--zones "$WORK/squares.geojson" --class-field use)
printf 'this is not a vector file\n' >"$WORK/garbage.gpkg"
cat >"$WORK/points.geojson" <<'EOF'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[106.74,10.73]}}]}
EOF
printf 'WKT,id\n"LINESTRING(690500 1186500,691500 1186500)",1\n' >"$WORK/nocrs.csv"
error "error: missing class field" 1 "NOPE" \
    "$CORRIDOR" landtake --zones "$WORK/squares.geojson" --class-field NOPE \
    --alignment "$WORK/straight.geojson" --width 100
error "error: alignment GDAL cannot open" 1 "garbage.gpkg" \
    "$CORRIDOR" landtake "${Z[@]}" --alignment "$WORK/garbage.gpkg" --width 100
error "error: alignment missing" 1 "nowhere.gpkg" \
    "$CORRIDOR" landtake "${Z[@]}" --alignment "$WORK/nowhere.gpkg" --width 100
error "error: alignment with no lines" 1 "points.geojson.*no lines" \
    "$CORRIDOR" landtake "${Z[@]}" --alignment "$WORK/points.geojson" --width 100
error "error: alignment with no CRS" 1 "nocrs.csv.*no CRS" \
    "$CORRIDOR" landtake "${Z[@]}" --alignment "$WORK/nocrs.csv" --width 100
if exits "alignment with no CRS, --alignment-srs given" 0 "$CORRIDOR" landtake "${Z[@]}" \
    --alignment "$WORK/nocrs.csv" --alignment-srs EPSG:32648 --width 100 &&
    grep -q '^industrial,50000.00,' "$WORK/stdout"; then
    ok "alignment with no CRS, --alignment-srs EPSG:32648 given"
else
    bad "alignment with no CRS, --alignment-srs EPSG:32648 given" "$(cat "$WORK/stdout" "$WORK/stderr")"
fi
for w in 0 -5 abc "" 10m nan inf; do
    error "error: --width \"$w\"" 2 "width" \
        "$CORRIDOR" landtake "${Z[@]}" --alignment "$WORK/straight.geojson" --width "$w"
done
error "error: no --width" 2 "width" \
    "$CORRIDOR" landtake "${Z[@]}" --alignment "$WORK/straight.geojson"
error "error: no --alignment" 2 "alignment" "$CORRIDOR" landtake "${Z[@]}" --width 100
error "error: --format xml" 2 "format" \
    "$CORRIDOR" landtake "${Z[@]}" --alignment "$WORK/straight.geojson" --width 100 --format xml
error "error: unwritable -o" 1 "no-such-dir/out.csv" \
    "$CORRIDOR" landtake "${Z[@]}" --alignment "$WORK/straight.geojson" --width 100 \
    -o "$WORK/no-such-dir/out.csv"
error "error: unwritable --pieces" 1 "no-such-dir/p.gpkg" \
    "$CORRIDOR" landtake "${Z[@]}" --alignment "$WORK/straight.geojson" --width 100 \
    --pieces "$WORK/no-such-dir/p.gpkg"
error "error: zones file missing" 1 "nowhere.shp" \
    "$CORRIDOR" landtake --zones "$WORK/nowhere.shp" --class-field use \
    --alignment "$WORK/straight.geojson" --width 100
if [ -w "$WORK/out" ] && [ "$(id -u)" -ne 0 ]; then
    mkdir -p "$WORK/ro" && chmod a-w "$WORK/ro"
    error "error: -o in a read-only folder" 1 "ro/out.csv" \
        "$CORRIDOR" landtake "${Z[@]}" --alignment "$WORK/straight.geojson" --width 100 \
        -o "$WORK/ro/out.csv"
    chmod u+w "$WORK/ro"
fi
# a failed run leaves nothing behind, nor a temporary file
left=$(find "$WORK" -name '*.tmp*' -o -name 'out.csv' -o -name 'p.gpkg' | head -3)
[ -z "$left" ] && ok "errors leave no output behind" || bad "errors leave no output behind" "$left"

# ---- 2. real parcels against SpatiaLite --------------------------------------------------------
if [ ! -f "$PARCELS" ]; then
    echo "skip: $PARCELS not found (the team's shared data); the comparison with SpatiaLite on real parcels was not run"
    [ "$failed" -eq 0 ] || finish
    echo "$passed passed, $failed failed (shared-data part skipped)"
    exit 77
fi

# A ring-road-like alignment across the peninsula in UTM 48N, with bends (round joins), written
# as a GeoPackage by ogr2ogr from WKT; and the same reprojected to EPSG:4326 as GeoJSON.
LINE="LINESTRING(689000 1186300,689800 1187050,690900 1186950,691700 1187500,692500 1187900)"
WIDTH=80
printf 'id,WKT\n1,"%s"\n' "$LINE" >"$WORK/align.csv"
ogr2ogr -q -f GPKG "$WORK/align.gpkg" "$WORK/align.csv" -a_srs EPSG:32648 -nln alignment \
    -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO 2>"$WORK/stderr" ||
    { bad "ogr2ogr: alignment GeoPackage" "$(cat "$WORK/stderr")"; finish; }
ogr2ogr -q -f GeoJSON "$WORK/align_4326.geojson" "$WORK/align.gpkg" -t_srs EPSG:4326 \
    -lco COORDINATE_PRECISION=9 2>"$WORK/stderr" ||
    { bad "ogr2ogr: alignment GeoJSON" "$(cat "$WORK/stderr")"; finish; }

# The reference: SpatiaLite through GDAL's SQLite dialect. The buffer options are set inside
# the ST_Buffer call (the CASE is evaluated first), so they hold for this very statement.
layer=$(basename "$PARCELS" .shp)
ogr2ogr -f CSV "$WORK/reference.csv" "$PARCELS" -dialect SQLite -sql "
WITH c AS (SELECT ST_Buffer(ST_GeomFromText('$LINE', 32648),
    CASE WHEN BufferOptions_SetEndCapStyle('FLAT') AND BufferOptions_SetJoinStyle('ROUND')
         AND BufferOptions_SetQuadrantSegments(8) THEN $WIDTH / 2.0 END) AS g)
SELECT LandUseTyp AS class, SUM(ST_Area(ST_Intersection(l.geometry, c.g))) AS area_m2,
       SUM(ST_Area(ST_Intersection(l.geometry, c.g)) > 0) AS parcels,
       (SELECT ST_Area(g) FROM c) AS corridor_m2
FROM \"$layer\" l, c WHERE ST_Intersects(l.geometry, c.g) GROUP BY LandUseTyp" 2>"$WORK/stderr"
if [ ! -s "$WORK/reference.csv" ]; then
    bad "reference by SpatiaLite (ogr2ogr -dialect SQLite)" "$(cat "$WORK/stderr")"
    finish
fi
ok "reference by SpatiaLite: $(($(wc -l <"$WORK/reference.csv") - 1)) classes"

# Copies of the layer, made here in WORK.
ogr2ogr -q -f GPKG "$WORK/parcels_4326.gpkg" "$PARCELS" -t_srs EPSG:4326 -nln parcels 2>"$WORK/stderr" &&
    ogr2ogr -q -f GeoJSON "$WORK/parcels_4326.geojson" "$PARCELS" -t_srs EPSG:4326 \
        -lco COORDINATE_PRECISION=10 2>>"$WORK/stderr" &&
    ogr2ogr -q -f GeoJSON "$WORK/parcels_utm.geojson" "$PARCELS" 2>>"$WORK/stderr" ||
    { bad "ogr2ogr: copies of the parcels" "$(cat "$WORK/stderr")"; finish; }

# compare LABEL JSON: corridor area within 1e-6, each class's area within 0.1 %, parcels exact,
# share = area / corridor area, and no class missing or extra.
COMPARE='
import csv, json, sys
ref = {r["class"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
d = json.load(open(sys.argv[2], encoding="utf-8"))
out = {c["class"]: c for c in d["classes"]}
msgs = []
corr = float(next(iter(ref.values()))["corridor_m2"])
if abs(d["corridor_area_m2"] - corr) > 1e-6 * corr:
    msgs.append("corridor %.2f m2, SpatiaLite %.2f" % (d["corridor_area_m2"], corr))
ref = {k: r for k, r in ref.items() if float(r["area_m2"]) > 0}
for k in sorted(set(ref) | set(out)):
    if k not in out:
        msgs.append("class %r: missing (SpatiaLite %s m2)" % (k, ref[k]["area_m2"])); continue
    if k not in ref:
        msgs.append("class %r: %s m2, not in SpatiaLite" % (k, out[k]["area_m2"])); continue
    a, b = out[k]["area_m2"], float(ref[k]["area_m2"])
    if abs(a - b) > 1e-3 * b:
        msgs.append("class %r: %.2f m2, SpatiaLite %.2f (%.4f %%)" % (k, a, b, 100 * (a - b) / b))
    if out[k]["parcels"] != int(ref[k]["parcels"]):
        msgs.append("class %r: %d parcels, SpatiaLite %s" % (k, out[k]["parcels"], ref[k]["parcels"]))
    if abs(out[k]["share"] - a / d["corridor_area_m2"]) > 2e-6:
        msgs.append("class %r: share %s, want %.6f" % (k, out[k]["share"], a / d["corridor_area_m2"]))
print("; ".join(msgs[:6]))
'
compare() {
    local label=$1 zones=$2 align=$3 msg
    shift 3
    if exits "$label" 0 "$CORRIDOR" landtake --zones "$zones" --class-field LandUseTyp \
        --alignment "$align" --width $WIDTH --format json "$@"; then
        msg=$("$PY" -c "$COMPARE" "$WORK/reference.csv" "$WORK/stdout" 2>&1)
        if [ -z "$msg" ]; then
            ok "$label: = SpatiaLite within 0.1 %"
        else
            bad "$label: = SpatiaLite within 0.1 %" "$msg"
        fi
    fi
}
compare "parcels (Shapefile, UTM 48N), alignment GeoPackage" "$PARCELS" "$WORK/align.gpkg"
compare "parcels, alignment GeoJSON in EPSG:4326" "$PARCELS" "$WORK/align_4326.geojson"
compare "parcels reprojected to EPSG:4326 (GeoPackage)" "$WORK/parcels_4326.gpkg" "$WORK/align.gpkg"
compare "parcels reprojected to EPSG:4326 (GeoJSON)" "$WORK/parcels_4326.geojson" \
    "$WORK/align_4326.geojson"
compare "parcels as GeoJSON in UTM 48N" "$WORK/parcels_utm.geojson" "$WORK/align.gpkg"

# CSV = JSON; --pieces sums to the classes and opens in GDAL with the working CRS.
if exits "parcels: csv and --pieces" 0 "$CORRIDOR" landtake --zones "$PARCELS" \
    --class-field LandUseTyp --alignment "$WORK/align.gpkg" --width $WIDTH \
    -o "$WORK/out/take.csv" --pieces "$WORK/out/take.gpkg" &&
    exits "parcels: json" 0 "$CORRIDOR" landtake --zones "$PARCELS" --class-field LandUseTyp \
        --alignment "$WORK/align.gpkg" --width $WIDTH -o "$WORK/out/take.json"; then
    msg=$("$PY" - "$WORK/out/take.csv" "$WORK/out/take.json" <<'EOF' 2>&1
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
d = json.load(open(sys.argv[2], encoding="utf-8"))
assert [r["class"] for r in rows] == [c["class"] for c in d["classes"]], "class order differs"
for r, c in zip(rows, d["classes"]):
    assert abs(float(r["area_m2"]) - c["area_m2"]) < 0.006, (r, c)
    assert abs(float(r["area_ha"]) - c["area_m2"] / 1e4) < 0.00006, (r, c)
    assert int(r["parcels"]) == c["parcels"], (r, c)
areas = [float(r["area_m2"]) for r in rows]
assert areas == sorted(areas, reverse=True), "not largest first"
print("%d %.2f" % (sum(int(r["parcels"]) for r in rows), sum(areas)))
EOF
    )
    read -r n_csv a_csv <<<"$msg"
    got=$(ogrinfo -ro -q "$WORK/out/take.gpkg" -dialect SQLite \
        -sql "SELECT COUNT(*) AS n, SUM(ST_Area(geom)) AS g FROM pieces" 2>&1 |
        awk -F' = ' '/ n /{n=$2} / g /{g=$2} END {print n, g}')
    read -r n_gpkg a_gpkg <<<"$got"
    srs=$(ogrinfo -ro -so "$WORK/out/take.gpkg" pieces 2>/dev/null | grep -c 'ID\["EPSG",32648\]')
    if [ "$n_csv" = "$n_gpkg" ] && awk -v a="$a_csv" -v b="$a_gpkg" 'BEGIN { exit !(a > 0 && (a - b) ^ 2 < 1) }' &&
        [ "$srs" -ge 1 ]; then
        ok "parcels: CSV = JSON; --pieces: $n_gpkg pieces, $a_gpkg m2, EPSG:32648"
    else
        bad "parcels: CSV = JSON; --pieces" "csv/json: $msg" "gpkg: $got, EPSG:32648 lines: $srs"
    fi
fi
finish
