#!/usr/bin/env bash
# `corridor route`, `matrix` and `contract` end to end on the bundled datasets: the answer's shape
# (JSON, GeoJSON, GPX, -o), HCMC by motorcycle and car, a contraction hierarchy giving the same
# answers as Dijkstra, matrices agreeing with routes, freight by barge on the Danube at Krems,
# and the errors (unreachable, no way near a point, malformed input: exit 1 or 2).
#
# Run by ctest with CORRIDOR (the binary), SRC (the repository) and WORK (a scratch folder this
# script empties). By hand: CORRIDOR=build/dev/cli/corridor bash tests/cli/test_routing_cli.sh
#
# Where the places below come from:
#   HCMC District 3     106.6880,10.7810 -> 106.6950,10.7900 (both within 1000 m of a road)
#   Monaco              a..d on streets in Monaco; "sea" 7.46,43.73 is ~2.5 km off the coast
#   Krems freight       15.6049,48.4089 (Krems, west) to the B37a by the Danube, east of the town,
#                       where its two carriageways run 16 m apart and both leave the extract:
#                       15.6760,48.3795 lies on the inbound one (6 m), which no road in the extract
#                       leads onto, so a container gets there only by barge (road, transfer at
#                       Hafen Krems, water, transfer at "Danube landing east (example)" from
#                       datasets/terminals-krems-example.csv, road); 15.67605,48.3793365 lies on
#                       the outbound one, reached by road. The barge emits less CO2 and costs more
#                       (the handling at two terminals) than the truck to the other carriageway.
#   Krems unreachable   the rail profile from a track node at Krems station (15.6109699,48.4123478)
#                       to one on the line east of the town (15.6528349,48.4042017): in this
#                       extract the two pieces of track do not meet and lie ~2.9 km apart, so
#                       each point snaps to its own piece (snapping prefers the largest component
#                       only within 1000 m): "no route".
#   Krems no way        15.559365,48.391334, the Danube's western end node, ~1.3 km from any road
#                       or track node; 16.2,48.2 lies outside the extract.
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-routing-cli}
DATA=$SRC/datasets
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
# python3 reads the answers.
need_python "python3 is needed to read the JSON, GeoJSON and GPX answers"
make_scratch out

# report LABEL: reads "ok<TAB>what" / "FAIL<TAB>what<TAB>detail" lines from a Python checker.
report() {
    local label=$1 status what detail
    while IFS=$'\t' read -r status what detail; do
        if [ "$status" = ok ]; then
            ok "$label: $what"
        else
            bad "$label: $what" "$detail"
        fi
    done
}

# expect LABEL WANT_RC OUT: rc (from run) is WANT_RC; when that is 0, stderr is empty.
expect() {
    local label=$1 want=$2 out=$3
    if [ "$rc" -eq "$want" ]; then
        ok "$label: exit $want"
    else
        bad "$label: exit $rc, want $want" "stderr: $(head -c 400 "$out.err")" \
            "stdout: $(head -c 200 "$out")"
    fi
    if [ "$want" -eq 0 ] && [ -s "$out.err" ]; then
        bad "$label: printed on stderr" "$(head -c 400 "$out.err")"
    fi
}

