#!/usr/bin/env bash
# `corridor zones info` end to end.
#
# Bundled data (always): OSM landuse=* areas of the four bundled extracts against GDAL's OSM
# driver (an independent reader: its multipolygons layer, landuse IS NOT NULL, areas by
# SpatiaLite's ST_Area in the same UTM zone), zone by zone; a GeoJSON written here with a
# bow-tie (repaired), a point and an empty geometry (skipped); GeoPackage layers and FlatGeobuf;
# Vietnamese class names from a CP1258 Shapefile (.cpg, --encoding, SHAPE_ENCODING); and every
# error: a missing class field, an empty layer, a layer of lines, a file GDAL cannot open, a
# missing file, an unknown CRS (--s-srs and a .prj), no CRS at all, a missing layer (exit 1,
# one line naming the file) and usage errors (exit 2).
#
# Shared data ($SHARED/datasets/planning/saigon-peninsula-hcmc/LandUse_Noninteractive.shp,
# real planned parcels in UTM 48N, not redistributable: read in place, copies only in $WORK):
# class areas against SpatiaLite's ST_Area; the same layer reprojected to EPSG:4326 (Shapefile
# and GeoJSON, by ogr2ogr) gives the same class areas within 0.1 %; GeoPackage and FlatGeobuf
# copies give the same areas; a VN-2000 copy (TM-3 105°45', HCMC's towgs84) without its .prj
# fails without --s-srs and matches within 0.1 % with it. Without $SHARED these are skipped
# (exit 77 when everything else passed).
#
# Run by ctest with CORRIDOR, SRC, SHARED and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor SHARED=../shared bash tests/cli/test_zones.sh
set -u
shopt -s lastpipe # `checker | report`: report counts in this shell

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
SHARED=${SHARED:-$SRC/../shared}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-zones}
DATA=$SRC/datasets
LANDUSE=$SHARED/datasets/planning/saigon-peninsula-hcmc/LandUse_Noninteractive.shp
VN2000="+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84"
VN2000="$VN2000 +towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,"
VN2000="$VN2000-0.00427372,0.252906278 +units=m +no_defs"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the JSON answers"
for tool in ogr2ogr ogrinfo; do
    command -v $tool >/dev/null || { bad "$tool (gdal-bin) is needed for the reference values"; finish; }
done
make_scratch

# report LABEL: reads "ok<TAB>what" / "FAIL<TAB>what<TAB>detail" lines from a Python checker.
report() {
    local label=$1 status what detail seen=0
    while IFS=$'\t' read -r status what detail; do
        seen=$((seen + 1))
        if [ "$status" = ok ]; then
            ok "$label: $what"
        else
            bad "$label: $what" "$detail"
        fi
    done
    [ "$seen" -gt 0 ] || bad "$label: the checker said nothing"
}

# expect_ok LABEL OUT: the last run exited 0 and printed nothing on stderr.
expect_ok() {
    if [ "$rc" -eq 0 ] && [ ! -s "$2.err" ]; then
        ok "$1: exit 0"
    else
        bad "$1: exit $rc" "stderr: $(head -c 400 "$2.err")"
    fi
}

# expect_error LABEL WANT_RC OUT NEEDLE...: exit WANT_RC, nothing on stdout, exactly one line on
# stderr holding every NEEDLE.
expect_error() {
    local label=$1 want=$2 out=$3 needle lines
    shift 3
    lines=$(wc -l <"$out.err")
    if [ "$rc" -ne "$want" ]; then
        bad "$label: exit $rc, want $want" "stderr: $(head -c 400 "$out.err")"
        return
    fi
    if [ -s "$out" ]; then
        bad "$label: printed on stdout" "$(head -c 200 "$out")"
        return
    fi
    if [ "$want" -eq 1 ] && [ "$lines" -ne 1 ]; then
        bad "$label: $lines lines on stderr, want 1" "$(head -c 400 "$out.err")"
        return
    fi
    for needle in "$@"; do
        if ! grep -qF -- "$needle" "$out.err"; then
            bad "$label: stderr does not say \"$needle\"" "$(head -c 400 "$out.err")"
            return
        fi
    done
    ok "$label: exit $want, $(head -n 1 "$out.err" | cut -c1-110)"
}

