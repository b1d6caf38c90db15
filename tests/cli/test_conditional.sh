#!/usr/bin/env bash
# Conditional restrictions end to end: corridor import reads the *:conditional tags of the drawn
# map tests/maps/conditional.osm (what each scenario checks: tests/maps/conditional.txt) and of the
# bundled District 3 extract, and corridor route --depart honours each ban, turn restriction and
# speed at the time the route reaches it.
#
# District 3 (datasets/hcmc-district3-map.osm, real OSM data): Điện Biên Phủ carries
# motor_vehicle:conditional=no @ (Apr 29 23:00-23:59; Apr 30 00:00-14:00) on three ways; the pair
# below (found by routing random pairs of the extract) crosses them on 1 May at 08:00 and goes
# round them on 30 April at 08:00.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_conditional.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-conditional}
MAP=$SRC/tests/maps/conditional.osm
D3=$SRC/datasets/hcmc-district3-map.osm
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the answers"
make_scratch
: >"$WORK/routes.tsv"

NET=$WORK/conditional.corr
"$CORRIDOR" import "$MAP" -o "$NET" 2>"$WORK/import.txt"
if grep -q "conditional: 4 way tags and 1 turn restrictions kept, 1 not parsed, 1 other \*:conditional keys not read; first not parsed: way 601 access:conditional=\"no @ (sunset-sunrise)\"" "$WORK/import.txt"; then
    ok "import: the summary counts what is kept and what is not"
else
    bad "import: summary" "$(cat "$WORK/import.txt")"
fi

# route LABEL WANT_ON WANT_OFF ARGS...: the route's geometry passes the point WANT_ON (lon,lat)
# and not WANT_OFF ("-" for none); checked all at once by check_routes (one python for all)
nroutes=0
route() {
    local label=$1 on=$2 off=$3
    shift 3
    nroutes=$((nroutes + 1))
    if ! "$CORRIDOR" route "$NET" "$@" >"$WORK/route$nroutes.json" 2>"$WORK/route.err"; then
        bad "$label" "exit status, $(cat "$WORK/route.err")"
        return
    fi
    cp "$WORK/route$nroutes.json" "$WORK/route.json"
    printf '%s\t%s\t%s\t%s\n' "$WORK/route$nroutes.json" "$on" "$off" "$label" >>"$WORK/routes.tsv"
}

check_routes() {
    local verdict label detail
    while IFS=$'\t' read -r verdict label detail; do
        if [ "$verdict" = ok ]; then ok "$label"; else bad "$label" "$detail"; fi
    done < <("$PY" - "$WORK/routes.tsv" <<'PYEOF'
import json, sys
def pt(s):
    x, y = s.split(",")
    return (round(float(x), 7), round(float(y), 7))
for line in open(sys.argv[1]):
    path, on, off, label = line.rstrip("\n").split("\t")
    r = json.load(open(path))
    pts = {(round(p[0], 7), round(p[1], 7)) for p in r["geometry"]["coordinates"]}
    good = pt(on) in pts and (off == "-" or pt(off) not in pts)
    print("%s\t%s\t%s" % ("ok" if good else "bad", label, json.dumps(r)[:300]))
PYEOF
    )
}

# jfield LABEL EXPR: EXPR (python, r = the last route) is true
jfield() {
    if "$PY" -c "import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" \
        "$WORK/route.json"; then
        ok "$1"
    else
        bad "$1" "$2" "$(head -c 400 "$WORK/route.json")"
    fi
}

T="--profile truck --from 105.998,10 --to 106.010,10"
# shellcheck disable=SC2086
{
    route "1 truck Thu 07:30: ring road" 106,9.998 106.004,10 $T --depart 2026-04-30T07:30
    jfield "1 algorithm td-dijkstra, depart and arrive" \
        'r["algorithm"] == "td-dijkstra" and r["depart"] == "2026-04-30T07:30:00" and r["arrive"].startswith("2026-04-30T07:3")'
    route "1 truck Thu 10:00: centre street" 106.004,10 106,9.998 $T --depart 2026-04-30T10:00
    route "1 truck Sat 07:30: centre street" 106.004,10 106,9.998 $T --depart 2026-05-02T07:30
    route "1 truck Thu 17:30 (second rule): ring road" 106,9.998 - $T --depart 2026-04-30T17:30
    route "1 car Thu 07:30: centre street (hgv only)" 106.004,10 - --profile car \
        --from 105.998,10 --to 106.010,10 --depart 2026-04-30T07:30
    route "1 truck on the banned segment itself: ring road" 106,9.998 - --profile truck \
        --from 106,10 --to 106.008,10 --depart 2026-04-30T07:30
    route "1 truck without --depart (ignore): centre street" 106.004,10 - $T
    jfield "1 without --depart: not td-dijkstra" 'r["algorithm"] == "dijkstra" and "depart" not in r'
}
"$PY" -c "import json; p=json.load(open('$SRC/profiles/truck.json')); p['conditional']='always'; p['name']='truck_always'; json.dump(p, open('$WORK/truck_always.json','w'))"
route "1 truck profile conditional=always, no --depart: ring road" 106,9.998 - \
    --profile "$WORK/truck_always.json" --from 105.998,10 --to 106.010,10