# one_line LABEL FILE [WORD...]: FILE is exactly one line (starting "corridor ") holding each WORD.
one_line() {
    local label=$1 file=$2 first
    shift 2
    first=$(head -n 1 "$file")
    if [ "$(wc -l <"$file")" -eq 1 ] && [ "$(wc -c <"$file")" -eq $((${#first} + 1)) ] &&
        [ "${first#corridor }" != "$first" ]; then
        ok "$label: one line on stderr"
    else
        bad "$label: want one line \"corridor ...\" on stderr, got $(wc -l <"$file")" \
            "$(head -c 600 "$file")"
    fi
    for word in "$@"; do
        case $first in
        *"$word"*) ok "$label: the message says \"$word\"" ;;
        *) bad "$label: the message does not say \"$word\"" "$first" ;;
        esac
    done
}

# ---- networks ------------------------------------------------------------------------------------
MONACO=$WORK/monaco.corr       # plain
MONACO_CH=$WORK/monaco-ch.corr # with contraction hierarchies
KREMS=$WORK/krems.corr         # with the example terminals
HCMC=$WORK/hcmc.corr
import_ok() {
    local label=$1 out=$2
    shift 2
    "$CORRIDOR" import "$@" -o "$out" --quiet >"$WORK/import.out" 2>"$WORK/import.err"
    rc=$?
    if [ "$rc" -eq 0 ] && [ -s "$out" ]; then
        ok "import $label"
    else
        bad "import $label: exit $rc" "$(head -c 600 "$WORK/import.err")"
    fi
}
import_ok monaco "$MONACO" "$DATA/osrm-monaco.osm.pbf"
import_ok "krems --terminals" "$KREMS" "$DATA/graphhopper-krems.osm.pbf" \
    --terminals "$DATA/terminals-krems-example.csv"
import_ok hcmc-district3 "$HCMC" "$DATA/hcmc-district3-map.osm.pbf"
if [ ! -s "$MONACO" ] || [ ! -s "$KREMS" ] || [ ! -s "$HCMC" ]; then
    bad "an import failed; the routing tests cannot run"
    finish
fi

# ---- route: the JSON answer ------------------------------------------------------------------------
A=7.4200,43.7350
B=7.4250,43.7400
C=7.4160,43.7310
D=7.4300,43.7450
SEA=7.4600,43.7300

R=$WORK/route.json
run "$R" route "$MONACO" --profile car --from $A --to $B
expect "route json" 0 "$R"
jcheck "route json" "$R" \
    "d['status'] == 'ok'" \
    "all(isinstance(d[k], (int, float)) for k in ('distance_m', 'duration_s', 'cost', 'co2_kg'))" \
    "d['distance_m'] > 0 and d['duration_s'] > 0 and d['cost'] > 0 and d['co2_kg'] > 0" \
    "d['profile'] == 'car' and d['metric'] == 'time' and d['algorithm'] == 'dijkstra'" \
    "d['geometry']['type'] == 'LineString'" \
    "len(d['geometry']['coordinates']) >= 2" \
    "all(len(p) == 2 and 7.3 < p[0] < 7.5 and 43.7 < p[1] < 43.8 for p in d['geometry']['coordinates'])" \
    "len(d['legs']) == 1" \
    "len(d['segments']) >= 1" \
    "all(isinstance(s['mode'], str) and s['distance_m'] >= 0 and s['duration_s'] >= 0 for s in d['segments'])" \
    "[s['mode'] for s in d['segments']] == ['road']" \
    "abs(sum(s['distance_m'] for s in d['segments']) - d['distance_m']) <= 1" \
    "abs(sum(s['duration_s'] for s in d['segments']) - d['duration_s']) <= 1" \
    "len(d['waypoints']) == 2" \
    "all(w['snap_distance_m'] < 100 for w in d['waypoints'])"

# One formatting rule (routing/measure.h): distance_m and duration_s to 0.1, cost to the
# currency's minor unit (VND: whole dong), co2_kg to 0.001; the old names are gone.
jcheck "route json: the measures' names and rounding" "$R" \
    "d['currency'] == 'VND'" \
    "not any(k in o for o in [d] + d['legs'] + d['segments'] for k in ('distance', 'duration', 'co2'))" \
    "all(o['distance_m'] == round(o['distance_m'], 1) and o['duration_s'] == round(o['duration_s'], 1) for o in [d] + d['legs'] + d['segments'])" \
    "all(o['cost'] == round(o['cost']) and o['co2_kg'] == round(o['co2_kg'], 3) for o in [d] + d['legs'] + d['segments'])"

RV=$WORK/route-via.json
run "$RV" route "$MONACO" --profile car --from $A --via $C --via $D --to $B
expect "route --via x2" 0 "$RV"
jcheck "route --via x2" "$RV" \
    "d['status'] == 'ok'" \
    "len(d['legs']) == 3" \
    "len(d['waypoints']) == 4" \
    "abs(sum(s['distance_m'] for s in d['segments']) - d['distance_m']) <= 1" \
    "abs(sum(l['distance_m'] for l in d['legs']) - d['distance_m']) <= 1" \
    "all(abs(sum(s['distance_m'] for s in l['segments']) - l['distance_m']) <= 1 for l in d['legs'])" \
    "abs(sum(l['duration_s'] for l in d['legs']) - d['duration_s']) <= 1" \
    "len(d['geometry']['coordinates']) >= 2"

RG=$WORK/route.geojson
run "$RG" route "$MONACO" --profile car --from $A --to $B --format geojson
expect "route geojson" 0 "$RG"
jcheck "route geojson" "$RG" \
    "d['type'] == 'FeatureCollection'" \
    "all(k in f['properties'] for f in d['features'] if f['properties']['kind'] != 'waypoint' for k in ('distance_m', 'duration_s', 'cost', 'co2_kg'))" \
    "len(d['features']) >= 1 and all(f['type'] == 'Feature' for f in d['features'])" \
    "any(f['geometry']['type'] == 'LineString' and len(f['geometry']['coordinates']) >= 2 for f in d['features'])"

GPX=$WORK/route.gpx
run "$GPX" route "$MONACO" --profile car --from $A --to $B --format gpx
expect "route gpx" 0 "$GPX"
report "route gpx" < <("$PY" - "$GPX" "$R" <<'EOF'
import json, sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception as e:
    print("FAIL\tparses as XML\t%s" % e)
    sys.exit(0)
print("ok\tparses as XML")
pts = [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "trkpt"]
n = len(json.load(open(sys.argv[2]))["geometry"]["coordinates"])
print("%s\t%d trkpt elements, as many as the JSON geometry's points\t(%d in the JSON)"
      % ("ok" if len(pts) == n and n >= 2 else "FAIL", len(pts), n))
good = all(-90 <= float(p.get("lat")) <= 90 and -180 <= float(p.get("lon")) <= 180 for p in pts)
print("%s\tevery trkpt has lat and lon" % ("ok" if good else "FAIL"))
EOF
)

# A profile given as a .json file whose name has XML's special characters: the GPX still parses.
sed 's/"name": "car"/"name": "car \& <co>"/' "$SRC/profiles/car.json" >"$WORK/amp.json"
run "$WORK/amp.gpx" route "$MONACO" --profile "$WORK/amp.json" --from $A --to $B --format gpx
expect "route gpx, profile named \"car & <co>\"" 0 "$WORK/amp.gpx"
report "route gpx, profile named \"car & <co>\"" < <("$PY" - "$WORK/amp.gpx" <<'EOF'
import sys, xml.etree.ElementTree as ET
try:
    ET.parse(sys.argv[1])
    print("ok\tparses as XML")
except Exception as e:
    line = open(sys.argv[1]).read().splitlines()[getattr(e, "position", (1, 0))[0] - 1]
    print("FAIL\tparses as XML\t%s: %s" % (e, line.strip()))
EOF
)

# -o: the file is written through a temporary (none left), nothing on stdout, a summary on stderr.
for fmt in json gpx; do
    out=$WORK/out/route.$fmt
    run "$WORK/o.stdout" route "$MONACO" --profile car --from $A --to $B --format $fmt -o "$out"
    if [ "$rc" -eq 0 ]; then
        ok "route -o ($fmt): exit 0"
    else
        bad "route -o ($fmt): exit $rc" "$(head -c 400 "$WORK/o.stdout.err")"
    fi
    if [ -s "$out" ] && cmp -s "$out" "$WORK/route.$fmt"; then
        ok "route -o ($fmt): the file holds what stdout would"
    else
        bad "route -o ($fmt): the file is missing or differs from stdout's answer"
    fi
    if compgen -G "$WORK/out/*.tmp" >/dev/null; then
        bad "route -o ($fmt): temporary file left: $(ls "$WORK"/out/*.tmp)"
    else
        ok "route -o ($fmt): no *.tmp left"
    fi
    if [ ! -s "$WORK/o.stdout" ]; then
        ok "route -o ($fmt): nothing on stdout"
    else
        bad "route -o ($fmt): printed on stdout" "$(head -c 200 "$WORK/o.stdout")"
    fi
    summary=$(cat "$WORK/o.stdout.err")
    case $summary in
    *"$out"*km*) ok "route -o ($fmt): a summary on stderr: $summary" ;;
    *) bad "route -o ($fmt): no summary naming the file on stderr" "$summary" ;;
    esac
