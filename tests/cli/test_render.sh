#!/usr/bin/env bash
# `corridor render` end to end: each format for the bundled datasets (Krems: road, rail, the
# Danube, terminals; HCMC District 3 with its OSM land use), PNG sizes from paper and dpi, valid
# PDF (pdfinfo) and SVG (xml.etree) whose text (pdftotext, <text>) holds the title, legend entries
# and the attribution; pixel checks on a small fixture this script writes (a zone of class TMD
# has the commercial colour inside; the paper outside the frame is white); the fixture against a
# golden image (tests/golden/render_small.png) with a tolerance; zoning classes (--list-classes,
# --class-map, --max-classes; and, when the team's shared data is there, the Saigon-peninsula
# planned parcels: every class value in the PDF's legend, no two with one colour, each colour on
# the map); choropleths (--value-field on a fixture: palette colours on the map, legend breaks in
# the unit, no data, fixed breaks); and bad input (exit 1, or 2 for a bad option value, one line,
# no output left behind).
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_render.sh
# To write the golden image again after a deliberate change of style (look at it first):
#   UPDATE_GOLDEN=1 CORRIDOR=build/dev/cli/corridor bash tests/cli/test_render.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${SHARED:-$SRC/../shared}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-render}
DATA=$SRC/datasets
GOLDEN=$SRC/tests/golden/render_small.png
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read PNG and SVG files"
PNG="$PY $SRC/tests/cli/render_png.py"
make_scratch

# run NAME ARGS... (in place of lib.sh's run): corridor with its exit code in NAME.rc, stdout/stderr in NAME.out/.err
run() {
    local name=$1
    shift
    "$CORRIDOR" "$@" >"$name.out" 2>"$name.err"
    echo $? >"$name.rc"
}

# rendered LABEL FILE: the last run exited 0 and FILE exists, is not empty, and has no .tmp twin
rendered() {
    local rc
    rc=$(cat "$WORK/r.rc")
    if [ "$rc" = 0 ] && [ -s "$2" ] && [ ! -e "$2.tmp" ]; then
        ok "$1"
        return 0
    fi
    bad "$1" "exit $rc" "$(head -c 400 "$WORK/r.err")"
    return 1
}

# ---- the small fixture ----------------------------------------------------------------------
# About 650 m of Ho Chi Minh City: a primary road across (Đường Võ Thị Sáu), a street down
# (Đường Trần Quốc Thảo), a railway with a station in the west, a river in the south; a
# commercial (TMD) zone larger than the view, with a park (CX) inside it.
cat >"$WORK/small.osm" <<'OSM'
<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="tests/cli/test_render.sh">
  <node id="1" version="1" lat="10.7850" lon="106.6895"/>
  <node id="2" version="1" lat="10.7850" lon="106.6945"/>
  <node id="3" version="1" lat="10.7850" lon="106.6965"/>
  <node id="4" version="1" lat="10.7795" lon="106.6945"/>
  <node id="5" version="1" lat="10.7865" lon="106.6945"/>
  <node id="6" version="1" lat="10.7795" lon="106.6905"/>
  <node id="7" version="1" lat="10.7830" lon="106.6905"><tag k="railway" v="station"/><tag k="name" v="Ga Hòa Hưng"/></node>
  <node id="8" version="1" lat="10.7865" lon="106.6905"/>
  <node id="9" version="1" lat="10.7806" lon="106.6890"/>
  <node id="10" version="1" lat="10.7802" lon="106.6930"/>
  <node id="11" version="1" lat="10.7807" lon="106.6970"/>
  <way id="101" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/><tag k="name" v="Đường Võ Thị Sáu"/></way>
  <way id="102" version="1"><nd ref="4"/><nd ref="2"/><nd ref="5"/><tag k="highway" v="residential"/><tag k="name" v="Đường Trần Quốc Thảo"/></way>
  <way id="103" version="1"><nd ref="6"/><nd ref="7"/><nd ref="8"/><tag k="railway" v="rail"/></way>
  <way id="104" version="1"><nd ref="9"/><nd ref="10"/><nd ref="11"/><tag k="waterway" v="river"/><tag k="name" v="Rạch Thị Nghè"/></way>
