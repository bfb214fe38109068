// worldgate edge: the evaluation-runs API as a Cloudflare Worker.
//
// `fetch` answers CORS preflights, routes the request (router.js) and renders every failure as an
// error document (http.js). State lives in one `World` Durable Object per world (world.js).
// Nothing happens at module top level: the engine is instantiated on first use (engine.js).

import { corsHeaders, errorResponse, withHeaders } from "./http.js";
import { route } from "./router.js";

export { World } from "./world.js";

export default {
  async fetch(request, env, ctx) {
    const cors = corsHeaders(request, env);
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    let response;
    try {
      response = await route(request, env, ctx);
    } catch (err) {
      response = errorResponse(err);
    }
    if (request.method === "HEAD") response = new Response(null, response);
    return withHeaders(response, { ...cors, "cache-control": "no-store", "x-content-type-options": "nosniff" });
  },
};
