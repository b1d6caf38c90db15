#!/usr/bin/env bash
# The web map of `corridor serve` (docs/web.md): the embedded files over HTTP (Content-Type, ETag,
# 304, Cache-Control, 404), then the page in a real browser on Krems (tests/web/test_web.js:
# Debian's chromium driven headless by playwright-core): no console error, no failed request,
# tiles, clicked routes equal to `corridor route`, a truck under the Austrasse underpass, an
# isochrone, Vietnamese labels, the before/after switch of --compare (the example Krems bypass,
# datasets/scenario-krems-*-example.geojson), and a screenshot in WORK (webmap.png).
#
# playwright-core is installed with `npm ci` from tests/web/package-lock.json into
# BUILD/tests/web_npm (once; again when the lock file changes). Skips (77) when node or npm is
# absent, or when npm cannot fetch the package (no network and nothing cached).
#
# Run by ctest with CORRIDOR, SRC, BUILD and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor BUILD=build/dev bash tests/cli/test_web.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
BUILD=${BUILD:-$SRC/build/dev}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-web}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
trap stop_server EXIT

before_finish() {
    stop_server
}

need_corridor
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "skip: node and npm are needed for the browser test (scripts/install-deps installs them)"
    exit 77
fi
if ! command -v curl >/dev/null; then
    echo "skip: curl is needed for the HTTP requests"
    exit 77
fi
if [ ! -x "$CHROMIUM" ]; then
    bad "no $CHROMIUM: scripts/install-deps installs Debian's chromium (or set CHROMIUM)"
    finish
fi
make_scratch

npm_ci web web_npm playwright-core "playwright-core"

NET=$WORK/krems.corr
if "$CORRIDOR" import "$SRC/datasets/graphhopper-krems.osm.pbf" -o "$NET" \
    --terminals "$SRC/datasets/terminals-krems-example.csv" --quiet 2>"$WORK/import.err"; then
    ok "import Krems"
else
    bad "import Krems" "$(cat "$WORK/import.err")"
    finish
fi
SCEN=$WORK/krems-bypass.corr
if "$CORRIDOR" scenario "$NET" -o "$SCEN" --add "$SRC/datasets/scenario-krems-bypass-example.geojson" \
    --interchanges "$SRC/datasets/scenario-krems-interchanges-example.geojson" --name bypass \
    >/dev/null 2>"$WORK/scenario.err"; then
    ok "scenario: the example bypass"
else
    bad "scenario" "$(cat "$WORK/scenario.err")"
    finish
fi
if start_server "$WORK/serve.log" --threads 2 --compare "$SCEN"; then
    ok "server listening on port $PORT"
else
    bad "server did not start" "$(cat "$WORK/serve.log")"
    finish
fi
BASE=http://127.0.0.1:$PORT
if grep -q "the map: open $BASE/ in a browser" "$WORK/serve.log"; then
    ok "serve prints the URL to open"
else
    bad "serve prints the URL to open" "$(head -3 "$WORK/serve.log")"
fi

# The files over HTTP: headers, 304 on a matching ETag, 404 for a name not embedded.
head_of() { # URL [CURL ARGS...]: status line and headers, lower case
    local url=$1
    shift
    curl -s -o /dev/null -D - "$@" "$url" | tr -d '\r' | tr 'A-Z' 'a-z'
}
H=$(head_of "$BASE/" -H 'Accept: text/html,application/xhtml+xml,*/*;q=0.8')
if grep -q '^http/1.1 200' <<<"$H" && grep -q '^content-type: text/html; charset=utf-8' <<<"$H" &&
    grep -q '^cache-control: no-cache' <<<"$H" && grep -q '^etag: "[0-9a-f]\{16\}"' <<<"$H"; then
    ok "/: 200, text/html, ETag, Cache-Control"
else
    bad "/ headers" "$H"
fi
ETAG=$(sed -n 's/^etag: //p' <<<"$H")
H=$(head_of "$BASE/?lang=vi" -H 'Accept: text/html' -H "If-None-Match: $ETAG")
grep -q '^http/1.1 304' <<<"$H" && ok "/ with If-None-Match: 304" || bad "/ with If-None-Match" "$H"
for f in web/app.js:text/javascript web/app.css:text/css web/vendor/leaflet/leaflet.js:text/javascript \
    web/vendor/leaflet/images/layers.png:image/png; do
    H=$(head_of "$BASE/${f%%:*}")
    if grep -q '^http/1.1 200' <<<"$H" && grep -q "^content-type: ${f#*:}" <<<"$H"; then
        ok "/${f%%:*}: 200, ${f#*:}"
    else
        bad "/${f%%:*}" "$H"
    fi
done
if curl -s "$BASE/web/app.js" | cmp -s - "$SRC/web/app.js"; then
    ok "/web/app.js is web/app.js byte for byte"
else
    bad "/web/app.js differs from web/app.js"
fi
# --compare: the scenario under /after/, the base network elsewhere
if curl -s "$BASE/health" | grep -q "\"compare\":\"$SCEN\"" &&
    curl -s "$BASE/after/health" | grep -q "\"network\":\"$SCEN\""; then
    ok "--compare: /health names the scenario, /after/health is the scenario's"
else
    bad "--compare" "$(curl -s "$BASE/health")" "$(curl -s "$BASE/after/health")"
fi
# "/" for an API client (no text/html in Accept): OSRM's InvalidUrl as before; /index.html always
B=$(curl -s "$BASE/")
grep -q '"code":"InvalidUrl"' <<<"$B" && ok "/ without Accept text/html: InvalidUrl" || bad "/ for curl" "$B"
H=$(head_of "$BASE/index.html")
grep -q '^content-type: text/html' <<<"$H" && ok "/index.html: the page for any client" || bad "/index.html" "$H"
for t in tiles/14/8902/5667.png after/tiles/14/8902/5667.png; do # Krems's old town, before and after
    H=$(head_of "$BASE/$t")
    grep -q '^content-type: image/png' <<<"$H" && ok "/$t: a PNG" || bad "/$t" "$H"
done
H=$(head_of "$BASE/web/nothing.js")
grep -q '^http/1.1 404' <<<"$H" && ok "/web/nothing.js: 404" || bad "/web/nothing.js" "$H"

# The browser
if NODE_PATH=$NPM_DIR/node_modules CHROMIUM=$CHROMIUM timeout 120 \
    node "$SRC/tests/web/test_web.js" "$BASE" "$CORRIDOR" "$NET" "$WORK" "$SCEN" >"$WORK/browser.out" 2>&1; then
    ok "browser: $(grep -c '^ok' "$WORK/browser.out") checks ($(tail -2 "$WORK/browser.out" | head -1))"
else
    bad "browser" "$(cat "$WORK/browser.out")"
fi
grep -q '^note' "$WORK/browser.out" && grep '^note' "$WORK/browser.out"
finish
