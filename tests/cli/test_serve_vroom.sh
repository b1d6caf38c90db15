#!/usr/bin/env bash
# `corridor serve` answers exactly what VROOM (the open-source vehicle-routing solver, an OSRM
# client; v1.14's osrm_routed_wrapper) sends: raw HTTP/1.1 with "Connection: close", coordinates
# printed with six decimals, and `radiuses=35000;...` on every request:
#   GET /table/v1/car/{12 coordinates}?annotations=duration,distance&radiuses=35000;...
#   GET /route/v1/car/{...}?alternatives=false&steps=false&overview=full&continue_straight=false
#       &radiuses=35000;...
# VROOM reads the body from the first '{' to the last '}' after the server closes the
# connection, wants "code":"Ok", 12x12 "durations" and "distances" without nulls, and
# routes[0].legs[i].duration/distance and routes[0].geometry; a NoSegment message must read
# "Could not find a matching segment for coordinate N" (VROOM parses N). The 100 x 100 table VROOM
# asks for 100 jobs is split over the server's threads and equals its rows asked for in halves.
# Also: a radius lets a
# point 2.5 km off the coast snap (the default limit is 1000 m), and a small radius gives
# NoSegment naming the point.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_serve_vroom.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-serve-vroom}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
trap stop_server EXIT
before_finish() {
    stop_server
}

need_corridor
need_python "python3 is needed to speak raw HTTP and read the JSON answers"
make_scratch

NET=$WORK/monaco.corr
if "$CORRIDOR" import "$SRC/datasets/osrm-monaco.osm.pbf" -o "$NET" --quiet 2>"$WORK/import.err" &&
    "$CORRIDOR" contract "$NET" --profiles car --metrics time >/dev/null 2>"$WORK/contract.err"; then
    ok "import and contract Monaco"
else
    bad "import and contract Monaco" "$(cat "$WORK/import.err" "$WORK/contract.err")"
    finish
fi
if start_server "$WORK/serve.log" --threads 2; then
    ok "server listening on port $PORT"
else
    bad "server did not start" "$(cat "$WORK/serve.log")"
    finish
fi

# One python run does every request, printing "ok LABEL" or "FAIL LABEL: why" lines.
"$PY" - "$PORT" >"$WORK/vroom.out" 2>&1 <<'PY'
import json, socket, sys

port = int(sys.argv[1])
# Twelve places on Monaco's streets (jobs and a depot, as a VROOM problem would have them).
places = [(7.416780, 43.731400), (7.419700, 43.731100), (7.423000, 43.737500),
          (7.427700, 43.739600), (7.413200, 43.727600), (7.421500, 43.733400),
          (7.425600, 43.741300), (7.430100, 43.744000), (7.409800, 43.731800),
          (7.418800, 43.735600), (7.434200, 43.746900), (7.414500, 43.739200)]

def vroom_get(service, locs, args, radii=None):
    """The bytes VROOM's OsrmRoutedWrapper::build_query writes, and its reading of the answer."""
    coords = ";".join("%f,%f" % (lon, lat) for lon, lat in locs)  # std::to_string: 6 decimals
    radiuses = "radiuses=" + ";".join(radii or ["35000" for _ in locs])
    query = "GET /%s/v1/car/%s?%s&%s HTTP/1.1\r\n" % (service, coords, args, radiuses)
    query += "Host: 127.0.0.1\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(query.encode())
    response = b""
    while True:  # until the server closes the connection, as VROOM reads
        chunk = s.recv(512)
        if not chunk:
            break
        response += chunk
    s.close()
    text = response.decode()
    status = int(text.split(" ", 2)[1])
    body = text[text.index("{"):text.rindex("}") + 1]
    return status, json.loads(body)

def report(good, label, why=""):
    print(("ok %s" % label) if good else ("FAIL %s: %s" % (label, why)))

TABLE = "annotations=duration,distance"
ROUTE = "alternatives=false&steps=false&overview=full&continue_straight=false"

