#!/usr/bin/env bash
# OSRM's continue_straight on /route, on the drawn grid tests/maps/snapping.osm (synthetic; 1 unit
# = 0.001 degree, about 110 m; every way two-way): with continue_straight=true a route leaves
# each via point in the direction it reached it (no U-turn there), the legs chosen together; with
# false or default each leg may start back the way the last came (corridor's default; OSRM's car
# profile defaults to true).
#   1. (1.5,2) -> via (3.5,2) -> (2.5,2) along Row 2: false turns back at the via point (3 units);
#      true goes on east and turns at the next crossing (4 units, a "continue uturn" step there).
#   2. (3.5,3) -> via (3.5,2) -> (2.5,2): true reaches the via point heading west (round the
#      east side of the block) so the route needs no turn after it: as short as false; a
#      leg-by-leg choice could have reached it heading east.
#   3. (2.5,2) -> via (3.5,2) -> (3.5,3): true must go on east after the via point, so it is
#      slower than false, and its legs are still joined at the via point.
# And corridor route --continue-straight gives the same routes as case 1.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_continue_straight.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-continue-straight}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the answers"
if ! command -v curl >/dev/null; then
    echo "skip: no curl"
    exit 77
fi
make_scratch
NET=$WORK/grid.corr
"$CORRIDOR" import "$SRC/tests/maps/snapping.osm" -o "$NET" 2>"$WORK/import.txt" || {
    bad "import" "$(cat "$WORK/import.txt")"
    finish
}
before_finish() { stop_server; }
trap stop_server EXIT
if ! start_server "$WORK/serve.log"; then
    bad "serve" "$(cat "$WORK/serve.log")"
    finish
fi
U="http://127.0.0.1:$PORT/route/v1/car"
ask() { # NAME COORDINATES OPTIONS
    curl -s "$U/$2?steps=true&$3" >"$WORK/$1.json"
}

ask back1 "106.0015,10.002;106.0035,10.002;106.0025,10.002" continue_straight=false
ask default1 "106.0015,10.002;106.0035,10.002;106.0025,10.002" continue_straight=default
ask on1 "106.0015,10.002;106.0035,10.002;106.0025,10.002" continue_straight=true
jcheck "1. false: back at the via point, 3 units" "$WORK/back1.json" \
    'd["code"] == "Ok"' '320 < d["routes"][0]["distance"] < 340'
jcheck "1. default is false" "$WORK/default1.json" \
    'd["routes"][0]["distance"] == 328.8'
jcheck "1. true: on east, the U-turn at the next crossing, 4 units" "$WORK/on1.json" \
    'd["code"] == "Ok"' '430 < d["routes"][0]["distance"] < 450' \
    '[s["maneuver"].get("modifier") for s in d["routes"][0]["legs"][1]["steps"]].count("uturn") == 1' \
    'd["routes"][0]["legs"][1]["steps"][1]["maneuver"]["location"][0] > 106.0039'

ask back2 "106.0035,10.003;106.0035,10.002;106.0025,10.002" continue_straight=false
ask on2 "106.0035,10.003;106.0035,10.002;106.0025,10.002" continue_straight=true
jcheck "2. true: the via point reached heading west, as short as false" "$WORK/on2.json" \
    'd["code"] == "Ok"' 'd["routes"][0]["distance"] == 329.8' 'd["routes"][0]["duration"] == 53.3' \
    '[s["maneuver"]["type"] for s in d["routes"][0]["legs"][1]["steps"]] == ["depart", "arrive"]'

ask back3 "106.0025,10.002;106.0035,10.002;106.0035,10.003" continue_straight=false
ask on3 "106.0025,10.002;106.0035,10.002;106.0035,10.003" continue_straight=true
if python3 - "$WORK/back3.json" "$WORK/on3.json" >"$WORK/cmp3.txt" 2>&1 <<'PY'
import json, sys
a, b = (json.load(open(p))["routes"][0] for p in sys.argv[1:])
turns = lambda r: [s["maneuver"].get("modifier") for s in r["legs"][1]["steps"]]
assert b["duration"] > a["duration"], (a["duration"], b["duration"])
assert "right" in turns(a) and "left" in turns(b), (turns(a), turns(b))
lg = b["legs"]
assert lg[0]["steps"][-1]["maneuver"]["location"] == lg[1]["steps"][0]["maneuver"]["location"]
print(a["duration"], b["duration"], turns(a), turns(b))
PY
then
    ok "3. true goes on east after the via point: $(cat "$WORK/cmp3.txt")"
else
    bad "3. true goes on east after the via point" "$(cat "$WORK/cmp3.txt")"
fi

# the command line's --continue-straight: the same two routes as case 1
# shellcheck disable=SC2054
V=(--profile car --from 106.0015,10.002 --via 106.0035,10.002 --to 106.0025,10.002)
run "$WORK/cli_back.json" route "$NET" "${V[@]}"
run "$WORK/cli_on.json" route "$NET" "${V[@]}" --continue-straight
jcheck "route without --continue-straight: as /route false" "$WORK/cli_back.json" \
    'd["distance_m"] == 328.8'
jcheck "route --continue-straight: as /route true (438.5 m)" "$WORK/cli_on.json" \
    'd["distance_m"] == 438.5'

curl -s "$U/106.0015,10.002;106.0035,10.002?continue_straight=maybe" >"$WORK/bad.json"
jcheck "continue_straight=maybe: InvalidQuery" "$WORK/bad.json" 'd["code"] == "InvalidQuery"'
stop_server
finish