</osm>
OSM
cat >"$WORK/zones.geojson" <<'JSON'
{ "type": "FeatureCollection", "features": [
  { "type": "Feature", "properties": { "class": "TMD", "name": "Phường Tân Định" },
    "geometry": { "type": "Polygon", "coordinates": [[[106.6880, 10.7785], [106.6980, 10.7785],
      [106.6980, 10.7875], [106.6880, 10.7875], [106.6880, 10.7785]]] } },
  { "type": "Feature", "properties": { "class": "CX", "name": "Công viên" },
    "geometry": { "type": "Polygon", "coordinates": [[[106.6912, 10.7834], [106.6928, 10.7834],
      [106.6928, 10.7844], [106.6912, 10.7844], [106.6912, 10.7834]]] } }
] }
JSON
cat >"$WORK/route.geojson" <<'JSON'
{ "type": "FeatureCollection", "features": [
  { "type": "Feature", "properties": { "flow": 1200 },
    "geometry": { "type": "LineString", "coordinates": [[106.6895, 10.7850], [106.6945, 10.7850], [106.6945, 10.7795]] } },
  { "type": "Feature", "properties": { "flow": 300 },
    "geometry": { "type": "LineString", "coordinates": [[106.6945, 10.7850], [106.6965, 10.7850]] } }
] }
JSON
run "$WORK/imp" import "$WORK/small.osm" -o "$WORK/small.corr"
if [ "$(cat "$WORK/imp.rc")" != 0 ]; then
    bad "import the fixture" "$(cat "$WORK/imp.err")"
    finish
fi
BBOX=106.6900,10.7800,106.6960,10.7860
SMALL=(--network "$WORK/small.corr" --zones "$WORK/zones.geojson" --class-field class
       --name-field name --bbox $BBOX --date 2026-01-01 --title "Phường Tân Định"
       --subtitle "Đường Võ Thị Sáu" --org "Sở Quy hoạch - Kiến trúc")

# pixel checks: 600 x 424 px, landscape, so the map frame spans about x 20..330, y 20..320
run "$WORK/r" render "${SMALL[@]}" --size 600x424 -o "$WORK/small.png"
if rendered "fixture: PNG at --size 600x424" "$WORK/small.png"; then
    size=$($PNG size "$WORK/small.png")
    [ "$size" = "600 424" ] && ok "fixture: 600 x 424 pixels" || bad "fixture: 600 x 424 pixels" "got $size"
    # the TMD zone's interior, south-west of the centre, between the railway, the street, the
    # river and the primary road: the commercial colour of styles/default.json (#ef7f7f)
    msg=$($PNG near "$WORK/small.png" 144 187 5 '#ef7f7f' 3) && ok "fixture: a TMD zone has the commercial colour inside" ||
        bad "fixture: a TMD zone has the commercial colour inside" "$msg"
    for xy in "1 1" "598 1" "1 422" "300 2"; do
        px=$($PNG pixel "$WORK/small.png" $xy)
        [ "$px" = "#ffffff" ] && ok "fixture: paper colour outside the frame at $xy" ||
            bad "fixture: paper colour outside the frame at $xy" "got $px"
    done
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
        mkdir -p "$(dirname "$GOLDEN")" && cp "$WORK/small.png" "$GOLDEN"
        ok "golden image written to $GOLDEN"
    elif [ ! -f "$GOLDEN" ]; then
        bad "golden image: $GOLDEN missing (UPDATE_GOLDEN=1 writes it)"
    else
        msg=$($PNG compare "$WORK/small.png" "$GOLDEN" 0.4 0.002) && ok "fixture = golden image ($msg)" ||
            bad "fixture = golden image" "$msg" "look: $WORK/small.png"
    fi
fi

# graduated width, dashes, fill and a name on overlays; every format
run "$WORK/r" render "${SMALL[@]}" --overlay "$WORK/route.geojson:name=Tuyến đề xuất,colour=#7b2cbf,width-field=flow,width-min=0.5,width-max=3" \
    --overlay "$WORK/zones.geojson:name=Ranh giới,fill=#00000000,dash=2/1,colour=#000000,width=0.4" --paper A4 --landscape -o "$WORK/overlay.pdf"
