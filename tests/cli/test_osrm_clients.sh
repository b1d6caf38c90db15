#!/usr/bin/env bash
# Real OSRM clients, unchanged, against `corridor serve` (tests/osrm-clients/check.js): Leaflet
# Routing Machine's L.Routing.osrmv1 in Debian's chromium (playwright-core: a route with
# instructions and an alternative, a via point with the hints sent back, no console error),
# osrm-rest-client in node (route, table, nearest, trip, match), and coordinates encoded by
# @mapbox/polyline sent as polyline(...) and polyline6(...). On tests/maps/alternatives.osm
# (synthetic, drawn in alternatives.txt), and LRM again on the bundled Krems extract (two
# roundabouts with their exits, turns, an alternative).
#
# The packages are installed with `npm ci` from tests/osrm-clients/package-lock.json into
# BUILD/tests/osrm_clients_npm (once; again when the lock file changes). Skips (77) when node or
# npm is absent, or when npm cannot fetch the packages (no network and nothing cached).
#
# Run by ctest with CORRIDOR, SRC, BUILD and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor BUILD=build/dev bash tests/cli/test_osrm_clients.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
BUILD=${BUILD:-$SRC/build/dev}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-osrm-clients}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
trap 'before_finish' EXIT
before_finish() {
    stop_server
}

need_corridor
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "skip: node and npm are needed for the OSRM clients (scripts/install-deps installs them)"
    exit 77
fi
if [ ! -x "$CHROMIUM" ]; then
    bad "no $CHROMIUM: scripts/install-deps installs Debian's chromium (or set CHROMIUM)"
    finish
fi
make_scratch

npm_ci osrm-clients osrm_clients_npm leaflet-routing-machine "the OSRM clients"

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
BASE="http://127.0.0.1:$PORT"
ALT_PID=$SERVER_PID
# a second server on the bundled Krems extract, for LRM on real roads
NET=$WORK/krems.corr
if "$CORRIDOR" import "$SRC/datasets/graphhopper-krems.osm.pbf" -o "$NET" --quiet 2>"$WORK/import2.err" &&
    "$CORRIDOR" contract "$NET" --profiles car --metrics time >/dev/null 2>>"$WORK/import2.err" &&
    start_server "$WORK/serve2.log" --threads 2 --profiles car; then
    ok "Krems served on port $PORT"
else
    bad "import or serve Krems" "$(cat "$WORK/import2.err" "$WORK/serve2.log")"
    finish
fi
before_finish() {
    stop_server
    SERVER_PID=$ALT_PID
    stop_server
}
CHROMIUM=$CHROMIUM timeout 120 node "$SRC/tests/osrm-clients/check.js" \
    "$BASE" "$NPM_DIR/node_modules" "$WORK" "http://127.0.0.1:$PORT" >"$WORK/clients.out" 2>&1
while IFS= read -r line; do
    case $line in
    "ok   "*) ok "${line#ok   }" ;;
    "FAIL "*) bad "${line#FAIL }" ;;
    *" passed, "*" failed") ;;
    *) echo "    $line" ;;
    esac
done <"$WORK/clients.out"
grep -q " passed, 0 failed" "$WORK/clients.out" || bad "the clients' checks did not all pass" "$(tail -5 "$WORK/clients.out")"
finish