done

run "$WORK/o.stdout" route "$MONACO" --profile car --from $A --to $B -o "$WORK/no-such-folder/r.json"
expect "route -o into a missing folder" 1 "$WORK/o.stdout"
one_line "route -o into a missing folder" "$WORK/o.stdout.err" "$WORK/no-such-folder/r.json"

# ---- HCMC District 3: motorcycle and car ------------------------------------------------------------
for p in motorcycle car; do
    out=$WORK/hcmc-$p.json
    run "$out" route "$HCMC" --profile $p --from 106.6880,10.7810 --to 106.6950,10.7900
    expect "hcmc $p" 0 "$out"
    jcheck "hcmc $p" "$out" "d['status'] == 'ok'" "d['profile'] == '$p'" "d['distance_m'] > 0" \
        "len(d['geometry']['coordinates']) >= 2"
done

# ---- contract: CH answers equal Dijkstra's ---------------------------------------------------------
cp "$MONACO" "$MONACO_CH"
"$CORRIDOR" contract "$MONACO_CH" >"$WORK/contract.out" 2>"$WORK/contract.err"
rc=$?
expect_contract_ok=1
if [ "$rc" -eq 0 ] && [ "$(wc -c <"$MONACO_CH")" -gt "$(wc -c <"$MONACO")" ]; then
    ok "contract: exit 0 and the network file grows"
