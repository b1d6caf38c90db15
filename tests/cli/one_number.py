#!/usr/bin/env python3
"""One number for one trip: helper of tests/cli/test_one_number.sh (not a test by itself).

usage: one_number.py CORRIDOR NETWORK WORK NAME SEED N [BASE_URL]

Takes N seeded random pairs of points in NETWORK's bounding box and compares, for profiles car
and truck and metrics time and distance (and cost and co2 on the first N_SMALL pairs, car only),
the four measures (distance_m, duration_s, cost, co2_kg) as every writer prints them: `corridor batch` (the route of each pair, with the CH and
with --no-ch), `corridor route` (a few pairs, CH and --no-ch), `corridor matrix` (CH and --no-ch,
1 and 2 threads, the diagonal of origins x destinations), `corridor skim` (zones drawn around
some of the points: synthetic squares, labelled as such, against `corridor matrix` between the
skim's own zone points) and, when BASE_URL is given (a running `corridor serve` on NETWORK),
/route and /table (by time; /route also with metric=distance|cost|co2). The CH and --no-ch must
agree on all four measures (docs/routing.md, the tie rule). Prints "ok LABEL" or "FAIL LABEL DETAIL"
lines; exits 0.
"""
import csv
import io
import json
import random
import subprocess
import sys
import urllib.request

corridor, net, work, name, seed, n = sys.argv[1:7]
n = int(n)
base = sys.argv[7] if len(sys.argv) > 7 else ""
MEASURES = ("distance_m", "duration_s", "cost", "co2_kg")
ROUTE_SAMPLE = 4  # `corridor route` runs once per pair: a few pairs are enough beside batch
N_SMALL = 60  # pairs for the metrics cost and co2 (kept short: no hierarchy, Dijkstra only)
OWN = {"time": "duration_s", "distance": "distance_m", "cost": "cost", "co2": "co2_kg"}


def out(good, label, detail=""):
    print("%s\t%s\t%s" % ("ok" if good else "FAIL", label, str(detail)[:700]))


