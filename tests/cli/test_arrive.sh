#!/usr/bin/env bash
# Times everywhere on the drawn map tests/maps/conditional.osm (synthetic; scenarios in
# tests/maps/conditional.txt): corridor route --arrive (the latest departure that arrives in
# time), batch --depart and --arrive, skim --depart, and the server's arrive_by= on /route.
# Scenario 1: the truck's centre street is closed Mo-Fr 07:00-09:00; s -> t takes the ring road
# (1758 m) when it must arrive by 07:30 on Thursday 30 April and the centre street (1316 m) by
# 10:00.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_arrive.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-arrive}
MAP=$SRC/tests/maps/conditional.osm
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the answers"
make_scratch
NET=$WORK/conditional.corr
"$CORRIDOR" import "$MAP" -o "$NET" 2>"$WORK/import.txt" || {
    bad "import" "$(cat "$WORK/import.txt")"
    finish
}
# shellcheck disable=SC2054
T=(--profile truck --from 105.998,10 --to 106.010,10)

# route --arrive
run "$WORK/peak.json" route "$NET" "${T[@]}" --arrive 2026-04-30T07:30
jcheck "route --arrive 07:30: the ring road, leaving in time" "$WORK/peak.json" \
    'd["distance_m"] > 1700' 'd["algorithm"] == "td-dijkstra"' \
    'd["arrive_by"] == "2026-04-30T07:30:00"' 'd["arrive"] <= d["arrive_by"]' \
    'd["depart"] == "2026-04-30T07:26:49"'
run "$WORK/late.json" route "$NET" "${T[@]}" --arrive 2026-04-30T10:00
jcheck "route --arrive 10:00: the centre street" "$WORK/late.json" \
    'd["distance_m"] < 1400' 'd["arrive"] <= "2026-04-30T10:00:00"' \
    'd["depart"] == "2026-04-30T09:57:44"'
# the departure found, run forward: the same route and arrival; one second later: late
run "$WORK/fwd.json" route "$NET" "${T[@]}" --depart 2026-04-30T07:26:49
jcheck "route --depart at the departure found: arrives by 07:30" "$WORK/fwd.json" \
    'd["arrive"] <= "2026-04-30T07:30:00"' 'd["distance_m"] > 1700'
run "$WORK/fwd1.json" route "$NET" "${T[@]}" --depart 2026-04-30T07:26:50
jcheck "route --depart one second later: after 07:30 (07:26:50 + more than 190 s)" \
    "$WORK/fwd1.json" 'd["duration_s"] > 190.0'
# via points: each leg leaves when the one before arrives
run "$WORK/via.json" route "$NET" --profile car --from 106.04,10 --via 106.1,10 --to 106.108,10 \
    --arrive 2026-04-30T08:05
jcheck "route --arrive with a via point: arrives in time" "$WORK/via.json" \
    'd["arrive"] <= "2026-04-30T08:05:00"' 'len(d["legs"]) == 2'
error "route --depart and --arrive: exit 2" 2 "give one of them" "$CORRIDOR" route "$NET" \
    "${T[@]}" --depart 2026-04-30T07:00 --arrive 2026-04-30T08:00
error "route --arrive with the distance metric: exit 2" 2 "time metric" "$CORRIDOR" route \
    "$NET" "${T[@]}" --metric distance --arrive 2026-04-30T08:00

# --depart by distance: the bans apply, the weight is the distance, the times the clock's
run "$WORK/d1.json" route "$NET" "${T[@]}" --metric distance --depart 2026-04-30T07:30
jcheck "route --metric distance --depart Thu 07:30: the ring road, no wait" "$WORK/d1.json" \
    'd["distance_m"] == 1758.2' 'd["weight"] == d["distance_m"]' \
    'd["algorithm"] == "td-dijkstra"' 'd["arrive"] == "2026-04-30T07:33:10"'
run "$WORK/d2.json" route "$NET" "${T[@]}" --metric distance --depart 2026-04-30T10:00
jcheck "route --metric distance --depart Thu 10:00: the centre street" "$WORK/d2.json" \
    'd["distance_m"] == 1315.7'
run "$WORK/d3.json" route "$NET" --profile car --from 106.04,10 --to 106.108,10 \
    --metric distance --depart 2026-04-30T07:58
