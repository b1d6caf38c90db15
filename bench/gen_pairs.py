#!/usr/bin/env python3
"""Writes SYNTHETIC origin-destination pairs for `corridor batch`: random, seeded, made up.

These pairs are not survey data, not trips anyone made: only a load for the batch benchmark and
an example input. Two ways to place the points:

  --bbox W,S,E,N   uniform random points in the box (some fall in the sea or far from any road:
                   they exercise the no_segment and unreachable statuses too)
  --osm FILE.osm   random nodes of the road ways (highway=motorway ... service) of an OSM XML
                   file, so every point lies on a road

The same --seed, --count and input give the same file on any machine (Python's random.Random is
a Mersenne Twister whose seeded sequence is stable across Python 3 versions).

  bench/gen_pairs.py --bbox 7.409,43.723,7.440,43.752 --count 20000 --seed 1 -o pairs.csv
  bench/gen_pairs.py --osm datasets/hcmc-district3-map.osm --count 300 --seed 3 --prefix od- \
      -o datasets/pairs-hcmc-district3-example.csv
"""
import argparse
import random
import sys
import xml.etree.ElementTree as ET

ROADS = {
    "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential",
    "living_street", "service", "motorway_link", "trunk_link", "primary_link",
    "secondary_link", "tertiary_link", "road",
}


def road_nodes(path):
    """Coordinates of the nodes used by road ways, in file order, each once."""
    coords, used, order = {}, set(), []
    for _, el in ET.iterparse(path, events=("end",)):
        if el.tag == "node":
            coords[el.get("id")] = (float(el.get("lon")), float(el.get("lat")))
        elif el.tag == "way":
            tags = {t.get("k"): t.get("v") for t in el.findall("tag")}
            if tags.get("highway") in ROADS and tags.get("area") != "yes":
                for nd in el.findall("nd"):
                    ref = nd.get("ref")
                    if ref in coords and ref not in used:
                        used.add(ref)
                        order.append(coords[ref])
            el.clear()
        elif el.tag == "relation":
            el.clear()
    return order


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--bbox", help="W,S,E,N in WGS84 degrees")
    where.add_argument("--osm", help="an OSM XML file; points are its road nodes")
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--prefix", default="syn-", help="id prefix (default syn-)")
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    if a.bbox:
        try:
            w, s, e, n = (float(x) for x in a.bbox.split(","))
        except ValueError:
            sys.exit("gen_pairs.py: --bbox wants W,S,E,N")

        def point():
            return (w + (e - w) * rng.random(), s + (n - s) * rng.random())
    else:
        nodes = road_nodes(a.osm)
        if len(nodes) < 2:
            sys.exit("gen_pairs.py: %s: fewer than two road nodes" % a.osm)

        def point():
            return nodes[rng.randrange(len(nodes))]
    width = len(str(a.count))
    out = sys.stdout if a.output == "-" else open(a.output, "w", newline="")
    out.write("id,from_lon,from_lat,to_lon,to_lat\n")
    for i in range(1, a.count + 1):
        (x0, y0), (x1, y1) = point(), point()
        out.write("%s%0*d,%.7f,%.7f,%.7f,%.7f\n" % (a.prefix, width, i, x0, y0, x1, y1))
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
