#!/usr/bin/env python3
"""gen_scenario_inputs.py KIND SEED OUT.geojson: SYNTHETIC inputs for bench/scenario_bench.sh.

SYNTHETIC: nothing here is real. No plan, no survey: made-up shapes for timing `corridor
scenario` and `corridor compare`, never for saying anything about Malta.

KIND
  malta-line   one LineString across Malta's main island (highway=trunk, maxspeed=80, name
               "SYNTHETIC bench line"), from 14.36,35.935 to 14.54,35.84 through 8 vertices
               each moved up to 300 m at random (seeded), joined to the network at its ends.
  malta-zones  300 squares (field zone_id "Z001"..., landuse "synthetic") on a 20 x 15 grid
               over 14.34..14.56 E, 35.83..35.95 N (cells about 1 km x 0.9 km), each square 60 %
               of its cell, its centre moved up to 15 % of the cell at random (seeded). Squares
               over the sea have no road within the snap radius: compare counts them not placed.

Random numbers: Python's random.Random(SEED), so the same SEED gives the same file.
"""
import json
import random
import sys


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("malta-line", "malta-zones"):
        sys.exit("usage: gen_scenario_inputs.py malta-line|malta-zones SEED OUT.geojson")
    kind, seed, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    feats = []
    if kind == "malta-line":
        a, b, n = (14.36, 35.935), (14.54, 35.84), 10
        pts = []
        for i in range(n):
            t = i / (n - 1)
            x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
            if 0 < i < n - 1:
                x += rng.uniform(-1, 1) * 300 / 90300.0
                y += rng.uniform(-1, 1) * 300 / 111000.0
            pts.append([round(x, 6), round(y, 6)])
        feats.append({"type": "Feature",
                      "properties": {"name": "SYNTHETIC bench line", "highway": "trunk", "maxspeed": 80},
                      "geometry": {"type": "LineString", "coordinates": pts}})
    else:
        w, s, e, nn, cols, rows = 14.34, 35.83, 14.56, 35.95, 20, 15
        cw, ch = (e - w) / cols, (nn - s) / rows
        k = 0
        for r in range(rows):
            for c in range(cols):
                k += 1
                cx = w + (c + 0.5) * cw + rng.uniform(-0.15, 0.15) * cw
                cy = s + (r + 0.5) * ch + rng.uniform(-0.15, 0.15) * ch
                hx, hy = 0.3 * cw, 0.3 * ch
                ring = [[cx - hx, cy - hy], [cx + hx, cy - hy], [cx + hx, cy + hy], [cx - hx, cy + hy],
                        [cx - hx, cy - hy]]
                feats.append({"type": "Feature",
                              "properties": {"zone_id": "Z%03d" % k, "landuse": "synthetic"},
                              "geometry": {"type": "Polygon",
                                           "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}})
    json.dump({"type": "FeatureCollection", "name": "SYNTHETIC " + kind, "features": feats},
              open(out, "w"), indent=None)


if __name__ == "__main__":
    main()
