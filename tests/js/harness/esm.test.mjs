// Node ESM consumer: `import … from 'worldgate'` (exports condition node/import), under node:test.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import * as wg from 'worldgate';
import { makeChecks } from './checks.mjs';

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

for (const { name, run } of makeChecks(wg, { ...env, platformSha256: true })) {
  test(name, async (t) => {
    const r = await run();
    if (r && r.skip) t.skip(r.skip);
  });
}
