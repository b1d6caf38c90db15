#!/usr/bin/env bash
# One number for one trip (issue 15): for the same pair, profile and metric, `corridor route`,
# `batch`, `matrix` (1 and 2 threads), `skim`, and the server's /route and /table print the same
# distance, duration, cost and CO2, with the CH and with --no-ch; a route's duration is its weight
# by time and its distance its weight by distance.
#
# On the bundled Monaco and Krems extracts (datasets/), 200 seeded random pairs each (points of
# the bounding box that snap to a road), profiles car and truck, metrics time and distance, and
# 60 pairs for car by cost and by CO2; the server (one per extract, on a free loopback port)
# answers /table by time and /route by every metric. tests/cli/one_number.py does the runs and
# the comparisons (see its docstring); the skim's zones are synthetic 40 m squares drawn around
# some of the points. The CH and Dijkstra must agree on all four measures, ties included (the
# tie rule: docs/routing.md, "One number for one trip").
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_one_number.sh
# Another seed or count: ONE_NUMBER_SEED=7 ONE_NUMBER_PAIRS=1000 bash tests/cli/test_one_number.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-one-number}
SEED=${ONE_NUMBER_SEED:-15}
PAIRS=${ONE_NUMBER_PAIRS:-200}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
trap stop_server EXIT # start_server and stop_server are lib.sh's

before_finish() {
    stop_server
}

need_corridor
need_python "python3 is needed to draw the pairs and read the answers"
make_scratch

for extract in osrm-monaco graphhopper-krems; do
    name=${extract#*-}
    mkdir -p "$WORK/$name"
    NET=$WORK/$name/$name.corr
    if "$CORRIDOR" import "$SRC/datasets/$extract.osm.pbf" -o "$NET" >/dev/null 2>"$WORK/$name/import.err" &&
        "$CORRIDOR" contract "$NET" --profiles car,truck --metrics time,distance \
            >/dev/null 2>"$WORK/$name/contract.err" &&
        "$CORRIDOR" contract "$NET" --profiles car --metrics cost,co2 \
            >/dev/null 2>>"$WORK/$name/contract.err"; then
        ok "$name: import and contract car and truck by time and distance, car by cost and CO2"
    else
        bad "$name: import and contract" "$(cat "$WORK/$name/import.err" "$WORK/$name/contract.err")"
        continue
    fi
    base=
    if start_server "$WORK/$name/serve.log" --threads 2 --profiles car,truck --quiet \
        --max-table-size $((2 * PAIRS)) --max-url 1000000; then
        base=http://127.0.0.1:$PORT
    else
        bad "$name: server did not start" "$(cat "$WORK/$name/serve.log")"
    fi
    "$PY" "$SRC/tests/cli/one_number.py" "$CORRIDOR" "$NET" "$WORK/$name" "$name" "$SEED" \
        "$PAIRS" $base >"$WORK/$name/check.out" 2>"$WORK/$name/check.err"
    while IFS=$'\t' read -r status what detail; do
        if [ "$status" = ok ]; then ok "$what"; else bad "$what" "$detail"; fi
    done <"$WORK/$name/check.out"
    if [ -s "$WORK/$name/check.err" ]; then
        bad "$name: the checker failed" "$(tail -5 "$WORK/$name/check.err")"
    fi
    stop_server
done

finish