else
    bad "contract: exit $rc" "$(head -c 600 "$WORK/contract.err")"
    expect_contract_ok=0
fi
if compgen -G "$WORK/*.tmp" >/dev/null; then
    bad "contract: temporary file left: $(ls "$WORK"/*.tmp)"
else
    ok "contract: no *.tmp left"
fi

if [ "$expect_contract_ok" -eq 1 ]; then
    # 20 origin-destination pairs drawn (fixed seed) from the network's bbox.
    run "$WORK/info.json" info "$MONACO" --json
    mapfile -t PAIRS < <("$PY" - "$WORK/info.json" <<'EOF'
import json, random, sys
w, s, e, n = json.load(open(sys.argv[1]))["bbox"]
rng = random.Random(20240611)
pt = lambda: "%.5f,%.5f" % (rng.uniform(w, e), rng.uniform(s, n))
for _ in range(20):
    print(pt(), pt())
EOF
)
    [ "${#PAIRS[@]}" -eq 20 ] || bad "contract: could not draw 20 pairs from the bbox (${#PAIRS[@]})"
    i=0
    for pair in "${PAIRS[@]}"; do
        read -r from to <<<"$pair"
        for case in "car time" "truck distance"; do
            read -r p m <<<"$case"
            # two at a time: most of a call is loading the program
            {
                "$CORRIDOR" route "$MONACO_CH" --profile $p --metric $m --from $from --to $to \
                    >"$WORK/ch-$p-$i.json" 2>/dev/null
                echo $? >"$WORK/ch-$p-$i.rc"
            } &
            "$CORRIDOR" route "$MONACO_CH" --profile $p --metric $m --from $from --to $to --no-ch \
                >"$WORK/dj-$p-$i.json" 2>/dev/null
            echo $? >"$WORK/dj-$p-$i.rc"
            wait
        done
        i=$((i + 1))
    done
    report "contract" < <("$PY" - "$WORK" "${PAIRS[@]}" <<'EOF'
import json, sys
work, pairs = sys.argv[1], sys.argv[2:]
def load(path):
    try:
        return json.load(open(path))
    except Exception as e:
        return {"status": "no JSON (%s)" % e}
for p, m in (("car", "time"), ("truck", "distance")):
    compared, skipped = 0, {}
    for i, pair in enumerate(pairs):
        ch, dj = load("%s/ch-%s-%d.json" % (work, p, i)), load("%s/dj-%s-%d.json" % (work, p, i))
        rc_ch = open("%s/ch-%s-%d.rc" % (work, p, i)).read().strip()
        rc_dj = open("%s/dj-%s-%d.rc" % (work, p, i)).read().strip()
        what = "%s/%s %s" % (p, m, pair)
        if ch.get("status") != dj.get("status") or rc_ch != rc_dj:
            print("FAIL\t%s: CH and Dijkstra disagree on the outcome\tCH %s (exit %s), Dijkstra %s (exit %s)"
                  % (what, ch.get("status"), rc_ch, dj.get("status"), rc_dj))
            continue
        if ch["status"] != "ok":
            skipped[ch["status"]] = skipped.get(ch["status"], 0) + 1
            continue
        compared += 1
        bad = []
        if ch.get("algorithm") != "ch":
            bad.append("CH answer says algorithm %r" % ch.get("algorithm"))
        if dj.get("algorithm") != "dijkstra":
            bad.append("--no-ch answer says algorithm %r" % dj.get("algorithm"))
        # both must find an optimal route: equal weight; where the metric is time the route's
        # other amounts follow. By distance, two routes of equal length may differ in time (a
        # tie either answer may take), so only weight and distance are compared there.
        keys = ("distance_m", "duration_s", "weight") if m == "time" else ("weight", "distance_m")
        for k in keys:
            if abs(ch[k] - dj[k]) > (1e-6 if k == "weight" else 0.15):
                bad.append("%s: CH %s, Dijkstra %s" % (k, ch[k], dj[k]))
        if bad:
            print("FAIL\t%s: CH differs from Dijkstra\t%s" % (what, "; ".join(bad)))
        else:
            print("ok\t%s: CH = Dijkstra (%s m, %s s)" % (what, ch["distance_m"], ch["duration_s"]))
    print("%s\t%s/%s: %d of %d pairs compared (skipped: %s)\twant at least 10"
          % ("ok" if compared >= 10 else "FAIL", p, m, compared, len(pairs), skipped or "none"))
EOF
)
    # A truck of another size than the profile's default: exact Dijkstra, not the stored CH.
    out=$WORK/truck-height.json
    run "$out" route "$MONACO_CH" --profile truck --vehicle height=3.0 --from $A --to $B
    expect "contract: truck --vehicle height=3.0" 0 "$out"
    jcheck "contract: truck --vehicle height=3.0" "$out" "d['status'] == 'ok'" \
        "d['algorithm'] == 'dijkstra'"
    out=$WORK/truck-default.json
    run "$out" route "$MONACO_CH" --profile truck --from $A --to $B
    expect "contract: truck, default size" 0 "$out"
    jcheck "contract: truck, default size" "$out" "d['algorithm'] == 'ch'"
