#!/usr/bin/env bash
# `corridor match` end to end on the bundled Monaco extract, with a SYNTHETIC trace: the route
# from A to B (`corridor route`) sampled every 20 m with seeded Gaussian noise (sigma 5 m,
# Python's random.Random(15)), one point every 2 s, written as GPX (track points with times) and
# as CSV (lon,lat,time in ISO 8601). The trace must match back onto the route (distance within
# 5 %), as JSON, GeoJSON and GeoPackage; a pause of 120 s splits it (not with --gaps ignore); a
# point 300 m off stays unmatched; and the errors (missing trace, times going backwards, a trace
# at sea: exit 1; a bad -o or option: exit 2).
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_match.sh
# Places (Monaco, on streets, as tests/cli/test_serve.sh): A 7.4200,43.7350, B 7.4300,43.7450.
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-match}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to make the trace and read the answers"
make_scratch

NET=$WORK/monaco.corr
if "$CORRIDOR" import "$SRC/datasets/osrm-monaco.osm.pbf" -o "$NET" --quiet 2>"$WORK/import.err" &&
    "$CORRIDOR" route "$NET" --from 7.4200,43.7350 --to 7.4300,43.7450 --format geojson \
        -o "$WORK/truth.geojson" 2>/dev/null; then
    ok "import Monaco, the route to sample"
else
    bad "import Monaco, the route to sample" "$(cat "$WORK/import.err")"
    finish
fi

# trace.gpx, trace.csv, gap.csv (a 120 s pause after point 40), far.csv (point 20 300 m north),
# back.csv (the time of point 10 before point 9), sea.csv (two points off the coast)
"$PY" - "$WORK" <<'PY' || { bad "make the synthetic traces"; finish; }
import json, math, random, sys, datetime
work = sys.argv[1]
g = json.load(open(work + "/truth.geojson"))
f = g["features"][0] if "features" in g else g
c = f["geometry"]["coordinates"]
rng = random.Random(15)
pts, step, nxt, at = [], 20.0, 0.0, 0.0
for (x0, y0), (x1, y1) in zip(c, c[1:]):
    mx = 111320.0 * math.cos(math.radians(y0)); my = 110540.0
    seg = math.hypot((x1 - x0) * mx, (y1 - y0) * my)
    while nxt <= at + seg:
        t = (nxt - at) / seg if seg else 0
        pts.append((x0 + t * (x1 - x0) + rng.gauss(0, 5) / mx, y0 + t * (y1 - y0) + rng.gauss(0, 5) / my))
        nxt += step
    at += seg
t0 = datetime.datetime(2026, 4, 30, 8, 0, 0, tzinfo=datetime.timezone.utc)
def iso(s): return (t0 + datetime.timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%SZ")
with open(work + "/trace.gpx", "w") as o:
    o.write('<?xml version="1.0"?>\n<gpx version="1.1" creator="test_match.sh" xmlns="http://www.topografix.com/GPX/1/1">\n<trk><trkseg>\n')
    for i, (x, y) in enumerate(pts):
        o.write('<trkpt lat="%.7f" lon="%.7f"><time>%s</time></trkpt>\n' % (y, x, iso(2 * i)))
    o.write("</trkseg></trk>\n</gpx>\n")
def csv(name, rows):
    with open(work + "/" + name, "w") as o:
        o.write("lon,lat,time\n")
        for x, y, t in rows:
            o.write("%.7f,%.7f,%s\n" % (x, y, t))
csv("trace.csv", [(x, y, iso(2 * i)) for i, (x, y) in enumerate(pts)])
csv("gap.csv", [(x, y, 2 * i + (120 if i > 40 else 0)) for i, (x, y) in enumerate(pts)])
csv("far.csv", [(x, y + (0.0027 if i == 20 else 0), 2 * i) for i, (x, y) in enumerate(pts)])
csv("back.csv", [(x, y, 2 * i - (5 if i == 10 else 0)) for i, (x, y) in enumerate(pts)])
csv("sea.csv", [(7.46, 43.73, 0), (7.461, 43.73, 10)])
json.dump({"n": len(pts), "distance_m": f["properties"]["distance_m"]}, open(work + "/truth.json", "w"))
PY
N=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["n"])' "$WORK/truth.json")
D=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["distance_m"])' "$WORK/truth.json")