status, t = vroom_get("table", places, TABLE)
report(status == 200 and t.get("code") == "Ok", "table: 200 Ok", "%s %s" % (status, t))
n = len(places)
good = all(k in t and len(t[k]) == n and all(len(row) == n for row in t[k])
           for k in ("durations", "distances"))
report(good, "table: 12x12 durations and distances")
if good:
    nulls = sum(v is None for k in ("durations", "distances") for row in t[k] for v in row)
    report(nulls == 0, "table: no null cell", "%d nulls" % nulls)
    diag = all(t["durations"][i][i] == 0 and t["distances"][i][i] == 0 for i in range(n))
    report(diag, "table: zero on the diagonal")
    pos = all(t["durations"][i][j] > 0 for i in range(n) for j in range(n) if i != j)
    report(pos, "table: every other cell takes time")

# A vehicle's route through its jobs, as VROOM asks for geometry and leg figures.
tour = [places[0], places[3], places[6], places[9], places[1]]
idx = [0, 3, 6, 9, 1]
status, r = vroom_get("route", tour, ROUTE)
report(status == 200 and r.get("code") == "Ok", "route: 200 Ok", "%s %s" % (status, r))
if r.get("code") == "Ok":
    legs = r["routes"][0]["legs"]
    report(len(legs) == len(tour) - 1, "route: one leg per stop", "%d legs" % len(legs))
    report(isinstance(r["routes"][0].get("geometry"), str) and r["routes"][0]["geometry"],
           "route: polyline geometry")
    report(all(isinstance(l.get("duration"), (int, float)) and
               isinstance(l.get("distance"), (int, float)) for l in legs),
           "route: each leg has duration and distance")
    if t.get("code") == "Ok":
        # what the table said for each leg is what the route says, to VROOM's rounding
        diffs = [(idx[i], idx[i + 1], l["duration"], t["durations"][idx[i]][idx[i + 1]])
                 for i, l in enumerate(legs)
                 if abs(round(l["duration"]) - round(t["durations"][idx[i]][idx[i + 1]])) > 1]
        report(not diffs, "route legs equal the table's cells", str(diffs))

# The 100 x 100 table of the issue (VROOM's request for 100 jobs): split over the server's
# threads (10,000 cells and more); its rows equal the same rows asked for in two halves, each
# small enough to stay on one thread.
grid = [(7.409 + 0.003 * (k % 10), 43.725 + 0.0025 * (k // 10)) for k in range(100)]
status, big = vroom_get("table", grid, TABLE)
good = status == 200 and big.get("code") == "Ok" and len(big.get("durations", [])) == 100
report(good, "table 100x100: 200 Ok", "%s %s" % (status, big.get("message")))
if good:
    halves = []
    for part in (range(0, 50), range(50, 100)):
        src = "sources=" + ";".join(str(i) for i in part)
        status, h = vroom_get("table", grid, TABLE + "&" + src)
        halves.append(h if h.get("code") == "Ok" else {"durations": [], "distances": []})
    same = all(big[k] == halves[0][k] + halves[1][k] for k in ("durations", "distances"))
    report(same, "table 100x100 on threads equals its two halves on one thread")

# radiuses widen the snap beyond the default 1000 m: a point 2.5 km off the coast
sea = (7.460000, 43.730000)
status, r = vroom_get("route", [places[0], sea], ROUTE)
report(status == 200 and r.get("code") == "Ok", "radius 35000: a point at sea snaps to the coast",
       "%s %s" % (status, r.get("message")))

# a small radius: NoSegment in the words VROOM parses, naming the point
status, body = vroom_get("route", [places[0], sea], ROUTE, ["35000", "100"])
report(body.get("code") == "NoSegment" and
       body.get("message") == "Could not find a matching segment for coordinate 1",
       "radius 100: NoSegment for coordinate 1", str(body))
PY
while IFS= read -r line; do
    case $line in
    "ok "*) ok "${line#ok }" ;;
    "FAIL "*) bad "${line#FAIL }" ;;
    *) bad "python: $line" ;;
    esac
done <"$WORK/vroom.out"
finish