if rendered "fixture: PDF with overlays" "$WORK/overlay.pdf"; then
    pdftotext "$WORK/overlay.pdf" "$WORK/overlay.txt" 2>/dev/null
    for want in "Tuyến đề xuất (flow 300–1200)" "Ranh giới" "Phường Tân Định" "Sở Quy hoạch - Kiến trúc" \
        "Đất thương mại, dịch vụ" "Đất cây xanh, công viên" "Đường chính" "Đường sắt" "Sông" \
        "Ga đường sắt" "© OpenStreetMap contributors" "1:4 000"; do
        grep -qF "$want" "$WORK/overlay.txt" && ok "fixture PDF text: $want" ||
            bad "fixture PDF text: $want" "not in pdftotext output ($WORK/overlay.txt)"
    done
fi

# ---- datasets: every format ------------------------------------------------------------------
run "$WORK/imp" import "$DATA/graphhopper-krems.osm.pbf" -o "$WORK/krems.corr" \
    --terminals "$DATA/terminals-krems-example.csv"
if [ "$(cat "$WORK/imp.rc")" != 0 ]; then
    bad "import Krems" "$(cat "$WORK/imp.err")"
else
    run "$WORK/r" render --network "$WORK/krems.corr" --paper A4 --dpi 50 --title "Krems an der Donau" -o "$WORK/krems.png"
    if rendered "Krems: PNG, A4 portrait at 50 dpi" "$WORK/krems.png"; then
        size=$($PNG size "$WORK/krems.png")
        [ "$size" = "413 585" ] && ok "Krems: A4 at 50 dpi is 413 x 585 px" || bad "Krems: A4 at 50 dpi is 413 x 585 px" "got $size"
    fi
    run "$WORK/r" render --network "$WORK/krems.corr" --paper A3 --landscape --dpi 40 --title "Krems an der Donau" -o "$WORK/krems-a3.png"
    if rendered "Krems: PNG, A3 landscape at 40 dpi" "$WORK/krems-a3.png"; then
        size=$($PNG size "$WORK/krems-a3.png")
        [ "$size" = "661 468" ] && ok "Krems: A3 landscape at 40 dpi is 661 x 468 px" || bad "Krems: A3 landscape at 40 dpi is 661 x 468 px" "got $size"
    fi
    run "$WORK/r" render --network "$WORK/krems.corr" --paper A3 --landscape --title "Krems an der Donau" -o "$WORK/krems.pdf"
    if rendered "Krems: PDF" "$WORK/krems.pdf"; then
        info=$(pdfinfo "$WORK/krems.pdf" 2>&1)
        echo "$info" | grep -q "Pages: *1" && echo "$info" | grep -q "Page size: *1190.55 x 841.89 pts" &&
            ok "Krems: pdfinfo reads one A3 landscape page" || bad "Krems: pdfinfo reads one A3 landscape page" "$info"
        pdftotext "$WORK/krems.pdf" "$WORK/krems.txt" 2>/dev/null
        for want in "Krems an der Donau" "Đường sắt · Railway" "Sông · River" "Cảng · Port" "© OpenStreetMap contributors" "UTM zone 33N"; do
            grep -qF "$want" "$WORK/krems.txt" && ok "Krems PDF text: $want" || bad "Krems PDF text: $want" "not in pdftotext output"
        done
    fi
    run "$WORK/r" render --network "$WORK/krems.corr" --paper A4 --landscape --title "Krems an der Donau" -o "$WORK/krems.svg"
    if rendered "Krems: SVG" "$WORK/krems.svg"; then
        msg=$("$PY" - "$WORK/krems.svg" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
assert root.get("width") == "841.889764pt", root.get("width")
texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
for want in ("Krems an der Donau", "Đường sắt · Railway", "© OpenStreetMap contributors"):
    assert want in texts, "no <text> %s" % want
print("%d <text> elements" % len(texts))
PYEOF
        ) && ok "Krems: SVG parses, text stays text ($msg)" || bad "Krems: SVG parses, text stays text" "$msg"
    fi
fi

run "$WORK/imp" import "$DATA/hcmc-district3-multi-tl-map.osm.pbf" -o "$WORK/hcmc.corr"
if [ "$(cat "$WORK/imp.rc")" != 0 ]; then
    bad "import HCMC District 3" "$(cat "$WORK/imp.err")"
