// The web map of `corridor serve` in a real browser (Debian's chromium, headless, driven by
// playwright-core; never a downloaded browser). Run by tests/cli/test_web.sh, which starts the
// server on Krems and installs playwright-core with `npm ci` into the build folder:
//   node test_web.js BASE CORRIDOR NETWORK WORK [SCENARIO: the server's --compare file]
// Checks: the page loads with no console error and no failed request; tiles arrive (when the
// server has /tiles); two clicks draw a route whose distance and duration in the panel equal
// `corridor route` for the same points; truck, then truck with a height under the Austrasse
// underpass (maxheight 3.5 m), change the route as `corridor route --vehicle height=...` does;
// freight by CO2 = `corridor route --metric co2`; an isochrone is drawn as bands; the panel switches to Vietnamese; a screenshot in WORK.
'use strict';

const { chromium } = require('playwright-core');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const [BASE, CORRIDOR, NET, WORK, SCENARIO] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Either side of the Austrasse underpass in Krems (maxheight 3.5 m): a 4 m truck goes round.
const WEST = [15.6066, 48.4114];
const EAST = [15.6087, 48.4103];

let passed = 0;
let failed = 0;
function ok(label) {
  passed++;
  console.log('ok   ' + label);
}
function bad(label, detail) {
  failed++;
  console.log('FAIL ' + label + (detail ? '\n       ' + String(detail).slice(0, 800) : ''));
}
function check(good, label, detail) {
  if (good) ok(label);
  else bad(label, detail);
}

function cliRoute(profile, pts, vehicle, metric, net) {
  const args = ['route', net || NET, '--profile', profile, '--from', pts[0], '--to', pts[pts.length - 1],
    '--format', 'json', '--metric', metric || 'time'];
  for (const v of pts.slice(1, -1)) args.push('--via', v);
  if (vehicle) args.push('--vehicle', vehicle);
  return JSON.parse(execFileSync(CORRIDOR, args, { encoding: 'utf8' }));
}

