// Node CommonJS consumer: `require('worldgate')` (exports condition node/require).
const { readFileSync } = require('node:fs');
const path = require('node:path');
const wg = require('worldgate');

const resolved = require.resolve('worldgate');
if (!resolved.endsWith(path.join('node_modules', 'worldgate', 'node.cjs'))) {
  console.error(`require('worldgate') resolved to ${resolved}`);
  process.exit(1);
}
const env = JSON.parse(readFileSync(path.join(__dirname, 'env.json'), 'utf8'));
import('./checks.mjs').then(async ({ makeChecks, runChecks, report }) => {
  const failures = report('node-cjs', await runChecks(makeChecks(wg, env)));
  process.exitCode = failures ? 1 : 0;
}).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