else
    for fmt in png pdf svg; do
        run "$WORK/r" render --network "$WORK/hcmc.corr" --zones "$DATA/hcmc-district3-multi-tl-map.osm.pbf" \
            --paper A4 --landscape --dpi 60 --title "Quận 3, Thành phố Hồ Chí Minh" -o "$WORK/hcmc.$fmt"
        rendered "HCMC District 3 with OSM land use: $fmt" "$WORK/hcmc.$fmt"
    done
    if [ -s "$WORK/hcmc.pdf" ]; then
        pdftotext "$WORK/hcmc.pdf" "$WORK/hcmc.txt" 2>/dev/null
        for want in "Quận 3, Thành phố Hồ Chí Minh" "Đất thương mại, dịch vụ · Commercial" "© OpenStreetMap contributors" "UTM zone 48N"; do
            grep -qF "$want" "$WORK/hcmc.txt" && ok "HCMC PDF text: $want" || bad "HCMC PDF text: $want" "not in pdftotext output"
        done
    fi
fi

# ---- bad input: exit 1, one line naming what is wrong, nothing written -----------------------
# fails LABEL CODE WANT ARGS...: render exits CODE, stderr is one line holding WANT, no output
fails() {
    local label=$1 code=$2 want=$3
    shift 3
    rm -f "$WORK/bad.png" "$WORK/bad.png.tmp"
    run "$WORK/e" render "$@"
    local rc lines
    rc=$(cat "$WORK/e.rc")
    lines=$(wc -l <"$WORK/e.err")
    if [ "$rc" = "$code" ] && [ "$lines" = 1 ] && grep -qF -- "$want" "$WORK/e.err" &&
        [ ! -e "$WORK/bad.png" ] && [ ! -e "$WORK/bad.png.tmp" ]; then
        ok "$label"
    else
        bad "$label" "exit $rc (want $code), $lines lines, want \"$want\":" "$(head -c 300 "$WORK/e.err")"
    fi
}
fails "unknown paper size" 1 'paper "A5"' --network "$WORK/small.corr" --paper A5 -o "$WORK/bad.png"
fails "unwritable output" 1 "$WORK/no/such/folder/map.png" --network "$WORK/small.corr" -o "$WORK/no/such/folder/map.png"
# a bad option value is a usage error: exit 2, naming the option and the value
fails "bbox with west > east" 2 '--bbox "106.70,10.78,106.69,10.79": west' --network "$WORK/small.corr" --bbox 106.70,10.78,106.69,10.79 -o "$WORK/bad.png"
fails "bbox not four numbers" 2 '--bbox "106.70,10.78"' --network "$WORK/small.corr" --bbox 106.70,10.78 -o "$WORK/bad.png"
fails "bbox outside the world" 2 '--bbox "100,10,200,11"' --network "$WORK/small.corr" --bbox 100,10,200,11 -o "$WORK/bad.png"
fails "dpi not a number" 2 '--dpi "abc"' --network "$WORK/small.corr" --dpi abc -o "$WORK/bad.png"
fails "dpi too small" 2 '--dpi "5"' --network "$WORK/small.corr" --dpi 5 -o "$WORK/bad.png"
fails "dpi too large" 2 '--dpi "9600"' --network "$WORK/small.corr" --dpi 9600 -o "$WORK/bad.png"
fails "size not WxH" 2 '--size "600"' --network "$WORK/small.corr" --size 600 -o "$WORK/bad.png"
fails "size too small" 2 '--size "8x8"' --network "$WORK/small.corr" --size 8x8 -o "$WORK/bad.png"
fails "size with junk" 2 '--size "600x400px"' --network "$WORK/small.corr" --size 600x400px -o "$WORK/bad.png"
fails "max-classes 0" 2 '--max-classes "0"' --zones "$WORK/zones.geojson" --class-field class --max-classes 0 -o "$WORK/bad.png"
fails "class-map without zones" 2 "--class-map needs --zones" --network "$WORK/small.corr" --class-map "$WORK/map.csv" -o "$WORK/bad.png"
fails "overlay that does not exist" 1 "$WORK/missing.geojson" --network "$WORK/small.corr" --overlay "$WORK/missing.geojson" -o "$WORK/bad.png"
echo "this is not a vector file" >"$WORK/junk.geojson"
fails "overlay that cannot be read" 1 "$WORK/junk.geojson" --network "$WORK/small.corr" --overlay "$WORK/junk.geojson:colour=#ff0000" -o "$WORK/bad.png"
fails "overlay style key unknown" 1 "colr" --network "$WORK/small.corr" --overlay "$WORK/route.geojson:colr=#ff0000" -o "$WORK/bad.png"
fails "overlay width-field missing" 1 "nosuch" --network "$WORK/small.corr" --overlay "$WORK/route.geojson:width-field=nosuch" -o "$WORK/bad.png"
fails "unknown output format" 1 ".png, .pdf or .svg" --network "$WORK/small.corr" -o "$WORK/map.jpg"
fails "CRS PROJ does not know" 1 "EPSG:999999" --network "$WORK/small.corr" --crs EPSG:999999 -o "$WORK/bad.png"
fails "geographic CRS" 1 "not a projected CRS" --network "$WORK/small.corr" --crs EPSG:4326 -o "$WORK/bad.png"
fails "network that is not one" 1 "not_a_network.txt" --network "$SRC/tests/bad/not_a_network.txt" -o "$WORK/bad.png"

