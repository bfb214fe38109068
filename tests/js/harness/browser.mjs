// Browser consumer: imports the package's browser entry (through an import map made from the
// package's `exports` map), awaits init(), runs the shared checks, publishes window.__results.
import * as wg from 'worldgate';
import { makeChecks, runChecks } from './checks.mjs';

try {
  let early;
  try { wg.version(); } catch (error) { early = error; }
  const results = [{
    name: 'a call before init() throws a WorldgateError telling to await init()',
    status: early instanceof wg.WorldgateError && /init\(\)/.test(`${early.message} ${early.help}`) ? 'pass' : 'fail',
    detail: early ? undefined : 'no error',
  }];
  await wg.init();
  await wg.ready;
  const env = await (await fetch('/env.json')).json();
  results.push(...await runChecks(makeChecks(wg, { ...env, runtime: 'chromium' })));
  window.__results = results;
} catch (error) {
  window.__results = [{ name: 'browser harness', status: 'fail', detail: String(error && error.stack || error) }];
}
