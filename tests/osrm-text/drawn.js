// osrm-text-instructions on corridor's steps of the drawn map tests/maps/steps.osm
// (tests/maps/steps.txt): the sentences of an exit number, a roundabout turn and a rotary, and
// the lane diagram of a turn with turn lanes, each checked by its words.
// Usage: node drawn.js BASE_URL. Prints "ok ..." / "FAIL ..." lines; exit 1 on a failure.
'use strict';
const path = require('path');
const modules = process.env.NODE_PATH_OSRM_TEXT || path.join(__dirname, 'node_modules');
const text = require(path.join(modules, 'osrm-text-instructions'))('v5');

const base = process.argv[2];
const at = (x, y) => `${(106.5 + x * 1e-5).toFixed(7)},${(10.5 + y * 1e-5).toFixed(7)}`;
let failures = 0;
function out(good, what, detail) {
  if (!good) failures++;
  console.log(`${good ? 'ok' : 'FAIL'}\tsteps.osm: ${what}${detail ? '\t' + detail : ''}`);
}

async function steps(from, to) {
  const res = await fetch(`${base}/route/v1/car/${at(...from)};${at(...to)}?steps=true&overview=false`);
  const body = await res.json();
  if (body.code !== 'Ok') throw new Error(`${body.code} ${body.message || ''}`);
  return body.routes[0].legs[0].steps;
}

function says(step, lang, want, what) {
  const s = text.compile(lang, step, { legCount: 1, legIndex: 0 });
  out(want.test(s), what, s);
}

async function main() {
  let s = await steps([1020, 0], [1380, -60]);
  says(s[1], 'en', /^Take exit 5A (on the right )?towards Tân Tạo$/, 'an exit number (junction:ref), exit_to');
  says(s[1], 'vi', /5A/, 'the exit number in vi');
  s = await steps([1960, 0], [2050, 90]);
  out(s[1].maneuver.type === 'roundabout turn' && s[1].maneuver.modifier === 'left',
    'a small roundabout is a roundabout turn', JSON.stringify(s[1].maneuver));
  says(s[1], 'en', /^Turn left onto Lý Chính Thắng$/, 'a roundabout turn');
  s = await steps([2310, 0], [2400, 130]);
  says(s[1], 'en', /^Enter Vòng xoay Dân Chủ and take the 2nd exit onto Ba Tháng Hai$/, 'a rotary with its name');
  s = await steps([1620, 0], [1700, 80]);
  out(text.laneConfig(s[1]) === 'ox', 'the lanes of a left turn: the left one valid', JSON.stringify(s[1].intersections[0].lanes));
  says({ ...s[1], maneuver: { ...s[1].maneuver, type: 'use lane' } }, 'en', /^Keep left$/, 'a lane sentence');
  process.exit(failures ? 1 : 0);
}
main().catch((e) => { console.log(`FAIL\tsteps.osm: ${e.stack}`); process.exit(1); });