# a render that fails after its temporary file was made (an unknown CRS), or that cannot make one
# (/proc takes no new files, even for root), or that fails before (a bad style): its folder is
# left as it was, with neither the output nor a temporary file (.map.XXXXXX.png) in it
# leaves_nothing LABEL DIR ARGS...: render fails and DIR holds nothing but what was there
leaves_nothing() {
    local label=$1 dir=$2 left
    shift 2
    run "$WORK/e" render "$@"
    left=$(find "$dir" -mindepth 1 -maxdepth 1 ! -name keep.txt 2>/dev/null | head -3 | tr '\n' ' ')
    if [ "$(cat "$WORK/e.rc")" = 1 ] && [ -z "$left" ]; then
        ok "$label: nothing left behind"
    else
        bad "$label: nothing left behind" "exit $(cat "$WORK/e.rc"), left: $left" "$(head -c 300 "$WORK/e.err")"
    fi
    find "$dir" -mindepth 1 -maxdepth 1 ! -name keep.txt -exec rm -f {} +
}
rm -rf "$WORK/failed" && mkdir -p "$WORK/failed" && echo keep >"$WORK/failed/keep.txt"
echo '{ "paper": ' >"$WORK/bad-style.json"
for fmt in png pdf svg; do
    leaves_nothing "unknown CRS, $fmt" "$WORK/failed" --network "$WORK/small.corr" --crs EPSG:999999 -o "$WORK/failed/map.$fmt"
done
leaves_nothing "bad style" "$WORK/failed" --network "$WORK/small.corr" --style "$WORK/bad-style.json" -o "$WORK/failed/map.png"
leaves_nothing "geographic CRS, pdf" "$WORK/failed" --network "$WORK/small.corr" --crs EPSG:4326 -o "$WORK/failed/map.pdf"
if [ -w /proc ] || [ -d /proc/self ]; then
    run "$WORK/e" render --network "$WORK/small.corr" -o /proc/corridor-test-map.png
    if [ "$(cat "$WORK/e.rc")" = 1 ] && ! compgen -G "/proc/*corridor-test-map*" >/dev/null; then
        ok "output in /proc: exit 1, nothing left"
    else
        bad "output in /proc: exit 1, nothing left" "exit $(cat "$WORK/e.rc")" "$(head -c 300 "$WORK/e.err")"
    fi
fi
echo '{ "page": { "paper": "white" } }' >"$WORK/bad-style.json"
printf 'value,class\nTMD,parkk\n' >"$WORK/bad-map.csv"
fails "class map naming no class" 1 'bad-map.csv: row 2: class "parkk"' --zones "$WORK/zones.geojson" --class-field class --class-map "$WORK/bad-map.csv" -o "$WORK/bad.png"
printf 'TMD,#12345\n' >"$WORK/bad-map.csv"
fails "class map with a bad colour" 1 'bad-map.csv: row 1: "#12345" is not a colour' --zones "$WORK/zones.geojson" --class-field class --class-map "$WORK/bad-map.csv" -o "$WORK/bad.png"
fails "class map missing" 1 "$WORK/no-map.csv" --zones "$WORK/zones.geojson" --class-field class --class-map "$WORK/no-map.csv" -o "$WORK/bad.png"
fails "style with a bad colour" 1 "page.paper" --network "$WORK/small.corr" --style "$WORK/bad-style.json" -o "$WORK/bad.png"
fails "no output" 2 "-o" --network "$WORK/small.corr"
fails "nothing to draw" 2 "nothing to draw" -o "$WORK/bad.png"