# ---- OSM landuse against GDAL's OSM driver, zone by zone --------------------------------------
# Ours: kept zones + those libosmium could not assemble (no_area) = GDAL's count; every zone we
# keep is in GDAL's layer with the same class and an area within 0.01 %. (GDAL closes a way
# clipped by the extract's edge across the gap; libosmium does not, and we count it as no_area.)
for f in hcmc-district3-map.osm.pbf hcmc-district3-multi-tl-map.osm.pbf osrm-monaco.osm.pbf \
    graphhopper-krems.osm.pbf; do
    out=$WORK/osm-$f.json
    run "$out" zones info "$DATA/$f" --list --json
    expect_ok "OSM $f" "$out"
    epsg=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["work_crs"].split(":")[1])' \
        "$out" 2>/dev/null)
    ogr2ogr -f CSV "$WORK/osm-$f.csv" "$DATA/$f" -dialect sqlite -sql \
        "SELECT osm_id, osm_way_id, landuse, ST_Area(ST_Transform(geometry, ${epsg:-4326})) AS area_m2 FROM multipolygons WHERE landuse IS NOT NULL" \
        2>"$WORK/osm-$f.ogr.err" || bad "OSM $f: ogr2ogr reference failed" "$(head -c 300 "$WORK/osm-$f.ogr.err")"
    "$PY" - "$out" "$WORK/osm-$f.csv" <<'EOF' | report "OSM $f"
import csv, json, sys
d = json.load(open(sys.argv[1]))
ref = {}
for row in csv.DictReader(open(sys.argv[2])):
    fid = int(row["osm_id"]) * 2 + 1 if row["osm_id"] else int(row["osm_way_id"]) * 2
    ref[fid] = (row["landuse"], float(row["area_m2"]))
def check(good, what, detail=""):
    print("%s\t%s\t%s" % ("ok" if good else "FAIL", what, detail))
check(d["work_crs"].startswith("EPSG:326"), "working CRS is a UTM zone (%s)" % d["work_crs"])
n = d["zones"] + d["skipped"]["no_area"]
check(n == len(ref) and d["features_read"] == n,
      "%d landuse areas (%d kept, %d not assembled) = GDAL's %d" % (n, d["zones"],
      d["skipped"]["no_area"], len(ref)))
bad = []
for z in d["zones_list"]:
    r = ref.get(z["fid"])
    if r is None or r[0] != z["class"] or abs(z["area_ha"] * 1e4 - r[1]) > max(0.05, 1e-4 * r[1]):
        bad.append((z["fid"], z["class"], z["area_ha"], r))
check(not bad, "every kept zone has GDAL's class and area (within 0.01 %)", str(bad[:3]))
total = sum(c["area_ha"] for c in d["classes"])
check(abs(total - d["total_area_ha"]) < 1e-3, "classes add up to the total")
EOF
done

# ---- a GeoJSON written here: repair and skips ---------------------------------------------------
# Around 106.69 E 10.78 N: a 0.001-degree square, a bow-tie (two triangles), a multipolygon, a
# point, an empty geometry, and a zone with a population.
cat >"$WORK/mixed.geojson" <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"zoning": "residential", "name": "Phường Võ Thị Sáu", "pop": 1200},
 "geometry": {"type": "Polygon", "coordinates": [[[106.690, 10.780], [106.691, 10.780], [106.691, 10.781], [106.690, 10.781], [106.690, 10.780]]]}},
{"type": "Feature", "properties": {"zoning": "commercial", "pop": 30},
 "geometry": {"type": "Polygon", "coordinates": [[[106.692, 10.780], [106.693, 10.781], [106.693, 10.780], [106.692, 10.781], [106.692, 10.780]]]}},
{"type": "Feature", "properties": {"zoning": "park"},
 "geometry": {"type": "MultiPolygon", "coordinates": [[[[106.694, 10.780], [106.695, 10.780], [106.695, 10.781], [106.694, 10.780]]], [[[106.696, 10.780], [106.697, 10.780], [106.697, 10.781], [106.696, 10.780]]]]}},
{"type": "Feature", "properties": {"zoning": "bus stop"}, "geometry": {"type": "Point", "coordinates": [106.69, 10.78]}},
{"type": "Feature", "properties": {"zoning": "park"}, "geometry": null}
]}
EOF
out=$WORK/mixed.json
run "$out" zones info "$WORK/mixed.geojson" --class-field zoning --name-field name \
    --value-field pop --sort name --json --list
