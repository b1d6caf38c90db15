#!/usr/bin/env bash
# The OSRM compatibility table: every OSRM v1 option of /route, /table and /nearest that
# docs/server.md lists ("Every option"), one request each, and the code and shape of each answer
# (tests/cli/osrm_compat.py holds the table). The network is tests/maps/alternatives.osm
# (synthetic, drawn in alternatives.txt): three roads between two junctions (a toll road, an
# expressway, a plain road) for alternatives= and exclude=, and an island for fallback_speed;
# waypoints= and polyline coordinates there too. Then tests/maps/snapping.osm (snapping.txt)
# for snapping=any on every service and /match's bearings and approaches.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_serve_osrm_compat.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-serve-osrm-compat}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
trap stop_server EXIT
before_finish() {
    stop_server
}

need_corridor
need_python "python3 is needed to send the requests and read the JSON answers"
make_scratch

NET=$WORK/alternatives.corr
if "$CORRIDOR" import "$SRC/tests/maps/alternatives.osm" -o "$NET" --quiet 2>"$WORK/import.err" &&
    "$CORRIDOR" contract "$NET" --profiles car --metrics time >/dev/null 2>"$WORK/contract.err"; then
    ok "import and contract tests/maps/alternatives.osm"
else
    bad "import and contract" "$(cat "$WORK/import.err" "$WORK/contract.err")"
    finish
fi
if start_server "$WORK/serve.log" --threads 2 --profiles car; then
    ok "server listening on port $PORT"
else
    bad "server did not start" "$(cat "$WORK/serve.log")"
    finish
fi
"$PY" "$SRC/tests/cli/osrm_compat.py" "$PORT" >"$WORK/compat.out" 2>&1
while IFS= read -r line; do
    case $line in
    "ok "*) ok "${line#ok }" ;;
    "FAIL "*) bad "${line#FAIL }" ;;
    *) bad "python: $line" ;;
    esac
done <"$WORK/compat.out"
# snapping=default|any on every service and /match's bearings and approaches, on
# tests/maps/snapping.osm (drawn in snapping.txt): a grid and a lane joined to nothing
stop_server
NET=$WORK/snapping.corr
if "$CORRIDOR" import "$SRC/tests/maps/snapping.osm" -o "$NET" --quiet 2>"$WORK/import2.err" &&
    start_server "$WORK/serve2.log" --threads 2 --profiles car; then
    ok "tests/maps/snapping.osm served on port $PORT"
    "$PY" "$SRC/tests/cli/osrm_compat.py" "$PORT" snapping >"$WORK/compat2.out" 2>&1
    while IFS= read -r line; do
        case $line in
        "ok "*) ok "${line#ok }" ;;
        "FAIL "*) bad "${line#FAIL }" ;;
        *) bad "python: $line" ;;
        esac
    done <"$WORK/compat2.out"
else
    bad "import or serve tests/maps/snapping.osm" "$(cat "$WORK/import2.err" "$WORK/serve2.log")"
fi
NET=$WORK/alternatives.corr
# corridor route: the same alternatives and exclusions on the command line
if "$CORRIDOR" route "$NET" --from 106.001,10 --to 106.013,10 --alternatives 2 >"$WORK/alt.json" \
    2>"$WORK/alt.err" &&
    "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["routes"]; assert len(r)==3, r' \
        "$WORK/alt.json" 2>>"$WORK/alt.err"; then
    ok "corridor route --alternatives 2: three routes"
else
    bad "corridor route --alternatives 2" "$(cat "$WORK/alt.err")"
fi
if "$CORRIDOR" route "$NET" --from 106.001,10 --to 106.013,10 --exclude toll,motorway \
    >"$WORK/ex.json" 2>"$WORK/ex.err" &&
    "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))["distance_m"]; assert abs(d-1427.1)<30, d' \
        "$WORK/ex.json" 2>>"$WORK/ex.err"; then
    ok "corridor route --exclude toll,motorway: the North road"
else
    bad "corridor route --exclude" "$(cat "$WORK/ex.err")"
fi
"$CORRIDOR" route "$NET" --from 106.001,10 --to 106.013,10 --exclude tunnel >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 1 ]; then ok "corridor route --exclude tunnel: exit 1"; else bad "--exclude tunnel: exit $rc"; fi
"$CORRIDOR" route "$NET" --from 106.001,10 --to 106.013,10 --alternatives 9 >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then ok "corridor route --alternatives 9: exit 2"; else bad "--alternatives 9: exit $rc"; fi
finish
