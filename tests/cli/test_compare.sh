#!/usr/bin/env bash
# `corridor compare` end to end on the bundled Krems extract (graphhopper-krems.osm.pbf).
#
# BASE: the extract imported. SCENARIO: a copy of the same OSM file without one way (w9401978, a
# piece of the B35, removed with `osmium removeid`: a road closed), imported the same way. Zones:
# the extract's own OSM landuse areas (53). Demand: a synthetic table this script writes (trips
# between every two zones, made up here: (7i + 3j) mod 11).
# Checks: a network against itself changes nothing; with the way removed no pair gets faster,
# some slower, and each pair's times are the skims' on each network; CSV columns; summary JSON
# keys and totals (trips, VHT and VKT recomputed from CHANGES.csv); the per-zone table; the map
# (PNG and PDF, title and legend in minutes, the removed road drawn over as an overlay); bad
# input (exit 1, one line, no output) and usage errors (exit 2).
#
# Skips (exit 77) when osmium-tool is not installed (scripts/install-deps installs it).
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_compare.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-compare}
PBF=$SRC/datasets/graphhopper-krems.osm.pbf
CLOSED=w9401978
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the answers"
if ! command -v osmium >/dev/null; then
    echo "skip: osmium-tool is not installed (scripts/install-deps installs it)"
    exit 77
fi
make_scratch out

BASE=$WORK/base.corr
SCEN=$WORK/scenario.corr
exits "import Krems" 0 "$CORRIDOR" import "$PBF" -o "$BASE" --quiet || finish
osmium removeid "$PBF" -o "$WORK/scenario.osm.pbf" "$CLOSED" --overwrite 2>"$WORK/stderr" ||
    { bad "osmium removeid $CLOSED" "$(cat "$WORK/stderr")"; finish; }
exits "import Krems without $CLOSED" 0 "$CORRIDOR" import "$WORK/scenario.osm.pbf" -o "$SCEN" --quiet || finish
# the closed road as a line layer, for the map
osmium getid -r "$PBF" "$CLOSED" -o "$WORK/closed.osm" --overwrite 2>/dev/null &&
    osmium export "$WORK/closed.osm" -o "$WORK/closed.geojson" --overwrite 2>/dev/null ||
    bad "export $CLOSED as GeoJSON"

Z=(--zones "$PBF")

# ---- a network against itself --------------------------------------------------------------------
if exits "compare BASE with itself" 0 "$CORRIDOR" compare "$BASE" "$BASE" "${Z[@]}" --profile car \
    -o "$WORK/out/same.csv" --summary "$WORK/out/same.json"; then
    msg=$("$PY" - "$WORK/out/same.csv" "$WORK/out/same.json" <<'EOF' 2>&1
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
s = json.load(open(sys.argv[2]))
assert len(rows) == 53 * 53, len(rows)
for r in rows:
    assert r["status_before"] == r["status_after"], r
    if r["status_before"] == "ok":
        assert r["time_change_s"] == "0.0" and r["distance_change_m"] == "0.0", r
p = s["pairs"]
assert p["faster"] == 0 and p["slower"] == 0 and p["lost"] == 0 and p["gained"] == 0, p
assert s["mean_change_s"] == 0 and s["zones_snap_moved"] == 0, s
EOF
    ) && ok "with itself: every change 0" || bad "with itself: every change 0" "$msg"
fi

# ---- one way closed, with demand -------------------------------------------------------------------
# ids as the skim names them (landuse areas without a name: their feature id)
"$CORRIDOR" skim "$BASE" "${Z[@]}" --profile car -o "$WORK/skim_base.csv" 2>/dev/null
"$CORRIDOR" skim "$SCEN" "${Z[@]}" --profile car -o "$WORK/skim_scen.csv" 2>/dev/null
"$PY" - "$WORK/skim_base.csv" "$WORK/demand.csv" <<'EOF'
import csv, sys
ids = []
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    if r["from_zone"] not in ids:
        ids.append(r["from_zone"])
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("origin,destination,trips\n")
    for i, o in enumerate(ids):
        for j, d in enumerate(ids):
            f.write("%s,%s,%d\n" % (o, d, (i * 7 + j * 3) % 11))
