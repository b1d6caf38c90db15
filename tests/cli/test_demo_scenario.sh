#!/usr/bin/env bash
# The scenario inputs of the demo (scripts/demo, "Scenario study") stay valid: the example Krems
# bypass and its interchanges (datasets/scenario-krems-*-example.geojson, drawn for the demo, not
# a real plan) build a scenario on the imported Krems extract with both interchanges and both
# ends joined, the bypass is used by a through trip and makes it faster, and `corridor compare`
# of the OSM landuse areas before and after finds pairs faster and none slower or lost.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_demo_scenario.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-demo-scenario}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the answers"
make_scratch
cd "$WORK" || finish

D=$SRC/datasets
exits "import Krems" 0 "$CORRIDOR" import "$D/graphhopper-krems.osm.pbf" -o krems.corr \
    --terminals "$D/terminals-krems-example.csv" || finish
if exits "scenario" 0 "$CORRIDOR" scenario krems.corr -o bypass.corr \
    --add "$D/scenario-krems-bypass-example.geojson" \
    --interchanges "$D/scenario-krems-interchanges-example.geojson"; then
    grep -q "2 interchanges joined, 2 ends joined, 0.00 km closed" "$WORK/stdout" &&
        ok "scenario: $(cat "$WORK/stdout")" || bad "scenario: both interchanges and both ends" "$(cat "$WORK/stdout")"
else
    finish
fi
exits "info --json" 0 "$CORRIDOR" info bypass.corr --json && cp "$WORK/stdout" info.json &&
    jcheck "provenance: the example files" info.json \
        'd["provenance"]["scenario"]["changes"]["km_added"] > 5.5' \
        'd["provenance"]["scenario"]["changes"]["ends_open"] == 0'

# a through trip from the Kremstalstraße to the Neustifter Straße: faster, along the bypass
"$CORRIDOR" route krems.corr --profile car --from 15.5940,48.4206 --to 15.6645,48.4085 >before.json 2>/dev/null
"$CORRIDOR" route bypass.corr --profile car --from 15.5940,48.4206 --to 15.6645,48.4085 >after.json 2>/dev/null
"$CORRIDOR" route bypass.corr --profile car --from 15.5940,48.4206 --to 15.6645,48.4085 \
    --format geojson >after.geojson 2>/dev/null
if msg=$("$PY" - <<'PY' 2>&1
import json
b, a = json.load(open("before.json")), json.load(open("after.json"))
assert b["status"] == "ok" and a["status"] == "ok", (b["status"], a["status"])
assert a["duration_s"] < b["duration_s"] - 120, (b["duration_s"], a["duration_s"])
# the route passes through two inner vertices of the bypass (within 2 m)
pts = [c for f in json.load(open("after.geojson"))["features"] if f["geometry"]["type"] == "LineString"
       for c in f["geometry"]["coordinates"]]
for v in ([15.6250, 48.4232], [15.6400, 48.4218]):
    m = min(((c[0] - v[0]) * 74000) ** 2 + ((c[1] - v[1]) * 111200) ** 2 for c in pts) ** 0.5
    assert m < 2, "the route passes %.0f m from the bypass vertex %s" % (m, v)
print("%.1f min -> %.1f min" % (b["duration_s"] / 60, a["duration_s"] / 60))
PY
); then ok "through trip on the bypass: $msg"; else bad "through trip on the bypass" "$msg"; fi

exits "compare" 0 "$CORRIDOR" compare krems.corr bypass.corr --zones "$D/graphhopper-krems.osm.pbf" \
    --profile car --no-ch -o changes.csv --summary summary.json &&
    jcheck "compare: pairs faster, none slower or lost" summary.json \
        'd["pairs"]["faster"] > 20' 'd["pairs"]["slower"] == 0' 'd["pairs"]["lost"] == 0' \
        'd["mean_change_s"] < 0'
finish
