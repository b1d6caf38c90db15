#!/usr/bin/env bash
# Imports every OSM file bundled in datasets/ and checks `corridor info --json` against numbers
# made independently with osmium-tool and a few lines of Python, never with corridor itself.
#
# Run by ctest with CORRIDOR (the binary), SRC (the repository) and WORK (a scratch folder this
# script empties). By hand: CORRIDOR=build/dev/cli/corridor bash tests/cli/test_import_datasets.sh
#
# Where the literal numbers below come from (rerun: bash tests/cli/test_import_datasets.sh --recount)
#   newest timestamp  osmium fileinfo -e -g data.timestamp.last FILE
#   data bbox         osmium fileinfo -e -g data.bbox FILE
#   ways per mode,    osmium cat -f opl FILE -o - | python3 -c "$COUNTER"   (COUNTER is below)
#   restrictions
#     The counter applies importers/osm/osm_tags.h's rules to every way: at least 2 node refs;
#     road = highway in ROAD, not area=yes, not closed to all of motorcar, motorcycle and hgv
#     (each resolved as <vehicle> > motor_vehicle > vehicle > access, "no" = closed), no
#     construction=* tag but no/minor/widening, not service=emergency_access; else ferry = route=ferry; else rail = railway in
#     rail/light_rail/narrow_gauge; else water = waterway in river/canal/fairway. Restrictions:
#     relations type=restriction with restriction[:<vehicle>]=no_*/only_* (not :conditional), one
#     per (from, to) pair of imported road ways, given a via member.
#   Cross-check with osmium alone (counts before the exclusions, e.g. for osrm-monaco):
#     osmium tags-filter -R -f opl -o - FILE w/highway=motorway,motorway_link,trunk,trunk_link,\
#       primary,primary_link,secondary,secondary_link,tertiary,tertiary_link,unclassified,\
#       residential,living_street,service,track,road | grep -c '^w'               -> 1827
#     osmium tags-filter -R -f opl -o - FILE w/railway=rail,light_rail,narrow_gauge | grep -c '^w' -> 69
#     osmium tags-filter -R -f opl -o - FILE w/waterway=river,canal,fairway | grep -c '^w'  -> 2
#     osmium tags-filter -R -f opl -o - FILE w/route=ferry | grep -c '^w'                 -> 1
#   then subtract the excluded ways, per file:
#     osrm-monaco    road 1827 - 19 closed to motor vehicles (17 access=no, 2 motor_vehicle=no under
#                    access=yes/private) - 1 area=yes - 3 single-node - 1 service=emergency_access
#                    (the other one is also access=no) = 1803;
#                    rail 69 - 2 single-node (w4978333, w235975234) = 67
#     krems          road  682 - 4 access=no - 1 motorcar/motorcycle/hgv=no (w24864460)
#                    - 1 area=yes (w25097713) = 676; rail 109; water 4
#     hcmc map       road  172 - 1 motor_vehicle=no (w213330351) = 171
#     hcmc multi-tl  road  356 - 1 (the same w213330351) = 355
#     West-Oakland   road   23 (its two railway ways are railway=subway)
#   No way in these files carries both a road highway and a railway, or route=ferry and highway.
set -u

COUNTER='
import collections, re, sys
ROAD = ("motorway motorway_link trunk trunk_link primary primary_link secondary secondary_link "
        "tertiary tertiary_link unclassified residential living_street service track road").split()
RAIL, WATER = ("rail", "light_rail", "narrow_gauge"), ("river", "canal", "fairway")
def unesc(s):  # OPL writes odd characters as %hex%
    return re.sub(r"%([0-9a-fA-F]+)%", lambda m: chr(int(m.group(1), 16)), s)
def resolve(t, keys):  # the most specific access tag present
    return next((t[k] for k in keys if k in t), None)
def closed_to_motor(t):
    return all(resolve(t, [v, "motor_vehicle", "vehicle", "access"]) == "no"
               for v in ("motorcar", "motorcycle", "hgv"))