EOF
if exits "compare BASE and SCENARIO with demand" 0 "$CORRIDOR" compare "$BASE" "$SCEN" "${Z[@]}" \
    --profile car --demand "$WORK/demand.csv" -o "$WORK/out/changes.csv" --summary "$WORK/out/summary.json" \
    --per-zone "$WORK/out/zones.csv"; then
    msg=$("$PY" - "$WORK/out/changes.csv" "$WORK/out/summary.json" "$WORK/out/zones.csv" \
        "$WORK/skim_base.csv" "$WORK/skim_scen.csv" <<'EOF' 2>&1
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
s = json.load(open(sys.argv[2]))
zones = list(csv.DictReader(open(sys.argv[3], encoding="utf-8")))
sb = {(r["from_zone"], r["to_zone"]): r for r in csv.DictReader(open(sys.argv[4], encoding="utf-8"))}
sa = {(r["from_zone"], r["to_zone"]): r for r in csv.DictReader(open(sys.argv[5], encoding="utf-8"))}
assert list(rows[0].keys()) == ["from_zone", "to_zone", "time_before_s", "time_after_s",
    "time_change_s", "distance_before_m", "distance_after_m", "distance_change_m",
    "status_before", "status_after", "trips"], list(rows[0].keys())
assert list(zones[0].keys()) == ["zone", "mean_change_s", "mean_change_min", "weight", "pairs_ok",
    "pairs_lost", "pairs_gained", "snap_moved_m"], list(zones[0].keys())
for k in ["base", "scenario", "scenario_name", "zones_file", "profile", "metric", "zones",
          "zones_placed_before", "zones_placed_after", "zones_snap_moved", "pairs",
          "mean_change_s", "min_change_s", "max_change_s", "demand"]:
    assert k in s, "summary: no %s" % k
for k in ["file", "rows", "trips", "trips_ok_both", "trips_lost", "trips_gained", "trips_neither",
          "vht_before_h", "vht_after_h", "vht_change_h", "vkt_before_km", "vkt_after_km",
          "vkt_change_km"]:
    assert k in s["demand"], "summary demand: no %s" % k
assert len(rows) == 53 * 53 and len(zones) == 53
# each pair: the skims' own numbers on each network
for r in rows:
    b, a = sb[(r["from_zone"], r["to_zone"])], sa[(r["from_zone"], r["to_zone"])]
    assert r["status_before"] == b["status"] and r["status_after"] == a["status"], r
    if b["status"] == "ok":
        assert r["time_before_s"] == b["duration_s"] and r["distance_before_m"] == b["distance_m"], (r, b)
    if a["status"] == "ok":
        assert r["time_after_s"] == a["duration_s"], (r, a)
# a road closed: nothing faster (no zone snaps elsewhere here), some pairs slower
p = s["pairs"]
assert s["zones_snap_moved"] == 0, s
assert p["faster"] == 0 and p["slower"] > 0, p
ch = [float(r["time_change_s"]) for r in rows if r["time_change_s"]]
assert min(ch) >= 0 and max(ch) > 0 and abs(max(ch) - s["max_change_s"]) < 0.11, (min(ch), max(ch))
# totals recomputed from the table
d = s["demand"]
trips = sum(float(r["trips"]) for r in rows)
ok = [r for r in rows if r["status_before"] == "ok" and r["status_after"] == "ok"]
vhb = sum(float(r["trips"]) * float(r["time_before_s"]) for r in ok) / 3600
vha = sum(float(r["trips"]) * float(r["time_after_s"]) for r in ok) / 3600
vkb = sum(float(r["trips"]) * float(r["distance_before_m"]) for r in ok) / 1000
assert abs(d["trips"] - trips) < 1e-6 and d["rows"] == 53 * 53, (d, trips)
assert abs(d["vht_before_h"] - vhb) < 0.01 and abs(d["vht_after_h"] - vha) < 0.01, (d, vhb, vha)
assert abs(d["vkt_before_km"] - vkb) < 0.01, (d, vkb)
assert d["vht_after_h"] > d["vht_before_h"], d
# per zone: the demand-weighted mean of its pairs
z0 = zones[0]
mine = [r for r in ok if r["from_zone"] == z0["zone"] and r["to_zone"] != z0["zone"] and float(r["trips"]) > 0]
w = sum(float(r["trips"]) for r in mine)
if w > 0:
    mean = sum(float(r["trips"]) * float(r["time_change_s"]) for r in mine) / w
    assert abs(float(z0["mean_change_s"]) - mean) < 0.15, (z0, mean)
    assert float(z0["weight"]) == w, (z0, w)
print(p["slower"], "pairs slower, VHT %.3f -> %.3f h" % (d["vht_before_h"], d["vht_after_h"]))
EOF
    ) && ok "with $CLOSED closed: columns, keys, skims, totals ($msg)" ||
        bad "with $CLOSED closed: columns, keys, skims, totals" "$msg"
