#!/usr/bin/env bash
# `corridor trip` and the server's /trip/v1 end to end on the bundled extracts (docs/trip.md):
#  - Monaco (car, with a hierarchy), 5 and 8 points: the order's weight by `corridor matrix`
#    equals the best over every order (brute force in Python over the matrix), for a round trip
#    and for the first-to-last path; the text, JSON and GeoJSON outputs agree;
#  - Krems (car, Dijkstra), 12 seeded points: exact, equal to a Held-Karp in Python over the
#    matrix; 25 points: the heuristic, never worse than nearest neighbour over the same matrix;
#  - /trip answers what `corridor trip --format json` says (order, duration, distance), with
#    OSRM's shape (trips, waypoints with trips_index and waypoint_index, legs in order), and
#    OSRM's errors: NotImplemented (roundtrip=false with a free end), NoSegment, NoTrips (Krems
#    by rail between unconnected tracks), TooBig (--max-trip-size), InvalidQuery, InvalidOptions;
#  - CLI errors: a point at sea (exit 1 naming it), no trip (exit 1), usage (exit 2).
#
# Points are SYNTHETIC (hand-picked in Monaco as tests/cli/test_serve.sh's A..D, seeded in Krems).
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_trip.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-trip}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
trap stop_server EXIT
before_finish() {
    stop_server
}

need_corridor
need_python "python3 is needed to check the orders"
make_scratch

MONACO=$WORK/monaco.corr
KREMS=$WORK/krems.corr
if "$CORRIDOR" import "$SRC/datasets/osrm-monaco.osm.pbf" -o "$MONACO" --quiet 2>"$WORK/import.err" &&
    "$CORRIDOR" contract "$MONACO" --profiles car --metrics time >/dev/null 2>>"$WORK/import.err" &&
    "$CORRIDOR" import "$SRC/datasets/graphhopper-krems.osm.pbf" -o "$KREMS" --quiet 2>>"$WORK/import.err"; then
    ok "import Monaco (contracted) and Krems"
else
    bad "import" "$(cat "$WORK/import.err")"
    finish
fi

cat >"$WORK/monaco5.csv" <<'EOF'
id,lon,lat
A,7.4200,43.7350
B,7.4250,43.7400
C,7.4160,43.7310
D,7.4300,43.7450
E,7.4180,43.7330
EOF
cat >"$WORK/monaco8.csv" <<'EOF'
id,lon,lat
A,7.4200,43.7350
B,7.4250,43.7400
C,7.4160,43.7310
D,7.4300,43.7450
E,7.4180,43.7330
F,7.4230,43.7380
G,7.4120,43.7290
H,7.4270,43.7420
EOF
"$PY" -c '
import random
r = random.Random(15)
print("id,lon,lat")
for i in range(25):
    print("K%02d,%.5f,%.5f" % (i, r.uniform(15.585, 15.64), r.uniform(48.400, 48.420)))
' >"$WORK/krems25.csv"
head -13 "$WORK/krems25.csv" >"$WORK/krems12.csv"

# text output: one line per visit, "back" for a round trip, the totals
if exits "text output" 0 "$CORRIDOR" trip "$MONACO" "$WORK/monaco5.csv" --profile car; then
    if grep -q '^trip through 5 points (car, time; round trip; exact; contraction hierarchy)' "$WORK/stdout" &&
        [ "$(grep -c '^ *[0-9] ' "$WORK/stdout")" -eq 5 ] && grep -q '^ back  A ' "$WORK/stdout" &&
        grep -q '^total: ' "$WORK/stdout"; then
        ok "text output: header, 5 visits, back to A, totals"
    else
        bad "text output" "$(cat "$WORK/stdout")"
    fi
fi

# usage and input errors
error "no POINTS file -> usage" 2 'want a NETWORK file and a POINTS file' "$CORRIDOR" trip "$MONACO"
error "--source middle -> usage" 2 'source "middle"' "$CORRIDOR" trip "$MONACO" "$WORK/monaco5.csv" --source middle
printf 'id,lon,lat\nA,7.4200,43.7350\nSEA,7.4600,43.7300\n' >"$WORK/sea.csv"
error "a point at sea -> exit 1 naming it" 1 'sea.csv: point SEA \(row 2\): .*no way' \
    "$CORRIDOR" trip "$MONACO" "$WORK/sea.csv"
printf 'id,lon,lat\nstation,15.6109699,48.4123478\neast,15.6528349,48.4042017\n' >"$WORK/rail.csv"
error "Krems by rail, unconnected tracks -> no trip, exit 1" 1 'no trip visits all 2 points' \
    "$CORRIDOR" trip "$KREMS" "$WORK/rail.csv" --profile rail
printf 'id,lon,lat\nA,7.4200,43.7350\n' >"$WORK/one.csv"
error "one point -> exit 1" 1 '1 points: want 2 to' "$CORRIDOR" trip "$MONACO" "$WORK/one.csv"