expect_ok "mixed GeoJSON" "$out"
"$PY" - "$out" <<'EOF' | report "mixed GeoJSON"
import json, sys
d = json.load(open(sys.argv[1]))
def check(good, what, detail=""):
    print("%s\t%s\t%s" % ("ok" if good else "FAIL", what, detail))
check(d["features_read"] == 5 and d["zones"] == 3, "5 features read, 3 zones kept", str(d))
check(d["repaired"] == 1, "the bow-tie is repaired and counted", str(d["repaired"]))
check(d["skipped"] == {"empty": 1, "non_polygon": 1, "no_area": 0}, "1 empty and 1 point skipped",
      str(d["skipped"]))
check(d["source_crs"] == "EPSG:4326" and d["work_crs"] == "EPSG:32648", "EPSG:4326 -> UTM 48N")
byc = {c["class"]: c for c in d["classes"]}
sq = byc["residential"]["area_ha"]
check(abs(sq - 1.2098) < 0.001, "0.001-degree square = %.4f ha (about 1.21 ha)" % sq)
check(abs(byc["commercial"]["area_ha"] - sq / 2) < 0.001, "bow-tie = two triangles = half the square")
check(abs(byc["park"]["area_ha"] - sq) < 0.001, "two half squares make one square")
check([c["class"] for c in d["classes"]] == sorted(byc), "--sort name")
check(d["values"]["pop"] == {"sum": 1230.0, "missing": 1}, "pop summed, one zone without",
      str(d["values"]))
rep = [z for z in d["zones_list"] if z["repaired"]]
check(len(rep) == 1 and rep[0]["class"] == "commercial", "--list marks the repaired zone")
check(any(z["name"] == "Phường Võ Thị Sáu" for z in d["zones_list"]), "UTF-8 name kept")
EOF
run "$WORK/mixed.txt" zones info "$WORK/mixed.geojson" --class-field zoning
expect_ok "mixed GeoJSON, text" "$WORK/mixed.txt"
if grep -q "1 repaired" "$WORK/mixed.txt" && grep -q "1 empty, 1 not polygons" "$WORK/mixed.txt"; then
    ok "mixed GeoJSON, text: repaired and skipped counts shown"
else
    bad "mixed GeoJSON, text: no repaired/skipped counts" "$(head -n 4 "$WORK/mixed.txt")"
fi

# ---- formats: GeoPackage (two layers), FlatGeobuf ----------------------------------------------
ogr2ogr -f GPKG "$WORK/two.gpkg" "$WORK/mixed.geojson" -nln roads -where "zoning = 'bus stop'" \
    2>/dev/null
ogr2ogr -f GPKG -update "$WORK/two.gpkg" "$WORK/mixed.geojson" -nln parcels -t_srs EPSG:32648 \
    -nlt PROMOTE_TO_MULTI -where "zoning <> 'bus stop'" 2>/dev/null
ogr2ogr -f FlatGeobuf "$WORK/mixed.fgb" "$WORK/mixed.geojson" -where "zoning <> 'bus stop'" \
    -nlt PROMOTE_TO_MULTI 2>/dev/null
run "$WORK/gpkg.json" zones info "$WORK/two.gpkg" --layer parcels --class-field zoning --json
expect_ok "GeoPackage --layer parcels" "$WORK/gpkg.json"
run "$WORK/gpkg-first.json" zones info "$WORK/two.gpkg" --class-field zoning --json
expect_ok "GeoPackage, first polygon layer" "$WORK/gpkg-first.json"
run "$WORK/fgb.json" zones info "$WORK/mixed.fgb" --class-field zoning --json
expect_ok "FlatGeobuf" "$WORK/fgb.json"
"$PY" - "$WORK/mixed.json" "$WORK/gpkg.json" "$WORK/gpkg-first.json" "$WORK/fgb.json" <<'EOF' | report "formats"
import json, sys
ref, gpkg, first, fgb = (json.load(open(p)) for p in sys.argv[1:])
def check(good, what, detail=""):
    print("%s\t%s\t%s" % ("ok" if good else "FAIL", what, detail))
def areas(d):
    return {c["class"]: c["area_ha"] for c in d["classes"]}
