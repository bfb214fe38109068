// The Deno and Bun consumer (tests/js/bundlers.mjs runs it in both, from the project the PACKED
// package is installed in): imports `worldgate` and `worldgate/core` as a user's script does and
// runs the shared checks (checks.mjs: every test vector) against both entries, the core's answers
// compared with the full entry's. Deno runs it with no permission at all (`deno run --no-prompt`):
// the package's `deno` export loads the wasm as a module, not with a file read.
//   deno run --no-prompt runtime.mjs | bun runtime.mjs     (exit status 1 when a check fails)
import * as wg from 'worldgate';
import * as core from 'worldgate/core';
import { makeChecks, report, runChecks } from './checks.mjs';
import env from './env.json' with { type: 'json' };

const runtime = globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : 'unknown';
// Deno resolves the `deno` export, Bun the `node` one (it has no condition of its own in the map)
const expected = { deno: ['deno.js', 'core/deno.js'], bun: ['node.js', 'core/node.js'] }[runtime] ?? [];
const resolved = [import.meta.resolve('worldgate'), import.meta.resolve('worldgate/core')];
const results = [{
  name: `the entries resolve to ${expected.join(', ')}`,
  status: resolved.every((r, i) => r.endsWith(`/node_modules/worldgate/${expected[i]}`)) ? 'pass' : 'fail',
  detail: resolved.join(', '),
}];
// both have a synchronous node:crypto SHA-256
results.push(...await runChecks(makeChecks(wg, { ...env, runtime, platformSha256: true })));
// the failures and the counts (the checks are the pkg-tests' ones, listed there one by one)
const print = (line) => { if (!/^ {2}(ok|skip) /.test(line)) console.log(line); };
let failed = report(runtime, results, print);
failed += report(`${runtime} core`, await runChecks(makeChecks(core, { ...env, runtime, entry: 'core' }, wg)), print);
if (failed) globalThis.process.exit(1);
