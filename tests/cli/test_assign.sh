#!/usr/bin/env bash
# `corridor assign`: user-equilibrium traffic assignment.
# - TNTP: SiouxFalls from the team's shared data (../shared/datasets/tntp, the published network
#   and best-known flows; skipped with a message when absent) by Algorithm B to a relative gap of
#   1e-10: every link flow within 0.1% of the best-known (|x - x*| / max(x*, 1)), the Beckmann
#   objective within 1e-6 relative; by bi-conjugate Frank-Wolfe to 1e-4; the CSV names links by
#   init_node and term_node.
# - OSM: the bundled Krems extract, its land-use zones and a SYNTHETIC gravity demand (`corridor
#   demand gravity`), two classes from a class column (car, motorcycle with pce 0.3): GeoPackage
#   and CSV flows with the documented columns, flow conservation at the connectors (the PCE
#   volume of the edges is the classes' flows times their PCE), congested skims as OMX (an HDF5
#   file), the flow map, the summary (gap reached, VKT and VHT per class).
# - Bad input, each exit 1 with one line naming the file (and line) and nothing written: a TNTP
#   net with a wrong header, a demand naming an unknown zone, negative trips, an .omx that is
#   not one; usage errors exit 2.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_assign.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-assign}
SHARED=${CR_SHARED_DIR:-$SRC/../shared}
TNTP=$SHARED/datasets/tntp
PBF=$SRC/datasets/graphhopper-krems.osm.pbf
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the tables"
make_scratch

# ---- TNTP: SiouxFalls against the best-known solution ---------------------------------------
if [ -f "$TNTP/SiouxFalls_net.tntp" ]; then
    SF=(--tntp-net "$TNTP/SiouxFalls_net.tntp" --tntp-trips "$TNTP/SiouxFalls_trips.tntp"
        --reference "$TNTP/SiouxFalls_flow.tntp")
    if exits "SiouxFalls b" 0 "$CORRIDOR" assign "${SF[@]}" --algorithm b --gap 1e-10 \
        -o "$WORK/sf.csv" --summary "$WORK/sf.json"; then
        jcheck "SiouxFalls b" "$WORK/sf.json" 'd["run"]["relative_gap"] <= 1e-10' \
            'd["run"]["converged"]' 'd["reference"]["links"] == 76' \
            'd["reference"]["max_rel_flow_diff"] < 1e-3' \
            'abs(d["reference"]["objective_rel_diff"]) < 1e-6'
        head -1 "$WORK/sf.csv" | grep -qx "init_node,term_node,flow,cost,volume_capacity" &&
            [ "$(wc -l <"$WORK/sf.csv")" -eq 77 ] && ok "SiouxFalls CSV: 76 links" ||
            bad "SiouxFalls CSV" "$(head -3 "$WORK/sf.csv")"
        grep -q "iteration 1 " "$WORK/stderr" && ok "progress lines" ||
            bad "progress lines" "$(head -3 "$WORK/stderr")"
    fi
    if exits "SiouxFalls bfw" 0 "$CORRIDOR" assign "${SF[@]}" --algorithm bfw --gap 1e-4 --quiet \
        --summary "$WORK/sf-bfw.json"; then
        jcheck "SiouxFalls bfw" "$WORK/sf-bfw.json" 'd["run"]["relative_gap"] <= 1e-4' \
            'd["run"]["iterations"] > 1' 'abs(d["reference"]["objective_rel_diff"]) < 1e-4'
        [ -s "$WORK/stderr" ] && bad "--quiet" "$(head -2 "$WORK/stderr")" || ok "--quiet"
    fi
    # a net whose metadata lacks a key
    grep -v "FIRST THRU NODE" "$TNTP/SiouxFalls_net.tntp" >"$WORK/bad_net.tntp"
    error "TNTP net without a metadata key" 1 "bad_net.tntp.*(FIRST THRU NODE|first thru node)" \
        "$CORRIDOR" assign --tntp-net "$WORK/bad_net.tntp" \
        --tntp-trips "$TNTP/SiouxFalls_trips.tntp" -o "$WORK/never.csv"
    [ -e "$WORK/never.csv" ] && bad "nothing written on a bad net" || ok "nothing written on a bad net"
else
    echo "SKIP TNTP part: $TNTP not found (the team's shared data)"
fi
error "TNTP needs both files" 2 "tntp-trips" "$CORRIDOR" assign --tntp-net x_net.tntp

# ---- OSM: Krems, land-use zones, a synthetic demand with two classes -----------------------
NET=$WORK/krems.corr
exits "import Krems" 0 "$CORRIDOR" import "$PBF" -o "$NET" --quiet || finish
exits "gravity (synthetic)" 0 "$CORRIDOR" demand gravity "$NET" --zones "$PBF" --profile car \
    --total 2000 -o "$WORK/od-car.csv" || finish
# the same trips again as motorcycles (a class column): 2000 cars + 2000 motorcycles
"$PY" - "$WORK/od-car.csv" "$WORK/od.csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["from_zone", "to_zone", "trips", "class"])
    for cls in ("car", "motorcycle"):
        for r in rows:
            w.writerow([r["from_zone"], r["to_zone"], r["trips"], cls])
