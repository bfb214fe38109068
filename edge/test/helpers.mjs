// Test harness: builds the worker once per process and runs it in real workerd (Miniflare 4)
// with persistence in a temp folder. `api()` records every (method, path, status) it sees so the
// OpenAPI test can check them against the document.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildWorker } from "../scripts/build.mjs";
import { start } from "../scripts/runtime.mjs";

export const TOKENS = {
  alphaRead: { token: "tok-alpha-read", worlds: ["alpha"], scopes: ["read"] },
  alphaSubmit: { token: "tok-alpha-submit", worlds: ["alpha"], scopes: ["submit"] },
  alphaAdmin: { token: "tok-alpha-admin", worlds: ["alpha"], scopes: ["admin"] },
  betaAdmin: { token: "tok-beta-admin", worlds: ["beta"], scopes: ["admin"] },
  gammaAdmin: { token: "tok-gamma-admin", worlds: ["gamma"], scopes: ["admin"] },
};

let built = null;
export async function built_() {
  built ??= buildWorker({ outdir: `dist-test-${process.pid}` });
  return built;
}

export function tempDir(prefix = "wg-edge-") {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const seen = [];

/** Starts the worker; `vars` are extra bindings. Returns `{url, mf, api, stop}`. */
export async function boot({ persist = tempDir(), vars = {} } = {}) {
  const { outdir } = await built_();
  const { mf, url } = await start({ persist, tokens: TOKENS, vars, dist: outdir });
  const api = async (method, p, { token, body, headers = {}, json = true } = {}) => {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    if (body !== undefined && !("content-type" in h)) h["content-type"] = "application/json";
    const res = await fetch(url + p, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
      duplex: "half",
    });
    const text = await res.text();
    let data = null;
    if (json) data = text ? JSON.parse(text) : null;
    seen.push({ method, path: p.split("?")[0], status: res.status, body: data });
    return { status: res.status, headers: res.headers, body: data, text };
  };
  return { url, mf, api, persist, stop: () => mf.dispose() };
}

export function cleanupBuild() {
  if (built) built.then(({ outdir }) => fs.rmSync(outdir, { recursive: true, force: true }));
}

/** A bundle for `world` with one submission per strategy; `salt` changes the returns. */
export function bundle(world, strategies, salt = 0, n = 60) {
  return {
    bundle_version: 1,
    world_id: world,
    submissions: strategies.map((s, k) => ({
      strategy_id: s,
      periods_per_year: 252,
      returns: Array.from({ length: n }, (_, i) => Number((0.001 * Math.sin(i + k + salt) + 0.0004).toFixed(6))),
      meta: { tags: ["test"] },
    })),
  };
}

export const T = Object.fromEntries(Object.entries(TOKENS).map(([k, v]) => [k, v.token]));