ways, klass, roads, relations = collections.Counter(), collections.Counter(), set(), []
for line in sys.stdin:  # OPL: nodes, then ways, then relations
    if line[0] not in "wr":
        continue
    t, refs, members = {}, [], []
    for field in line.split()[1:]:
        if field[0] == "T" and len(field) > 1:
            for kv in field[1:].split(","):
                k, _, v = kv.partition("=")
                t[unesc(k)] = unesc(v)
        elif field[0] == "N":
            refs = [r for r in field[1:].split(",") if r]
        elif field[0] == "M":
            members = [m.split("@", 1) for m in field[1:].split(",") if m]
    if line[0] == "r":
        relations.append((t, members))
        continue
    if len(refs) < 2:
        continue
    hw, rw, ww = t.get("highway"), t.get("railway"), t.get("waterway")
    if (hw in ROAD and t.get("area") != "yes" and not closed_to_motor(t)
            and t.get("construction", "no") in ("no", "minor", "widening")
            and not (hw == "service" and t.get("service") == "emergency_access")):
        ways["road"] += 1; klass["road:" + hw] += 1; roads.add("w" + line.split()[0][1:])
    elif t.get("route") == "ferry":
        ways["ferry"] += 1
    elif rw in RAIL:
        ways["rail"] += 1; klass["rail:" + rw] += 1
    elif ww in WATER:
        ways["water"] += 1; klass["water:" + ww] += 1
# turn restrictions: type=restriction[:*] with restriction[:<vehicle>]=no_*/only_* (not
# restriction:conditional); one per (from, to) pair of imported road ways, with a via member
restrictions = 0
for t, members in relations:
    if not t.get("type", "").startswith("restriction") or not any(
            re.fullmatch(r"restriction(:(?!conditional)[a-z_]+)?", k)
            and v.startswith(("no_", "only_")) for k, v in t.items()):
        continue
    role = lambda r: [m for m, mr in members if mr == r]
    if role("via"):
        restrictions += sum(a in roads and b in roads for a in role("from") for b in role("to"))
print(" ".join("%s=%d" % (m, ways[m]) for m in ("road", "rail", "water", "ferry")),
      "restrictions=%d" % restrictions)
print(" ".join("%s=%d" % kv for kv in sorted(klass.items())))
'

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
DATA=$SRC/datasets

if [ "${1:-}" = --recount ]; then
    cd "$DATA" || exit 1
    for f in hcmc-district3-map.osm.pbf hcmc-district3-map.osm hcmc-district3-multi-tl-map.osm.pbf \
             graphhopper-krems.osm.pbf osrm-monaco.osm.pbf osmnx-West-Oakland.osm.bz2; do
        echo "$f: newest $(osmium fileinfo -e -g data.timestamp.last "$f")," \
             "bbox $(osmium fileinfo -e -g data.bbox "$f")"
        osmium cat -f opl "$f" -o - | python3 -c "$COUNTER" | sed 's/^/    /'
    done
    exit 0
fi

CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-import-datasets}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
make_scratch

# import_ok LABEL OUT ARGS...: `corridor import ARGS -o OUT --quiet` exits 0, writes OUT, prints
# nothing, and leaves no temporary file beside OUT.
import_ok() {
    local label=$1 out=$2 rc
    shift 2
    rm -f "$out"
    "$CORRIDOR" import "$@" -o "$out" --quiet >"$WORK/import.out" 2>"$WORK/import.err"
    rc=$?
    if [ "$rc" -eq 0 ] && [ -s "$out" ] && [ ! -s "$WORK/import.out" ] &&
        [ ! -s "$WORK/import.err" ]; then
        ok "$label: import exits 0, quietly, and writes $(basename "$out")"
    else
        bad "$label: import (exit $rc, output $( [ -s "$out" ] && echo present || echo missing))" \
            "stderr: $(head -c 600 "$WORK/import.err")" "stdout: $(head -c 300 "$WORK/import.out")"
        return 1
    fi
    if compgen -G "$(dirname "$out")/*.tmp" >/dev/null; then
        bad "$label: temporary file left: $(ls "$(dirname "$out")"/*.tmp)"
    else
        ok "$label: no *.tmp left"
    fi
}

