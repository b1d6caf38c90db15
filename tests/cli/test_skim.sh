#!/usr/bin/env bash
# `corridor skim` end to end on the bundled HCMC District 3 extract.
#
# Zones written by this script (GeoJSON, WGS84) over District 3 (the network's bbox is about
# 106.6881..106.6970 E, 10.7836..10.7919 N): a 3 x 3 grid of cells Z11..Z32 with a U-shaped zone
# in the north-east corner (its centroid lies in the gap between its arms, outside it: the
# representative point must not), and a zone "far" ~12 km south-east, in no road's reach (status no_segment).
# Checks: one row per ordered pair, statuses, zero diagonal; each representative point lies in
# its zone; cells equal `corridor route` between the two points (all four measures) and
# `corridor matrix` between them (time and distance); zones read from the OSM file's own
# landuse areas; -o; errors (exit 2 for usage, 1 for bad input, one stderr line).
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_skim.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-skim}
PBF=$SRC/datasets/hcmc-district3-map.osm.pbf
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the answers"
make_scratch out

NET=$WORK/hcmc.corr
exits "import District 3" 0 "$CORRIDOR" import "$PBF" -o "$NET" --quiet || finish

"$PY" - "$WORK/zones.geojson" <<'EOF'
import json, sys
feats = []
def square(name, x0, y0, x1, y1):
    feats.append({"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}})
lon0, lat0, dlon, dlat = 106.6884, 10.7839, 0.0027, 0.0025
for r in range(3):
    for c in range(3):
        if (r, c) == (2, 2):
            continue  # the U is there
        square("Z%d%d" % (r + 1, c + 1), lon0 + c * dlon, lat0 + r * dlat,
               lon0 + (c + 1) * dlon - 0.0002, lat0 + (r + 1) * dlat - 0.0002)
# a U open to the north: arms 0.0008 wide, the gap between them 0.0014 wide
feats.append({"type": "Feature", "properties": {"name": "U"}, "geometry": {"type": "Polygon",
    "coordinates": [[[106.6930, 10.7870], [106.6960, 10.7870], [106.6960, 10.7900],
                     [106.6952, 10.7900], [106.6952, 10.7878], [106.6938, 10.7878],
                     [106.6938, 10.7900], [106.6930, 10.7900], [106.6930, 10.7870]]]}})
square("far", 106.75, 10.70, 106.751, 10.701)
json.dump({"type": "FeatureCollection", "features": feats}, open(sys.argv[1], "w"))
EOF
ZONES=$WORK/zones.geojson
NZ=10

# ---- the skim ----------------------------------------------------------------------------------
if exits "skim motorcycle" 0 "$CORRIDOR" skim "$NET" --zones "$ZONES" --name-field name \
    --profile motorcycle --points "$WORK/out/points.csv" -o "$WORK/out/skim.csv"; then
    grep -q "1 of $NZ zones" "$WORK/stderr" && ok "skim: a note names the zone out of reach" ||
        bad "skim: a note names the zone out of reach" "$(cat "$WORK/stderr")"
    msg=$("$PY" - "$WORK/out/skim.csv" "$WORK/out/points.csv" "$ZONES" "$NZ" <<'EOF' 2>&1
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
pts = {r["zone"]: r for r in csv.DictReader(open(sys.argv[2]))}
zones = {f["properties"]["name"]: f["geometry"]["coordinates"][0]
         for f in json.load(open(sys.argv[3]))["features"]}
n = int(sys.argv[4])
assert list(rows[0].keys()) == ["from_zone", "to_zone", "distance_m", "duration_s", "cost",
                                "co2_kg", "status"], list(rows[0].keys())
pk = list(pts[next(iter(pts))].keys())
assert pk == ["zone", "lon", "lat", "snap_lon", "snap_lat", "snap_distance_m", "status"], pk
# one rule for the measures (routing/measure.h): 0.1 m, 0.1 s, whole dong, 0.001 kg
for r in rows:
    if r["status"] == "ok":
        assert [len(r[k].split(".")[1]) if "." in r[k] else 0
                for k in ("distance_m", "duration_s", "cost", "co2_kg")] == [1, 1, 0, 3], r
assert len(rows) == n * n, "%d rows, want %d" % (len(rows), n * n)
assert len(pts) == n, pts
def inside(x, y, ring):
    c = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            c = not c
    return c
for z, p in pts.items():
    assert inside(float(p["lon"]), float(p["lat"]), zones[z]), "zone %s: point %s,%s outside it" % (z, p["lon"], p["lat"])
    assert (p["status"] == "no_segment") == (z == "far"), p
for r in rows:
    far = "far" in (r["from_zone"], r["to_zone"])
    if far:
        assert r["status"] == "no_segment" and r["duration_s"] == "", r
    else:
        assert r["status"] == "ok", r
        if r["from_zone"] == r["to_zone"]:
            assert float(r["duration_s"]) == 0 and float(r["distance_m"]) == 0, r
        else:
            assert float(r["duration_s"]) > 0 and float(r["distance_m"]) > 0, r
print("ok")
EOF
    )
    [ "$msg" = ok ] && ok "skim: $NZ x $NZ rows, statuses, zero diagonal, points inside their zones (U too)" ||
        bad "skim: rows, statuses, points" "$msg"
    if exits "skim to stdout" 0 "$CORRIDOR" skim "$NET" --zones "$ZONES" --name-field name \
        --profile motorcycle && cmp -s "$WORK/stdout" "$WORK/out/skim.csv"; then
        ok "skim: -o FILE = stdout"
    else
        bad "skim: -o FILE = stdout"
    fi
fi

# ---- cells = corridor route between the representative points ----------------------------------
# rows of Z11, U and Z23 (24 routes): all four measures, to the rounding of both outputs
if [ -s "$WORK/out/points.csv" ]; then
    : >"$WORK/routes.txt"
    while IFS=, read -r from to dist dur cost co2 status; do
        case $from in Z11 | U | Z23) ;; *) continue ;; esac
        [ "$status" = ok ] && [ "$from" != "$to" ] || continue
        a=$(awk -F, -v z="$from" '$1 == z { print $2 "," $3 }' "$WORK/out/points.csv")
        b=$(awk -F, -v z="$to" '$1 == z { print $2 "," $3 }' "$WORK/out/points.csv")
        n=$(wc -l <"$WORK/routes.txt")
        "$CORRIDOR" route "$NET" --profile motorcycle --from "$a" --to "$b" >"$WORK/route-$n.json" 2>&1
        echo "$from $to $dist $dur $cost $co2 $WORK/route-$n.json" >>"$WORK/routes.txt"
    done <"$WORK/out/skim.csv"
    msg=$("$PY" - "$WORK/routes.txt" <<'EOF' 2>&1
import json, sys
bad, n = [], 0
for line in open(sys.argv[1]):
    f, t, *want, path = line.split()
    want = [float(x) for x in want]
    try:
        d = json.load(open(path))
        got = [d["distance_m"], d["duration_s"], d["cost"], d["co2_kg"]]
    except Exception as e:
        bad.append("%s->%s: %s" % (f, t, e)); continue
    n += 1
    if not all(abs(g - w) <= tol for g, w, tol in zip(got, want, [0.11, 0.11, 1.01, 0.0011])):
        bad.append("%s->%s: route %s, skim %s" % (f, t, got, want))
print("; ".join(bad[:5]) if bad else "ok %d" % n)
EOF
    )
    case $msg in
    "ok 24") ok "skim cells = corridor route between the points (24 pairs: time, distance, cost, CO2)" ;;
    *) bad "skim cells = corridor route between the points" "$msg" ;;
    esac