# ---- zoning classes ---------------------------------------------------------------------------
# the fixture's two values, as a --class-map file: each its own class, legend order
"$CORRIDOR" render --zones "$WORK/zones.geojson" --class-field class --list-classes >"$WORK/classes.csv" 2>"$WORK/classes.err"
want='value,class,label
TMD,#ef7f7f,"TMD (Đất thương mại, dịch vụ · Commercial)"
CX,#8fd16a,"CX (Đất cây xanh, công viên · Parks and green space)"'
[ "$(cat "$WORK/classes.csv")" = "$want" ] && ok "--list-classes: the fixture's classes" ||
    bad "--list-classes: the fixture's classes" "$(cat "$WORK/classes.csv" "$WORK/classes.err")"
"$CORRIDOR" render --zones "$WORK/zones.geojson" --class-field class --max-classes 1 --list-classes >"$WORK/classes.csv" 2>&1
grep -qx 'CX,other,Đất khác · Other' "$WORK/classes.csv" && grep -q '^TMD,#ef7f7f,' "$WORK/classes.csv" &&
    ok "--max-classes 1: the smaller class goes to Other" || bad "--max-classes 1: the smaller class goes to Other" "$(cat "$WORK/classes.csv")"
# the zoning options every planning command shares: a CP1258 Shapefile without .cpg, --encoding
mkdir -p "$WORK/vn1258"
sed -e 's/"TMD"/"Đất ở đô thị"/' "$WORK/zones.geojson" >"$WORK/vn-zones.geojson"
if ogr2ogr -f "ESRI Shapefile" -lco ENCODING=CP1258 "$WORK/vn1258/z.shp" "$WORK/vn-zones.geojson" 2>"$WORK/ogr.err"; then
    rm -f "$WORK/vn1258/z.cpg"
    "$CORRIDOR" render --zones "$WORK/vn1258/z.shp" --layer z --class-field class --encoding CP1258 \
        --list-classes >"$WORK/classes.csv" 2>"$WORK/classes.err"
    grep -q '^Đất ở đô thị,' "$WORK/classes.csv" && ok "--encoding CP1258: the class whole in UTF-8" ||
        bad "--encoding CP1258: the class whole in UTF-8" "$(cat "$WORK/classes.csv" "$WORK/classes.err")"
else
    bad "ogr2ogr to a CP1258 Shapefile" "$(cat "$WORK/ogr.err")"
fi
# a planning office's own mapping: by colour and label, by class id (any case, no diacritics)
cat >"$WORK/map.csv" <<'CSV'
value,class,label
# the office's words
tmd,#123456,"Đất dự án, giai đoạn 1"
Cx,water
CSV
run "$WORK/r" render --zones "$WORK/zones.geojson" --class-field class --class-map "$WORK/map.csv" --bbox $BBOX --size 600x424 -o "$WORK/mapped.png"
if rendered "--class-map: PNG" "$WORK/mapped.png"; then
    msg=$($PNG near "$WORK/mapped.png" 144 187 5 '#123456' 0) && ok "--class-map: the mapped colour fills the zone" ||
        bad "--class-map: the mapped colour fills the zone" "$msg"
fi
run "$WORK/r" render --zones "$WORK/zones.geojson" --class-field class --class-map "$WORK/map.csv" --paper A4 --landscape -o "$WORK/mapped.pdf"
if rendered "--class-map: PDF" "$WORK/mapped.pdf"; then
    pdftotext "$WORK/mapped.pdf" - 2>/dev/null | tr '\n' ' ' >"$WORK/mapped.txt"
    for want in "Đất dự án, giai đoạn 1" "CX (Mặt nước · Water)"; do
        grep -qF "$want" "$WORK/mapped.txt" && ok "--class-map legend: $want" || bad "--class-map legend: $want" "$(cat "$WORK/mapped.txt")"
    done
fi

# the Saigon-peninsula planned parcels (the team's shared data; never copied here): 12 class
# values in planners' own English, none of them a code of the style
LANDUSE=$SHARED/datasets/planning/saigon-peninsula-hcmc/LandUse_Noninteractive.shp
if [ ! -f "$LANDUSE" ]; then
    echo "skip: $LANDUSE not found (the team's shared data; set SHARED); the Saigon-peninsula legend was not checked"
