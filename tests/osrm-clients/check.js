// Real OSRM clients, unchanged, against `corridor serve` on tests/maps/alternatives.osm (drawn in
// alternatives.txt: a toll road, an expressway and a plain road between the same junctions). Run
// by tests/cli/test_osrm_clients.sh, which starts the server and installs the packages of
// tests/osrm-clients/package-lock.json with `npm ci` into the build folder:
//   node check.js BASE NODE_MODULES WORK
// 1. Leaflet Routing Machine 3.2.12 (L.Routing.osrmv1, the router osrm-frontend-style maps use)
//    in Debian's chromium, headless, driven by playwright-core: it asks /route with steps,
//    alternatives and hints; the page must show a route with instructions and an alternative,
//    then a route through a via point (hints sent back), with no console error and no failed
//    request.
// 2. osrm-rest-client 0.1.7 in node: route, table, nearest, trip and match through its API.
// 3. @mapbox/polyline (LRM's own dependency): coordinates encoded by it and sent as
//    polyline(...) and polyline6(...) give the same route as lon,lat.
'use strict';

const fs = require('fs');
const path = require('path');

const [BASE, NM, WORK, KREMS] = process.argv.slice(2); // KREMS: a server on Krems, or none
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const { chromium } = require(path.join(NM, 'playwright-core'));
const { OSRM } = require(path.join(NM, 'osrm-rest-client'));
const polyline = require(path.join(NM, '@mapbox/polyline'));

const A = [106.001, 10.0]; // West street
const M = [106.007, 10.0]; // on the Toll road
const B = [106.013, 10.0]; // East street
// Krems (bundled extract): through two roundabouts, with an alternative
const K1 = [15.69742, 48.39137];
const K2 = [15.62871, 48.41929];

let passed = 0;
let failed = 0;
function check(good, label, detail) {
  if (good) {
    passed++;
    console.log('ok   ' + label);
  } else {
    failed++;
    console.log('FAIL ' + label + (detail ? '\n       ' + String(detail).slice(0, 800) : ''));
  }
}

// The page LRM runs in: Leaflet as the server vendors it, LRM's own dist build, nothing else.
function page_html(base, from, to) {
  return `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="${base}/web/vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="/lrm-test/lrm.css">
<script src="${base}/web/vendor/leaflet/leaflet.js"></script>
<script src="/lrm-test/lrm.js"></script></head>
<body><div id="map" style="width:900px;height:600px"></div><script>
window.found = []; window.routingErrors = [];
const map = L.map('map').setView([${(from[1] + to[1]) / 2}, ${(from[0] + to[0]) / 2}], 13);
window.control = L.Routing.control({
  waypoints: [L.latLng(${from[1]}, ${from[0]}), L.latLng(${to[1]}, ${to[0]})],
  router: L.Routing.osrmv1({ serviceUrl: '${base}/route/v1', profile: 'driving' }),
  showAlternatives: true,
}).addTo(map);
control.on('routesfound', (e) => window.found.push(e.routes.map((r) => ({
  name: r.name, distance: r.summary.totalDistance, time: r.summary.totalTime,
  coordinates: r.coordinates.length, waypoints: r.waypointIndices.length,
  types: r.instructions.map((i) => i.type), texts: r.instructions.map((i) => i.text),
  exits: r.instructions.map((i) => i.exit || 0) }))));
control.on('routingerror', (e) => window.routingErrors.push(JSON.stringify(e.error)));
</script></body></html>`;
}