fi

# ---- cells = corridor matrix between the points --------------------------------------------------
# matrix gives the metric's value only: compare time (metric time) and distance (metric distance)
awk -F, 'NR == 1 { print "id,lon,lat"; next } $7 == "ok" { print $1 "," $2 "," $3 }' \
    "$WORK/out/points.csv" >"$WORK/points-ok.csv"
for metric in time distance; do
    col=$([ $metric = time ] && echo duration_s || echo distance_m)
    if exits "skim --metric $metric" 0 "$CORRIDOR" skim "$NET" --zones "$ZONES" --name-field name \
        --profile car --metric $metric -o "$WORK/out/skim-$metric.csv" &&
        exits "matrix --metric $metric" 0 "$CORRIDOR" matrix "$NET" --profile car --metric $metric \
            --sources "$WORK/points-ok.csv" -o "$WORK/out/matrix-$metric.csv"; then
        msg=$("$PY" - "$WORK/out/skim-$metric.csv" "$WORK/out/matrix-$metric.csv" "$col" <<'EOF' 2>&1
import csv, sys
col = sys.argv[3]
skim = {(r["from_zone"], r["to_zone"]): r for r in csv.DictReader(open(sys.argv[1]))}
mat = list(csv.DictReader(open(sys.argv[2])))
bad = []
for m in mat:
    s = skim[(m["source"], m["target"])]
    if m["status"] != s["status"]:
        bad.append("%s->%s: matrix %s, skim %s" % (m["source"], m["target"], m["status"], s["status"]))
    elif s["status"] == "ok" and abs(float(m[col]) - float(s[col])) > 0.5 + 1e-3 * float(s[col]):
        bad.append("%s->%s: matrix %s, skim %s" % (m["source"], m["target"], m[col], s[col]))
print("; ".join(bad[:5]) if bad else "ok %d" % len(mat))
EOF
        )
        case $msg in
        "ok 81") ok "skim --metric $metric = corridor matrix (car, 81 cells)" ;;
        *) bad "skim --metric $metric = corridor matrix (car)" "$msg" ;;
        esac
    fi