def same(a, b, rel):
    return a.keys() == b.keys() and all(abs(a[k] - b[k]) <= rel * b[k] for k in a)
check(gpkg["layer"] == "parcels" and gpkg["source_crs"] == "EPSG:32648", "GeoPackage layer parcels in UTM 48N")
check(first["layer"] == "parcels", "without --layer: the first polygon layer", first["layer"])
check(same(areas(gpkg), areas(ref), 1e-6), "GeoPackage (UTM copy) areas = GeoJSON's",
      str((areas(gpkg), areas(ref))))
check(same(areas(fgb), areas(ref), 1e-9) and fgb["repaired"] == 1, "FlatGeobuf areas = GeoJSON's")
EOF

# ---- encodings: a CP1258 Shapefile with Vietnamese classes ------------------------------------
cat >"$WORK/vn.geojson" <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"loai": "Đất ở đô thị", "ten": "Phường Võ Thị Sáu"},
 "geometry": {"type": "Polygon", "coordinates": [[[106.690, 10.780], [106.691, 10.780], [106.691, 10.781], [106.690, 10.781], [106.690, 10.780]]]}}
]}
EOF
mkdir -p "$WORK/vn1258"
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=CP1258 "$WORK/vn1258/vn.shp" "$WORK/vn.geojson" 2>/dev/null
run "$WORK/vn-cpg.json" zones info "$WORK/vn1258/vn.shp" --class-field loai --name-field ten --json --list
expect_ok "CP1258 Shapefile with .cpg" "$WORK/vn-cpg.json"
rm -f "$WORK/vn1258/vn.cpg"
run "$WORK/vn-enc.json" zones info "$WORK/vn1258/vn.shp" --class-field loai --name-field ten --json \
    --list --encoding CP1258
expect_ok "CP1258 Shapefile, --encoding" "$WORK/vn-enc.json"
SHAPE_ENCODING=CP1258 "$CORRIDOR" zones info "$WORK/vn1258/vn.shp" --class-field loai \
    --name-field ten --json --list >"$WORK/vn-env.json" 2>"$WORK/vn-env.json.err"
rc=$?
expect_ok "CP1258 Shapefile, SHAPE_ENCODING" "$WORK/vn-env.json"
"$PY" - "$WORK/vn-cpg.json" "$WORK/vn-enc.json" "$WORK/vn-env.json" <<'EOF' | report "CP1258"
import json, sys
def check(good, what, detail=""):
    print("%s\t%s\t%s" % ("ok" if good else "FAIL", what, detail))
for path, how in zip(sys.argv[1:], [".cpg", "--encoding", "SHAPE_ENCODING"]):
    try:
        d = json.load(open(path))
        z = d["zones_list"][0]
        check(z["class"] == "Đất ở đô thị" and z["name"] == "Phường Võ Thị Sáu",
              "%s: class and name whole in UTF-8" % how, "%r %r" % (z["class"], z["name"]))
    except Exception as e:
        check(False, "%s: readable answer" % how, str(e))
EOF

# ---- errors --------------------------------------------------------------------------------
cat >"$WORK/lines.geojson" <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"zoning": "road"}, "geometry": {"type": "LineString", "coordinates": [[106.69, 10.78], [106.70, 10.79]]}}
]}
EOF
printf '{"type": "FeatureCollection", "features": []}\n' >"$WORK/empty.geojson"
printf 'this is not a vector file\n' >"$WORK/notes.txt"
printf 'id,zoning,WKT\n1,a,"POLYGON((0 0,100 0,100 100,0 100,0 0))"\n' >"$WORK/nocrs.csv"
mkdir -p "$WORK/badprj"
ogr2ogr -f "ESRI Shapefile" "$WORK/badprj/z.shp" "$WORK/mixed.geojson" -where "zoning = 'residential'" 2>/dev/null
printf 'PROJCS["nonsense",FOO[1]]' >"$WORK/badprj/z.prj"

