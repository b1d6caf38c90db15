#!/usr/bin/env bash
# Where `corridor route` and `corridor matrix` snap a point, end to end on the bundled Monaco
# extract: on a junction, onto its own street at 0 m (the peer reference, pgRouting, gives
# 6,234 m for this pair by distance; starting on the bridge 5.3 m away gave 3,840 m); --radius,
# --bearing and --approach (OSRM's radiuses, bearings, approaches) with their usage errors.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_snap_options.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-snap-options}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the JSON answers"
make_scratch

NET=$WORK/monaco.corr
if "$CORRIDOR" import "$SRC/datasets/osrm-monaco.osm.pbf" -o "$NET" --quiet 2>"$WORK/import.err"; then
    ok "import Monaco"
else
    bad "import Monaco" "$(cat "$WORK/import.err")"
    finish
fi

# The junction of Avenue de Varavilla and a one-way tertiary, under a bridge, to a junction in
# the west of the town.
J=7.4378257,43.7519401
K=7.4143865,43.7289921
run "$WORK/j.json" route "$NET" --profile car --metric distance --from $J --to $K
jcheck "junction to junction by distance" "$WORK/j.json" \
    'd["waypoints"][0]["snap_distance_m"] == 0' 'd["waypoints"][1]["snap_distance_m"] == 0' \
    'abs(d["distance_m"] - 6234) < 0.01 * 6234'

# radius: 2.5 km off the coast is beyond the default 1000 m, within a radius of 3 km
SEA=7.46,43.73
error "a point at sea: no_segment" 1 "no way the car profile may use within 1000 m" \
    "$CORRIDOR" route "$NET" --profile car --from $J --to $SEA
run "$WORK/sea.json" route "$NET" --profile car --from $J --to $SEA --radius 3000
jcheck "--radius 3000 reaches the coast" "$WORK/sea.json" 'd["status"] == "ok"' \
    'd["waypoints"][1]["snap_distance_m"] > 1000'
run "$WORK/sea2.json" route "$NET" --profile car --from $J --to $SEA --radius "50;unlimited"
jcheck "--radius per point, unlimited" "$WORK/sea2.json" 'd["status"] == "ok"'
error "--radius too small for one point" 1 "within 10 m" \
    "$CORRIDOR" route "$NET" --profile car --from 7.4197,43.7312 --to $K --radius "10;"

# bearing and approach change where the route may start and end, never its measures' rules
run "$WORK/plain.json" route "$NET" --profile car --from $J --to $K
PLAIN_S=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["duration_s"])' "$WORK/plain.json")
run "$WORK/curb.json" route "$NET" --profile car --from $J --to $K --approach "curb;curb"
jcheck "--approach curb: a route, no shorter than without" "$WORK/curb.json" \
    'd["status"] == "ok"' "d[\"duration_s\"] >= ${PLAIN_S:-0}"

printf 'id,lon,lat\nj,7.4378257,43.7519401\nk,7.4143865,43.7289921\nsea,7.46,43.73\n' >"$WORK/pts.csv"
run "$WORK/m.csv" matrix "$NET" --profile car --sources "$WORK/pts.csv" --radius 5000 --approach curb
if [ "$rc" -eq 0 ] && [ "$(grep -c ',ok$' "$WORK/m.csv")" -eq 9 ]; then
    ok "matrix with --radius and --approach"
else
    bad "matrix with --radius and --approach" "exit $rc" "$(head -c 300 "$WORK/m.csv.err")"
fi

# usage errors: exit 2, one line naming the option
error "--radius x" 2 "--radius x" "$CORRIDOR" route "$NET" --profile car --from $J --to $K --radius x
error "--radius -5" 2 "--radius -5" "$CORRIDOR" route "$NET" --profile car --from $J --to $K --radius -5
error "--radius with 3 elements for 2 points" 2 "3 elements for 2 points" \
    "$CORRIDOR" route "$NET" --profile car --from $J --to $K --radius "1;2;3"
error "--bearing 90" 2 "--bearing 90" "$CORRIDOR" route "$NET" --profile car --from $J --to $K --bearing 90
error "--bearing 90,200" 2 "--bearing" "$CORRIDOR" route "$NET" --profile car --from $J --to $K --bearing 90,200
error "--approach kerb" 2 "--approach kerb" \
    "$CORRIDOR" route "$NET" --profile car --from $J --to $K --approach kerb
error "matrix --radius list" 2 "--radius" "$CORRIDOR" matrix "$NET" --profile car \
    --sources "$WORK/pts.csv" --radius "1;2"
finish
