#!/usr/bin/env bash
# OSRM's own instruction library, osrm-text-instructions (npm, tests/osrm-text/package.json and
# its lock, installed with `npm ci` into the build folder and kept there), turns corridor's steps
# (`corridor serve`, /route?steps=true) into sentences: seeded routes on the bundled Monaco and
# Krems extracts, every step compiled in English and Vietnamese with no error, and a roundabout
# exit, a named turn and a depart found by their words (tests/osrm-text/check.js), with the count
# of maneuver steps under 10 m left after collapsing; and on the drawn map tests/maps/steps.osm an
# exit number, a roundabout turn, a rotary and a lane diagram (tests/osrm-text/drawn.js). Skips
# (77) only when node or npm is absent.
set -u
SRC=${SRC:?} CORRIDOR=${CORRIDOR:?} WORK=${WORK:?} BUILD=${BUILD:?}
. "$(dirname "$0")/lib.sh"

need_corridor
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "skip: node and npm are needed for osrm-text-instructions"
    exit 77
fi
make_scratch
MODULES=$BUILD/osrm-text
mkdir -p "$MODULES"
if ! cmp -s "$SRC/tests/osrm-text/package-lock.json" "$MODULES/package-lock.json" ||
    [ ! -d "$MODULES/node_modules/osrm-text-instructions" ]; then
    cp "$SRC/tests/osrm-text/package.json" "$SRC/tests/osrm-text/package-lock.json" "$MODULES/"
    if (cd "$MODULES" && npm ci --no-audit --no-fund --loglevel=error) >"$WORK/npm.log" 2>&1; then
        ok "npm ci osrm-text-instructions"
    else
        bad "npm ci osrm-text-instructions" "$(tail -5 "$WORK/npm.log")"
        finish
    fi
fi
before_finish() { stop_server; }
trap stop_server EXIT

check() { # NAME EXTRACT SEED COUNT W,S,E,N
    local name=$1 extract=$2
    NET=$WORK/$name.corr
    if ! "$CORRIDOR" import "$SRC/datasets/$extract" -o "$NET" --quiet 2>"$WORK/import.err"; then
        bad "import $extract" "$(cat "$WORK/import.err")"
        return
    fi
    if ! start_server "$WORK/serve-$name.log"; then
        bad "$name: server did not start" "$(cat "$WORK/serve-$name.log")"
        return
    fi
    report < <(NODE_PATH_OSRM_TEXT=$MODULES/node_modules node "$SRC/tests/osrm-text/check.js" \
        "http://127.0.0.1:$PORT" "$name" "$3" "$4" "$5" 2>&1)
    stop_server
}
report() { # the ok/FAIL/info lines of a check script
    while IFS=$'\t' read -r status what detail; do
        case $status in
        ok) ok "$what${detail:+: $detail}" ;;
        info) echo "$what" ;;
        FAIL) bad "$what" "$detail" ;;
        *) echo "$status" ;;
        esac
    done
}

# the drawn map: an exit number, a roundabout turn, a rotary, turn lanes (tests/osrm-text/drawn.js)
NET=$WORK/steps.corr
if ! "$CORRIDOR" import "$SRC/tests/maps/steps.osm" -o "$NET" --quiet 2>"$WORK/import.err"; then
    bad "import steps.osm" "$(cat "$WORK/import.err")"
elif ! start_server "$WORK/serve-steps.log"; then
    bad "steps.osm: server did not start" "$(cat "$WORK/serve-steps.log")"
else
    report < <(NODE_PATH_OSRM_TEXT=$MODULES/node_modules node "$SRC/tests/osrm-text/drawn.js" \
        "http://127.0.0.1:$PORT" 2>&1)
    stop_server
fi
check Monaco osrm-monaco.osm.pbf 42 40 7.410,43.727,7.435,43.748
check Krems graphhopper-krems.osm.pbf 7 40 15.58,48.38,15.66,48.43
finish
