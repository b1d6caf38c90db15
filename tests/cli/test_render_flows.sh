#!/usr/bin/env bash
# `corridor render --flows`: flow maps (render/flowmap.h) on a SYNTHETIC line layer this script
# writes (six made-up links near Krems with made-up flow_pce, voc, d_flow_pce and dir fields: not
# data of any real road). PNG, PDF and SVG are written and are not trivial; the four v/c colours
# (green, yellow, orange, red) are on the PNG; the legend (PDF text, SVG) holds width samples in
# the unit and the v/c classes; the diverging mode paints decreases blue and increases red; the
# two directions of a two-way road are drawn side by side (offset), not on top of each other;
# the Krems network under the flows brings the OpenStreetMap credit; and bad input.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_render_flows.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-render-flows}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read PNG and SVG files"
PNG="$PY $SRC/tests/cli/render_png.py"
make_scratch

# SYNTHETIC: three two-way roads (one feature per direction, dir 1 along the points, -1 against)
FLOWS=$WORK/flows_synthetic.geojson
cat >"$FLOWS" <<'EOF'
{"type": "FeatureCollection", "name": "flows_synthetic",
 "features": [
  {"type": "Feature", "properties": {"link": 1, "name": "A", "dir": 1, "flow_pce": 400, "voc": 0.3, "d_flow_pce": -150},
   "geometry": {"type": "LineString", "coordinates": [[15.58, 48.40], [15.60, 48.40], [15.62, 48.401]]}},
  {"type": "Feature", "properties": {"link": 1, "dir": -1, "flow_pce": 900, "voc": 0.7, "d_flow_pce": -300},
   "geometry": {"type": "LineString", "coordinates": [[15.58, 48.40], [15.60, 48.40], [15.62, 48.401]]}},
  {"type": "Feature", "properties": {"link": 2, "dir": 1, "flow_pce": 1500, "voc": 0.9, "d_flow_pce": 250},
   "geometry": {"type": "LineString", "coordinates": [[15.60, 48.40], [15.60, 48.42]]}},
  {"type": "Feature", "properties": {"link": 2, "dir": -1, "flow_pce": 2300, "voc": 1.25, "d_flow_pce": 600},
   "geometry": {"type": "LineString", "coordinates": [[15.60, 48.40], [15.60, 48.42]]}},
  {"type": "Feature", "properties": {"link": 3, "dir": 1, "flow_pce": 120, "voc": 0.1, "d_flow_pce": 0},
   "geometry": {"type": "LineString", "coordinates": [[15.60, 48.42], [15.62, 48.42], [15.62, 48.401]]}},
  {"type": "Feature", "properties": {"link": 3, "dir": -1, "flow_pce": null, "voc": null, "d_flow_pce": 40},
   "geometry": {"type": "LineString", "coordinates": [[15.60, 48.42], [15.62, 48.42], [15.62, 48.401]]}}
 ]}
EOF

# a file at least MIN bytes
big() {
    local label=$1 file=$2 min=$3 size
    size=$(stat -c %s "$file" 2>/dev/null || echo 0)
    if [ "$size" -ge "$min" ]; then ok "$label ($size bytes)"; else bad "$label" "$file: $size bytes, want >= $min"; fi
}

for fmt in png pdf svg; do
    if exits "flows $fmt" 0 "$CORRIDOR" render --flows "$FLOWS" --flow-unit "PCE/h" \
        --title "Synthetic flows" -o "$WORK/flows.$fmt"; then
        big "flows $fmt written" "$WORK/flows.$fmt" 10000
    fi
done
grep -q "flow lines drawn, largest 2300 PCE/h" "$WORK/stderr" && ok "stderr names the lines and the largest flow" ||
    bad "stderr names the lines and the largest flow" "$(cat "$WORK/stderr")"

if [ -s "$WORK/flows.png" ]; then
    if out=$($PNG count "$WORK/flows.png" 30 "#1a9641" "#f5d000" "#fd8d3c" "#d7191c"); then
        ok "the four v/c colours are on the map"
    else
        bad "the four v/c colours are on the map" "$out"
    fi