# info_json LABEL NETWORK JSON: `corridor info NETWORK --json` exits 0 with one JSON object.
info_json() {
    local label=$1 net=$2 json=$3 rc
    "$CORRIDOR" info "$net" --json >"$json" 2>"$WORK/info.err"
    rc=$?
    if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; assert isinstance(json.load(open(sys.argv[1])), dict)' "$json" 2>/dev/null; then
        ok "$label: info --json exits 0 with one JSON object"
    else
        bad "$label: info --json (exit $rc)" "$(head -c 600 "$WORK/info.err")" "$(head -c 300 "$json")"
    fi
}

# check_dataset FILE ROAD RAIL WATER FERRY RESTRICTIONS NEWEST "W,S,E,N" ROAD_CLASSES: the numbers
# come from osmium (see the top of this file).
check_dataset() {
    local file=$1 road=$2 rail=$3 water=$4 ferry=$5 restrictions=$6 newest=$7 bbox=$8 classes=$9
    local name net json size
    name=$(basename "$file")
    net=$WORK/$name.corr
    json=$WORK/$name.json
    if [ ! -f "$file" ]; then
        bad "$name: dataset missing ($file)"
        return
    fi
    size=$(wc -c <"$file")
    import_ok "$name" "$net" "$file" || return
    info_json "$name" "$net" "$json"
    IFS=, read -r bw bs be bn <<<"$bbox"
    jcheck "$name" "$json" \
        "d['ways_by_mode']['road'] == $road" \
        "d['ways_by_mode']['rail'] == $rail" \
        "d['ways_by_mode']['water'] == $water" \
        "d['ways_by_mode']['ferry'] == $ferry" \
        "{k: v for k, v in d['ways_by_road_class'].items() if v} == $classes" \
        "sum(d['ways_by_road_class'].values()) == d['ways_by_mode']['road']" \
        "sum(d['ways_by_rail_class'].values()) == d['ways_by_mode']['rail']" \
        "sum(d['ways_by_water_class'].values()) == d['ways_by_mode']['water']" \
        "d['restrictions'] == $restrictions" \
        "d['provenance']['newest_timestamp'] == '$newest'" \
        "$bw - 1e-7 <= d['bbox'][0] < d['bbox'][2] <= $be + 1e-7" \
        "$bs - 1e-7 <= d['bbox'][1] < d['bbox'][3] <= $bn + 1e-7" \
        "d['nodes'] > 0" \
        "d['nodes'] == sum(d['nodes_by_group'].values())" \
        "d['edges'] == sum(d['edges_by_mode'].values())" \
        "d['segments'] == sum(d['segments_by_mode'].values())" \
        "d['segments'] <= d['edges'] <= 2 * d['segments']" \
        "d['edges_by_mode']['road'] >= d['segments_by_mode']['road'] > 0" \
        "d['length_km_by_mode']['road'] > 0" \
        "(d['edges_by_mode']['rail'] > 0) == ($rail > 0)" \
        "(d['edges_by_mode']['water'] > 0) == ($water > 0)" \
        "(d['edges_by_mode']['ferry'] > 0) == ($ferry > 0)" \
        "(d['nodes_by_group']['rail'] > 0) == ($rail > 0)" \
        "(d['nodes_by_group']['water'] > 0) == ($water > 0)" \
        "d['ways_by_mode']['transfer'] == d['terminals'] == len(d['terminal_list']) == d['nodes_by_group']['terminal']" \
        "d['transfer_edges'] == d['edges_by_mode']['transfer']" \
        "all(0 <= t['node'] < d['nodes'] for t in d['terminal_list'])" \
        "all(len(t['linked']) >= 2 for t in d['terminal_list'])" \
        "all('road' in t['linked'] for t in d['terminal_list'])" \
        "d['provenance']['input'] == '$name'" \
        "d['provenance']['input_bytes'] == $size" \
        "d['provenance']['modes'] == ['road', 'rail', 'water']"
}