else
    SG=(--zones "$LANDUSE" --class-field CSLLandTyp --title "Bán đảo Sài Gòn" --date 2026-01-01)
    "$CORRIDOR" render "${SG[@]}" --list-classes >"$WORK/sg.csv" 2>"$WORK/sg.err"
    msg=$("$PY" - "$WORK/sg.csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 12, "%d classes: %s" % (len(rows), [r["value"] for r in rows])
colours = [r["class"] for r in rows]
assert all(c.startswith("#") for c in colours), "one is Other: %s" % colours
assert len(set(colours)) == 12, "shared colours: %s" % colours
print(" ".join(colours))
PYEOF
    ) && ok "Saigon peninsula: 12 classes, 12 colours" || bad "Saigon peninsula: 12 classes, 12 colours" "$msg" "$(head -c 300 "$WORK/sg.err")"
    run "$WORK/r" render "${SG[@]}" --paper A4 -o "$WORK/sg.pdf"
    if rendered "Saigon peninsula: PDF, A4 portrait" "$WORK/sg.pdf"; then
        pdftotext "$WORK/sg.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$WORK/sg.txt"
        missing=""
        while IFS= read -r value; do
            grep -qF "$value" "$WORK/sg.txt" || missing="$missing [$value]"
        done < <("$PY" -c 'import csv, sys; [print(r["value"]) for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))]' "$WORK/sg.csv")
        [ -z "$missing" ] && ok "Saigon peninsula: every class value in the PDF's legend" ||
            bad "Saigon peninsula: every class value in the PDF's legend" "missing:$missing"
        grep -qF "Residential - lowrise (Đất ở hiện hữu · Existing residential)" "$WORK/sg.txt" &&
            ok "Saigon peninsula: the palette class beside the value" || bad "Saigon peninsula: the palette class beside the value"
    fi
    run "$WORK/r" render "${SG[@]}" --paper A4 --landscape --dpi 60 -o "$WORK/sg.png"
    if rendered "Saigon peninsula: PNG, A4 landscape" "$WORK/sg.png" && [ -s "$WORK/sg.csv" ]; then
        # zones are drawn at opacity 1: each class's colour fills pixels on the map
        msg=$($PNG count "$WORK/sg.png" 20 $(tail -n +2 "$WORK/sg.csv" | grep -o ',#[0-9a-f]\{6\},' | tr -d ,)) &&
            ok "Saigon peninsula: every class's colour is on the map" || bad "Saigon peninsula: every class's colour is on the map" "$msg"
    fi
    run "$WORK/r" render "${SG[@]}" --max-classes 5 --list-classes
    n=$(grep -c ',other,' "$WORK/r.out")
    [ "$n" = 7 ] && ok "Saigon peninsula: --max-classes 5 leaves 7 values to Other" ||
        bad "Saigon peninsula: --max-classes 5 leaves 7 values to Other" "got $n" "$(cat "$WORK/r.out" "$WORK/r.err")"
fi

# an explicit CRS by EPSG code is used and named
run "$WORK/r" render --network "$WORK/small.corr" --crs 3405 --paper A4 --dpi 30 -o "$WORK/vn2000.pdf"
if rendered "--crs 3405 (VN-2000 / UTM zone 48N)" "$WORK/vn2000.pdf"; then
    pdftotext "$WORK/vn2000.pdf" - 2>/dev/null | grep -q "EPSG:3405" && ok "--crs 3405 named on the map" ||
        bad "--crs 3405 named on the map"
fi

