// Node ESM consumer of the core entry: `import … from 'worldgate/core'` (exports condition
// node/import), under node:test; its answers are compared with the full entry's.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import * as core from 'worldgate/core';
import * as full from 'worldgate';
import { makeChecks } from './checks.mjs';

const env = JSON.parse(readFileSync(new URL('./env.json', import.meta.url), 'utf8'));

test('worldgate/core resolves to the core node build', async () => {
  const { createRequire } = await import('node:module');
  const resolved = import.meta.resolve('worldgate/core');
  if (!resolved.endsWith('/node_modules/worldgate/core/node.js')) throw new Error(`resolved ${resolved}`);
  const cjs = createRequire(import.meta.url)('worldgate/core');
  if (!(new cjs.WorldgateError('x') instanceof core.WorldgateError)) throw new Error('cross-build instanceof');
});

test('core: await init() and await ready resolve in Node', async () => {
  await core.init();
  await core.ready;
});

for (const { name, run } of makeChecks(core, { ...env, entry: 'core' }, full)) {
  test(`core: ${name}`, async (t) => {
    const r = await run();
    if (r && r.skip) t.skip(r.skip);
  });
}
