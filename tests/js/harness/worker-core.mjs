// Cloudflare Worker consumer of `worldgate/core` only: bundled like wrangler does (its bundle must
// import the core wasm alone) and run in real workerd through miniflare. POST the env, get results.
import * as wg from 'worldgate/core';
import { makeChecks, runChecks } from './checks.mjs';

export default {
  async fetch(request) {
    const env = await request.json();
    return Response.json(await runChecks(makeChecks(wg, { ...env, runtime: 'workerd', entry: 'core' })));
  },
};