# the JSON, GeoJSON and matrices the checker reads
for spec in "monaco5:$MONACO:" "monaco8:$MONACO:" "krems12:$KREMS:" "krems25:$KREMS:"; do
    IFS=: read -r name net _ <<<"$spec"
    "$CORRIDOR" matrix "$net" --profile car --sources "$WORK/$name.csv" -o "$WORK/$name.matrix.json" 2>/dev/null ||
        bad "matrix $name"
    "$CORRIDOR" trip "$net" "$WORK/$name.csv" -o "$WORK/$name.round.json" 2>/dev/null || bad "trip $name"
    "$CORRIDOR" trip "$net" "$WORK/$name.csv" --source first --destination last \
        -o "$WORK/$name.path.json" 2>/dev/null || bad "trip $name first to last"
done
"$CORRIDOR" trip "$MONACO" "$WORK/monaco5.csv" -o "$WORK/monaco5.geojson" 2>/dev/null || bad "trip geojson"

if ! command -v curl >/dev/null; then
    echo "note: curl absent: the /trip checks are skipped"
    BASE=
elif NET=$MONACO start_server "$WORK/serve.log" --threads 2 --profiles car --max-trip-size 8; then
    ok "server listening on port $PORT"
    BASE=http://127.0.0.1:$PORT
else
    bad "server did not start" "$(cat "$WORK/serve.log")"
    BASE=
fi

CHECK='
import itertools, json, sys, urllib.request, urllib.error
work, base = sys.argv[1], sys.argv[2]
def out(good, what, detail=""):
    print("%s\t%s\t%s" % ("ok" if good else "FAIL", what, str(detail)[:600]))
def load(name):
    return json.load(open("%s/%s" % (work, name)))
def matrix(name):
    m = load(name + ".matrix.json")
    return [[(v if v is not None else float("inf")) for v in row] for row in m["values"]]
def cost(w, order, roundtrip):
    steps = list(zip(order, order[1:])) + ([(order[-1], order[0])] if roundtrip else [])
    return sum(w[a][b] for a, b in steps)
def best_brute(w, roundtrip, first, last):
    n = len(w)
    best = float("inf")
    for p in itertools.permutations(range(n)):
        if (first and p[0] != 0) or (last and p[-1] != n - 1):
            continue
        best = min(best, cost(w, p, roundtrip))
    return best
def held_karp(w):  # the best round trip
    n = len(w)
    dp = {(1 << j, j): w[0][j + 1] for j in range(n - 1)}
    for size in range(2, n):
        for s in itertools.combinations(range(n - 1), size):
            bits = sum(1 << j for j in s)
            for j in s:
                prev = bits & ~(1 << j)
                dp[(bits, j)] = min(dp[(prev, i)] + w[i + 1][j + 1] for i in s if i != j)
    full = (1 << (n - 1)) - 1
    return min(dp[(full, j)] + w[j + 1][0] for j in range(n - 1))
def nearest_neighbour(w):
    n, order = len(w), [0]
    while len(order) < n:
        cur = order[-1]
        order.append(min((j for j in range(n) if j not in order), key=lambda j: w[cur][j]))
    return cost(w, order, True)
def order_of(d):
    return [v["point"] - 1 for v in d["trip"]["visits"]]

for name in ["monaco5", "monaco8", "krems12", "krems25"]:
    w = matrix(name)
    n = len(w)
    for kind, roundtrip, first, last in [("round", True, False, False), ("path", False, True, True)]:
        d = load("%s.%s.json" % (name, kind))
        order = order_of(d)
        label = "%s %s" % (name, kind)
        out(sorted(order) == list(range(n)), label + ": visits every point once", order)
        out(order[0] == 0, label + ": starts at the first point", order)
        if last:
            out(order[-1] == n - 1, label + ": ends at the last point", order)
        out(len(d["legs"]) == n - 1 + roundtrip, label + ": legs", len(d["legs"]))
        total = sum(l["duration_s"] for l in d["legs"])
        out(abs(total - d["duration_s"]) < 0.05 * len(d["legs"]) + 1e-9,
            label + ": duration = sum of the legs", (total, d["duration_s"]))
        mine = cost(w, order, roundtrip)
        if n <= 8:
            want = best_brute(w, roundtrip, first, last)
            out(abs(mine - want) < 1e-6, label + ": best of every order (brute force)",
                (mine, want))
        elif n <= 12 and roundtrip:
            want = held_karp(w)
            out(d["trip"]["solver"] == "exact" and abs(mine - want) < 1e-6,
                label + ": exact, equal to Held-Karp over the matrix", (mine, want))
        elif roundtrip:
            nn = nearest_neighbour(w)
            out(d["trip"]["solver"] == "heuristic" and mine <= nn + 1e-6,
                label + ": heuristic no worse than nearest neighbour", (mine, nn))

