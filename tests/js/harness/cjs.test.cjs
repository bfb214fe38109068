// Node CommonJS consumer: `require('worldgate')` or `require('worldgate/core')` (exports condition
// node/require), the entry given as the first argument (default `worldgate`).
const { readFileSync } = require('node:fs');
const path = require('node:path');

const entry = process.argv[2] ?? 'worldgate';
const isCore = entry === 'worldgate/core';
const wg = require(entry);

const resolved = require.resolve(entry);
const expected = path.join('node_modules', 'worldgate', ...(isCore ? ['core', 'node.cjs'] : ['node.cjs']));
if (!resolved.endsWith(expected)) {
  console.error(`require('${entry}') resolved to ${resolved}`);
  process.exit(1);
}
const env = JSON.parse(readFileSync(path.join(__dirname, 'env.json'), 'utf8'));
import('./checks.mjs').then(async ({ makeChecks, runChecks, report }) => {
  const checks = isCore ? makeChecks(wg, { ...env, entry: 'core' }, require('worldgate')) : makeChecks(wg, { ...env, platformSha256: true });
  const failures = report(isCore ? 'node-cjs core' : 'node-cjs', await runChecks(checks));
  process.exitCode = failures ? 1 : 0;
}).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