fi

# ---- contract --profiles: any number, each once -------------------------------------------------------
# Nine profiles (the ninth used to be dropped without a word): six copies of car.json by other names.
MANY=$WORK/monaco-many.corr
cp "$MONACO" "$MANY"
list=car,motorcycle,truck
for k in 1 2 3 4 5 6; do
    "$PY" -c 'import json, sys; p = json.load(open(sys.argv[1])); p["name"] = sys.argv[2]; json.dump(p, open(sys.argv[3], "w"))' \
        "$SRC/profiles/car.json" "car$k" "$WORK/car$k.json"
    list=$list,$WORK/car$k.json
done
if exits "contract --profiles (9 profiles)" 0 "$CORRIDOR" contract "$MANY" --profiles "$list" \
    --metrics time; then
    n=$(grep -c '/time: ' "$WORK/stderr")
    [ "$n" -eq 9 ] && ok "contract --profiles: 9 hierarchies built" ||
        bad "contract --profiles: $n hierarchies built, want 9" "$(head -c 600 "$WORK/stderr")"
    out=$WORK/car6.json.route
    run "$out" route "$MANY" --profile "$WORK/car6.json" --from $A --to $B
    jcheck "contract --profiles: the ninth profile's route uses its hierarchy" "$out" \
        "d['profile'] == 'car6' and d['algorithm'] == 'ch'"
fi
error "contract --profiles car,car" 2 '"car" given twice' "$CORRIDOR" contract "$MANY" --profiles car,car
error "contract --profiles car,CAR.json" 2 'are both profile car' \
    "$CORRIDOR" contract "$MANY" --profiles "car,$SRC/profiles/car.json"
error "contract --metrics time,time" 2 '"time" given twice' "$CORRIDOR" contract "$MANY" --metrics time,time

# ---- matrix ------------------------------------------------------------------------------------------
PTS=$WORK/points.csv
printf 'id,lon,lat\na,%s\nb,%s\nc,%s\nd,%s\nsea,%s\n' $A $B $C $D $SEA >"$PTS"
M=$WORK/matrix.csv
# The point in the sea is noted on stderr but does not fail the command.
run "$M" matrix "$MONACO_CH" --profile car --sources "$PTS"
[ "$rc" -eq 0 ] && ok "matrix csv (a point in the sea): exit 0" ||
    bad "matrix csv (a point in the sea): exit $rc" "$(head -c 400 "$M.err")"
run "$WORK/matrix-dj.csv" matrix "$MONACO_CH" --profile car --sources "$PTS" --no-ch
[ "$rc" -eq 0 ] && ok "matrix csv --no-ch: exit 0" ||
    bad "matrix csv --no-ch: exit $rc" "$(head -c 400 "$WORK/matrix-dj.csv.err")"
if cmp -s "$M" "$WORK/matrix-dj.csv"; then
    ok "matrix: the CH and Dijkstra give the same CSV"
else
    bad "matrix: the CH and Dijkstra CSVs differ" "$(diff "$M" "$WORK/matrix-dj.csv" | head -6 | tr '\n' ' ')"
fi
run "$WORK/matrix-j2.csv" matrix "$MONACO_CH" --profile car --sources "$PTS" --threads 2
if [ "$rc" -eq 0 ] && cmp -s "$M" "$WORK/matrix-j2.csv"; then
    ok "matrix --threads 2: the same CSV as one thread"
else
    bad "matrix --threads 2: exit $rc or another CSV" "$(head -c 400 "$WORK/matrix-j2.csv.err")"
fi
run "$WORK/matrix-j0.csv" matrix "$MONACO_CH" --profile car --sources "$PTS" --threads 0
[ "$rc" -eq 2 ] && ok "matrix --threads 0: usage error, exit 2" ||
    bad "matrix --threads 0: exit $rc" "$(head -c 400 "$WORK/matrix-j0.csv.err")"