# ---- choropleth: zones coloured by a numeric field (a synthetic fixture: four squares with a
# change in minutes each, one without a value) ------------------------------------------------
cat >"$WORK/change.geojson" <<'JSON'
{ "type": "FeatureCollection", "features": [
  { "type": "Feature", "properties": { "name": "Z1", "change": -6 },
    "geometry": { "type": "Polygon", "coordinates": [[[106.6900, 10.7800], [106.6930, 10.7800], [106.6930, 10.7830], [106.6900, 10.7830], [106.6900, 10.7800]]] } },
  { "type": "Feature", "properties": { "name": "Z2", "change": 0 },
    "geometry": { "type": "Polygon", "coordinates": [[[106.6930, 10.7800], [106.6960, 10.7800], [106.6960, 10.7830], [106.6930, 10.7830], [106.6930, 10.7800]]] } },
  { "type": "Feature", "properties": { "name": "Z3", "change": 6 },
    "geometry": { "type": "Polygon", "coordinates": [[[106.6900, 10.7830], [106.6930, 10.7830], [106.6930, 10.7860], [106.6900, 10.7860], [106.6900, 10.7830]]] } },
  { "type": "Feature", "properties": { "name": "Z4", "change": null },
    "geometry": { "type": "Polygon", "coordinates": [[[106.6930, 10.7830], [106.6960, 10.7830], [106.6960, 10.7860], [106.6930, 10.7860], [106.6930, 10.7830]]] } }
] }
JSON
CH=(--zones "$WORK/change.geojson" --name-field name --value-field change --date 2026-01-01)
run "$WORK/r" render "${CH[@]}" --palette diverging --unit minutes --size 600x424 -o "$WORK/change.png"
if rendered "choropleth: diverging PNG" "$WORK/change.png"; then
    # symmetric breaks over -6..6 in 7 classes: -6 is the darkest blue, 6 the darkest red, 0 the
    # near-white middle (ColorBrewer RdBu), no data light grey (hatched)
    msg=$($PNG count "$WORK/change.png" 500 '#2166ac' '#b2182b' '#f7f7f7' '#dbdbdb') &&
        ok "choropleth: blue, red, neutral and no-data fills on the map" ||
        bad "choropleth: blue, red, neutral and no-data fills on the map" "$msg"
fi
run "$WORK/r" render "${CH[@]}" --palette diverging --unit minutes -o "$WORK/change.pdf"
if rendered "choropleth: diverging PDF" "$WORK/change.pdf"; then
    pdftotext "$WORK/change.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$WORK/change.txt"
    for want in "-6 to -4.29 minutes" "-0.86 to 0.86 minutes" "4.29 to 6 minutes" "no data"; do
        grep -qF -- "$want" "$WORK/change.txt" && ok "choropleth legend: $want" ||
            bad "choropleth legend: $want" "$(head -c 400 "$WORK/change.txt")"
    done
fi
run "$WORK/r" render "${CH[@]}" --breaks=-1,1 --unit jobs -o "$WORK/fixed.pdf"
if rendered "choropleth: sequential with fixed breaks" "$WORK/fixed.pdf"; then
    pdftotext "$WORK/fixed.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$WORK/fixed.txt"
    for want in "-6 to -1 jobs" "-1 to 1 jobs" "1 to 6 jobs"; do
        grep -qF -- "$want" "$WORK/fixed.txt" && ok "fixed breaks legend: $want" ||
            bad "fixed breaks legend: $want" "$(head -c 400 "$WORK/fixed.txt")"
    done
fi
# bad choropleth input: no such field (1), bad values (2), options that need --value-field (2)
run "$WORK/r" render --zones "$WORK/change.geojson" --value-field nosuch -o "$WORK/bad.png"
[ "$(cat "$WORK/r.rc")" = 1 ] && [ ! -e "$WORK/bad.png" ] && grep -q nosuch "$WORK/r.err" &&
    ok "choropleth: a missing field is exit 1, no output" || bad "choropleth: a missing field is exit 1, no output" "$(cat "$WORK/r.err")"
for args in "--palette rainbow" "--breaks 3,1" "--classes 1" "--classes 12"; do
    # shellcheck disable=SC2086
    run "$WORK/r" render "${CH[@]}" $args -o "$WORK/bad.png"
    [ "$(cat "$WORK/r.rc")" = 2 ] && [ ! -e "$WORK/bad.png" ] && ok "choropleth: $args is exit 2" ||
        bad "choropleth: $args is exit 2" "exit $(cat "$WORK/r.rc")" "$(cat "$WORK/r.err")"
done
run "$WORK/r" render --zones "$WORK/change.geojson" --unit minutes -o "$WORK/bad.png"
[ "$(cat "$WORK/r.rc")" = 2 ] && ok "choropleth: --unit without --value-field is exit 2" ||
    bad "choropleth: --unit without --value-field is exit 2" "$(cat "$WORK/r.err")"

finish