async function main() {
  const userDataDir = fs.mkdtempSync(path.join(WORK, 'chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const consoleErrors = [];
  const failures = [];
  let tiles = 0;
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text() + ' ' + (m.location() || {}).url); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  // a tile request the page itself cancels (Leaflet drops the tiles of a view it has left:
  // net::ERR_ABORTED) is not a failure; any other network error is
  let cancelled = 0;
  page.on('requestfailed', (r) => {
    const why = (r.failure() || {}).errorText;
    if (why === 'net::ERR_ABORTED' && r.url().includes('/tiles/')) cancelled++;
    else failures.push(r.url() + ' ' + why);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(r.url() + ' ' + r.status());
    if (r.url().includes('/tiles/') && r.status() === 200 &&
        (r.headers()['content-type'] || '').startsWith('image/png')) tiles++;
  });
  const probe = await fetch(BASE + '/tiles/0/0/0.png');
  const hasTiles = probe.status === 200;

  const t0 = Date.now();
  await page.goto(BASE + '/', { waitUntil: 'load' });
  await page.waitForFunction(() => window.corridor && window.corridor.ready, null, { timeout: 15000 });
  ok('page loaded, /health read (' + (Date.now() - t0) + ' ms)');
  const st = () => page.evaluate(() => ({
    routes: window.corridor.routes, isochrones: window.corridor.isochrones,
    points: window.corridor.points.map((p) => p.lng.toFixed(7) + ',' + p.lat.toFixed(7)),
    error: window.corridor.error,
    distance: document.getElementById('distance').dataset.value,
    duration: document.getElementById('duration').dataset.value,
    distanceText: document.getElementById('distance').textContent,
    durationText: document.getElementById('duration').textContent,
    segments: document.querySelectorAll('#segments tbody tr').length,
  }));

  // Frame the two points clear of the panel, then click where the map puts them.
  await page.evaluate(([w, e]) => {
    window.corridor.map.fitBounds([[w[1], w[0]], [e[1], e[0]]], { paddingTopLeft: [420, 120], paddingBottomRight: [120, 120], animate: false });
  }, [WEST, EAST]);
  async function clickAt(lonlat) {
    const xy = await page.evaluate(([lon, lat]) => {
      const m = window.corridor.map;
      const p = m.latLngToContainerPoint([lat, lon]);
      const r = m.getContainer().getBoundingClientRect();
      return [r.left + p.x, r.top + p.y];
    }, lonlat);
    await page.mouse.click(xy[0], xy[1]);
  }
  async function until(count, key) {
    await page.waitForFunction(([k, n]) => window.corridor[k] >= n && !window.corridor.busy, [key, count], { timeout: 20000 });
    return st();
  }
  await clickAt(WEST);
  await clickAt(EAST);
  let s = await until(1, 'routes');
  let cli = cliRoute('car', s.points);
  check(s.points.length === 2 && s.segments >= 1, 'two clicks draw a car route (' + s.segments + ' segment(s))', JSON.stringify(s));
  check(Number(s.distance) === cli.distance_m && Number(s.duration) === cli.duration_s,
    'panel: ' + s.distance + ' m, ' + s.duration + ' s = corridor route', JSON.stringify([s, cli.distance_m, cli.duration_s]));
  const texts = await page.evaluate(([d, t]) => [window.corridor.fmtDistance(d), window.corridor.fmtDuration(t)], [cli.distance_m, cli.duration_s]);
  check(s.distanceText === texts[0] && s.durationText === texts[1], 'panel text: ' + s.distanceText + ', ' + s.durationText, JSON.stringify(texts));

  // Truck (4.0 m by default): round the underpass; 3.0 m: through it, as the CLI does.
  await page.selectOption('#profile', 'truck');
  s = await until(2, 'routes');
  const tall = cliRoute('truck', s.points);
  check(Number(s.distance) === tall.distance_m && Number(s.duration) === tall.duration_s,
    'truck (4.0 m): ' + s.distance + ' m = corridor route --profile truck', JSON.stringify([s, tall.distance_m]));
  await page.fill('#height', '3.0');
  await page.locator('#height').dispatchEvent('change');
  s = await until(3, 'routes');
  const low = cliRoute('truck', s.points, 'height=3.0');
  check(Number(s.distance) === low.distance_m && Number(s.duration) === low.duration_s,
    'truck height 3.0: ' + s.distance + ' m = corridor route --vehicle height=3.0', JSON.stringify([s, low.distance_m]));
  check(low.distance_m < tall.distance_m, 'the lower truck takes the underpass (' + low.distance_m + ' m < ' + tall.distance_m + ' m)');

  // Vietnamese labels, escaping.
  await page.selectOption('#lang', 'vi');
  const vi = await page.evaluate(() => [document.querySelector('#summary th').textContent, document.documentElement.lang,
    window.corridor.esc('<b a="1">&\'')]);
  check(vi[0] === 'Quãng đường' && vi[1] === 'vi', 'switched to Vietnamese: ' + vi[0]);
  check(vi[2] === '&lt;b a=&quot;1&quot;&gt;&amp;&#39;', 'names are HTML-escaped', vi[2]);
  await page.selectOption('#lang', 'en');

  // A car route with a via point; then a container by freight from the town to the B37a's
  // inbound carriageway (docs: scripts/demo): road, the port, the Danube, a landing, road.
  await page.click('#clear');
  await page.fill('#height', '');
  await page.selectOption('#profile', 'car');
  const A = [15.6049, 48.4089], B = [15.6760, 48.3795];
  await page.evaluate(([w, e]) => {
    window.corridor.map.fitBounds([[w[1], w[0]], [e[1], e[0]]], { paddingTopLeft: [400, 60], paddingBottomRight: [60, 60], animate: false });
  }, [A, B]);
  let n = (await st()).routes;
  await clickAt(A);
  await clickAt([15.6250, 48.4030]);
  s = await until(n + 1, 'routes');
  await clickAt([15.6160, 48.4150]);
  s = await until(n + 2, 'routes');
  cli = cliRoute('car', s.points);
  check(s.points.length === 3 && Number(s.distance) === cli.distance_m && Number(s.duration) === cli.duration_s,
    'a via point: ' + s.distance + ' m, ' + s.duration + ' s = corridor route --via', JSON.stringify([s, cli.distance_m, cli.duration_s]));
  // drag the via point 60 px east: routed again through where it was dropped
  const viaXY = await page.evaluate(() => {
    const m = window.corridor.map, p = m.latLngToContainerPoint(window.corridor.points[1]);
    const r = m.getContainer().getBoundingClientRect();
    return [r.left + p.x, r.top + p.y];
  });
  const viaBefore = s.points[1];
  await page.mouse.move(viaXY[0], viaXY[1]);
  await page.mouse.down();
  for (let i = 1; i <= 6; i++) await page.mouse.move(viaXY[0] + 10 * i, viaXY[1]);
  await page.mouse.up();
  s = await until(n + 3, 'routes');
  cli = cliRoute('car', s.points);
  check(s.points[1] !== viaBefore && Number(s.distance) === cli.distance_m && Number(s.duration) === cli.duration_s,
    'dragged via point (' + viaBefore + ' -> ' + s.points[1] + '): ' + s.distance + ' m = corridor route', JSON.stringify([s, cli.distance_m]));
  await page.click('#clear');
  await page.selectOption('#profile', 'freight');
  n = (await st()).routes;
  await clickAt(A);
  await clickAt(B);
  s = await until(n + 1, 'routes');
  cli = cliRoute('freight', s.points);
  const drawn = await page.evaluate(() => ({
    modes: (window.corridor.drawn || []).map((d) => d.mode).join(','),
    terminals: [...document.querySelectorAll('#segments tbody td:nth-child(4)')].map((td) => td.textContent).filter((x) => x),
  }));
  const modes = cli.segments.map((x) => x.mode).join(',');
  check(Number(s.distance) === cli.distance_m && Number(s.duration) === cli.duration_s && drawn.modes === modes,
    'freight: ' + drawn.modes + ' = corridor route --profile freight', JSON.stringify([s, drawn, modes]));
  check(drawn.terminals.length === cli.segments.filter((x) => x.terminal).length,
    'terminals in the panel: ' + drawn.terminals.join('; '));
  // Optimise CO2: the route the CLI's --metric co2 finds, with its CO2 in the panel
  await page.selectOption('#metric', 'co2');
  s = await until(n + 2, 'routes');
  const green = cliRoute('freight', s.points, null, 'co2');
  const co2 = await page.evaluate(() => document.getElementById('co2').dataset.value);
  check(Number(s.distance) === green.distance_m && Number(s.duration) === green.duration_s &&
    Number(co2) === green.co2_kg && green.co2_kg < cli.co2_kg,
    'freight by CO2: ' + co2 + ' kg (by time ' + cli.co2_kg + ' kg) = corridor route --metric co2', JSON.stringify([s, co2, green]));
  if (hasTiles) {
    await page.waitForFunction(() => [...document.querySelectorAll('.leaflet-tile')].every((i) => i.complete), null, { timeout: 20000 });
    check(tiles > 0, tiles + ' tiles arrived (image/png)');
  } else {
    console.log('note: the server has no /tiles yet (' + probe.status + '): tiles not checked');
  }
  await page.screenshot({ path: path.join(WORK, 'webmap.png') });
  ok('screenshot ' + path.join(WORK, 'webmap.png'));

  // --compare: the same clicks on the scenario (the example bypass) under /after/
  const compare = await page.evaluate(() => !document.getElementById('compare').hidden);
  check(compare === Boolean(SCENARIO), 'before/after switch ' + (compare ? 'shown' : 'hidden'));
  if (SCENARIO && compare) {
    await page.click('#clear');
    await page.selectOption('#metric', 'time');
    await page.selectOption('#profile', 'car');
    n = (await st()).routes;
    await clickAt([15.5990, 48.4190]);
    await clickAt([15.6580, 48.4010]);
    s = await until(n + 1, 'routes');
    const before = cliRoute('car', s.points);
    await page.check('input[name=net][value="/after"]');
    const a = await until(n + 2, 'routes');
    const after = cliRoute('car', a.points, null, 'time', SCENARIO);
    check(Number(s.duration) === before.duration_s && Number(a.duration) === after.duration_s &&
      Number(a.distance) === after.distance_m && after.duration_s < before.duration_s,
      'after (bypass): ' + a.duration + ' s, before ' + s.duration + ' s = corridor route on each', JSON.stringify([s, a, before.duration_s, after.duration_s]));
    await page.check('input[name=net][value=""]');
    await until(n + 3, 'routes');
  }

  await page.check('input[name=tool][value=isochrone]');
  await clickAt([15.6080, 48.4100]);
  await until(1, 'isochrones');
  const bands = await page.evaluate(() => document.querySelectorAll('.leaflet-overlay-pane path').length);
  check(bands >= 1, 'isochrone drawn as ' + bands + ' band(s)');

  const unexpected = failures.filter((f) => hasTiles || !f.includes('/tiles/'));
  const errors = consoleErrors.filter((f) => hasTiles || !f.includes('/tiles/'));
  check(errors.length === 0, 'no console error', errors.join('\n'));
  check(unexpected.length === 0, 'no failed request (' + cancelled + ' tile requests cancelled by the map moving)', unexpected.join('\n'));
  await context.close();
  console.log('browser part: ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s');
}

main().catch((e) => { bad('browser test', e.stack || e); }).finally(() => {
  console.log(passed + ' passed, ' + failed + ' failed');
  process.exit(failed ? 1 : 0);
});
