// A/B of `gateBundle` between package builds, interleaved in one process (a loaded machine
// drifts between runs): each build is imported from its own directory (a copy of pkg/), warmed
// up, then timed per bundle in turn, ROUNDS times (CPU medians, benches/js/timing.mjs).
//   node benches/js/gate-ab.mjs /abs/pkg-before /abs/pkg-after     (run from the repo root)
// env: SIZES=10KB,1MB,10MB  ROUNDS=2  NOAJV=1 (skip JSON.parse + ajv)  VALIDATE=1 (also validateBundle)
// Prints one line per case: the medians of each round, then input/result digest prefixes.
import { readFileSync } from 'node:fs';
import { measure, dataDir } from './timing.mjs';
import Ajv2020 from 'ajv/dist/2020.js';
const dirs = process.argv.slice(2).filter(a => !a.startsWith('--'));
const sizes = (process.env.SIZES ?? '10KB,1MB,10MB').split(',');
const POL = JSON.parse(readFileSync(new URL('../gate-policy.json', import.meta.url), 'utf8')); // the gate benches' policy
const mods = [];
for (const d of dirs) { const wg = await import(`file://${d}/node.js`); mods.push([d.split('/').pop(), wg, wg.parsePolicy(POL, { dialect: 'strict' })]); }
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
const validate = ajv.compile(JSON.parse(readFileSync(`${dirs[0]}/schema/bundle.json`, 'utf8')));
const dec = new TextDecoder();
const data = Object.fromEntries(sizes.map(s => [s, new Uint8Array(readFileSync(`${dataDir()}/bundle-${s}.json`))]));
{ const t0 = performance.now(); while (performance.now() - t0 < 2000) for (const [, wg, p] of mods) { wg.gateBundle(data[sizes[0]], p, {}); if (data['1MB']) wg.gateBundle(data['1MB'], p, {}); } }
const rounds = Number(process.env.ROUNDS ?? 2);
const res = {};
for (let r = 0; r < rounds; r++) for (const s of sizes) {
  const b = data[s];
  for (const [name, wg, p] of mods) {
    const first = wg.gateBundle(b, p, {});
    if (first.type !== 'success') throw new Error(JSON.stringify(first.errors));
    const t = measure(() => wg.gateBundle(b, p, {}));
    (res[`${s} gate ${name}`] ??= { v: [], d: `${first.value.input_digest.slice(7, 19)} ${first.value.result_digest.slice(7, 19)}` }).v.push(t.cpu_ms.median);
    if (process.env.VALIDATE) { const t = measure(() => wg.validateBundle(b)); (res[`${s} validate ${name}`] ??= { v: [], d: '' }).v.push(t.cpu_ms.median); }
  }
  if (!process.env.NOAJV) { const t = measure(() => validate(JSON.parse(dec.decode(b)))); (res[`${s} ajv`] ??= { v: [], d: '' }).v.push(t.cpu_ms.median); }
}
for (const [k, { v, d }] of Object.entries(res)) console.log(k.padEnd(36), v.map(x => x.toFixed(3)).join('  '), d);