MJ=$WORK/out/matrix.json
run "$WORK/mj.stdout" matrix "$MONACO_CH" --profile car --sources "$PTS" -o "$MJ"
[ "$rc" -eq 0 ] && ok "matrix -o json (a point in the sea): exit 0" ||
    bad "matrix -o json (a point in the sea): exit $rc" "$(head -c 400 "$WORK/mj.stdout.err")"
if [ ! -s "$WORK/mj.stdout" ]; then
    ok "matrix -o json: nothing on stdout"
else
    bad "matrix -o json: printed on stdout" "$(head -c 200 "$WORK/mj.stdout")"
fi
if compgen -G "$WORK/out/*.tmp" >/dev/null; then
    bad "matrix -o json: temporary file left"
else
    ok "matrix -o json: no *.tmp left"
fi
jcheck "matrix json" "$MJ" \
    "len(d['values']) == 5 and all(len(r) == 5 for r in d['values'])" \
    "[s['id'] for s in d['sources']] == ['a', 'b', 'c', 'd', 'sea']" \
    "all(d['values'][i][i] == 0 for i in range(4))" \
    "all(v is None for v in d['values'][4]) and all(r[4] is None for r in d['values'])" \
    "all(isinstance(d['values'][i][j], (int, float)) and d['values'][i][j] >= 0 for i in range(4) for j in range(4))" \
    "d['sources'][4]['snapped'] is None"

