// The package's WorldgateClient in Chromium (same origin) and in workerd, against the stub edge
// that tests/js/run.mjs serves under /stub-edge/: an upload with `wait` polled until evaluated (the engine's
// `runSettled`, through the wasm), a read by `latest`, error documents as WorldgateErrors with
// their HTTP status, a 503 retried. Returns results in the harness format.
export async function clientChecks(wg, baseUrl) {
  const results = [];
  const check = async (name, fn) => {
    try {
      await fn();
      results.push({ name: `WorldgateClient: ${name}`, status: 'pass' });
    } catch (error) {
      results.push({ name: `WorldgateClient: ${name}`, status: 'fail', detail: String(error && error.stack || error) });
    }
  };
  const ok = (cond, msg) => { if (!cond) throw new Error(msg); };
  const rejection = async (promise) => {
    try { await promise; } catch (e) { return e; }
    throw new Error('expected a rejection');
  };
  const client = new wg.WorldgateClient({ baseUrl, token: 'tok-stub', pollIntervalMs: 10, retries: 2 });
  const bundle = { bundle_version: 1, world_id: 'w1', submissions: [{ strategy_id: 's1', returns: [0.01, -0.02, 0.03] }] };

  await check('upload with wait polls a submitted run until it is evaluated', async () => {
    const up = await client.upload(bundle, { wait: true, idempotencyKey: 'k-1' });
    ok(up.httpStatus === 202, `httpStatus ${up.httpStatus}`);
    ok(up.runs.length === 1 && up.runs[0].status === 'evaluated', JSON.stringify(up.runs));
    ok(up.received_bytes === JSON.stringify(bundle).length, `the bundle was sent as JSON (${up.received_bytes} bytes)`);
  });
  await check('run(world, strategy, "latest") reads the status document', async () => {
    const r = await client.run('w1', 's1', 'latest');
    ok(r.run_id === 'r-1' && r.status === 'evaluated', JSON.stringify(r));
  });
  await check('a 404 error document is a WorldgateError with code and status', async () => {
    const e = await rejection(client.run('w1', 'nope'));
    ok(e instanceof wg.WorldgateError, `not a WorldgateError: ${e}`);
    ok(e.code === 'E_RUN_NOT_FOUND' && e.status === 404 && e.path === '', JSON.stringify(e));
  });
  await check('no token: E_UNAUTHORIZED (401), not retried', async () => {
    const e = await rejection(new wg.WorldgateClient({ baseUrl }).policy('w1'));
    ok(e instanceof wg.WorldgateError && e.code === 'E_UNAUTHORIZED' && e.status === 401, JSON.stringify(e));
  });
  await check('a 503 is retried and the next answer returned', async () => {
    const a = await client.activation('w1');
    ok(a.world_id === 'w1' && Array.isArray(a.active), JSON.stringify(a));
  });
  await check('out of retries on 503: the last error document (its code) with status 503', async () => {
    const e = await rejection(new wg.WorldgateClient({ baseUrl, token: 'tok-stub', retries: 0 }).activation('w1'));
    ok(e instanceof wg.WorldgateError && e.code === 'E_INTERNAL' && e.status === 503, JSON.stringify(e));
  });
  return results;
}
