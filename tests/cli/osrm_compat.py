"""The OSRM compatibility table of `corridor serve`: one request per row and the code and shape
of its answer (tests/cli/test_serve_osrm_compat.sh runs it against a server on
tests/maps/alternatives.osm; docs/server.md, "Every option", lists the same options).

Usage: python3 osrm_compat.py PORT [snapping]   -> one line per row: "ok LABEL" or
"FAIL LABEL: why". With "snapping" the server serves tests/maps/snapping.osm (drawn in
snapping.txt) and SNAP_ROWS are sent instead: snapping=default|any on every service, and
/match's bearings and approaches.
A row: (label, path, HTTP status, OSRM code, check or None); a check takes the JSON answer and
returns None when it is right, else what is wrong.
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

A = "106.001,10.0"    # West street
B = "106.013,10.0"    # East street
M = "106.007,10.0"    # on the Toll road
I = "106.031,10.01"   # Island lane: joined to nothing
R = "/route/v1/car/%s;%s" % (A, B)
T = "/table/v1/car/%s;%s;%s" % (A, B, I)
N = "/nearest/v1/car/%s" % M
OSM_NODES = set(range(1, 12))
R3 = "/route/v1/car/%s;%s;%s" % (A, M, B)


def polyline(points, precision=5):
    """Google's encoded polyline of (lon, lat) points (the algorithm as its documentation gives
    it), to send coordinates as osrm-routed's polyline(...) and polyline6(...)."""
    out, prev = [], (0, 0)
    for lon, lat in points:
        cur = (round(lat * 10 ** precision), round(lon * 10 ** precision))
        for v in (cur[0] - prev[0], cur[1] - prev[1]):
            v = ~(v << 1) if v < 0 else v << 1
            while v >= 0x20:
                out.append(chr((0x20 | (v & 0x1f)) + 63))
                v >>= 5
            out.append(chr(v + 63))
        prev = cur
    return "".join(out)


def pl(*coords, precision=5):
    pts = [tuple(float(x) for x in c.split(",")) for c in coords]
    return urllib.parse.quote(polyline(pts, precision), safe="")


def routes(n):
    def check(o):
        got = len(o.get("routes", []))
        return None if got == n else "%d routes, want %d" % (got, n)
    return check


def alternatives_real(o):
    rs = o["routes"]
    d = [r["distance"] for r in rs]
    if len(set(d)) != len(d):
        return "routes of equal length: copies? %s" % d
    if any(r["duration"] < rs[0]["duration"] for r in rs[1:]):
        return "an alternative faster than the best"
    if any(r["corridor"]["algorithm"] != "dijkstra" for r in rs[1:]):
        return "alternatives not from the penalty search"
    return None


def distance_near(want, slack=30):
    def check(o):
        d = o["routes"][0]["distance"]
        return None if abs(d - want) <= slack else "distance %.1f, want about %.1f" % (d, want)
    return check


def waypoints_hint(present):
    def check(o):
        w = o.get("waypoints") or (o.get("sources", []) + o.get("destinations", []))
        if not w:
            return "no waypoints"
        has = ["hint" in x for x in w]
        return None if all(h == present for h in has) else "hint keys: %s" % has
    return check


def no_key(*keys):
    def check(o):
        there = [k for k in keys if k in o]
        return "keys present: %s" % there if there else None
    return check


def annotation(keys):
    def check(o):
        a = o["routes"][0]["legs"][0].get("annotation", {})
        if sorted(a) != sorted(keys):
            return "annotation keys %s, want %s" % (sorted(a), sorted(keys))
        if "nodes" in a:
            ids = a["nodes"]
            if not ids or not set(ids) <= OSM_NODES or ids[0] != 1 or ids[-1] != 5:
                return "nodes %s: want OSM ids of the file, from 1 to 5" % ids
        if "datasources" in a and set(a["datasources"]) != {0}:
            return "datasources %s, want all 0" % a["datasources"]
        if "distance" in a and "datasources" in a and len(a["distance"]) != len(a["datasources"]):
            return "datasources and distance differ in length"
        return None
    return check