run "$WORK/e1" zones info "$WORK/mixed.geojson" --class-field landuse
expect_error "missing class field" 1 "$WORK/e1" "mixed.geojson" '"landuse"' "zoning"
run "$WORK/e2" zones info "$WORK/empty.geojson"
expect_error "empty layer" 1 "$WORK/e2" "empty.geojson" "empty"
run "$WORK/e3" zones info "$WORK/lines.geojson" --class-field zoning
expect_error "layer of lines" 1 "$WORK/e3" "lines.geojson" "LineString"
run "$WORK/e4" zones info "$WORK/notes.txt"
expect_error "file GDAL cannot open" 1 "$WORK/e4" "notes.txt" "GDAL"
run "$WORK/e5" zones info "$WORK/nothing-here.shp"
expect_error "missing file" 1 "$WORK/e5" "nothing-here.shp" "No such file"
run "$WORK/e6" zones info "$WORK/mixed.geojson" --s-srs EPSG:999999
expect_error "unknown CRS (--s-srs)" 1 "$WORK/e6" "mixed.geojson" 'unknown CRS "EPSG:999999"'
run "$WORK/e7" zones info "$WORK/badprj/z.shp"
expect_error "unknown CRS (.prj)" 1 "$WORK/e7" "z.shp" "unknown CRS"
run "$WORK/e8" zones info "$WORK/nocrs.csv"
expect_error "no CRS" 1 "$WORK/e8" "nocrs.csv" "no CRS" "--s-srs"
run "$WORK/e9" zones info "$WORK/two.gpkg" --layer zoning
expect_error "missing layer" 1 "$WORK/e9" "two.gpkg" '"zoning"' "parcels"
run "$WORK/e10" zones info "$WORK/mixed.geojson" --value-field jobs
expect_error "missing value field" 1 "$WORK/e10" '"jobs"'
run "$WORK/e11" zones info "$WORK/nocrs.csv" --s-srs 32648 --class-field zoning --json
expect_ok "no CRS, --s-srs 32648" "$WORK/e11"
run "$WORK/u1" zones info
expect_error "usage: no file" 2 "$WORK/u1" "ZONES"
run "$WORK/u2" zones info "$WORK/mixed.geojson" --sort size
expect_error "usage: --sort" 2 "$WORK/u2" "--sort"
run "$WORK/u3" zones summary "$WORK/mixed.geojson"
expect_error "usage: subcommand" 2 "$WORK/u3" "summary"

# ---- shared: real planned parcels in UTM 48N ------------------------------------------------
if [ ! -f "$LANDUSE" ]; then
    echo "skip shared-data checks: $LANDUSE is not there (set SHARED to the team's shared/ folder)"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] || exit 1
    exit 77
fi
S=$WORK/shared
mkdir -p "$S"
ogr2ogr -t_srs EPSG:4326 "$S/lu4326.shp" "$LANDUSE" 2>"$S/err1" || bad "ogr2ogr to EPSG:4326" "$(cat "$S/err1")"
ogr2ogr -f GeoJSON -t_srs EPSG:4326 "$S/lu.geojson" "$LANDUSE" 2>"$S/err2" || bad "ogr2ogr to GeoJSON" "$(cat "$S/err2")"
ogr2ogr -f GPKG "$S/lu.gpkg" "$LANDUSE" -nln parcels 2>"$S/err3" || bad "ogr2ogr to GPKG" "$(cat "$S/err3")"
ogr2ogr -f FlatGeobuf "$S/lu.fgb" "$LANDUSE" 2>"$S/err4" || bad "ogr2ogr to FlatGeobuf" "$(cat "$S/err4")"
ogr2ogr -t_srs "$VN2000" "$S/luvn.shp" "$LANDUSE" 2>"$S/err5" && rm -f "$S/luvn.prj" ||
    bad "ogr2ogr to VN-2000" "$(cat "$S/err5")"
ogr2ogr -f CSV "$S/ref.csv" "$LANDUSE" -dialect sqlite \
    -sql "SELECT CSLLandTyp AS cls, COUNT(*) AS n, SUM(ST_Area(geometry)) AS area_m2 FROM LandUse_Noninteractive GROUP BY CSLLandTyp" \
    2>"$S/err6" || bad "SpatiaLite reference" "$(cat "$S/err6")"