# hcmc-district3-map's 26 restriction relations are all restriction:conditional (time of day), which
# osm_tags.h does not read: 0. multi-tl-map: 3 plain ones, one whose from-way (w1177480626) is not
# in the file: 2. Krems: 9, one whose to-way (w91933595) is not in the file: 8. Monaco: 27 of 27.
#                  file                                   road rail water ferry restr newest              data bbox (W,S,E,N)
check_dataset "$DATA/hcmc-district3-map.osm.pbf"           171    0    0    0    0 2026-01-26T02:04:20Z 106.6661518,10.7560401,106.6975408,10.7919098 \
    "{'primary': 29, 'primary_link': 2, 'residential': 30, 'secondary': 2, 'service': 100, 'tertiary': 8}"
check_dataset "$DATA/hcmc-district3-map.osm"               171    0    0    0    0 2026-01-26T02:04:20Z 106.6661518,10.7560401,106.6975408,10.7919098 \
    "{'primary': 29, 'primary_link': 2, 'residential': 30, 'secondary': 2, 'service': 100, 'tertiary': 8}"
check_dataset "$DATA/hcmc-district3-multi-tl-map.osm.pbf"  355    0    0    0    2 2026-01-19T19:37:11Z 106.6661518,10.7560401,106.6995942,10.7918586 \
    "{'primary': 48, 'primary_link': 5, 'residential': 54, 'secondary': 29, 'service': 196, 'tertiary': 23}"
check_dataset "$DATA/graphhopper-krems.osm.pbf"            676  109    4    0    8 2013-12-16T20:39:13Z 15.5532503,48.3687127,15.8582212,48.4455284 \
    "{'primary': 7, 'residential': 234, 'secondary': 6, 'secondary_link': 3, 'service': 201, 'tertiary': 9, 'track': 112, 'trunk': 68, 'trunk_link': 33, 'unclassified': 3}"
check_dataset "$DATA/osrm-monaco.osm.pbf"                 1803   67    2    1   27 2016-03-04T21:33:03Z 7.3490007,43.7147967,7.490996,43.77 \
    "{'living_street': 22, 'motorway': 34, 'motorway_link': 31, 'primary': 309, 'primary_link': 22, 'residential': 655, 'road': 1, 'secondary': 140, 'secondary_link': 4, 'service': 379, 'tertiary': 83, 'tertiary_link': 1, 'track': 59, 'unclassified': 63}"
check_dataset "$DATA/osmnx-West-Oakland.osm.bz2"            23    0    0    0    0 2016-07-12T16:09:43Z -122.3143312,37.8040142,-122.290784,37.8175832 \
    "{'residential': 9, 'secondary': 5, 'service': 6, 'unclassified': 3}"

# ---- the XML and the PBF of hcmc-district3-map hold the same data: the same network -------------
xml=$WORK/hcmc-district3-map.osm.json
pbf=$WORK/hcmc-district3-map.osm.pbf.json
diff_out="one of the two imports failed"
[ -f "$xml" ] && [ -f "$pbf" ] && diff_out=$(python3 - "$xml" "$pbf" 2>&1 <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):  # these name or measure the input or output file itself
    for k in ("file", "file_bytes"):
        d.pop(k, None)
    for k in ("input", "input_bytes"):
        d.get("provenance", {}).pop(k, None)
for k in sorted(set(a) | set(b)):
    if a.get(k) != b.get(k):
        print("%s: xml %s / pbf %s" % (k, json.dumps(a.get(k))[:200], json.dumps(b.get(k))[:200]))
EOF
)
if [ -z "$diff_out" ]; then
    ok "hcmc-district3-map: .osm and .osm.pbf give the same info --json (but file/input names and sizes)"