def geometry(kind):
    def check(o):
        g = o["routes"][0].get("geometry")
        if kind is None:
            return None if g is None else "geometry given for overview=false"
        if kind == "geojson":
            return None if isinstance(g, dict) and g.get("type") == "LineString" else str(g)
        return None if isinstance(g, str) and g else "want an encoded polyline"
    return check


def precision6(o):
    """polyline6 decodes to the coordinates near the points, polyline (5) would be 10x off."""
    s, i, lat, vals = o["routes"][0]["geometry"], 0, 0, []
    while i < len(s) and len(vals) < 2:
        shift = result = 0
        while True:
            b = ord(s[i]) - 63
            i += 1
            result |= (b & 0x1f) << shift
            shift += 5
            if b < 0x20:
                break
        vals.append(~(result >> 1) if result & 1 else result >> 1)
    lat = vals[0] / 1e6
    return None if abs(lat - 10.0) < 0.01 else "first latitude %f" % lat


def same_as(path, keys=("distance", "duration")):
    """The first route's measures equal those of the answer to PATH."""
    def check(o):
        _, base = get(PORT[0], path)
        a, b = o["routes"][0], base["routes"][0]
        bad = [k for k in keys if abs(a[k] - b[k]) > 0.05]
        return "%s differ from %s's" % (bad, path) if bad else None
    return check


def legs_between_waypoints(nlegs, coords):
    """waypoints=: NLEGS legs adding up to the route, one depart and one arrive per leg, every
    coordinate still a waypoint, annotations as long as without waypoints."""
    def check(o):
        r = o["routes"][0]
        if len(r["legs"]) != nlegs:
            return "%d legs, want %d" % (len(r["legs"]), nlegs)
        if abs(sum(l["distance"] for l in r["legs"]) - r["distance"]) > 0.15:
            return "legs do not add up to the route"
        for l in r["legs"]:
            types = [s["maneuver"]["type"] for s in l["steps"]]
            if types.count("depart") != 1 or types.count("arrive") != 1 or \
                    types[0] != "depart" or types[-1] != "arrive":
                return "steps %s" % types
            if abs(sum(s["distance"] for s in l["steps"]) - l["distance"]) > 0.15:
                return "steps do not add up to their leg"
        if len(o["waypoints"]) != coords:
            return "%d waypoints, want %d" % (len(o["waypoints"]), coords)
        return None
    return check


def via_joined(o):
    """A via point passed straight on along the Toll road leaves no step: one Toll road step
    from s to t, as osrm-routed's steps of the joined leg."""
    steps = o["routes"][0]["legs"][0]["steps"]
    names = [(s["maneuver"]["type"], s["name"]) for s in steps]
    want = [("depart", "West street"), ("new name", "Toll road"), ("new name", "East street"),
            ("arrive", "East street")]
    if names != want:
        return "steps %s, want %s" % (names, want)
    toll = steps[1]
    if abs(toll["distance"] - 1096.4) > 2 or len(toll["geometry"]["coordinates"]) != 3:
        return "Toll road step %s" % toll
    return None


def nearest_name(name):
    def check(o):
        got = o["waypoints"][0]["name"]
        return None if got == name else "snapped to %s, want %s" % (got, name)
    return check


def tracepoint_names(names):
    def check(o):
        got = [t and t["name"] for t in o["tracepoints"]]
        return None if got == names else "tracepoints %s, want %s" % (got, names)
    return check


def matching_longer(than):
    def check(o):
        d = sum(m["distance"] for m in o["matchings"])
        return None if d > than else "matched %.1f m, want more than %.1f" % (d, than)
    return check


def table_shape(keys, rows=3, cols=3):
    def check(o):
        for k in keys:
            t = o.get(k)
            if not t or len(t) != rows or any(len(r) != cols for r in t):
                return "%s: not %dx%d: %s" % (k, rows, cols, t)
        return None
    return check