fi

# ---- the map ------------------------------------------------------------------------------------
if exits "--map PNG" 0 "$CORRIDOR" compare "$BASE" "$SCEN" "${Z[@]}" --profile car -o "$WORK/out/c2.csv" \
    --map "$WORK/out/change.png" --overlay "$WORK/closed.geojson:name=Closed road,colour=#000000,width=1.2,dash=2/1"; then
    [ -s "$WORK/out/change.png" ] && [ "$(head -c 4 "$WORK/out/change.png" | od -An -c | tr -d ' ')" = "211PNG" ] &&
        ok "--map: a PNG file" || bad "--map: a PNG file"
fi
if exits "--map PDF with a title" 0 "$CORRIDOR" compare "$BASE" "$SCEN" "${Z[@]}" --profile car -o "$WORK/out/c3.csv" \
    --map "$WORK/out/change.pdf" --overlay "$WORK/closed.geojson:name=Closed road" --title "B35 closed (test)"; then
    if command -v pdftotext >/dev/null; then
        pdftotext "$WORK/out/change.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$WORK/map.txt"
        for want in "B35 closed (test)" "minutes" "Closed road" "scenario.corr against base.corr"; do
            grep -qF -- "$want" "$WORK/map.txt" && ok "map text: $want" || bad "map text: $want" "$(head -c 300 "$WORK/map.txt")"
        done
    fi
fi

# ---- bad input and usage ----------------------------------------------------------------------------
printf 'origin,destination,trips\nnowhere,%s,1\n' "$(sed -n 2p "$WORK/demand.csv" | cut -d, -f1)" >"$WORK/bad_demand.csv"
error "a demand row naming no zone" 1 'line 2: no zone "nowhere"' "$CORRIDOR" compare "$BASE" "$SCEN" "${Z[@]}" \
    --profile car --demand "$WORK/bad_demand.csv" -o "$WORK/out/bad.csv"
[ ! -e "$WORK/out/bad.csv" ] && ok "bad demand: no output" || bad "bad demand: no output"
error "SCENARIO not a network file" 1 "" "$CORRIDOR" compare "$BASE" "$WORK/demand.csv" "${Z[@]}" \
    --profile car -o "$WORK/out/bad.csv"
[ ! -e "$WORK/out/bad.csv" ] && ok "not a network: no output" || bad "not a network: no output"
error "no such zones file" 1 "" "$CORRIDOR" compare "$BASE" "$SCEN" --zones "$WORK/nosuch.gpkg" \
    --profile car -o "$WORK/out/bad.csv"
error "one network only" 2 "two network files" "$CORRIDOR" compare "$BASE" "${Z[@]}" --profile car -o "$WORK/out/bad.csv"
error "no -o" 2 "want -o" "$CORRIDOR" compare "$BASE" "$SCEN" "${Z[@]}" --profile car
error "no --zones" 2 "want --zones" "$CORRIDOR" compare "$BASE" "$SCEN" --profile car -o "$WORK/out/bad.csv"
error "--map of an unknown format" 2 "png, .pdf or .svg" "$CORRIDOR" compare "$BASE" "$SCEN" "${Z[@]}" \
    --profile car -o "$WORK/out/bad.csv" --map "$WORK/out/x.gif"
error "--overlay without --map" 2 "needs --map" "$CORRIDOR" compare "$BASE" "$SCEN" "${Z[@]}" \
    --profile car -o "$WORK/out/bad.csv" --overlay "$WORK/closed.geojson"
[ ! -e "$WORK/out/bad.csv" ] && ok "usage errors: no output" || bad "usage errors: no output"

finish