def run(*args):
    r = subprocess.run([corridor] + [str(a) for a in args], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def num(x):
    """A printed value as a number (None when empty or null)."""
    if x is None or x == "":
        return None
    return round(float(x), 6)


info = json.loads(run("info", net, "--json")[1])
w, s, e, nn = info["bbox"]
rng = random.Random("%s-%s" % (seed, name))
# points near a road: random points of the bounding box that `corridor batch` can snap (a pair
# from each to itself), so that most pairs route even where the box is mostly fields or sea
cand = [(round(rng.uniform(w, e), 6), round(rng.uniform(s, nn), 6)) for _ in range(10 * n)]
with open("%s/cand.csv" % work, "w") as f:
    f.write("id,from_lon,from_lat,to_lon,to_lat\n")
    for i, p in enumerate(cand):
        f.write("%d,%.6f,%.6f,%.6f,%.6f\n" % (i, *p, *p))
run("batch", net, "--profile", "truck", "--pairs", "%s/cand.csv" % work, "-o",
    "%s/cand_out.csv" % work, "--quiet")
with open("%s/cand_out.csv" % work) as f:
    near = [cand[int(r["id"])] for r in csv.DictReader(f) if r["status"] != "no_segment"]
pts = (near * 2)[:2 * n] if near else cand[:2 * n]
rng.shuffle(pts)
orig, dest = pts[:n], pts[n:]

with open("%s/pairs.csv" % work, "w") as f:
    f.write("id,from_lon,from_lat,to_lon,to_lat\n")
    for i in range(n):
        f.write("%d,%.6f,%.6f,%.6f,%.6f\n" % (i, *orig[i], *dest[i]))
with open("%s/pairs_small.csv" % work, "w") as f:
    f.write("id,from_lon,from_lat,to_lon,to_lat\n")
    for i in range(min(n, N_SMALL)):
        f.write("%d,%.6f,%.6f,%.6f,%.6f\n" % (i, *orig[i], *dest[i]))
for fname, ps in (("orig.csv", orig), ("dest.csv", dest), ("orig_small.csv", orig[:N_SMALL]),
                  ("dest_small.csv", dest[:N_SMALL])):
    with open("%s/%s" % (work, fname), "w") as f:
        f.write("id,lon,lat\n")
        for i, p in enumerate(ps):
            f.write("%d,%.6f,%.6f\n" % (i, *p))


def batch(profile, metric, extra, pairs="pairs.csv"):
    path = "%s/batch.csv" % work
    rc, _, err = run("batch", net, "--profile", profile, "--metric", metric, "--pairs",
                     "%s/%s" % (work, pairs), "-o", path, "--threads", "2", "--quiet", *extra)
    if rc != 0:
        return None, err
    res = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            res[int(row["id"])] = (row["status"],) + tuple(num(row[k]) for k in MEASURES)
    return res, ""


def matrix(profile, metric, src, dst, extra):
    path = "%s/matrix.csv" % work
    rc, _, err = run("matrix", net, "--profile", profile, "--metric", metric, "--sources", src,
                     "--targets", dst, "--annotations", "duration,distance,cost,co2", "-o", path,
                     *extra)
    if rc != 0:
        return None, err
    res = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            res[(int(row["source"]), int(row["target"]))] = (row["status"],) + tuple(
                num(row.get(k)) for k in MEASURES)
    return res, ""


def route(profile, metric, a, b, extra):
    rc, text, err = run("route", net, "--profile", profile, "--metric", metric, "--from",
                        "%.6f,%.6f" % a, "--to", "%.6f,%.6f" % b, "--format", "json", *extra)
    try:
        j = json.loads(text)
    except ValueError:
        return ("failed",) + (None,) * 4, err
    if rc != 0:
        return (j.get("status", "failed"),) + (None,) * 4, ""
    return ("ok",) + tuple(num(j[k]) for k in MEASURES), j


def same(label, want, got, keys):
    """Compares two {key: (status, d, t, c, co2)} maps over KEYS; one line per comparison."""
    diff = [(k, want.get(k), got.get(k)) for k in keys if want.get(k) != got.get(k)]
    out(not diff, "%s (%d cells, %d differ)" % (label, len(keys), len(diff)), diff[:3])


def ties(tag, metric, ch, nch, keys):
    """CH against Dijkstra: the same status and the same four measures for every pair (where two
    paths weigh exactly the same, both searches take the one of least second: the tie rule of
    routing/tie.h). Pairs that differ only outside the metric's own measure are counted apart."""
    own = 1 + MEASURES.index(OWN[metric])
    wrong = [(k, ch[k], nch[k]) for k in keys if ch[k] != nch[k]]
    tied = [k for k, a, b in wrong if a[0] == b[0] and a[own] == b[own]]
    out(not wrong, "%s: CH = --no-ch, all four measures (%d pairs; %d differ, %d of them only "
        "outside the metric's own)" % (tag, len(keys), len(wrong), len(tied)), wrong[:3])


def check(profile, metric):
    tag = "%s %s %s" % (name, profile, metric)
    small = metric in ("cost", "co2")
    pairs = "pairs_small.csv" if small else "pairs.csv"
    ch, err = batch(profile, metric, [], pairs)
    nch, err2 = batch(profile, metric, ["--no-ch"], pairs)
    if ch is None or nch is None:
        out(False, "%s: batch" % tag, err or err2)
        return
    keys = list(range(N_SMALL if small else n))
    reached = sum(1 for k in keys if ch[k][0] == "ok")
    out(reached >= len(keys) // 2, "%s: %d of %d pairs routed" % (tag, reached, len(keys)))
    ties(tag, metric, ch, nch, keys)
    # `corridor route`, CH and --no-ch, on the first routed pairs
    sample = [k for k in keys if ch[k][0] == "ok"][:ROUTE_SAMPLE]
    for extra, what, want in (([], "CH", ch), (["--no-ch"], "--no-ch", nch)):
        got, bad = {}, []
        for k in sample:
            got[k], j = route(profile, metric, orig[k], dest[k], extra)
            own = OWN[metric]
            if not small and isinstance(j, dict) and num(j[own]) != num(j["weight"]):
                bad.append((k, j[own], j["weight"]))
        same("%s: route (%s) = batch (%s)" % (tag, what, what), want, got, sample)
        if not small:  # cost and CO2 are exact sums, their weights rounded per edge
            out(not bad, "%s: route (%s) %s = weight" % (tag, what, own), bad)
    # matrix: the diagonal of origins x destinations
    for extra, what, want in (([], "CH, 1 thread", ch), (["--threads", "2"], "CH, 2 threads", ch),
                              (["--no-ch"], "--no-ch", nch)):
        o, d = ("orig_small.csv", "dest_small.csv") if small else ("orig.csv", "dest.csv")
        m, err = matrix(profile, metric, "%s/%s" % (work, o), "%s/%s" % (work, d), extra)
        if m is None:
            out(False, "%s: matrix (%s)" % (tag, what), err)
            continue
        same("%s: matrix (%s) = batch" % (tag, what), want, {k: m[(k, k)] for k in keys}, keys)
    skim(tag, profile, metric)
    if base and metric == "time":
        server(tag, profile, ch, keys)
    elif base:
        server_route(tag, profile, metric, ch, keys)


def skim(tag, profile, metric):
    """Zones: a synthetic square of 40 m around each of the first 12 routed origins."""
    zs = [orig[k] for k in range(n)][:12]
    feats = []
    for i, (x, y) in enumerate(zs):
        d = 0.0002
        ring = [[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]
        feats.append({"type": "Feature", "properties": {"name": "z%d" % i},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}})
    zpath = "%s/zones.geojson" % work
    with open(zpath, "w") as f:
        json.dump({"type": "FeatureCollection", "features": feats}, f)
    spath, ppath = "%s/skim.csv" % work, "%s/skim_points.csv" % work
    for extra, what in (([], "CH"), (["--no-ch"], "--no-ch")):
        rc, _, err = run("skim", net, "--zones", zpath, "--name-field", "name", "--profile",
                         profile, "--metric", metric, "-o", spath, "--points", ppath, *extra)
        if rc != 0:
            out(False, "%s: skim (%s)" % (tag, what), err)
            return
        with open(ppath) as f:
            zp = list(csv.DictReader(f))
        with open("%s/zpts.csv" % work, "w") as f:
            f.write("id,lon,lat\n")
            for i, r in enumerate(zp):
                f.write("%d,%s,%s\n" % (i, r["lon"], r["lat"]))
        index = {r["zone"]: i for i, r in enumerate(zp)}
        got = {}
        with open(spath) as f:
            for r in csv.DictReader(f):
                got[(index[r["from_zone"]], index[r["to_zone"]])] = (r["status"],) + tuple(
                    num(r[k]) for k in MEASURES)
        m, err = matrix(profile, metric, "%s/zpts.csv" % work, "%s/zpts.csv" % work, extra)
        if m is None:
            out(False, "%s: matrix of the skim's points" % tag, err)
            return
        same("%s: skim (%s) = matrix (%s) on the zones' points" % (tag, what, what), m, got,
             sorted(m))


def server_route(tag, profile, metric, ch, keys):
    """/route with corridor's metric=: the same four measures as batch (weight: the metric's)."""
    bad = []
    sample = [k for k in keys if ch[k][0] == "ok"][:20]
    for k in sample:
        coords = "%.6f,%.6f;%.6f,%.6f" % (*orig[k], *dest[k])
        try:
            rt = get("/route/v1/%s/%s?overview=false&metric=%s" % (profile, coords, metric))
            rt = rt["routes"][0]
        except Exception as ex:  # noqa: BLE001 - reported as a failure line
            bad.append((k, str(ex)))
            continue
        cm = rt.get("corridor", {})
        if (num(rt["distance"]), num(rt["duration"]), num(cm.get("cost")),
                num(cm.get("co2_kg"))) != ch[k][1:]:
            bad.append((k, ch[k], rt["distance"], rt["duration"], cm))
    out(not bad, "%s: /route metric=%s = batch (%d pairs, %d differ)" % (tag, metric,
        len(sample), len(bad)), bad[:3])


def get(path):
    with urllib.request.urlopen(base + path, timeout=60) as r:
        return json.load(r)


def server(tag, profile, ch, keys):
    """/route for each routed pair; /table once, origins as sources and destinations as
    destinations (its diagonal)."""
    sample = [k for k in keys if ch[k][0] == "ok"]
    bad_r, bad_t = [], []
    for k in sample:
        coords = "%.6f,%.6f;%.6f,%.6f" % (*orig[k], *dest[k])
        try:
            rt = get("/route/v1/%s/%s?overview=false" % (profile, coords))["routes"][0]
        except Exception as ex:  # noqa: BLE001 - reported as a failure line
            bad_r.append((k, str(ex)))
            continue
        cm = rt.get("corridor", {})
        if (num(rt["distance"]), num(rt["duration"]), num(rt["weight"]), num(cm.get("cost")),
                num(cm.get("co2_kg"))) != (ch[k][1], ch[k][2], ch[k][2], ch[k][3], ch[k][4]):
            bad_r.append((k, ch[k], rt["distance"], rt["duration"], rt["weight"], cm))
    out(not bad_r, "%s: /route = batch (%d pairs, %d differ)" % (tag, len(sample), len(bad_r)),
        bad_r[:3])
    coords = ";".join("%.6f,%.6f" % p for p in orig + dest)
    src = ";".join(str(i) for i in range(n))
    dst = ";".join(str(n + i) for i in range(n))
    try:
        t = get("/table/v1/%s/%s?sources=%s&destinations=%s&annotations=duration,distance"
                % (profile, coords, src, dst))
    except Exception as ex:  # noqa: BLE001 - reported as a failure line
        out(False, "%s: /table" % tag, ex)
        return
    for k in sample:
        td, tt = t["distances"][k][k], t["durations"][k][k]
        if (num(td), num(tt)) != (ch[k][1], ch[k][2]):
            bad_t.append((k, ch[k], td, tt))
    out(not bad_t, "%s: /table = batch (%d pairs, %d differ)" % (tag, len(sample), len(bad_t)),
        bad_t[:3])


for profile in ("car", "truck"):
    for metric in ("time", "distance"):
        check(profile, metric)
for metric in ("cost", "co2"):
    check("car", metric)