fi
if command -v pdftotext >/dev/null 2>&1 && [ -s "$WORK/flows.pdf" ]; then
    pdftotext -layout "$WORK/flows.pdf" "$WORK/flows.txt"
    for want in "2000 PCE/h" "1000 PCE/h" "500 PCE/h" "voc 0.5 to 0.8" "voc 1 to 1.25" "Synthetic flows"; do
        grep -qF "$want" "$WORK/flows.txt" && ok "PDF legend: $want" || bad "PDF legend: $want" "$(tr '\n' ' ' <"$WORK/flows.txt" | head -c 600)"
    done
else
    echo "skip PDF text checks: no pdftotext"
fi
if [ -s "$WORK/flows.svg" ]; then
    $PY -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$WORK/flows.svg" &&
        ok "SVG is XML" || bad "SVG is XML"
fi

# diverging: d_flow_pce, blue where it fell, red where it rose
if exits "diverging png" 0 "$CORRIDOR" render --flows "$FLOWS" --flow-field d_flow_pce \
    --flow-colour diverging --size 600x600 -o "$WORK/diff.png"; then
    out=$($PY -c '
import sys
sys.path.insert(0, sys.argv[1])
import render_png
w, h, bpp, rows = render_png.read_png(sys.argv[2])
blue = red = 0
for row in rows:
    for x in range(0, w * bpp, bpp):
        r, g, b = row[x], row[x + 1], row[x + 2]
        blue += b > r + 80
        red += r > b + 80 and g < 120
print(blue, red)' "$SRC/tests/cli" "$WORK/diff.png")
    read -r blue red <<<"$out"
    if [ "${blue:-0}" -ge 100 ] && [ "${red:-0}" -ge 100 ]; then
        ok "diverging: blue decreases ($blue px) and red increases ($red px)"
    else
        bad "diverging: blue decreases and red increases" "blue ${blue:-?} px, red ${red:-?} px"
    fi
fi

# offsets: the two directions of link 2 (a north-south line) sit side by side, so along a row
# across it both the orange (v/c 0.9) and the red (v/c 1.25) colours appear
if exits "offset png" 0 "$CORRIDOR" render --flows "$FLOWS" --size 800x800 --flow-max-width 8 \
    -o "$WORK/offset.png"; then
    if out=$($PNG count "$WORK/offset.png" 200 "#fd8d3c" "#d7191c"); then
        ok "offset: both directions of a two-way road are visible"
    else
        bad "offset: both directions of a two-way road are visible" "$out"
    fi
fi

# over the Krems network: the OpenStreetMap credit stays
exits "import Krems" 0 "$CORRIDOR" import "$SRC/datasets/graphhopper-krems.osm.pbf" \
    -o "$WORK/krems.corr" --quiet
if exits "flows over the network" 0 "$CORRIDOR" render --network "$WORK/krems.corr" \
    --flows "$FLOWS" --bbox 15.57,48.395,15.63,48.425 -o "$WORK/net.svg"; then
    grep -q "OpenStreetMap" "$WORK/net.svg" && ok "the OpenStreetMap credit is on the map" ||
        bad "the OpenStreetMap credit is on the map"
fi

# bad input
error "no such width field" 1 'no field "nope"' "$CORRIDOR" render --flows "$FLOWS" \
    --flow-field nope -o "$WORK/bad1.png"
[ -e "$WORK/bad1.png" ] && bad "nothing written on error" || ok "nothing written on error"
error "colour field not numeric" 1 'not numeric' "$CORRIDOR" render --flows "$FLOWS" \
    --flow-colour-field name -o "$WORK/bad2.png"
error "bad --flow-colour" 2 'flow-colour' "$CORRIDOR" render --flows "$FLOWS" \
    --flow-colour rainbow -o "$WORK/bad3.png"
error "bad --flow-breaks" 2 'flow-breaks' "$CORRIDOR" render --flows "$FLOWS" \
    --flow-breaks 1,0.5 -o "$WORK/bad4.png"
error "flow option without --flows" 2 'need --flows' "$CORRIDOR" render --zones x.gpkg \
    --flow-offset -o "$WORK/bad5.png"
error "missing flows file" 1 'nofile.gpkg' "$CORRIDOR" render --flows "$WORK/nofile.gpkg" \
    -o "$WORK/bad6.png"

finish