else
    bad "hcmc-district3-map: .osm and .osm.pbf give different info --json" "$diff_out"
fi
if [ -f "$WORK/hcmc-district3-map.osm.corr" ] && [ -f "$WORK/hcmc-district3-map.osm.pbf.corr" ] &&
    [ "$(wc -c <"$WORK/hcmc-district3-map.osm.corr")" -gt 0 ]; then
    ok "hcmc-district3-map: both network files written"
else
    bad "hcmc-district3-map: a network file is missing"
fi

# ---- Krems: the Danube, the railways and the port ----------------------------------------------
kjson=$WORK/graphhopper-krems.osm.pbf.json
# The Danube is 2 ways waterway=river name=Donau (w51156920, w51386392), the river Krems 2 more:
#   osmium tags-filter -R -f opl -o - datasets/graphhopper-krems.osm.pbf w/waterway=river
# The port's mooring: node 275663266 "Hafen Krems", mooring=yes, in the port basin (a QUAY per
# osm_tags.h: served by road and water); 142 m from the nearest road way node. The Danube's two
# ways run from lon 15.5594 to 15.8547, at least 21 km, hence "water > 10 km".
jcheck "krems" "$kjson" \
    "d['ways_by_water_class']['river'] == 4" \
    "d['ways_by_rail_class']['rail'] == 109" \
    "d['edges_by_mode']['water'] > 0" \
    "d['edges_by_mode']['rail'] > 0" \
    "d['length_km_by_mode']['water'] > 10" \
    "any(t['name'] == 'Hafen Krems' for t in d['terminal_list'])" \
    "[t['osm_id'] for t in d['terminal_list'] if t['name'] == 'Hafen Krems'] == [275663266]" \
    "all({'road', 'water'} <= set(t['linked']) for t in d['terminal_list'] if t['name'] == 'Hafen Krems')"

# A port must join the water network on the Danube, the navigable river (CEMT VI), not on the
# small river Krems, which in this extract does not meet the Danube. Info does not say where a
# transfer edge goes, so read it from the network file (core/netfile.h: a 32-byte header with
# section_count at byte 16, then 48-byte entries {char name[24]; u64 offset, size; u32 elem_size,
# crc32}; sections node.first_out, edge.head, node.osm_id). The Danube's nodes:
#   osmium getid -f opl datasets/graphhopper-krems.osm.pbf w51156920 w51386392 | grep '^w'
DANUBE_NODES="528935549 528935552 528935556 528935558 528935560 528935562 528935565 528935568
    528935569 528935570 528935571 528935572 528935573 528935575 528935576 528935577 528935578
    528935579 528935580 528935581 528935583 528935584 528935585 528935586 528935596 528935597
    652689948 656072136 1173523970 2151635672 2151635673 2151635674 2151635680 2151635681"
JOINS='
import json, struct, sys
net, info, name, danube = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3], sys.argv[4]
danube = {int(x) for x in danube.split()}
data = open(net, "rb").read()
sections = {}
for i in range(struct.unpack_from("<I", data, 16)[0]):
    sname, off, size, elem = struct.unpack_from("<24sQQI", data, 32 + 48 * i)
    sections[sname.rstrip(b"\0").decode()] = (off, size // elem)
def array(sname, code):
    off, count = sections[sname]
    return struct.unpack_from("<%d%s" % (count, code), data, off)
first_out, head = array("node.first_out", "I"), array("edge.head", "I")
osm_id = array("node.osm_id", "q")
nodes = [t["node"] for t in info["terminal_list"] if t["name"] == name]
if len(nodes) != 1:
    print("FAIL %d terminals named %r" % (len(nodes), name))
else:
    ids = [osm_id[h] for h in head[first_out[nodes[0]]:first_out[nodes[0] + 1]]]
    print(("ok" if danube & set(ids) else "FAIL") + " its transfer edges reach OSM nodes %s" % ids)
'
# joins_danube LABEL NETWORK JSON TERMINAL_NAME
joins_danube() {
    local label=$1 net=$2 json=$3 name=$4 out
    out=$(python3 -c "$JOINS" "$net" "$json" "$name" "$DANUBE_NODES" 2>&1)
    case $out in
    ok*) ok "$label: \"$name\" joins the Danube (${out#ok })" ;;
    *) bad "$label: \"$name\" does not join the Danube" "${out#FAIL }" ;;
    esac
}
if [ -f "$WORK/graphhopper-krems.osm.pbf.corr" ]; then
    joins_danube krems "$WORK/graphhopper-krems.osm.pbf.corr" "$kjson" "Hafen Krems"