if exits "match a GPX trace" 0 "$CORRIDOR" match "$NET" "$WORK/trace.gpx" -o "$WORK/gpx.json"; then
    ok "match a GPX trace"
    jcheck "GPX" "$WORK/gpx.json" "len(d['matchings']) == 1" "len(d['points']) == $N" \
        "sum(p['matched'] for p in d['points']) >= 0.95 * $N" \
        "abs(d['matchings'][0]['route']['distance_m'] - $D) < 0.05 * $D" \
        "d['matchings'][0]['confidence'] > 0.8" "d['points'][0]['time'] == 1777536000" \
        "d['points'][3]['distance_m'] < 20" "d['matchings'][0]['route']['duration_s'] > 0"
fi
if exits "match the CSV trace to stdout" 0 "$CORRIDOR" match "$NET" "$WORK/trace.csv"; then
    cp "$WORK/stdout" "$WORK/csv.json"
    jcheck "CSV = GPX" "$WORK/csv.json" \
        "d['matchings'] == __import__('json').load(open('$WORK/gpx.json'))['matchings']"
fi
if exits "GeoJSON out" 0 "$CORRIDOR" match "$NET" "$WORK/trace.csv" -o "$WORK/m.geojson"; then
    jcheck "GeoJSON" "$WORK/m.geojson" \
        "sum(f['properties']['kind'] == 'matching' for f in d['features']) == 1" \
        "sum(f['properties']['kind'] == 'point' for f in d['features']) == $N" \
        "d['features'][0]['geometry']['type'] == 'LineString'"
fi
if exits "GeoPackage out" 0 "$CORRIDOR" match "$NET" "$WORK/trace.gpx" -o "$WORK/m.gpkg"; then
    rows=$("$PY" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute("select count(*) from matchings").fetchone()[0], c.execute("select count(*) from points").fetchone()[0])' "$WORK/m.gpkg" 2>&1)
    if [ "$rows" = "1 $N" ]; then ok "GeoPackage: 1 matching, $N points"; else bad "GeoPackage rows" "$rows"; fi
fi
if exits "a 120 s pause" 0 "$CORRIDOR" match "$NET" "$WORK/gap.csv" -o "$WORK/gap.json"; then
    jcheck "gap split" "$WORK/gap.json" "len(d['matchings']) == 2" \
        "d['points'][41]['matching'] == 1" "d['points'][41]['waypoint'] == 0"
fi
if exits "--gaps ignore" 0 "$CORRIDOR" match "$NET" "$WORK/gap.csv" --gaps ignore -o "$WORK/nogap.json"; then
    jcheck "gaps ignored" "$WORK/nogap.json" "len(d['matchings']) == 1"
fi
if exits "a point far off" 0 "$CORRIDOR" match "$NET" "$WORK/far.csv" -o "$WORK/far.json"; then
    jcheck "far point" "$WORK/far.json" "not d['points'][20]['matched']" \
        "d['points'][21]['matched']" "len(d['matchings']) == 1"
fi
error "missing trace" 1 "nothing.gpx" "$CORRIDOR" match "$NET" "$WORK/nothing.gpx"
error "times backwards" 1 "back.csv: line 12: time goes backwards" "$CORRIDOR" match "$NET" "$WORK/back.csv"
error "trace at sea" 1 "no two points of the trace match" "$CORRIDOR" match "$NET" "$WORK/sea.csv"
error "bad -o" 2 "want .json, .geojson or .gpkg" "$CORRIDOR" match "$NET" "$WORK/trace.csv" -o "$WORK/x.txt"
error "bad --gaps" 2 "--gaps" "$CORRIDOR" match "$NET" "$WORK/trace.csv" --gaps never
error "one file only" 2 "want a NETWORK file and a TRACE file" "$CORRIDOR" match "$NET"
finish
