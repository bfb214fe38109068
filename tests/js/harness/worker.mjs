// Cloudflare Worker consumer: bundled like wrangler does (esbuild, conditions workerd/worker/browser,
// the .wasm kept as a module) and run in real workerd through miniflare. POST the env, get results.
import * as wg from 'worldgate';
import { makeChecks, runChecks } from './checks.mjs';
import { clientChecks } from './client-checks.mjs';

export default {
  async fetch(request) {
    const env = await request.json();
    // workerd isolates get 128 MB: a 100 MB generated input (its text, its bytes, and their copy
    // in wasm memory, which never shrinks) cannot fit, so inputs past 32 MB skip, saying so.
    const results = await runChecks(makeChecks(wg, {
      ...env,
      runtime: 'workerd',
      maxGeneratedBytes: 32e6,
      budgetReason: 'a workerd isolate has 128 MB; the input, its bytes and their copy in wasm memory would not fit',
    }));
    // the edge API client, against run.mjs's stub edge (a real edge: edge/test/client.test.mjs)
    results.push(...await clientChecks(wg, env.stubEdge));
    return Response.json(results);
  },
};