else
    bad "krems: no network file to look for the Danube link in"
fi

# With the example terminal file: one terminal more, joined to road, rail and water.
csv=$DATA/terminals-krems-example.csv
tnet=$WORK/krems-terminals.corr
tjson=$WORK/krems-terminals.json
if [ ! -f "$csv" ]; then
    bad "krems --terminals: $csv missing"
elif import_ok "krems --terminals" "$tnet" "$DATA/graphhopper-krems.osm.pbf" --terminals "$csv"; then
    info_json "krems --terminals" "$tnet" "$tjson"
    base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["terminals"])' "$kjson" 2>/dev/null || echo -1)
    jcheck "krems --terminals" "$tjson" \
        "d['terminals'] == $base + 2" \
        "[sorted(t['linked']) for t in d['terminal_list'] if t['name'] == 'Danube landing east (example)'] == [['road', 'water']]" \
        "d['ways_by_mode']['transfer'] == d['terminals']" \
        "[t['name'] for t in d['terminal_list'] if t['name'] == 'Krems Danube port (example)'] == ['Krems Danube port (example)']" \
        "[sorted(t['linked']) for t in d['terminal_list'] if t['name'] == 'Krems Danube port (example)'] == [['rail', 'road', 'water']]" \
        "[sorted(t['modes']) for t in d['terminal_list'] if t['name'] == 'Krems Danube port (example)'] == [['rail', 'road', 'water']]" \
        "[t['kind'] for t in d['terminal_list'] if t['name'] == 'Krems Danube port (example)'] == ['port']" \
        "[(round(t['lon'], 6), round(t['lat'], 6)) for t in d['terminal_list'] if t['name'] == 'Krems Danube port (example)'] == [(15.640411, 48.404136)]" \
        "d['transfer_edges'] >= 2 * 3" \
        "d['provenance']['terminals_file'] == 'terminals-krems-example.csv'"
    joins_danube "krems --terminals" "$tnet" "$tjson" "Krems Danube port (example)"
fi

# ---- the text form of info works too ------------------------------------------------------------
if "$CORRIDOR" info "$WORK/osrm-monaco.osm.pbf.corr" >"$WORK/info.txt" 2>"$WORK/info.err" &&
    [ -s "$WORK/info.txt" ] && [ ! -s "$WORK/info.err" ]; then
    ok "osrm-monaco: info (text) exits 0 and prints"
else
    bad "osrm-monaco: info (text)" "$(head -c 600 "$WORK/info.err")"
fi

# ---- determinism: the same input gives the same bytes --------------------------------------------
# deterministic LABEL ARGS...: two imports of ARGS give byte-identical files.
deterministic() {
    local label="deterministic $1"
    shift
    if import_ok "$label (1)" "$WORK/det1.corr" "$@" && import_ok "$label (2)" "$WORK/det2.corr" "$@"; then
        if cmp -s "$WORK/det1.corr" "$WORK/det2.corr"; then
            ok "$label: two imports are byte-identical"
        else
            bad "$label: two imports differ" "$(cmp "$WORK/det1.corr" "$WORK/det2.corr" 2>&1 | head -1)"
        fi
    fi
}
deterministic osrm-monaco "$DATA/osrm-monaco.osm.pbf"
deterministic "krems --terminals" "$DATA/graphhopper-krems.osm.pbf" --terminals "$csv"

finish