F=CSLLandTyp
run "$S/utm.json" zones info "$LANDUSE" --class-field $F --name-field LandUseTyp --json
expect_ok "shared UTM 48N" "$S/utm.json"
run "$S/utm.txt" zones info "$LANDUSE" --class-field $F
expect_ok "shared UTM 48N, text" "$S/utm.txt"
run "$S/4326.json" zones info "$S/lu4326.shp" --class-field $F --json
expect_ok "shared EPSG:4326 Shapefile" "$S/4326.json"
run "$S/geojson.json" zones info "$S/lu.geojson" --class-field $F --json
expect_ok "shared GeoJSON" "$S/geojson.json"
run "$S/gpkg.json" zones info "$S/lu.gpkg" --layer parcels --class-field $F --json
expect_ok "shared GeoPackage" "$S/gpkg.json"
run "$S/fgb.json" zones info "$S/lu.fgb" --class-field $F --json
expect_ok "shared FlatGeobuf" "$S/fgb.json"
run "$S/vn-noprj" zones info "$S/luvn.shp" --class-field $F
expect_error "shared VN-2000 without .prj" 1 "$S/vn-noprj" "luvn.shp" "no CRS" "--s-srs"
run "$S/vn.json" zones info "$S/luvn.shp" --class-field $F --s-srs "$VN2000" --json
expect_ok "shared VN-2000, --s-srs PROJ string" "$S/vn.json"
run "$S/vn9210.json" zones info "$S/lu4326.shp" --class-field $F --work-crs EPSG:9210 --json
expect_ok "shared, --work-crs EPSG:9210" "$S/vn9210.json"

"$PY" - "$S" <<'EOF' | report "shared"
import csv, json, os, sys
S = sys.argv[1]
def load(name):
    return json.load(open(os.path.join(S, name)))
def check(good, what, detail=""):
    print("%s\t%s\t%s" % ("ok" if good else "FAIL", what, detail))
def areas(d):
    return {c["class"]: c["area_ha"] for c in d["classes"]}
def worst(a, b):
    if a.keys() != b.keys():
        return float("inf")
    return max(abs(a[k] - b[k]) / b[k] for k in a)
utm = load("utm.json")
check(utm["features_read"] == 373 and utm["zones"] == 373, "373 parcels read and kept")
check(utm["source_crs"] == "EPSG:32648" and utm["work_crs"] == "EPSG:32648",
      "CRS from the .prj: EPSG:32648, measured in it")
ref = {r["cls"]: (int(r["n"]), float(r["area_m2"]) / 1e4) for r in csv.DictReader(open(os.path.join(S, "ref.csv")))}
mine = {c["class"]: (c["count"], c["area_ha"]) for c in utm["classes"]}
check(mine.keys() == ref.keys() and all(mine[k][0] == ref[k][0] and abs(mine[k][1] - ref[k][1]) < 1e-3
      for k in ref), "%d classes: counts and areas = SpatiaLite's ST_Area" % len(ref), str((mine, ref))[:500])
check(utm["classes"] == sorted(utm["classes"], key=lambda c: -c["area_ha"]), "sorted by area, largest first")
for name, label, crs in [("4326.json", "EPSG:4326 Shapefile", "EPSG:4326"),
                         ("geojson.json", "GeoJSON (EPSG:4326)", "EPSG:4326"),
                         ("vn.json", "VN-2000 TM via --s-srs", None),
                         ("vn9210.json", "measured in EPSG:9210 (VN-2000 TM-3 105-45)", "EPSG:4326")]:
    d = load(name)
    w = worst(areas(d), areas(utm))
    check(w < 1e-3, "%s: class areas within 0.1 %% of UTM's (worst %.5f %%)" % (label, 100 * w))
    if crs:
        check(d["source_crs"] == crs, "%s: source CRS %s" % (label, crs), d["source_crs"])
check(load("4326.json")["work_crs"] == "EPSG:32648", "EPSG:4326 copy measured in UTM 48N (its centre's zone)")
check(load("vn.json")["work_crs"] != "EPSG:32648", "VN-2000 copy measured in its own TM")
for name in ["gpkg.json", "fgb.json"]:
    w = worst(areas(load(name)), areas(utm))
    check(w < 1e-9, "%s: the same areas as the Shapefile" % name, str(w))
EOF
if grep -q "Residential - lowrise" "$S/utm.txt" && grep -q "(field CSLLandTyp), by area" "$S/utm.txt"; then
    ok "shared text: classes listed, sort order said"
else
    bad "shared text: class table" "$(head -n 14 "$S/utm.txt")"
fi
finish