PYEOF
OSM=(--zones "$PBF" --demand "$WORK/od.csv" --classes car,motorcycle:pce=0.3 --threads 2)
if exits "assign Krems b" 0 "$CORRIDOR" assign "$NET" "${OSM[@]}" --algorithm b --gap 1e-6 \
    -o "$WORK/flows.gpkg" --skims "$WORK/skims.omx" --summary "$WORK/krems.json" \
    --map "$WORK/flows.png"; then
    jcheck "Krems b" "$WORK/krems.json" 'd["run"]["relative_gap"] <= 1e-6' \
        'd["zones"] > 10' 'd["totals"]["classes"]["car"]["vkt_km"] > 0' \
        'd["totals"]["classes"]["motorcycle"]["vht_h"] > 0'
    grep -qE "^  motorcycle +2000\.0 trips" "$WORK/stdout" && ok "per-class totals printed" ||
        bad "per-class totals" "$(cat "$WORK/stdout")"
    head -c 8 "$WORK/skims.omx" | od -c | head -1 | grep -q "H   D   F" && ok "skims are HDF5" ||
        bad "skims are HDF5"
    [ -s "$WORK/flows.png" ] && ok "flow map" || bad "flow map"
fi
if exits "assign Krems bfw CSV" 0 "$CORRIDOR" assign "$NET" "${OSM[@]}" --algorithm bfw \
    --gap 1e-4 --quiet -o "$WORK/flows.csv"; then
    "$PY" - "$WORK/flows.csv" <<'PYEOF' >"$WORK/check.txt"
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
need = ["edge", "base_edge", "osm_way", "name", "road_class", "length_m", "lanes", "capacity",
        "flow_pce", "voc", "dir", "flow_car", "fft_s_car", "time_s_car", "flow_motorcycle"]
missing = [c for c in need if c not in rows[0]]
print("columns", "ok" if not missing else "missing %s" % missing)
worst = 0.0
for r in rows:
    pce = float(r["flow_car"]) + 0.3 * float(r["flow_motorcycle"])
    worst = max(worst, abs(pce - float(r["flow_pce"])))
print("pce", "ok" if worst < 1e-3 else "off by %g" % worst)
slower = all(float(r["time_s_car"]) >= float(r["fft_s_car"]) - 1e-9
             for r in rows if r["time_s_car"] and r["fft_s_car"])
print("congested", "ok" if slower else "faster than free flow")
loaded = sum(1 for r in rows if float(r["flow_pce"]) > 0)
print("loaded", "ok" if loaded > 50 else "only %d edges" % loaded)
PYEOF
    while read -r what verdict rest; do
        [ "$verdict" = ok ] && ok "flows CSV: $what" || bad "flows CSV: $what" "$verdict $rest"
    done <"$WORK/check.txt"
fi

# ---- bad input ------------------------------------------------------------------------------
printf 'from_zone,to_zone,trips\nNo such zone,also none,5\n' >"$WORK/od-unknown.csv"
error "unknown zone in the demand" 1 "od-unknown.csv.*(line 2|:2)" "$CORRIDOR" assign "$NET" \
    --zones "$PBF" --demand "$WORK/od-unknown.csv" --profile car -o "$WORK/never.gpkg"
[ -e "$WORK/never.gpkg" ] && bad "nothing written (unknown zone)" || ok "nothing written (unknown zone)"
Z=$(sed -n 2p "$WORK/od-car.csv" | cut -d, -f1)
printf 'from_zone,to_zone,trips\n%s,%s,-3\n' "$Z" "$Z" >"$WORK/od-negative.csv"
error "negative trips" 1 "od-negative.csv" "$CORRIDOR" assign "$NET" --zones "$PBF" \
    --demand "$WORK/od-negative.csv" --profile car -o "$WORK/never.gpkg"
echo "not an HDF5 file" >"$WORK/fake.omx"
error "an .omx that is not one" 1 "fake.omx" "$CORRIDOR" assign "$NET" --zones "$PBF" \
    --demand "$WORK/fake.omx" --profile car -o "$WORK/never.gpkg"
[ -e "$WORK/never.gpkg" ] && bad "nothing written (bad demand)" || ok "nothing written (bad demand)"
error "unknown algorithm" 2 "algorithm" "$CORRIDOR" assign "$NET" --zones "$PBF" \
    --demand "$WORK/od.csv" --profile car --algorithm tapas -o "$WORK/never.gpkg"
error "--map needs a GeoPackage" 2 "gpkg" "$CORRIDOR" assign "$NET" --zones "$PBF" \
    --demand "$WORK/od.csv" --profile car -o "$WORK/f.csv" --map "$WORK/m.png"
error "unknown class key" 2 "speed" "$CORRIDOR" assign "$NET" --zones "$PBF" \
    --demand "$WORK/od.csv" --classes car:speed=3 -o "$WORK/never.gpkg"
finish
