// Cloudflare Worker consumer: bundled like wrangler does (esbuild, conditions workerd/worker/browser,
// the .wasm kept as a module) and run in real workerd through miniflare. POST the env, get results.
import * as wg from 'worldgate';
import { makeChecks, runChecks } from './checks.mjs';

export default {
  async fetch(request) {
    const env = await request.json();
    const results = await runChecks(makeChecks(wg, env));
    return Response.json(results);
  },
};