def table_nulls(key, want_nulls):
    def check(o):
        nulls = sum(v is None for r in o[key] for v in r)
        return None if (nulls > 0) == want_nulls else "%d null cells in %s" % (nulls, key)
    return check


def fallback(o):
    cells = o.get("fallback_speed_cells")
    if not cells:
        return "no fallback_speed_cells"
    if any(o["durations"][i][j] is None for i, j in cells):
        return "an estimated cell is null"
    if sorted(map(tuple, cells)) != [(0, 2), (1, 2), (2, 0), (2, 1)]:
        return "estimated cells %s" % cells
    if table_nulls("durations", False)(o):
        return "nulls left"
    # 10 m/s over the crow-flies distance from A to I (about 3.3 km)
    d = o["durations"][0][2]
    return None if 300 < d < 380 else "estimated A->I %s s" % d


def scaled(base):
    def check(o):
        want = [[None if v is None else round(v * 2, 1) for v in r] for r in base()]
        got = o["durations"]
        bad = [(i, j) for i, r in enumerate(got) for j, v in enumerate(r)
               if (v is None) != (want[i][j] is None) or
               (v is not None and abs(v - want[i][j]) > 0.11)]
        return "cells %s not doubled" % bad if bad else None
    return check


def message_position(key):
    def check(o):
        want = "Query string malformed close to position"
        return None if o.get("message", "").startswith(want) else o.get("message")
    return check


BASE_TABLE = {}


def base_table():
    return BASE_TABLE["durations"]