jcheck "route --metric distance: a ban that starts under way (scenario 2)" "$WORK/d3.json" \
    'd["distance_m"] > 7800' 'd["duration_s"] > 700'
error "route --arrive 2026-04-31: exit 2" 2 "want YYYY" "$CORRIDOR" route "$NET" "${T[@]}" \
    --arrive 2026-04-31T08:00

# a restriction:conditional via a way (tests/maps/conditional_via.txt): the turn off Link onto
# North road is banned Mo-Fr 16:00-19:00; the route then goes round by South road (9.998)
VNET=$WORK/via.corr
"$CORRIDOR" import "$SRC/tests/maps/conditional_via.osm" -o "$VNET" 2>"$WORK/via_import.txt"
if grep -q "conditional: 0 way tags and 1 turn restrictions kept, 0 not parsed" "$WORK/via_import.txt"; then
    ok "via way: the conditional restriction is kept at import"
else
    bad "via way: import" "$(cat "$WORK/via_import.txt")"
fi
# shellcheck disable=SC2054
V=(--profile car --from 106,10 --to 106.004,10.002)
run "$WORK/v1.json" route "$VNET" "${V[@]}" --depart 2026-04-30T12:00
jcheck "via way: Thu 12:00 through Link" "$WORK/v1.json" \
    '[106.002, 9.998] not in d["geometry"]["coordinates"]' 'd["distance_m"] < 700'
run "$WORK/v2.json" route "$VNET" "${V[@]}" --depart 2026-04-30T17:00
jcheck "via way: Thu 17:00 round by South road" "$WORK/v2.json" \
    '[106.002, 9.998] in d["geometry"]["coordinates"]'
run "$WORK/v3.json" route "$VNET" "${V[@]}" --depart 2026-05-02T17:00
jcheck "via way: Sat 17:00 through Link (Mo-Fr)" "$WORK/v3.json" 'd["distance_m"] < 700'
run "$WORK/v4.json" route "$VNET" "${V[@]}" --arrive 2026-04-30T17:00
jcheck "via way: arriving by Thu 17:00, round by South road" "$WORK/v4.json" \
    '[106.002, 9.998] in d["geometry"]["coordinates"]' 'd["arrive"] <= "2026-04-30T17:00:00"'
run "$WORK/v5.json" route "$VNET" "${V[@]}"
jcheck "via way: without a time (ignore) through Link" "$WORK/v5.json" 'd["distance_m"] < 700'

# batch: --depart, --arrive
printf "id,from_lon,from_lat,to_lon,to_lat\n1,105.998,10,106.010,10\n2,106.2,10,106.202,10.002\n" \
    >"$WORK/pairs.csv"
batch_row() { # batch_row LABEL PATTERN ARGS...: the batch output has a line matching PATTERN
    local label=$1 pattern=$2
    shift 2
    if "$CORRIDOR" batch "$NET" --profile truck --pairs "$WORK/pairs.csv" -o - --quiet "$@" \
        >"$WORK/batch.csv" 2>"$WORK/batch.err" && grep -qE "$pattern" "$WORK/batch.csv"; then
        ok "$label"
    else
        bad "$label" "$(cat "$WORK/batch.csv" "$WORK/batch.err")"
    fi
}
batch_row "batch without a time: the centre street" '^1,1315\.7,' --depart 2026-04-30T10:00
batch_row "batch --depart Thu 07:30: the ring road" '^1,1758\.2,' --depart 2026-04-30T07:30
batch_row "batch --depart Thu 17:00: the turn is banned (scenario 3)" '^2,879\.1,' \
    --depart 2026-04-30T17:00
batch_row "batch --arrive 07:30: the ring road and its departure" \
    '^1,1758\.2,.*,ok,2026-04-30T07:26:49$' --arrive 2026-04-30T07:30
batch_row "batch --arrive: a depart column" '^id,.*,status,depart$' --arrive 2026-04-30T07:30
error "batch --depart with the cost metric: exit 2" 2 "time or distance metric" "$CORRIDOR" \
    batch "$NET" --profile truck --metric cost --pairs "$WORK/pairs.csv" -o - --depart 2026-04-30T07:30

