// OSRM's own instruction library (osrm-text-instructions, from npm) turns corridor's steps
// (corridor serve, /route?steps=true) into sentences: every step of seeded routes must compile
// in English and Vietnamese with no error, and a few sentences are checked by their words.
// Usage: node check.js BASE_URL NAME SEED COUNT W,S,E,N
// Prints "ok ..." / "FAIL ..." lines and the sentences seen to stdout; exit 1 on a failure.
'use strict';
const path = require('path');
const modules = process.env.NODE_PATH_OSRM_TEXT || path.join(__dirname, 'node_modules');
const osrmTextInstructions = require(path.join(modules, 'osrm-text-instructions'))('v5');

const [base, name, seedText, countText, bboxText] = process.argv.slice(2);
const [west, south, east, north] = bboxText.split(',').map(Number);
let seed = Number(seedText) >>> 0 || 1;
function rand() { // xorshift32: the same pairs in every run
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
}
let failures = 0;
function out(good, what, detail) {
  if (!good) failures++;
  console.log(`${good ? 'ok' : 'FAIL'}\t${name}: ${what}${detail ? '\t' + detail : ''}`);
}

async function main() {
  const sentences = [];
  let routes = 0, steps = 0, bad = 0, maneuvers = 0, under10 = 0;
  for (let i = 0; i < Number(countText); i++) {
    const pts = [0, 1].map(() => [west + rand() * (east - west), south + rand() * (north - south)]);
    const url = `${base}/route/v1/car/${pts.map((p) => p[0].toFixed(6) + ',' + p[1].toFixed(6)).join(';')}` +
      '?steps=true&overview=false';
    const res = await fetch(url);
    const body = await res.json();
    if (body.code !== 'Ok') continue; // NoRoute/NoSegment: no steps to read
    routes++;
    const legs = body.routes[0].legs;
    legs.forEach((leg, legIndex) => {
      let sum = 0;
      leg.steps.forEach((step) => {
        steps++;
        sum += step.distance;
        if (step.maneuver.type !== 'depart' && step.maneuver.type !== 'arrive') {
          maneuvers++; // the figure docs/routing.md gives: steps between depart and arrive under 10 m
          if (step.distance < 10) under10++;
        }
        for (const lang of ['en', 'vi']) {
          try {
            const text = osrmTextInstructions.compile(lang, step, { legCount: legs.length, legIndex });
            if (typeof text !== 'string' || !text || /undefined/.test(text))
              throw new Error(`empty or undefined: ${JSON.stringify(text)}`);
            if (lang === 'en') sentences.push(text);
          } catch (e) {
            bad++;
            if (bad <= 5) out(false, `compile ${lang}`, `${e.message} ${JSON.stringify(step.maneuver)}`);
          }
        }
      });
      if (Math.abs(sum - leg.distance) > 0.05 * leg.steps.length + 1e-6)
        out(false, 'steps add up to the leg', `${sum} vs ${leg.distance}`);
      const last = leg.steps[leg.steps.length - 1], first = leg.steps[0];
      if (first.maneuver.type !== 'depart' || last.maneuver.type !== 'arrive')
        out(false, 'depart first, arrive last', `${first.maneuver.type} ... ${last.maneuver.type}`);
    });
  }
  out(routes >= Number(countText) / 2, `${routes} routes of ${countText} pairs`);
  console.log(`info\t${name}: ${under10} of ${maneuvers} maneuver steps under 10 m`);
  out(bad === 0, `${steps} steps compiled in en and vi with no error`, bad ? `${bad} errors` : '');
  const roundabout = sentences.find((s) => /roundabout|traffic circle/i.test(s) && /exit/.test(s));
  out(!!roundabout, 'a roundabout exit', roundabout);
  const named = sentences.find((s) => /^Turn (left|right|sharp left|sharp right|slight left|slight right) onto \S/.test(s));
  out(!!named, 'a named turn', named);
  const head = sentences.find((s) => /^Head (north|south|east|west|northeast|northwest|southeast|southwest)/.test(s));
  out(!!head, 'a depart', head);
  for (const s of sentences.slice(0, 12)) console.log(`  ${s}`);
  process.exit(failures ? 1 : 0);
}
main().catch((e) => { console.log(`FAIL\t${name}: ${e.stack}`); process.exit(1); });