done

# ---- zones from the OSM file's landuse areas ---------------------------------------------------
if exits "skim: zones = OSM landuse" 0 "$CORRIDOR" skim "$NET" --zones "$PBF" --profile car; then
    n=$(awk -F, 'NR > 1' "$WORK/stdout" | wc -l)
    okc=$(awk -F, 'NR > 1 && $7 == "ok"' "$WORK/stdout" | wc -l)
    if [ "$n" -ge 4 ] && [ "$n" -eq "$okc" ]; then
        ok "skim: zones = the extract's landuse areas ($n cells, all ok)"
    else
        bad "skim: zones = the extract's landuse areas" "$n cells, $okc ok" "$(head -5 "$WORK/stdout")"
    fi
    # two of these zones' points lie 0.2 m apart on one street: the cell was once -0.2 m
    neg=$("$PY" -c 'import csv, sys
print(" ".join("%s->%s %s m %s s" % (r["from_zone"], r["to_zone"], r["distance_m"], r["duration_s"])
               for r in csv.DictReader(open(sys.argv[1]))
               if float(r["distance_m"]) < 0 or float(r["duration_s"]) < 0))' "$WORK/stdout")
    [ -z "$neg" ] && ok "skim: no negative distance or time (points a few dm apart on one street)" ||
        bad "skim: no negative distance or time" "$neg"
fi

# ---- the zoning options every command shares: a CP1258 Shapefile and --encoding ---------------
# The zones as a Shapefile in CP1258 without its .cpg, Z11 renamed in Vietnamese: --encoding
# CP1258 gives the zone ids whole in UTF-8, as for `corridor zones info` and `landtake`.
if command -v ogr2ogr >/dev/null; then
    mkdir -p "$WORK/vn1258"
    sed 's/"Z11"/"Phường Võ Thị Sáu"/' "$ZONES" >"$WORK/vn-zones.geojson"
    if ogr2ogr -f "ESRI Shapefile" -lco ENCODING=CP1258 "$WORK/vn1258/zones.shp" \
        "$WORK/vn-zones.geojson" 2>"$WORK/ogr.err"; then
        rm -f "$WORK/vn1258/zones.cpg"
        if exits "skim: CP1258 Shapefile, --encoding CP1258" 0 "$CORRIDOR" skim "$NET" \
            --zones "$WORK/vn1258/zones.shp" --name-field name --encoding CP1258 --layer zones \
            --profile motorcycle; then
            n=$(grep -c '^Phường Võ Thị Sáu,' "$WORK/stdout")
            [ "$n" -eq "$NZ" ] && ok "skim --encoding: the zone's name whole in UTF-8 ($n rows)" ||
                bad "skim --encoding: the zone's name whole in UTF-8" "$n rows, want $NZ" \
                    "$(head -3 "$WORK/stdout")"
        fi
    else
        bad "ogr2ogr to a CP1258 Shapefile" "$(cat "$WORK/ogr.err")"
    fi
else
    echo "skip skim --encoding: no ogr2ogr"
fi

# ---- errors --------------------------------------------------------------------------------------
error "error: no --zones" 2 "zones" "$CORRIDOR" skim "$NET" --profile car
error "error: no --profile" 2 "profile" "$CORRIDOR" skim "$NET" --zones "$ZONES"
error "error: no NETWORK" 2 "NETWORK" "$CORRIDOR" skim --zones "$ZONES" --profile car
error "error: --max-snap -1" 2 "max-snap" \
    "$CORRIDOR" skim "$NET" --zones "$ZONES" --profile car --max-snap -1
error "error: --metric speed" 2 "metric" \
    "$CORRIDOR" skim "$NET" --zones "$ZONES" --profile car --metric speed
error "error: zones file missing" 1 "nowhere.geojson" \
    "$CORRIDOR" skim "$NET" --zones "$WORK/nowhere.geojson" --profile car
error "error: network missing" 1 "nowhere.corr" \
    "$CORRIDOR" skim "$WORK/nowhere.corr" --zones "$ZONES" --profile car
error "error: unknown profile" 1 "hovercraft" \
    "$CORRIDOR" skim "$NET" --zones "$ZONES" --profile hovercraft
error "error: unwritable -o" 1 "no-such-dir/skim.csv" \
    "$CORRIDOR" skim "$NET" --zones "$ZONES" --profile car -o "$WORK/no-such-dir/skim.csv"
finish
