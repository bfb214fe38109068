// Where the wasm gate's time goes, per stage of the pipeline: a CPU profile (V8's sampling
// profiler through node:inspector, 25 µs interval) of `gateBundle` + reading the verdicts on the
// generated 10 KB bundle, run in a loop for ~2 s, over a build whose wasm keeps its function
// names (WG_PKG: `scripts/bench.sh` assembles one from the shipped build's wasm-bindgen output
// with the same `wasm-opt -Oz` passes plus `-g`). Each sample goes to the outermost frame of its
// stack that names a stage (the STAGES table: stage functions of `src/bundle/gate.rs` and what
// they call), else to the JS side (the package's glue, reading the answer) or the garbage
// collector. Prints one JSON line: the stages with their share of the samples; the report scales
// the shares by the gate's median time from `gate.mjs` of the same run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { dataDir, emit } from './timing.mjs';

const pkgUrl = process.env.WG_PKG ?? new URL('../../pkg/node.js', import.meta.url).href;
const wg = await import(pkgUrl);
const CASE = process.env.WG_PHASES_CASE ?? '10KB';

/** [stage, what the gate does, what JSON.parse + ajv does instead, patterns of the names of the
 *  engine's functions that start the stage]. Checked in order for each frame; a stage's callees
 *  (allocation, SHA-256 in node:crypto, …) count for the stage. */
export const STAGES = [
  ['read', 'the strict JSON reader: limits, repeated keys, the series read as numbers', 'JSON.parse (no limits; a repeated key keeps its last value)',
    [/^worldgate::json::reader::/]],
  ['decode', 'the typed decode and the schema\'s checks, errors with paths', 'ajv\'s validation', [/^worldgate::schema::/, /^worldgate::json::(value_de|fields)::/, /^worldgate::bundle::(check|secret)/]],
  ['sanitize', 'secret redaction of every string and key', '—', [/^worldgate::bundle::sanitize::/]],
  ['metrics', 'each submission\'s metrics recomputed from its returns', '—', [/^worldgate::metrics::/]],
  ['metric trees', 'typed metrics turned into JSON trees (written as text, read back) for the claims check and the policy', '—', [/^worldgate::json::to_value/]],
  ['answer text', 'the decision and the answer written as JSON text with their layouts', '—', [/^worldgate::policy::wire::/, /^worldgate::bundle::gate::write_/]],
  ['policy', 'the world policy: rule results, ranking, correlation, explanations', '—', [/^worldgate::policy::/]],
  ['digests', 'RFC 8785 canonical text of the bundle and of the decision, and their SHA-256', '—', [/^worldgate::digest::/, /^worldgate::json::(canonical|canonical_text|order)::/]],
  ['records', 'run records and snapshots (ids, transitions, series heads)', '—', [/^worldgate::run::/, /^worldgate::bundle::gate::(evaluated_run|series_heads|snapshot)/]],
  ['to JS', 'the answer\'s text handed to JS (UTF-8 decoded into a string)', '—', [/^worldgate::js::wire::/]],
];

function stageOf(name) {
  for (const [stage, , , pats] of STAGES) if (pats.some((p) => p.test(name))) return stage;
  return null;
}

const GATE_POLICY = JSON.parse(readFileSync(new URL('../gate-policy.json', import.meta.url), 'utf8'));
const bytes = new Uint8Array(readFileSync(join(dataDir(), `bundle-${CASE}.json`)));
const policy = wg.parsePolicy(GATE_POLICY, { dialect: 'strict' });
const once = () => {
  const a = wg.gateBundle(bytes, policy, {});
  if (a.type !== 'success') throw new Error(`the gate rejected the bench bundle: ${JSON.stringify(a.errors)}`);
  let n = a.value.selected.length + a.value.rejected.length;
  for (const s of a.value.strategies) if (s.verdict === 'valid') n += 1;
  return n;
};
const t0 = performance.now();
while (performance.now() - t0 < 1500) once(); // warm up: V8's optimizing tier

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 25 });
await session.post('Profiler.start');
let calls = 0;
const t1 = performance.now();
while (performance.now() - t1 < Number(process.env.WG_PHASES_MS ?? 2000)) { once(); calls++; }
const { profile } = await session.post('Profiler.stop');
session.disconnect();

// Attribute each sample: the outermost stage frame on its stack.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const memo = new Map();
function attribute(id) {
  if (memo.has(id)) return memo.get(id);
  const { functionName: name, url } = byId.get(id).callFrame;
  const up = parent.has(id) ? attribute(parent.get(id)) : null;
  let out = up;
  if (name === '(garbage collector)') out = 'garbage collector';
  else if (name === '(idle)' || name === '(program)' || name === '(root)') out = up;
  else if (up === null || up === 'js' || up === 'engine, other') {
    const s = stageOf(name);
    if (s) out = s;
    else if (url.startsWith('wasm://')) out = 'engine, other';
    else if (up === null) out = 'js';
  }
  memo.set(id, out);
  return out;
}
const counts = new Map();
let total = 0;
for (const id of profile.samples) {
  const s = attribute(id);
  if (s === null) continue; // idle, the profiler itself
  counts.set(s, (counts.get(s) ?? 0) + 1);
  total += 1;
}
emit({
  area: 'gate-phases', case: CASE, contender: 'wasm-named', calls, samples: total,
  label: 'worldgate wasm (names kept) in Node: gateBundle + read the verdicts, CPU profile',
  stages: [...STAGES.map(([s, what, ajv]) => ({ stage: s, what, ajv, share: (counts.get(s) ?? 0) / total })),
    { stage: 'engine, other', what: 'the gate\'s own steps: freeing the intermediate trees (the policy\'s input metrics, rule texts), copies of metrics and ids', ajv: '—', share: (counts.get('engine, other') ?? 0) / total },
    { stage: 'js', what: 'the package\'s JS: bytes into wasm, the answer object, reading the verdicts', ajv: 'TextDecoder', share: (counts.get('js') ?? 0) / total },
    { stage: 'garbage collector', what: 'V8\'s garbage collector', ajv: 'its own garbage', share: (counts.get('garbage collector') ?? 0) / total }],
});