async function leaflet_routing_machine() {
  const dist = path.join(NM, 'leaflet-routing-machine', 'dist');
  const userDataDir = fs.mkdtempSync(path.join(WORK, 'chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const consoleErrors = [];
  const failures = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('requestfailed', (r) => failures.push(r.url() + ' ' + (r.failure() || {}).errorText));
  page.on('response', (r) => { if (r.status() >= 400) failures.push(r.url() + ' ' + r.status()); });
  page.on('request', (r) => { if (r.url().includes('/route/v1/')) requests.push(r.url()); });
  // the page and LRM's files come from the test, at the server's origin (a page of another
  // origin may not call a loopback server: Private Network Access); the rest from the server
  const serve = (base, from, to) => page.route(base + '/lrm-test/**', (route) => {
    const u = new URL(route.request().url());
    if (u.pathname === '/lrm-test/lrm.js')
      return route.fulfill({ contentType: 'text/javascript',
        body: fs.readFileSync(path.join(dist, 'leaflet-routing-machine.js')) });
    if (u.pathname === '/lrm-test/lrm.css')
      return route.fulfill({ contentType: 'text/css',
        body: fs.readFileSync(path.join(dist, 'leaflet-routing-machine.css')) });
    return route.fulfill({ contentType: 'text/html', body: page_html(base, from, to) });
  });
  await serve(BASE, A, B);
  if (KREMS)
    await serve(KREMS, K1, K2);
  try {
    await page.goto(BASE + '/lrm-test/');
    await page.waitForFunction(() => window.found.length >= 1 || window.routingErrors.length, null,
      { timeout: 15000 }).catch(() => {});
    let found = await page.evaluate(() => window.found);
    let errors = await page.evaluate(() => window.routingErrors);
    check(errors.length === 0, 'LRM: no routing error', errors.join('; '));
    check(requests.length >= 1 && /steps=true/.test(requests[0]) &&
          /alternatives=true/.test(requests[0]) && /hints=/.test(requests[0]),
    'LRM asks /route with steps, alternatives and hints', requests[0]);
    const routes = found[0] || [];
    check(routes.length >= 2, 'LRM: the route and an alternative', JSON.stringify(routes));
    if (routes.length >= 2) {
      const [best, alt] = routes;
      check(best.distance > 1000 && best.distance < 1500 && best.coordinates > 3,
        'LRM: the best route, drawn from the steps\' geometries (' + best.distance + ' m)',
        JSON.stringify(best));
      check(alt.distance > best.distance, 'LRM: the alternative is longer (' + alt.distance + ' m)');
      check(best.types[0] === 'Head' && best.types[best.types.length - 1] === 'DestinationReached',
        'LRM: instructions from depart to arrival', best.types.join(','));
      check(best.texts.some((t) => /West street/.test(t)) &&
            best.texts.some((t) => /Toll road/.test(t)) &&
            best.texts.some((t) => /destination/.test(t)),
      'LRM: instruction texts name the roads: ' + best.texts.join(' | '), best.texts.join(' | '));
    }
    const shown = await page.evaluate(() => ({
      alts: document.querySelectorAll('.leaflet-routing-alt').length,
      rows: document.querySelectorAll('.leaflet-routing-alt tr').length,
      lines: document.querySelectorAll('.leaflet-overlay-pane path').length,
      text: (document.querySelector('.leaflet-routing-alt') || {}).innerText || '',
    }));
    check(shown.alts >= 2 && shown.rows >= 3 && shown.lines >= 2,
      'LRM shows ' + shown.alts + ' routes, ' + shown.rows + ' instruction rows, ' + shown.lines +
      ' lines', JSON.stringify(shown));

    // a via point: three waypoints, the first two answered hints sent back
    await page.evaluate(([a, m, b]) => window.control.setWaypoints(
      [L.latLng(a[1], a[0]), L.latLng(m[1], m[0]), L.latLng(b[1], b[0])]), [A, M, B]);
    await page.waitForFunction(() => window.found.length >= 2 || window.routingErrors.length, null,
      { timeout: 15000 }).catch(() => {});
    found = await page.evaluate(() => window.found);
    errors = await page.evaluate(() => window.routingErrors);
    const via = (found[1] || [])[0];
    check(errors.length === 0 && via && via.types.includes('WaypointReached') &&
          via.waypoints === 3,
    'LRM: a route through a via point (waypoint reached)', JSON.stringify(via) + errors.join(';'));
    check(requests.length >= 2 && /hints=;;/.test(requests[requests.length - 1]),
      'LRM sends the hints back', requests[requests.length - 1]);
    await page.screenshot({ path: path.join(WORK, 'lrm.png') });
    if (KREMS)
      await lrm_krems(page);
  } finally { // what the browser said, even when a step above threw
    check(consoleErrors.length === 0, 'LRM: no console error', consoleErrors.join('\n'));
    check(failures.length === 0, 'LRM: no failed request', failures.join('\n'));
    await context.close();
  }
}

// A real extract: Krems, from east of the town to the north-west, through two roundabouts
// (OSRM's "rotary" with an exit number) and turns, with an alternative.
async function lrm_krems(page) {
  await page.goto(KREMS + '/lrm-test/');
  await page.waitForFunction(() => window.found.length >= 1 || window.routingErrors.length, null,
    { timeout: 15000 }).catch(() => {});
  const found = await page.evaluate(() => window.found);
  const errors = await page.evaluate(() => window.routingErrors);
  const routes = found[0] || [];
  check(errors.length === 0 && routes.length >= 2,
    'LRM on Krems: a route and an alternative (' + routes.map((r) => r.distance).join(', ') +
    ' m)', errors.join(';') + JSON.stringify(routes).slice(0, 400));
  if (!routes.length)
    return;
  const best = routes[0];
  const rb = best.types.map((t, i) => [t, best.exits[i], best.texts[i]]).filter((x) => x[0] === 'Roundabout');
  check(rb.length >= 2 && rb.every((x) => x[1] >= 1 && /exit/.test(x[2])),
    'LRM on Krems: roundabouts with their exits: ' + rb.map((x) => x[2]).join(' | '),
    best.types.join(',') + ' ' + best.texts.join(' | '));
  check(best.types.some((t) => /Left|Right/.test(t)) && best.texts.every((t) => t && !/undefined/.test(t)),
    'LRM on Krems: turns, every instruction a sentence (' + best.texts.length + ')',
    best.texts.join(' | '));
  const shown = await page.evaluate(() => ({
    alts: document.querySelectorAll('.leaflet-routing-alt').length,
    rows: document.querySelectorAll('.leaflet-routing-alt tr').length,
  }));
  check(shown.alts >= 2 && shown.rows >= 8, 'LRM on Krems shows ' + shown.alts + ' routes, ' +
    shown.rows + ' instruction rows', JSON.stringify(shown));
  await page.screenshot({ path: path.join(WORK, 'lrm-krems.png') });
}

async function osrm_rest_client() {
  const osrm = OSRM({ osrm: BASE, defaultProfile: 'driving' });
  const r = await osrm.route({ coordinates: [A, B], steps: true, alternatives: true,
    overview: 'full', geometries: 'geojson', annotations: true });
  check(r.code === 'Ok' && r.routes.length >= 2 && r.routes[0].geometry.type === 'LineString' &&
        r.routes[0].legs[0].steps.length >= 3 && r.routes[0].legs[0].annotation.nodes.length > 1,
  'osrm-rest-client route: alternatives, steps, GeoJSON, annotations', JSON.stringify(r).slice(0, 300));
  const t = await osrm.table({ coordinates: [A, M, B], annotations: 'duration,distance' });
  check(t.code === 'Ok' && t.durations.length === 3 && t.distances[2].length === 3 &&
        t.sources.length === 3, 'osrm-rest-client table: durations and distances 3 x 3',
  JSON.stringify(t).slice(0, 300));
  const n = await osrm.nearest({ coordinates: [M], number: 2 });
  check(n.code === 'Ok' && n.waypoints.length === 2, 'osrm-rest-client nearest: number=2',
    JSON.stringify(n).slice(0, 300));
  const trip = await osrm.trip({ coordinates: [A, M, B], roundtrip: true, steps: true });
  check(trip.code === 'Ok' && trip.trips.length === 1 && trip.waypoints.length === 3,
    'osrm-rest-client trip', JSON.stringify(trip).slice(0, 300));
  const trace = [0, 1, 2, 3, 4, 5].map((k) => [106.0025 + k * 0.001, 10.0 + (k % 2 ? 3e-5 : -3e-5)]);
  const mt = await osrm.match({ coordinates: trace, timestamps: trace.map((_, k) => 10 * k),
    radiuses: trace.map(() => 10), steps: true });
  check(mt.code === 'Ok' && mt.matchings.length === 1 &&
        mt.tracepoints.every((p) => p && p.name === 'Toll road'),
  'osrm-rest-client match: every point on the Toll road', JSON.stringify(mt).slice(0, 300));
  let err = null;
  try {
    await osrm.route({ coordinates: [A, B], waypoints: [1] });
  } catch (e) {
    err = e.response && e.response.body;
  }
  check(err && err.code === 'InvalidValue', 'osrm-rest-client: waypoints without the first: ' +
    (err && err.code), JSON.stringify(err));
}

async function get(url) {
  const res = await fetch(url);
  return res.json();
}

async function mapbox_polyline() {
  const plain = await get(`${BASE}/route/v1/driving/${A.join(',')};${M.join(',')};${B.join(',')}` +
    '?overview=false');
  const latlon = [A, M, B].map(([lon, lat]) => [lat, lon]);
  for (const [kind, enc] of [['polyline', polyline.encode(latlon, 5)],
    ['polyline6', polyline.encode(latlon, 6)]]) {
    for (const quote of [false, true]) {
      // raw, but for '?' (the query would start) and a backslash (a URL's '/'): clients escape them
      const coords = quote ? encodeURIComponent(enc) : enc.replace(/\?/g, '%3F').replace(/\\/g, '%5C');
      const o = await get(`${BASE}/route/v1/driving/${kind}(${coords})?overview=false`);
      check(o.code === 'Ok' && plain.code === 'Ok' && o.routes[0].distance === plain.routes[0].distance &&
            o.waypoints.length === 3,
      `@mapbox/polyline ${kind}(${enc})${quote ? ' URL-encoded' : ''}: the route of lon,lat`,
      JSON.stringify(o).slice(0, 300));
    }
  }
  // the route's own geometry, decoded by @mapbox/polyline
  const g = await get(`${BASE}/route/v1/driving/${A.join(',')};${B.join(',')}?overview=full&geometries=polyline6`);
  const pts = polyline.decode(g.routes[0].geometry, 6);
  check(Math.abs(pts[0][1] - 106.001) < 1e-4 && Math.abs(pts[pts.length - 1][1] - 106.013) < 1e-4,
    '@mapbox/polyline decodes corridor\'s polyline6 geometry', JSON.stringify(pts));
}

async function main() {
  for (const [name, f] of [['Leaflet Routing Machine', leaflet_routing_machine],
    ['osrm-rest-client', osrm_rest_client], ['@mapbox/polyline', mapbox_polyline]]) {
    try {
      await f();
    } catch (e) {
      check(false, name + ': ' + e, e.stack);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