ROWS = [
    # route: the answer's shape
    ("route", R, 200, "Ok", routes(1)),
    ("route .json suffix", R + ".json", 200, "Ok", routes(1)),
    ("overview=simplified", R + "?overview=simplified", 200, "Ok", geometry("polyline")),
    ("overview=full", R + "?overview=full", 200, "Ok", geometry("polyline")),
    ("overview=false", R + "?overview=false", 200, "Ok", geometry(None)),
    ("overview=bad", R + "?overview=bad", 400, "InvalidQuery", None),
    ("geometries=polyline", R + "?geometries=polyline", 200, "Ok", geometry("polyline")),
    ("geometries=polyline6", R + "?geometries=polyline6", 200, "Ok", precision6),
    ("geometries=geojson", R + "?geometries=geojson", 200, "Ok", geometry("geojson")),
    ("geometries=wkt", R + "?geometries=wkt", 400, "InvalidQuery", None),
    ("steps=false", R + "?steps=false", 200, "Ok", None),
    ("continue_straight=default", R + "?continue_straight=default", 200, "Ok", None),
    ("continue_straight=true", R + "?continue_straight=true", 200, "Ok", None),
    ("continue_straight=false", R + "?continue_straight=false", 200, "Ok", None),
    ("continue_straight=maybe", R + "?continue_straight=maybe", 400, "InvalidQuery", None),
    # alternatives
    ("alternatives=false", R + "?alternatives=false", 200, "Ok", routes(1)),
    ("alternatives=true", R + "?alternatives=true", 200, "Ok", routes(2)),
    ("alternatives=2", R + "?alternatives=2", 200, "Ok", routes(3)),
    ("alternatives=2 are real", R + "?alternatives=2&overview=false", 200, "Ok",
     alternatives_real),
    ("alternatives=0", R + "?alternatives=0", 200, "Ok", routes(1)),
    ("alternatives with a via point", "/route/v1/car/%s;%s;%s?alternatives=2" % (A, M, B), 200,
     "Ok", routes(1)),
    ("alternatives=yes", R + "?alternatives=yes", 400, "InvalidQuery", None),
    # exclude
    ("exclude=toll takes the Expressway", R + "?exclude=toll", 200, "Ok", distance_near(2275)),
    ("exclude=toll,motorway takes the North road", R + "?exclude=toll,motorway", 200, "Ok",
     distance_near(1427)),
    ("exclude=ferry changes nothing here", R + "?exclude=ferry", 200, "Ok", distance_near(1316)),
    ("exclude=tunnel: not declared by car", R + "?exclude=tunnel", 400, "InvalidValue", None),
    ("exclude=highway: no such class", R + "?exclude=highway", 400, "InvalidValue", None),
    ("exclude= empty", R + "?exclude=", 400, "InvalidQuery", None),
    ("exclude on table", T + "?exclude=toll", 200, "Ok", table_shape(["durations"])),
    ("exclude on nearest", N + "?exclude=toll", 200, "Ok", None),
    ("exclude with alternatives", R + "?exclude=toll&alternatives=true", 200, "Ok", None),
    # snapping, hints, waypoints
    ("snapping=default", R + "?snapping=default", 200, "Ok", None),
    ("snapping=any", R + "?snapping=any", 200, "Ok", None),
    ("snapping=nearest", R + "?snapping=nearest", 400, "InvalidQuery", None),
    ("hints empty", R + "?hints=;", 200, "Ok", None),
    ("hints given are ignored", R + "?hints=AAAA;BBBB", 200, "Ok", None),
    ("hints count", R + "?hints=AAAA", 400, "InvalidOptions", None),
    ("generate_hints=true", R + "?generate_hints=true", 200, "Ok", waypoints_hint(True)),
    ("generate_hints=false", R + "?generate_hints=false", 200, "Ok", waypoints_hint(False)),
    ("generate_hints=false on table", T + "?generate_hints=false", 200, "Ok",
     waypoints_hint(False)),
    ("skip_waypoints=true", R + "?skip_waypoints=true", 200, "Ok", no_key("waypoints")),
    ("skip_waypoints=true on table", T + "?skip_waypoints=true", 200, "Ok",
     no_key("sources", "destinations")),
    ("radiuses", R + "?radiuses=500;unlimited", 200, "Ok", None),
    ("radiuses count", R + "?radiuses=500", 400, "InvalidOptions", None),
    ("bearings", R + "?bearings=90,90;", 200, "Ok", None),
    ("approaches", R + "?approaches=curb;unrestricted", 200, "Ok", None),
    # waypoints: legs only between the listed coordinates
    ("waypoints=0;2: one leg through a via point", R3 + "?waypoints=0;2&steps=true", 200, "Ok",
     legs_between_waypoints(1, 3)),
    ("waypoints=0;2: the same route", R3 + "?waypoints=0;2&overview=false", 200, "Ok",
     same_as(R3 + "?overview=false")),
    ("waypoints=0;2: no step at the via point",
     R3 + "?waypoints=0;2&steps=true&geometries=geojson&overview=false", 200, "Ok", via_joined),
    ("waypoints=0;2 polyline6 steps", R3 + "?waypoints=0;2&steps=true&geometries=polyline6", 200,
     "Ok", legs_between_waypoints(1, 3)),
    ("waypoints=0;1;2: every leg", R3 + "?waypoints=0;1;2&steps=true", 200, "Ok",
     legs_between_waypoints(2, 3)),
    ("waypoints=0;1 on two points", R + "?waypoints=0;1", 200, "Ok", routes(1)),
    ("waypoints=0;2 annotations", R3 + "?waypoints=0;2&annotations=true&overview=false", 200,
     "Ok", None),
    ("waypoints without the last", R3 + "?waypoints=0;1", 400, "InvalidValue", None),
    ("waypoints without the first", R3 + "?waypoints=1;2", 400, "InvalidValue", None),
    ("waypoints past the end", R3 + "?waypoints=0;3", 400, "InvalidOptions", None),
    ("waypoints=0;x", R3 + "?waypoints=0;x", 400, "InvalidQuery", None),
    # polyline coordinates
    ("route polyline(...)", "/route/v1/car/polyline(%s)?overview=false" % pl(A, B), 200, "Ok",
     same_as(R + "?overview=false")),
    ("route polyline6(...).json", "/route/v1/car/polyline6(%s).json?overview=false" %
     pl(A, B, precision=6), 200, "Ok", same_as(R + "?overview=false")),
    ("route polyline(...) with via and waypoints", "/route/v1/car/polyline(%s)?waypoints=0;2" %
     pl(A, M, B), 200, "Ok", same_as(R3)),
    ("table polyline(...)", "/table/v1/car/polyline(%s)" % pl(A, B, I), 200, "Ok",
     table_shape(["durations"])),
    ("nearest polyline6(...)", "/nearest/v1/car/polyline6(%s)?number=2" % pl(M, precision=6),
     200, "Ok", None),
    ("trip polyline(...)", "/trip/v1/car/polyline(%s)?overview=false" % pl(A, M, B), 200, "Ok",
     None),
    ("polyline(...) truncated", "/route/v1/car/polyline(_p~iF~ps)", 400, "InvalidUrl", None),
    ("polyline() empty", "/route/v1/car/polyline()", 400, "InvalidUrl", None),
    # annotations
    ("annotations=true", R + "?annotations=true", 200, "Ok",
     annotation(["distance", "duration", "speed", "weight", "nodes", "datasources"])),
    ("annotations=nodes", R + "?annotations=nodes", 200, "Ok", annotation(["nodes"])),
    ("annotations=datasources,distance", R + "?annotations=datasources,distance", 200, "Ok",
     annotation(["datasources", "distance"])),
    ("annotations=false", R + "?annotations=false", 200, "Ok", annotation([])),
    ("annotations=colour", R + "?annotations=colour", 400, "InvalidQuery", None),
    # table
    ("table", T, 200, "Ok", table_shape(["durations"])),
    ("table: the island is unreachable", T, 200, "Ok", table_nulls("durations", True)),
    ("table annotations=duration,distance", T + "?annotations=duration,distance", 200, "Ok",
     table_shape(["durations", "distances"])),
    ("table annotations=distance", T + "?annotations=distance", 200, "Ok",
     table_shape(["distances"])),
    ("table sources/destinations", T + "?sources=0;2&destinations=1", 200, "Ok",
     table_shape(["durations"], 2, 1)),
    ("table sources=all", T + "?sources=all&destinations=all", 200, "Ok",
     table_shape(["durations"])),
    ("table sources out of range", T + "?sources=7", 400, "InvalidOptions", None),
    ("fallback_speed", T + "?fallback_speed=10&annotations=duration,distance", 200, "Ok",
     fallback),
    ("fallback_coordinate=snapped", T + "?fallback_speed=10&fallback_coordinate=snapped", 200,
     "Ok", table_nulls("durations", False)),
    ("fallback_coordinate=input", T + "?fallback_speed=10&fallback_coordinate=input", 200, "Ok",
     None),
    ("fallback_speed=0", T + "?fallback_speed=0", 400, "InvalidValue", None),
    ("scale_factor=2", T + "?scale_factor=2", 200, "Ok", scaled(base_table)),
    ("scale_factor=-1", T + "?scale_factor=-1", 400, "InvalidValue", None),
    ("table without fallback: no estimated cells", T, 200, "Ok",
     no_key("fallback_speed_cells")),
    # options of other services, unsupported and unknown ones: as osrm-routed
    ("route: number", R + "?number=3", 400, "InvalidQuery", message_position("number")),
    ("route: fallback_speed", R + "?fallback_speed=10", 400, "InvalidQuery", None),
    ("table: alternatives", T + "?alternatives=true", 400, "InvalidQuery", None),
    ("table: overview", T + "?overview=full", 400, "InvalidQuery", None),
    ("nearest: alternatives", N + "?alternatives=true", 400, "InvalidQuery", None),
    ("nearest number", N + "?number=2", 200, "Ok", None),
    ("trip: waypoints", "/trip/v1/car/%s;%s?waypoints=0;1" % (A, B), 400, "InvalidQuery",
     None),
    ("unsupported: format", R + "?format=flatbuffers", 400, "InvalidQuery", None),
    ("unknown option", R + "?foo=bar", 400, "InvalidQuery", message_position("foo")),
]