# skim --depart: two square zones around s and t
cat >"$WORK/zones.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"west"},"geometry":{"type":"Polygon","coordinates":[[[105.9975,9.9995],[105.9985,9.9995],[105.9985,10.0005],[105.9975,10.0005],[105.9975,9.9995]]]}},
{"type":"Feature","properties":{"name":"east"},"geometry":{"type":"Polygon","coordinates":[[[106.0095,9.9995],[106.0105,9.9995],[106.0105,10.0005],[106.0095,10.0005],[106.0095,9.9995]]]}}
]}
EOF
skim_row() { # skim_row LABEL PATTERN ARGS...
    local label=$1 pattern=$2
    shift 2
    if "$CORRIDOR" skim "$NET" --zones "$WORK/zones.geojson" --name-field name --profile truck \
        "$@" >"$WORK/skim.csv" 2>"$WORK/skim.err" && grep -qE "$pattern" "$WORK/skim.csv"; then
        ok "$label"
    else
        bad "$label" "$(cat "$WORK/skim.csv" "$WORK/skim.err")"
    fi
}
skim_row "skim without a time: the centre street" '^west,east,1315\.7,'
skim_row "skim --depart Thu 07:30: the ring road" '^west,east,1758\.2,' --depart 2026-04-30T07:30
skim_row "skim --depart Sat 07:30: the centre street (Mo-Fr)" '^west,east,1315\.7,' \
    --depart 2026-05-02T07:30

# the server's arrive_by
if ! command -v curl >/dev/null; then
    echo "skip: no curl for the server's part"
    finish
fi
before_finish() { stop_server; }
trap stop_server EXIT
if ! start_server "$WORK/serve.log" --profiles truck; then
    bad "serve" "$(cat "$WORK/serve.log")"
    finish
fi
U="http://127.0.0.1:$PORT/route/v1/truck/105.998,10;106.010,10"
curl -s "$U?arrive_by=2026-04-30T07:30" >"$WORK/s1.json"
jcheck "/route arrive_by 07:30: ring road, corridor says depart and arrive" "$WORK/s1.json" \
    'd["code"] == "Ok"' 'd["routes"][0]["distance"] > 1700' \
    'd["routes"][0]["corridor"]["depart"] == "2026-04-30T07:26:49"' \
    'd["routes"][0]["corridor"]["arrive"] <= "2026-04-30T07:30:00"' \
    'd["routes"][0]["corridor"]["arrive_by"] == "2026-04-30T07:30:00"'
curl -s "$U?arrive_by=2026-04-30T10:00" >"$WORK/s2.json"
jcheck "/route arrive_by 10:00: centre street" "$WORK/s2.json" \
    'd["routes"][0]["distance"] < 1400' 'd["routes"][0]["corridor"]["depart"] == "2026-04-30T09:57:44"'
curl -s "$U?depart_at=2026-04-30T07:30" >"$WORK/s3.json"
jcheck "/route depart_at: the corridor extension says depart and arrive" "$WORK/s3.json" \
    'd["routes"][0]["corridor"]["depart"] == "2026-04-30T07:30:00"' \
    '"arrive_by" not in d["routes"][0]["corridor"]'
curl -s "$U?depart_at=2026-04-30T07:30&metric=distance" >"$WORK/s6.json"
jcheck "/route depart_at with metric=distance: the ring road" "$WORK/s6.json" \
    'd["code"] == "Ok"' 'd["routes"][0]["distance"] == 1758.2' \
    'd["routes"][0]["weight_name"] == "distance"' \
    'd["routes"][0]["corridor"]["arrive"] == "2026-04-30T07:33:10"'
curl -s "$U?arrive_by=2026-04-30T07:30&metric=distance" >"$WORK/s7.json"
jcheck "/route arrive_by with metric=distance: InvalidOptions" "$WORK/s7.json" \
    'd["code"] == "InvalidOptions"'
curl -s "$U?arrive_by=2026-04-30T07:30&depart_at=2026-04-30T07:00" >"$WORK/s4.json"
jcheck "/route arrive_by with depart_at: InvalidOptions" "$WORK/s4.json" \
    'd["code"] == "InvalidOptions"'
curl -s "http://127.0.0.1:$PORT/table/v1/truck/105.998,10;106.010,10?arrive_by=2026-04-30T07:30" \
    >"$WORK/s5.json"
jcheck "/table arrive_by: NotImplemented" "$WORK/s5.json" 'd["code"] == "NotImplemented"'
stop_server
finish