g = load("monaco5.geojson")
wps = [f["properties"] for f in g["features"] if f["properties"]["kind"] == "waypoint"]
d = load("monaco5.round.json")
out([p["id"] for p in wps] == d["trip"]["order"] + d["trip"]["order"][:1],
    "geojson waypoints in visiting order, back to the first", [p["id"] for p in wps])
out(any(f["properties"]["kind"] == "trip" for f in g["features"]), "geojson trip line")

if base:
    def get(path):
        try:
            with urllib.request.urlopen(base + path, timeout=30) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)
    def coords(name):
        rows = [l.strip().split(",") for l in open("%s/%s.csv" % (work, name))][1:]
        return ";".join("%s,%s" % (r[1], r[2]) for r in rows)
    for name, query, kind in [("monaco5", "", "round"), ("monaco8", "", "round"),
                              ("monaco8", "?roundtrip=false&source=first&destination=last", "path"),
                              ("monaco5", "?source=first&destination=last&overview=full&geometries=geojson&steps=true&annotations=true", None)]:
        status, a = get("/trip/v1/driving/" + coords(name) + query)
        label = "/trip %s %s" % (name, query or "(defaults)")
        if status != 200 or a.get("code") != "Ok":
            out(False, label, (status, a))
            continue
        wp = a["waypoints"]
        t = a["trips"][0]
        order = sorted(range(len(wp)), key=lambda i: wp[i]["waypoint_index"])
        out(all(x["trips_index"] == 0 for x in wp) and len(a["trips"]) == 1,
            label + ": one trip, trips_index 0", [x["trips_index"] for x in wp])
        out(all(k in t for k in ("legs", "weight", "duration", "distance", "weight_name")),
            label + ": the route shape", sorted(t))
        if kind:
            d = load("%s.%s.json" % (name, kind))
            out(order == order_of(d), label + ": the order of corridor trip", (order, order_of(d)))
            out(abs(t["duration"] - d["duration_s"]) < 1e-6 and abs(t["distance"] - d["distance_m"]) < 1e-6,
                label + ": duration and distance of corridor trip",
                (t["duration"], d["duration_s"], t["distance"], d["distance_m"]))
        else:
            out(t["geometry"]["type"] == "LineString" and all(l["steps"] and l["steps"][0]["maneuver"]["type"] == "depart"
                    and l["steps"][-1]["maneuver"]["type"] == "arrive" for l in t["legs"])
                and "annotation" in t["legs"][0], label + ": geojson, steps per leg, annotations")
    P5 = coords("monaco5")
    for query, want_code, want_status in [
            ("/trip/v1/driving/" + P5 + "?roundtrip=false", "NotImplemented", 400),
            ("/trip/v1/driving/" + P5 + "?roundtrip=false&source=first", "NotImplemented", 400),
            ("/trip/v1/driving/7.42,43.735;7.46,43.73", "NoSegment", 400),
            ("/trip/v1/driving/7.42,43.735", "InvalidOptions", 400),
            ("/trip/v1/driving/" + coords("monaco8") + ";7.42,43.735", "TooBig", 400),
            ("/trip/v1/driving/" + P5 + "?source=last", "InvalidQuery", 400),
            ("/trip/v1/driving/" + P5 + "?alternatives=true", "InvalidQuery", 400),
            ("/trip/v1/driving/" + P5 + "?skip_waypoints=true", "Ok", 200)]:
        status, a = get(query)
        out(status == want_status and a.get("code") == want_code,
            "/trip %s -> %s" % (query.split("?")[-1] if "?" in query else query[-30:], want_code),
            (status, a))
        if want_code == "Ok":
            out("waypoints" not in a, "skip_waypoints: no waypoints")
'
"$PY" -c "$CHECK" "$WORK" "${BASE:-}" >"$WORK/check.out" 2>"$WORK/check.err"
while IFS=$'\t' read -r status what detail; do
    if [ "$status" = ok ]; then ok "$what"; else bad "$what" "$detail"; fi
done <"$WORK/check.out"
if [ -s "$WORK/check.err" ]; then
    bad "the checker failed" "$(tail -5 "$WORK/check.err")"
fi
stop_server

# NoTrips on the server: Krems by rail between unconnected tracks
if [ -n "${BASE:-}" ] && NET=$KREMS start_server "$WORK/serve2.log" --threads 1 --quiet --profiles rail; then
    code=$(curl -s -o "$WORK/notrips.json" -w '%{http_code}' \
        "http://127.0.0.1:$PORT/trip/v1/rail/15.6109699,48.4123478;15.6528349,48.4042017")
    if [ "$code" = 400 ] && grep -q '"NoTrips"' "$WORK/notrips.json"; then
        ok "Krems rail between unconnected tracks -> NoTrips 400"
    else
        bad "Krems rail -> NoTrips" "$code $(cat "$WORK/notrips.json")"
    fi
    stop_server
fi
finish
