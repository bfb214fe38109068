// Browser consumer: imports the package's browser entry (through an import map made from the
// package's `exports` map) — `worldgate`, or `worldgate/core` when the page is `?entry=core` —
// awaits init(), runs the shared checks, publishes window.__results.
const isCore = new URLSearchParams(location.search).get('entry') === 'core';

try {
  const [{ makeChecks, runChecks }, wg] = await Promise.all([
    import('./checks.mjs'),
    isCore ? import('worldgate/core') : import('worldgate'),
  ]);
  let early;
  try { wg.version(); } catch (error) { early = error; }
  const results = [{
    name: 'a call before init() throws a WorldgateError E_NOT_INITIALIZED telling to await init()',
    status: early instanceof wg.WorldgateError && early.code === 'E_NOT_INITIALIZED'
      && /init\(\)/.test(`${early.message} ${early.help}`) ? 'pass' : 'fail',
    detail: early ? `${early.code}: ${early.message}` : 'no error',
  }];
  await wg.init();
  await wg.ready;
  const env = await (await fetch('/env.json')).json();
  results.push(...await runChecks(makeChecks(wg, { ...env, runtime: 'chromium', platformSha256: false, ...(isCore ? { entry: 'core' } : {}) })));
  if (isCore) {
    results.push({ name: 'worldgate/core carries no WorldgateClient', status: 'WorldgateClient' in wg ? 'fail' : 'pass' });
  } else {
    const { clientChecks } = await import('./client-checks.mjs');
    results.push(...await clientChecks(wg, `${location.origin}/stub-edge`));
  }
  window.__results = results;
} catch (error) {
  window.__results = [{ name: 'browser harness', status: 'fail', detail: String(error && error.stack || error) }];
}
