#!/usr/bin/env bash
# `corridor access` end to end on the bundled HCMC District 3 extract.
#
# Zones written by this script (GeoJSON, WGS84, a synthetic fixture over the real network): a
# 3 x 3 grid of cells Z11..Z33 over District 3 with a made-up "jobs" number each (Z22 has none:
# null), a text field "label", and a zone "far" ~12 km south-east, in no road's reach.
# Checks: the CSV's columns; each zone's sums equal a count over `corridor skim`'s CSV (pairs
# within 0.1 s of a threshold are left out: the skim's times are rounded to 0.1 s); thresholds
# monotone; the gravity column; "far" reaches only itself; the GeoPackage (ogrinfo: layer, zones,
# fields); --compare with the same network: before = after, change 0; --compare with another
# network (the larger District 3 extract): change = after - before; OSM landuse with
# area:commercial labelled as a proxy; bad input (exit 1 or 2, one line, no output file).
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_access.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-access}
PBF=$SRC/datasets/hcmc-district3-map.osm.pbf
PBF2=$SRC/datasets/hcmc-district3-multi-tl-map.osm.pbf
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
def square(name, x0, y0, x1, y1, jobs):
    feats.append({"type": "Feature", "properties": {"name": name, "jobs": jobs, "label": "cell " + name},
                  "geometry": {"type": "Polygon",
                               "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}})
lon0, lat0, dlon, dlat = 106.6884, 10.7839, 0.0027, 0.0025
for r in range(3):
    for c in range(3):
        name = "Z%d%d" % (r + 1, c + 1)
        square(name, lon0 + c * dlon, lat0 + r * dlat, lon0 + (c + 1) * dlon - 0.0002,
               lat0 + (r + 1) * dlat - 0.0002, None if name == "Z22" else 100 * (3 * r + c + 1))
square("far", 106.75, 10.70, 106.751, 10.701, 5000)
json.dump({"type": "FeatureCollection", "features": feats}, open(sys.argv[1], "w"))
EOF
ZONES=$WORK/zones.geojson
NZ=10
MIN=1,2,3,5
ARGS=(--zones "$ZONES" --name-field name --profile motorcycle)

# ---- CSV = a count over the skim ----------------------------------------------------------------
if exits "skim" 0 "$CORRIDOR" skim "$NET" "${ARGS[@]}" -o "$WORK/out/skim.csv" &&
    exits "access CSV" 0 "$CORRIDOR" access "$NET" "${ARGS[@]}" --opportunities jobs \
        --minutes 5,1,3,2 --decay exp:0.1 -o "$WORK/out/access.csv"; then
    grep -q "1 of 10 zones have no number in jobs" "$WORK/stderr" &&
        ok "access: a note counts the zone without a number" ||
        bad "access: a note counts the zone without a number" "$(cat "$WORK/stderr")"
    msg=$("$PY" - "$WORK/out/skim.csv" "$WORK/out/access.csv" "$MIN" <<'EOF' 2>&1
import csv, math, sys
skim = list(csv.DictReader(open(sys.argv[1])))
rows = list(csv.DictReader(open(sys.argv[2])))
mins = [float(m) for m in sys.argv[3].split(",")]
cols = ["zone", "fid", "status", "opportunities_of", "opportunities"] + \
       ["within_%dmin" % m for m in mins] + ["gravity_exp"]
assert list(rows[0].keys()) == cols, list(rows[0].keys())
opp = {r["zone"]: float(r["opportunities"]) for r in rows}
assert opp["Z22"] == 0 and opp["Z11"] == 100 and opp["far"] == 5000, opp
assert all(r["opportunities_of"] == "jobs" for r in rows)
t = {}
for s in skim:
    if s["status"] == "ok" and s["from_zone"] != s["to_zone"]:
        t[(s["from_zone"], s["to_zone"])] = float(s["duration_s"]) / 60
checked, split = 0, 0
for r in rows:
    z = r["zone"]
    assert r["status"] == ("no_segment" if z == "far" else "ok"), r
    prev = -1
    for m in mins:
        got = float(r["within_%dmin" % m])
        assert got >= prev, "%s: %s min reach less than the threshold before" % (z, m)
        prev = got
        near = [j for (i, j), v in t.items() if i == z and abs(v - m) < 0.1 / 60 + 1e-9]
        if near:
            continue
        want = opp[z] + sum(opp[j] for (i, j), v in t.items() if i == z and v <= m)
        assert abs(got - want) < 1e-6 * max(1, want), "%s within %s: %s, by hand %s" % (z, m, got, want)
        checked += 1
        if opp[z] < got < sum(opp.values()) - 5000:
            split += 1
    g = opp[z] + sum(opp[j] * math.exp(-0.1 * v) for (i, j), v in t.items() if i == z)
    assert abs(float(r["gravity_exp"]) - g) < 1e-3 * max(1, g), "%s gravity %s, by hand %s" % (z, r["gravity_exp"], g)
far = [r for r in rows if r["zone"] == "far"][0]
assert all(float(far["within_%dmin" % m]) == 5000 for m in mins), far
assert checked >= 30 and split > 0, (checked, split)
print("ok %d" % checked)
EOF
    )
    case $msg in
    ok*) ok "access: columns, sums = a count over corridor skim's CSV ($msg), monotone, gravity, far reaches itself" ;;
    *) bad "access: sums = a count over the skim" "$msg" ;;
    esac
    if exits "access to stdout" 0 "$CORRIDOR" access "$NET" "${ARGS[@]}" --opportunities jobs \
        --minutes 1,2,3,5 --decay exp:0.1 && cmp -s "$WORK/stdout" "$WORK/out/access.csv"; then
        ok "access: -o FILE.csv = stdout"
    else
        bad "access: -o FILE.csv = stdout"
    fi
fi

# ---- GeoPackage ----------------------------------------------------------------------------------
if exits "access GPKG" 0 "$CORRIDOR" access "$NET" "${ARGS[@]}" --opportunities jobs \
    --minutes 30,45,60 --decay power:1 -o "$WORK/out/access.gpkg"; then
    if command -v ogrinfo >/dev/null; then
        info=$(ogrinfo -so -al "$WORK/out/access.gpkg" 2>&1)
        if grep -q "^Layer name: access" <<<"$info" && grep -q "Feature Count: $NZ" <<<"$info" &&
            grep -q "within_30min: Real" <<<"$info" && grep -q "gravity_power: Real" <<<"$info" &&
            grep -q "Multi Polygon" <<<"$info" && grep -q "opportunities_of: String" <<<"$info"; then
            ok "access GPKG: ogrinfo reads layer access, $NZ zones, the measures as fields"
        else
            bad "access GPKG: ogrinfo" "$(head -c 1500 <<<"$info")"
        fi
        v=$(ogrinfo -q -sql "SELECT within_60min FROM access WHERE zone = 'far'" \
            "$WORK/out/access.gpkg" 2>&1 | awk -F'= ' '/within_60min/ { print $2 }')
        [ "$v" = 5000 ] && ok "access GPKG: far reaches its own 5000" || bad "access GPKG: far" "$v"
    else
        echo "skip the GeoPackage check: no ogrinfo"
    fi
fi

# ---- --compare -------------------------------------------------------------------------------------
if exits "access --compare (same network)" 0 "$CORRIDOR" access "$NET" "${ARGS[@]}" \
    --opportunities jobs --minutes 2,5 --decay exp:0.05 --compare "$NET" -o "$WORK/out/same.csv"; then
    msg=$("$PY" - "$WORK/out/same.csv" <<'EOF' 2>&1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
want = ["zone", "fid", "status", "status_after", "opportunities_of", "opportunities"]
for m in ["within_2min", "within_5min", "gravity_exp"]:
    want += [m + "_before", m + "_after", m + "_change"]
assert list(rows[0].keys()) == want, list(rows[0].keys())
for r in rows:
    for m in ["within_2min", "within_5min", "gravity_exp"]:
        assert r[m + "_before"] == r[m + "_after"] and float(r[m + "_change"]) == 0, r
    assert r["status"] == r["status_after"], r
print("ok")
EOF
    )
    [ "$msg" = ok ] && ok "access --compare, same network: before = after, change 0 everywhere" ||
        bad "access --compare, same network" "$msg"
fi
NET2=$WORK/hcmc-tl.corr
if exits "import the larger District 3 extract" 0 "$CORRIDOR" import "$PBF2" -o "$NET2" --quiet &&
    exits "access --compare (another network)" 0 "$CORRIDOR" access "$NET" "${ARGS[@]}" \
        --opportunities jobs --minutes 2,5 --compare "$NET2" -o "$WORK/out/other.csv"; then
    msg=$("$PY" - "$WORK/out/other.csv" <<'EOF' 2>&1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for r in rows:
    for m in ["within_2min", "within_5min"]:
        b, a, c = (float(r[m + s]) for s in ("_before", "_after", "_change"))
        assert abs(a - b - c) < 1e-9, r
print("ok %d" % len(rows))
EOF
    )
    [ "$msg" = "ok $NZ" ] && ok "access --compare, another network: change = after - before" ||
        bad "access --compare, another network" "$msg"
fi

# ---- OSM landuse: area as a proxy ------------------------------------------------------------------
if exits "access: OSM landuse area:commercial" 0 "$CORRIDOR" access "$NET" --zones "$PBF2" \
    --profile car --opportunities area:commercial --minutes 2,5; then
    n=$(awk 'NR > 1' "$WORK/stdout" | grep -c 'commercial land area in ha, a proxy, not jobs')
    total=$(awk 'NR > 1' "$WORK/stdout" | wc -l)
    [ "$n" -ge 10 ] && [ "$n" -eq "$total" ] &&
        ok "access: area:commercial on OSM landuse, every row says it is a proxy ($n zones)" ||
        bad "access: area:commercial labelled a proxy" "$n of $total" "$(head -3 "$WORK/stdout")"
fi

if exits "access: area:industrial where there is none" 0 "$CORRIDOR" access "$NET" --zones "$PBF" \
    --profile car --opportunities area:industrial --minutes 5; then
    grep -q "no zone of .* has class industrial" "$WORK/stderr" &&
        ok "access: a note says no zone has the class asked" ||
        bad "access: a note says no zone has the class asked" "$(cat "$WORK/stderr")"
fi
error "error: a field OSM landuse does not have" 1 "field jobs holds no number" \
    "$CORRIDOR" access "$NET" --zones "$PBF" --profile car --opportunities jobs --minutes 5

# ---- --map ---------------------------------------------------------------------------------------
PNG="$PY $SRC/tests/cli/render_png.py"
if exits "map: PNG" 0 "$CORRIDOR" access "$NET" "${ARGS[@]}" --opportunities jobs --minutes 2,5 \
    -o "$WORK/out/m.csv" --map "$WORK/out/m.png"; then
    size=$($PNG size "$WORK/out/m.png")
    [ "$size" = "1754 1240" ] && ok "map: A4 landscape PNG at 150 dpi" || bad "map: A4 landscape PNG at 150 dpi" "size $size"
fi
if command -v pdftotext >/dev/null; then
    if exits "map: PDF, field" 0 "$CORRIDOR" access "$NET" "${ARGS[@]}" --opportunities jobs --minutes 2,5 \
        --decay exp:0.1 --map-field within_5min -o "$WORK/out/m2.csv" --map "$WORK/out/m.pdf"; then
        pdftotext "$WORK/out/m.pdf" "$WORK/out/m.txt" 2>/dev/null
        grep -q "jobs$" "$WORK/out/m.txt" && grep -qF "within_5min: jobs within 5 min (motorcycle)" "$WORK/out/m.txt" &&
            grep -qF "Accessibility on hcmc.corr" "$WORK/out/m.txt" && ok "map PDF: legend in jobs, the measure named" ||
            bad "map PDF: legend in jobs, the measure named" "$(head -c 800 "$WORK/out/m.txt")"
    fi
    if exits "map: compare, diverging" 0 "$CORRIDOR" access "$NET" "${ARGS[@]}" --opportunities jobs \
        --minutes 2,5 --compare "$NET" -o "$WORK/out/m3.csv" --map "$WORK/out/m3.pdf"; then
        pdftotext "$WORK/out/m3.pdf" "$WORK/out/m3.txt" 2>/dev/null
        grep -qF "0 jobs" "$WORK/out/m3.txt" && grep -qF "within_2min_change" "$WORK/out/m3.txt" &&
            ok "map PDF: the change, 0 on the same network" || bad "map PDF: the change, 0 on the same network" "$(head -c 800 "$WORK/out/m3.txt")"
    fi
    if exits "map: OSM proxy" 0 "$CORRIDOR" access "$NET" --zones "$PBF2" --profile car \
        --opportunities area:commercial --minutes 2,5 -o "$WORK/out/m4.csv" --map "$WORK/out/m4.pdf"; then
        pdftotext "$WORK/out/m4.pdf" "$WORK/out/m4.txt" 2>/dev/null
        grep -qF "ha of commercial land (a proxy)" "$WORK/out/m4.txt" && ok "map PDF: land area labelled a proxy" ||
            bad "map PDF: land area labelled a proxy" "$(head -c 800 "$WORK/out/m4.txt")"
    fi
else
    echo "note: no pdftotext; the map's text is not checked"
fi
error "map: bad extension" 2 "png, .pdf or .svg" "$CORRIDOR" access "$NET" "${ARGS[@]}" --opportunities jobs \
    --minutes 2 --map "$WORK/out/none.jpg"
error "map: unknown --map-field" 2 "map-field" "$CORRIDOR" access "$NET" "${ARGS[@]}" --opportunities jobs \
    --minutes 2 --map "$WORK/out/none.png" --map-field within_9min
error "map: --map-field without --map" 2 "needs --map" "$CORRIDOR" access "$NET" "${ARGS[@]}" --opportunities jobs \
    --minutes 2 --map-field within_2min
error "map: unwritable" 1 "no-such-dir" "$CORRIDOR" access "$NET" "${ARGS[@]}" --opportunities jobs \
    --minutes 2 -o "$WORK/out/none.csv" --map "$WORK/no-such-dir/m.png"
error "map: bad field fails before any file" 1 "population" "$CORRIDOR" access "$NET" "${ARGS[@]}" \
    --opportunities population --minutes 2 -o "$WORK/out/none.csv" --map "$WORK/out/none.png"
[ ! -e "$WORK/out/none.png" ] && [ ! -e "$WORK/out/none.csv" ] && ok "map: no file after a failure" ||
    bad "map: no file after a failure" "$(ls "$WORK/out")"

# ---- errors ----------------------------------------------------------------------------------------
A=("$CORRIDOR" access "$NET" "${ARGS[@]}")
error "error: no such field" 1 "population" "${A[@]}" --opportunities population --minutes 30
error "error: a text field" 1 "label is not numeric" "${A[@]}" --opportunities label --minutes 30
error "error: --minutes 30,,60" 2 "minutes" "${A[@]}" --opportunities jobs --minutes 30,,60
error "error: --minutes 0" 2 "minutes" "${A[@]}" --opportunities jobs --minutes 0
error "error: --minutes 30,30" 2 "given twice" "${A[@]}" --opportunities jobs --minutes 30,30
error "error: --decay gauss:1" 2 "decay" "${A[@]}" --opportunities jobs --minutes 30 --decay gauss:1
error "error: --decay exp:-1" 2 "decay" "${A[@]}" --opportunities jobs --minutes 30 --decay exp:-1
error "error: no --opportunities" 2 "opportunities" "${A[@]}" --minutes 30
error "error: no --minutes" 2 "minutes" "${A[@]}" --opportunities jobs
error "error: area: on zones without classes" 1 "class-field" "${A[@]}" \
    --opportunities area:industrial --minutes 30
error "error: --compare network missing" 1 "nowhere.corr" "${A[@]}" --opportunities jobs \
    --minutes 30 --compare "$WORK/nowhere.corr" -o "$WORK/out/none.csv"
error "error: unwritable -o" 1 "no-such-dir/access.gpkg" "${A[@]}" --opportunities jobs \
    --minutes 30 -o "$WORK/no-such-dir/access.gpkg"
[ ! -e "$WORK/out/none.csv" ] && ok "error: no output file after a failure" ||
    bad "error: no output file after a failure"
finish
