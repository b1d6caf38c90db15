#!/usr/bin/env bash
# scenario_bench.sh CORRIDOR WORKDIR: `corridor scenario` against `corridor import` on the same
# base, and `corridor compare` of 300 zones.
#
# 1. Build time: import of the OSM extract and scenario on the imported network, fastest of RUNS
#    runs (default 3):
#    - Krems (datasets/) with the demo's example bypass and interchanges
#      (datasets/scenario-krems-*-example.geojson: drawn for the demo, not a real plan);
#    - Malta (the shared data's graphhopper-malta.osm.pbf; skipped with a note when absent) with
#      a SYNTHETIC line across the main island (bench/gen_scenario_inputs.py malta-line, seed 12),
#      joined at its ends.
# 2. compare on Malta, base against the synthetic-line scenario, car, time, on 300 SYNTHETIC
#    squares (bench/gen_scenario_inputs.py malta-zones, seed 12; the squares over the sea are not
#    placed). Both networks contracted first (car, time; the contraction time is printed); one run.
#    Without hierarchies (--no-ch) the same compare takes minutes on 2 cores (bench/README.md).
# Peak RSS from GNU time -v.
set -u

die() {
    echo "scenario_bench.sh: $*" >&2
    exit 1
}

[ $# -eq 2 ] || die "usage: scenario_bench.sh CORRIDOR WORKDIR"
CORRIDOR=$1
WORKDIR=$2
RUNS=${RUNS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$HERE/../datasets
MALTA=$HERE/../../shared/datasets/osm/reference/graphhopper-malta.osm.pbf
[ -x "$CORRIDOR" ] || die "$CORRIDOR is not an executable file"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time, package 'time') is not installed"
command -v python3 >/dev/null || die "python3 is not installed"
mkdir -p "$WORKDIR" || die "cannot make $WORKDIR"

now_ns() {
    date +%s%N
}

best_of() { # OUTVAR CMD...: the fastest of RUNS runs in ns into OUTVAR; 1 when a run fails
    local var=$1 best='' t0 t1 _
    shift
    for _ in $(seq 1 "$RUNS"); do
        t0=$(now_ns)
        "$@" >"$WORKDIR/last.out" 2>"$WORKDIR/last.err" || return 1
        t1=$(now_ns)
        if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then best=$((t1 - t0)); fi
    done
    printf -v "$var" '%s' "$best"
}

build_row() { # ID LABEL PBF ADD [scenario options...]: WORKDIR/ID.corr and ID-scenario.corr
    local id=$1 name=$2 pbf=$3 add=$4 net=$WORKDIR/$1.corr imp scen km
    shift 4
    if ! best_of imp "$CORRIDOR" import "$pbf" -o "$net" --quiet; then
        echo "note: $name: import failed: $(head -c 200 "$WORKDIR/last.err")"
        return 1
    fi
    if ! best_of scen "$CORRIDOR" scenario "$net" -o "$WORKDIR/$id-scenario.corr" --add "$add" "$@"; then
        echo "note: $name: scenario failed: $(head -c 200 "$WORKDIR/last.err")"
        return 1
    fi
    km=$(sed -n 's/.*: \([0-9.]*\) km added.*/\1/p' "$WORKDIR/last.out")
    awk -v n="$name" -v i="$imp" -v s="$scen" -v km="$km" -v b="$(stat -c %s "$net")" \
        'BEGIN { printf "| %-22s | %8.0f | %8.3f | %10.3f | %7.0f %% | %8s |\n", n, b / 1024, i / 1e9, s / 1e9, 100 * s / i, km }'
}

echo "| base + change          | base KiB | import s | scenario s | of import | km added |"
echo "|------------------------|----------|----------|------------|-----------|----------|"
build_row krems "krems + example bypass" "$DATA/graphhopper-krems.osm.pbf" \
    "$DATA/scenario-krems-bypass-example.geojson" \
    --interchanges "$DATA/scenario-krems-interchanges-example.geojson"
if [ ! -f "$MALTA" ]; then
    echo "note: graphhopper-malta.osm.pbf not found beside the repository (../shared); Malta skipped"
    exit 0
fi
python3 "$HERE/gen_scenario_inputs.py" malta-line 12 "$WORKDIR/malta-line.geojson" || die "generator failed"
python3 "$HERE/gen_scenario_inputs.py" malta-zones 12 "$WORKDIR/malta-zones.geojson" || die "generator failed"
build_row malta "malta + SYNTHETIC line" "$MALTA" "$WORKDIR/malta-line.geojson" || exit 0
base=$WORKDIR/malta.corr
scen=$WORKDIR/malta-scenario.corr

echo
echo "| compare, Malta          | zones | placed | contract s (both) | compare s | peak MiB | pairs ok | faster | slower |"
echo "|-------------------------|-------|--------|-------------------|-----------|----------|----------|--------|--------|"
t0=$(now_ns)
for net in "$base" "$scen"; do
    "$CORRIDOR" contract "$net" --profiles car --metrics time --quiet 2>"$WORKDIR/contract.err" ||
        die "contract failed: $(head -c 200 "$WORKDIR/contract.err")"
done
t1=$(now_ns)
if ! /usr/bin/time -v -o "$WORKDIR/compare.time" "$CORRIDOR" compare "$base" "$scen" \
    --zones "$WORKDIR/malta-zones.geojson" --name-field zone_id --profile car \
    -o "$WORKDIR/changes.csv" --summary "$WORKDIR/summary.json" 2>"$WORKDIR/compare.err"; then
    echo "note: compare failed: $(head -c 300 "$WORKDIR/compare.err")"
    exit 1
fi
t2=$(now_ns)
python3 - "$WORKDIR/summary.json" "$WORKDIR/compare.time" $((t1 - t0)) $((t2 - t1)) <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(sys.argv[2]).read()).group(1)) // 1024
p = d["pairs"]
print("| 300 SYNTHETIC squares   | %5d | %6d | %17.2f | %9.2f | %8d | %8d | %6d | %6d |" % (
    d["zones"], d["zones_placed_before"], int(sys.argv[3]) / 1e9, int(sys.argv[4]) / 1e9, peak,
    p["ok_both"], p["faster"], p["slower"]))
PY