M="--profile car --from 106.04,10 --to 106.108,10"
# shellcheck disable=SC2086
{
    route "2 car 07:40: Market street, reached before 08:00" 106.1,10 106.1,9.998 $M --depart 2026-04-30T07:40
    route "2 car 07:58: open at the start, closed when reached: bypass" 106.1,9.998 - $M --depart 2026-04-30T07:58
    route "2 car 09:30: Market street" 106.1,10 106.1,9.998 $M --depart 2026-04-30T09:30
}
W="--profile car --from 106.2,10 --to 106.202,10.002"
# shellcheck disable=SC2086
{
    route "3 car Thu 12:00: left turn" 106.202,10 106.204,10 $W --depart 2026-04-30T12:00
    route "3 car Thu 17:00: turn banned, round the loop" 106.204,10.002 - $W --depart 2026-04-30T17:00
    route "3 car Sat 17:00: left turn (Mo-Fr)" 106.202,10 106.204,10 $W --depart 2026-05-02T17:00
}
"$CORRIDOR" route "$NET" --profile car --from 106.238,10 --to 106.262,10 --depart 2026-04-30T07:00 >"$WORK/slow.json"
"$CORRIDOR" route "$NET" --profile car --from 106.238,10 --to 106.262,10 --depart 2026-04-30T12:00 >"$WORK/route.json"
jfield "4 maxspeed:conditional 30 at 07:00 makes the same way slower" \
    "json.load(open('$WORK/slow.json'))['duration_s'] > r['duration_s'] + 60 and json.load(open('$WORK/slow.json'))['distance_m'] == r['distance_m']"
route "5 truck weight=10, no --depart: bypass (weight>7)" 106.3,9.998 106.304,10 --profile truck \
    --from 106.298,10 --to 106.310,10 --vehicle weight=10
route "5 truck weight=5: Bridge street" 106.304,10 106.3,9.998 --profile truck \
    --from 106.298,10 --to 106.310,10 --vehicle weight=5

exits "--depart with the cost metric: exit 2" 2 "$CORRIDOR" route "$NET" --profile car \
    --metric cost --from 106.2,10 --to 106.202,10.002 --depart 2026-04-30T12:00
exits "--depart 2026-02-30: exit 2" 2 "$CORRIDOR" route "$NET" --profile car \
    --from 106.2,10 --to 106.202,10.002 --depart 2026-02-30T12:00
exits "--holidays bad: exit 2" 2 "$CORRIDOR" route "$NET" --profile car \
    --from 106.2,10 --to 106.202,10.002 --depart 2026-04-30T12:00 --holidays 2026-13-01

check_routes

# corridor matrix --depart: every cell at the departure, the same as the route
printf "id,lon,lat\ns,105.998,10\nt,106.010,10\n" >"$WORK/pts.csv"
"$CORRIDOR" matrix "$NET" --profile truck --sources "$WORK/pts.csv" --annotations distance \
    --depart 2026-04-30T07:30 >"$WORK/matrix.csv" 2>"$WORK/matrix.err"
if grep -qE "^s,t,[0-9.]+,17[0-9][0-9]\.[0-9],ok" "$WORK/matrix.csv"; then
    ok "matrix --depart Thu 07:30: the truck cell goes round (about 1758 m, not 1316)"
else
    bad "matrix --depart" "$(cat "$WORK/matrix.csv" "$WORK/matrix.err")"
fi

# District 3, real data
D3NET=$WORK/d3.corr
"$CORRIDOR" import "$D3" -o "$D3NET" 2>"$WORK/d3import.txt"
if grep -q "conditional: 3 way tags and 10 turn restrictions kept, 0 not parsed" "$WORK/d3import.txt"; then
    ok "District 3: 3 motor_vehicle:conditional ways, 10 restriction:conditional kept"
else
    bad "District 3 import" "$(cat "$WORK/d3import.txt")"
fi
# d3 LABEL WANT_USE DEPART: whether the route crosses the three Điện Biên Phủ ways (the routes
# first, then one python reads the extract once and checks them all)
: >"$WORK/d3.tsv"
nd3=0
d3() {
    nd3=$((nd3 + 1))
    if "$CORRIDOR" route "$D3NET" --profile car --from 106.6902975,10.7910861 \
        --to 106.6943122,10.7874737 --depart "$3" >"$WORK/d3_$nd3.json" 2>"$WORK/d3.err"; then
        printf '%s\t%s\t%s\n' "$WORK/d3_$nd3.json" "$2" "$1" >>"$WORK/d3.tsv"
    else
        bad "$1" "$(cat "$WORK/d3.err")"
    fi
}
d3 "District 3, 1 May 08:00: through Điện Biên Phủ" 1 2026-05-01T08:00
d3 "District 3, 30 April 08:00: round it (closed 00:00-14:00)" 0 2026-04-30T08:00
d3 "District 3, 30 April 14:30: through it again" 1 2026-04-30T14:30
while IFS=$'\t' read -r verdict label detail; do
    if [ "$verdict" = ok ]; then ok "$label"; else bad "$label" "$detail"; fi
done < <("$PY" - "$D3" "$WORK/d3.tsv" <<'PYEOF'
import json, sys, xml.etree.ElementTree as ET
osm = ET.parse(sys.argv[1]).getroot()
nodes = {n.get("id"): (float(n.get("lon")), float(n.get("lat"))) for n in osm.iter("node")}
banned = set()
for w in osm.iter("way"):
    tags = {t.get("k"): t.get("v") for t in w.iter("tag")}
    if tags.get("motor_vehicle:conditional", "").startswith("no @ (Apr 29"):
        refs = [nd.get("ref") for nd in w.iter("nd")]
        banned |= {(nodes[a], nodes[b]) for a, b in zip(refs, refs[1:])}
for line in open(sys.argv[2]):
    path, want, label = line.rstrip("\n").split("\t")
    r = json.load(open(path))
    c = [tuple(p) for p in r["geometry"]["coordinates"]]
    uses = any((a, b) in banned for a, b in zip(c, c[1:]))
    good = len(banned) == 4 and uses == (want == "1")
    print("%s\t%s\t%s" % ("ok" if good else "bad", label, json.dumps(r)[:300]))
PYEOF
)
finish