G = "106.00545,10.0025"          # beside Island lane, 49.5 m from Column 5
Q = "106.002,10.002"             # on the grid
TRACE = "106.00545,10.0022;106.00545,10.0025;106.00545,10.0028"
ROW2 = "106.0012,10.00203;106.0015,10.00197;106.0018,10.00203;106.0021,10.00197"
SNAP_ROWS = [
    ("nearest snapping=default: the grid", "/nearest/v1/car/%s" % G, 200, "Ok",
     nearest_name("Column 5")),
    ("nearest snapping=any: the island", "/nearest/v1/car/%s?snapping=any" % G, 200, "Ok",
     nearest_name("Island lane")),
    ("table snapping=default", "/table/v1/car/%s;%s" % (G, Q), 200, "Ok",
     table_nulls("durations", False)),
    ("table snapping=any: the island unreachable", "/table/v1/car/%s;%s?snapping=any" % (G, Q),
     200, "Ok", table_nulls("durations", True)),
    ("route snapping=default", "/route/v1/car/%s;%s" % (G, Q), 200, "Ok", routes(1)),
    ("route snapping=any", "/route/v1/car/%s;%s?snapping=any" % (G, Q), 400, "NoRoute", None),
    ("trip snapping=default", "/trip/v1/car/%s;%s" % (G, Q), 200, "Ok", None),
    ("trip snapping=any", "/trip/v1/car/%s;%s?snapping=any" % (G, Q), 400, "NoTrips", None),
    ("match snapping=default: the grid", "/match/v1/car/%s?radiuses=20;20;20" % TRACE, 200,
     "Ok", tracepoint_names(["Column 5"] * 3)),
    ("match snapping=any: the island", "/match/v1/car/%s?radiuses=20;20;20&snapping=any" % TRACE,
     200, "Ok", tracepoint_names(["Island lane"] * 3)),
    ("match along Row 2", "/match/v1/car/%s" % ROW2, 200, "Ok", tracepoint_names(["Row 2"] * 4)),
    ("match bearings eastward", "/match/v1/car/%s?bearings=90,20;90,20;90,20;90,20" % ROW2, 200,
     "Ok", tracepoint_names(["Row 2"] * 4)),
    ("match bearings: a northward point has no candidate",
     "/match/v1/car/%s?bearings=;0,10;;" % ROW2, 200, "Ok",
     tracepoint_names(["Row 2", None, "Row 2", "Row 2"])),
    ("match approaches=curb north of the road: round the block",
     "/match/v1/car/%s?approaches=;;curb;&overview=false" % ROW2, 200, "Ok",
     matching_longer(250)),  # 99 m along Row 2 without it
    ("match skip_waypoints=true", "/match/v1/car/%s?skip_waypoints=true" % ROW2, 200, "Ok",
     no_key("tracepoints")),
    ("trip skip_waypoints=true", "/trip/v1/car/%s;%s?skip_waypoints=true" % (G, Q), 200, "Ok",
     no_key("waypoints")),
    ("match approaches count", "/match/v1/car/%s?approaches=curb" % ROW2, 400, "InvalidOptions",
     None),
]

PORT = [0]


def get(port, path):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def main():
    port = int(sys.argv[1])
    PORT[0] = port
    rows = ROWS
    if sys.argv[2:] == ["snapping"]:
        rows = SNAP_ROWS
    else:
        status, o = get(port, T)
        BASE_TABLE.update(o)
    for label, path, want_status, want_code, check in rows:
        try:
            status, o = get(port, path)
        except Exception as e:  # a broken answer is a failure of its row, not of the table
            print("FAIL %s: %s" % (label, e))
            continue
        why = None
        if status != want_status or o.get("code") != want_code:
            why = "%s %s (%s), want %s %s" % (status, o.get("code"), o.get("message"),
                                              want_status, want_code)
        elif check:
            why = check(o)
        print(("ok %s" % label) if why is None else ("FAIL %s: %s" % (label, why)))


if __name__ == "__main__":
    main()
