// Node ESM consumer: `import … from 'worldgate'` (exports condition node/import), under node:test.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import * as wg from 'worldgate';
import { makeChecks } from './checks.mjs';
import { fuzzCalls } from './fuzz.mjs';

const env = JSON.parse(readFileSync(new URL('./env.json', import.meta.url), 'utf8'));

test('the ESM entry is the node build', async () => {
  const { createRequire } = await import('node:module');
  const resolved = import.meta.resolve('worldgate');
  if (!resolved.endsWith('/node_modules/worldgate/node.js')) throw new Error(`resolved ${resolved}`);
  // the CommonJS build is a separate copy: errors are still recognised across the two
  const cjs = createRequire(import.meta.url)('worldgate');
  if (!(new cjs.WorldgateError('x') instanceof wg.WorldgateError)) throw new Error('cross-build instanceof');
});

test('await init() and await ready resolve in Node', async () => {
  await wg.init();
  await wg.ready;
});

test('typed arrays, buffers and Maps of another realm (a Buffer from fs under Jest) read as this realm\'s', async () => {
  const { runInNewContext } = await import('node:vm');
  const other = runInNewContext('({ f: new Float64Array([0.01, -0.02, 0.03]), u: new Uint8Array([123, 125]), i: new Int32Array(2) })');
  const here = new Float64Array([0.01, -0.02, 0.03]);
  if (other.f instanceof Float64Array) throw new Error('the vm context shares the realm');
  const a = wg.computeMetrics(other.f), b = wg.computeMetrics(here);
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('computeMetrics differs for a Float64Array of another realm');
  const bytes = new TextEncoder().encode('{"snapshot_id":"x"}');
  const foreign = runInNewContext('(b) => new Uint8Array(b)')(bytes);
  if (JSON.stringify(wg.validateSnapshot(foreign)) !== JSON.stringify(wg.validateSnapshot(bytes))) throw new Error('validateSnapshot differs for bytes of another realm');
  if (JSON.stringify(wg.validateSnapshot(foreign.buffer)) !== JSON.stringify(wg.validateSnapshot(bytes.buffer))) throw new Error('validateSnapshot differs for an ArrayBuffer of another realm');
  if (wg.digest(foreign) !== wg.digest(bytes)) throw new Error('digest differs across realms');
  const series = { a: other.f, b: runInNewContext('new Float64Array([0.02, 0.01, -0.01])') };
  const local = { a: here, b: new Float64Array([0.02, 0.01, -0.01]) };
  const policy = wg.parsePolicy({ correlation: { max: 0.5 } });
  const metrics = { a: { sharpe: 1 }, b: { sharpe: 2 } };
  if (JSON.stringify(policy.verdicts(metrics, { returns_by_strategy: series })) !== JSON.stringify(policy.verdicts(metrics, { returns_by_strategy: local }))) {
    throw new Error('verdicts differ for series of another realm');
  }
  let caught;
  try { wg.computeMetrics(other.i); } catch (error) { caught = error; }
  if (!(caught instanceof wg.WorldgateError) || caught.code !== 'E_SCHEMA') throw new Error(`an Int32Array of another realm: ${caught}`);
  // Maps of metrics and of series, and a Set where series are expected, of another realm
  const maps = runInNewContext('(a, b) => ({ metrics: new Map([["a", { sharpe: 1 }], ["b", { sharpe: 2 }]]), series: new Map([["a", a], ["b", b]]), set: new Set(["a"]) })')(local.a, local.b);
  if (JSON.stringify(policy.verdicts(maps.metrics, { returns_by_strategy: maps.series })) !== JSON.stringify(policy.verdicts(metrics, { returns_by_strategy: local }))) {
    throw new Error('verdicts differ for Maps of another realm');
  }
  caught = undefined;
  try { policy.verdicts(metrics, { returns_by_strategy: maps.set }); } catch (error) { caught = error; }
  if (!(caught instanceof wg.WorldgateError) || caught.path !== '/returns_by_strategy') throw new Error(`a Set of another realm as the returns: ${caught}`);
});

test('60,000 random calls over every function and method: a WorldgateError with a stable code, never E_INTERNAL, a bare TypeError or a serde phrase', () => {
  const problems = fuzzCalls(wg, { seed: 20261207, calls: 60_000 });
  if (problems.length > 0) throw new Error(`${problems.length} problems:\n${problems.join('\n')}`);
});

for (const { name, run } of makeChecks(wg, { ...env, platformSha256: true })) {
  test(name, async (t) => {
    const r = await run();
    if (r && r.skip) t.skip(r.skip);
  });
}