# Five cells against `route` (the same network and profile), and the CSV against the JSON.
SAMPLES="0:1 1:0 1:2 2:3 3:0"
P=($A $B $C $D)
for cell in $SAMPLES; do
    i=${cell%:*}
    j=${cell#*:}
    "$CORRIDOR" route "$MONACO_CH" --profile car --from ${P[$i]} --to ${P[$j]} \
        >"$WORK/cell-$i-$j.json" 2>/dev/null
done
report "matrix" < <("$PY" - "$M" "$MJ" "$WORK" $SAMPLES <<'EOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
print("%s\tCSV header source,target,duration_s,status\t%s"
      % ("ok" if rows and rows[0] == ["source", "target", "duration_s", "status"] else "FAIL", rows[:1]))
body = rows[1:]
print("%s\tCSV has 25 rows besides the header\t%d" % ("ok" if len(body) == 25 else "FAIL", len(body)))
ids = ["a", "b", "c", "d", "sea"]
want_pairs = [[s, t] for s in ids for t in ids]
print("%s\tCSV rows are every (source, target) pair in order"
      % ("ok" if [r[:2] for r in body] == want_pairs else "FAIL"))
sea = [r for r in body if "sea" in r[:2]]
print("%s\tthe sea point's 9 cells say no_segment with no value\t%s"
      % ("ok" if len(sea) == 9 and all(r[2:] == ["", "no_segment"] for r in sea) else "FAIL", sea[:3]))
land = [r for r in body if "sea" not in r[:2]]
print("%s\tthe 16 land cells say ok with a value\t%s"
      % ("ok" if len(land) == 16 and all(r[3] == "ok" and r[2] != "" for r in land) else "FAIL", land[:3]))
try:
    values = json.load(open(sys.argv[2]))["values"]
    same = all(abs(float(r[2]) - values[ids.index(r[0])][ids.index(r[1])]) < 0.01 for r in land)
except Exception as e:
    same, values = False, None
print("%s\tCSV values equal the JSON matrix's" % ("ok" if same else "FAIL"))
for cell in sys.argv[4:]:
    i, j = map(int, cell.split(":"))
    what = "cell %s->%s" % (ids[i], ids[j])
    try:
        r = json.load(open("%s/cell-%d-%d.json" % (sys.argv[3], i, j)))
        v = float(body[5 * i + j][2])
    except Exception as e:
        print("FAIL\t%s\t%s" % (what, e))
        continue
    # the matrix gives the metric's integer weight (time summed in 0.1 s steps per edge and
    # turn); the route's duration sums unrounded seconds: they agree within rounding
    print("%s\t%s: matrix %s s = route duration %s s (+-max(1 s, 1 %%))\troute weight %s"
          % ("ok" if abs(v - r["duration_s"]) <= max(1.0, 0.01 * r["duration_s"]) else "FAIL", what,
             v, r["duration_s"], r["weight"]))
    print("%s\t%s: matrix %s = route weight %s"
          % ("ok" if abs(v - r["weight"]) <= 0.05 else "FAIL", what, v, r["weight"]))
EOF
)

# matrix --annotations: the measures of the same routes, equal to `corridor route`'s printed
# values (one path, the same sums: docs/routing.md, "Tables"); and an OpenMatrix file of them
run "$WORK/matrix-ann.csv" matrix "$MONACO_CH" --profile car --sources "$PTS" \
    --annotations duration,distance,cost,co2 --threads 2
report "matrix --annotations" < <("$PY" - "$WORK/matrix-ann.csv" "$WORK" $SAMPLES <<'EOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
want = ["source", "target", "duration_s", "distance_m", "cost", "co2_kg", "status"]
print("%s\tCSV header %s\t%s" % ("ok" if rows[0] == want else "FAIL", ",".join(want), rows[0]))
body = rows[1:]
for cell in sys.argv[3:]:
    i, j = map(int, cell.split(":"))
    r = json.load(open("%s/cell-%d-%d.json" % (sys.argv[2], i, j)))
    got = body[5 * i + j][3:6]
    exp = [r["distance_m"], r["cost"], r["co2_kg"]]
    same = all(abs(float(g) - float(e)) < 1e-9 for g, e in zip(got, exp))
    print("%s\tcell %d->%d: distance, cost, CO2 as corridor route prints them\t%s %s"
          % ("ok" if same else "FAIL", i, j, got, exp))
EOF
)
run "$WORK/matrix.omx.out" matrix "$MONACO_CH" --profile car --sources "$PTS" \
    --annotations distance -o "$WORK/matrix.omx"
if [ "$rc" -eq 0 ] && head -c 8 "$WORK/matrix.omx" | od -c | head -1 | grep -q "H   D   F"; then
    ok "matrix -o FILE.omx: an HDF5 file"
else
    bad "matrix -o FILE.omx: exit $rc" "$(head -c 400 "$WORK/matrix.omx.out.err")"
fi
run "$WORK/matrix.omx2.out" matrix "$MONACO_CH" --profile car --sources "$PTS" --targets "$PTS" \
    -o "$WORK/matrix2.omx"
[ "$rc" -eq 2 ] && ok "matrix -o FILE.omx with --targets: usage error, exit 2" ||
    bad "matrix -o FILE.omx with --targets: exit $rc"

# matrix --metric cost and co2: the column is named like every command names the measure, and
# the values are rounded the same way (whole dong, 0.001 kg)
for m in cost:cost:0 co2:co2_kg:3; do
    metric=${m%%:*} rest=${m#*:}
    key=${rest%%:*} decimals=${rest#*:}
    run "$WORK/matrix-$metric.csv" matrix "$MONACO" --profile car --metric "$metric" \
        --sources "$PTS"
    report "matrix --metric $metric" < <("$PY" - "$WORK/matrix-$metric.csv" "$key" "$decimals" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
key, decimals = sys.argv[2], int(sys.argv[3])
print("%s\theader source,target,%s,status\t%s"
      % ("ok" if rows and rows[0] == ["source", "target", key, "status"] else "FAIL", key, rows[:1]))
ok = [r[2] for r in rows[1:] if r[3] == "ok"]
good = lambda v: (decimals == 0 and "." not in v) or (len(v.split(".")[-1]) == decimals)
print("%s\t%d ok values, each with %d decimals\t%s"
      % ("ok" if len(ok) == 16 and all(good(v) for v in ok) else "FAIL", len(ok), decimals, ok[:4]))
EOF
)
done

# ---- freight on Krems: by barge for CO2, by road for cost --------------------------------------------
FROM=15.6049,48.4089
TO=15.6760,48.3795
TO_ROAD=15.67605,48.3793365
out=$WORK/freight-co2.json
run "$out" route "$KREMS" --profile freight --metric co2 --from $FROM --to $TO
expect "freight co2" 0 "$out"
jcheck "freight co2" "$out" \
    "d['status'] == 'ok'" \
    "'water' in [s['mode'] for s in d['segments']]" \
    "[s['mode'] for s in d['segments']].count('transfer') == 2" \
    "'Danube landing east (example)' in [s.get('terminal') for s in d['segments'] if s['mode'] == 'transfer']" \
    "all(s.get('terminal') for s in d['segments'] if s['mode'] == 'transfer')" \
    "abs(sum(s['distance_m'] for s in d['segments']) - d['distance_m']) <= 1"
co2_route_cost=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["cost"])' \
    "$WORK/freight-co2.json" 2>/dev/null || echo -1)
co2_route_co2=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["co2_kg"])' \
    "$WORK/freight-co2.json" 2>/dev/null || echo -1)
out=$WORK/freight-cost.json
run "$out" route "$KREMS" --profile freight --metric cost --from $FROM --to $TO_ROAD
expect "freight cost" 0 "$out"
jcheck "freight cost" "$out" \
    "d['status'] == 'ok'" \
    "set(s['mode'] for s in d['segments']) == {'road'}" \
    "d['waypoints'][1]['snap_distance_m'] < 1" \
    "d['cost'] <= $co2_route_cost" \
    "d['co2_kg'] >= $co2_route_co2"

# ---- errors --------------------------------------------------------------------------------------------
# Unreachable: exit 1, one line on stderr, and (JSON) "status": "unreachable" on stdout.
out=$WORK/unreachable.json
run "$out" route "$KREMS" --profile rail --from 15.6109699,48.4123478 --to 15.6528349,48.4042017
expect "unreachable (rail, Krems)" 1 "$out"
one_line "unreachable (rail, Krems)" "$out.err" "no route"
jcheck "unreachable (rail, Krems)" "$out" "d['status'] == 'unreachable'"

# No usable way near a point: exit 1, "no way ... within".
for pt in 15.559365,48.391334 16.2,48.2; do
    out=$WORK/noway.json
    run "$out" route "$KREMS" --profile car --from $pt --to $TO
    expect "no way near $pt (car)" 1 "$out"
    one_line "no way near $pt (car)" "$out.err" "no way" "within"
    jcheck "no way near $pt (car)" "$out" "d['status'] == 'no_segment'"
done

# Malformed coordinates: usage errors, exit 2.
for bad_pt in abc 200,10 106.7; do
    run "$WORK/malformed" route "$MONACO" --profile car --from "$bad_pt" --to $B
    expect "malformed --from \"$bad_pt\"" 2 "$WORK/malformed"
    one_line "malformed --from \"$bad_pt\"" "$WORK/malformed.err"
done
run "$WORK/malformed" route "$MONACO" --profile car --from $A --to 7.42
expect "malformed --to \"7.42\"" 2 "$WORK/malformed"
for snap in 5abc 0 -3 1e9 ''; do
    run "$WORK/malformed" route "$MONACO" --profile car --from $A --to $B --max-snap "$snap"
    expect "malformed --max-snap \"$snap\"" 2 "$WORK/malformed"
    one_line "malformed --max-snap \"$snap\"" "$WORK/malformed.err" max-snap
done

run "$WORK/err" route "$MONACO" --profile hovercraft --from $A --to $B
expect "unknown profile" 1 "$WORK/err"
one_line "unknown profile" "$WORK/err.err" hovercraft
run "$WORK/err" matrix "$MONACO" --profile hovercraft --sources "$PTS"
expect "matrix: unknown profile" 1 "$WORK/err"
one_line "matrix: unknown profile" "$WORK/err.err" hovercraft

run "$WORK/err" route "$MONACO" --profile car --metric speed --from $A --to $B
expect "unknown metric" 2 "$WORK/err"
one_line "unknown metric" "$WORK/err.err" speed
run "$WORK/err" matrix "$MONACO" --profile car --metric speed --sources "$PTS"
expect "matrix: unknown metric" 2 "$WORK/err"

for v in height=abc weight=heavy; do
    run "$WORK/err" route "$MONACO" --profile truck --vehicle "$v" --from $A --to $B
    if [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]; then
        ok "--vehicle \"$v\": exit $rc"
    else
        bad "--vehicle \"$v\": exit $rc, want 1 or 2" "$(head -c 300 "$WORK/err.err")"
    fi
    one_line "--vehicle \"$v\"" "$WORK/err.err" "${v%%=*}"
done

run "$WORK/err" route "$MONACO" --profile car --from $A --to $B --format kml
expect "unknown --format" 2 "$WORK/err"

# A damaged network: one byte flipped inside the largest section's payload.
"$PY" - "$MONACO" "$WORK/damaged.corr" <<'EOF'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
sections = []
for i in range(struct.unpack_from("<I", data, 16)[0]):
    name, off, size = struct.unpack_from("<24sQQ", data, 32 + 48 * i)
    sections.append((off, size))
off, size = max(sections, key=lambda s: s[1])
data[off + size // 2] ^= 0xFF
open(sys.argv[2], "wb").write(data)
EOF
run "$WORK/err" route "$WORK/damaged.corr" --profile car --from $A --to $B
expect "route on a damaged network" 1 "$WORK/err"
one_line "route on a damaged network" "$WORK/err.err" "$WORK/damaged.corr" checksum
run "$WORK/err" matrix "$WORK/damaged.corr" --profile car --sources "$PTS"
expect "matrix on a damaged network" 1 "$WORK/err"
one_line "matrix on a damaged network" "$WORK/err.err" "$WORK/damaged.corr" checksum

finish
