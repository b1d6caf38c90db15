#!/usr/bin/env bash
# `corridor scenario` keeps the base network's optional sections (docs/network-file.md, "Optional
# sections and corridor scenario"): on the bundled District 3 extract (real OSM data: destination
# tags, motor_vehicle:conditional on Điện Biên Phủ, restriction:conditional), with a new road
# added (drawn here: synthetic), the scenario's network still has
#   - the destinations: the steps of a route onto Võ Thị Sáu say "Công Trường Dân Chủ", as on the
#     base network (route --steps);
#   - the conditional ban: with --depart 30 April 08:00 the route goes round the three Điện Biên
#     Phủ ways, on 1 May 08:00 it takes them (route --depart, as tests/cli/test_conditional.sh
#     checks on the base);
#   - the sections themselves, byte for byte (way.destination, way.cond, restriction.cond), and
#     on the drawn tests/maps/steps.osm with a way re-tagged, its exits and lanes (way.guide).
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_scenario_carry.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-scenario-carry}
D3=$SRC/datasets/hcmc-district3-map.osm
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the answers"
make_scratch
cd "$WORK" || finish

cat >road.geojson <<'GJ'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Test road",
"highway":"primary"},"geometry":{"type":"LineString","coordinates":[[106.6912152,10.7871442],
[106.6925,10.7866],[106.6937362,10.7865155]]}}]}
GJ
if ! "$CORRIDOR" import "$D3" -o d3.corr 2>import.err; then
    bad "import District 3" "$(cat import.err)"
    finish
fi
if exits "scenario: a road added" 0 "$CORRIDOR" scenario d3.corr -o s.corr --add road.geojson; then
    ok "scenario: a road added"
fi

# same_sections BASE SCENARIO NAME...: each optional section NAME of the scenario is the base's,
# byte for byte (read through the container's section table: docs/network-file.md)
same_sections() {
    local base=$1 scen=$2 name
    shift 2
    "$PY" - "$base" "$scen" "$@" >sections.txt <<'PY'
import struct, sys
def sections(path):
    d = open(path, "rb").read()
    count = struct.unpack_from("<I", d, 16)[0]
    out = {}
    for i in range(count):
        name, off, size, _, _ = struct.unpack_from("<24sQQII", d, 32 + 48 * i)
        out[name.rstrip(b"\0").decode()] = d[off:off + size]
    return out
b, s = sections(sys.argv[1]), sections(sys.argv[2])
for name in sys.argv[3:]:
    print("%s\t%s" % (name, "same" if name in b and b.get(name) == s.get(name) else "differs"))
PY
    for name in "$@"; do
        if grep -qx "$name	same" sections.txt; then
            ok "scenario of $base: $name as in the base"
        else
            bad "scenario of $base: $name as in the base" "$(cat sections.txt)"
        fi
    done
}
same_sections d3.corr s.corr way.destination way.cond restriction.cond
# exits and turn lanes (way.guide) of the drawn tests/maps/steps.osm, one way re-tagged
if "$CORRIDOR" import "$SRC/tests/maps/steps.osm" -o steps.corr 2>import.err &&
    "$CORRIDOR" scenario steps.corr -o steps_s.corr --set 'way/101:maxspeed=20' >scen.out 2>scen.err; then
    same_sections steps.corr steps_s.corr way.guide way.destination
else
    bad "scenario of steps.corr" "$(cat import.err scen.err)"
fi

# destinations on the scenario's steps
if exits "route --steps on the scenario" 0 "$CORRIDOR" route s.corr --profile car \
    --from 106.6918,10.7880 --to 106.6912,10.7869 --steps; then
    cp "$WORK/stdout" steps.json
    jcheck "route --steps on the scenario" steps.json \
        "[s.get('destinations') for s in d['steps'] if s['name'] == 'Võ Thị Sáu'] == ['Công Trường Dân Chủ']"
fi

# the conditional ban on the scenario's network
: >d3.tsv
for when in 2026-04-30T08:00:0 2026-05-01T08:00:1; do
    t=${when%:*} want=${when##*:}
    if "$CORRIDOR" route s.corr --profile car --from 106.6902975,10.7910861 \
        --to 106.6943122,10.7874737 --depart "$t" >"route_$want.json" 2>route.err; then
        printf '%s\t%s\t%s\n' "route_$want.json" "$want" "scenario, --depart $t: $([ "$want" = 1 ] && echo through || echo round) Điện Biên Phủ" >>d3.tsv
    else
        bad "route --depart $t on the scenario" "$(cat route.err)"
    fi
done
while IFS=$'\t' read -r verdict label detail; do
    if [ "$verdict" = ok ]; then ok "$label"; else bad "$label" "$detail"; fi
done < <("$PY" - "$D3" d3.tsv <<'PY'
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
    c = [tuple(p) for p in json.load(open(path))["geometry"]["coordinates"]]
    uses = any((a, b) in banned for a, b in zip(c, c[1:]))
    print("%s\t%s\t%s" % ("ok" if banned and uses == (want == "1") else "bad", label, c[:8]))
PY
)
finish
