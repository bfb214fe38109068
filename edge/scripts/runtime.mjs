// Starts the built worker in real workerd through Miniflare 4, persisting Durable Object (SQLite)
// and R2 state under `persist`. Used by `npm start`, the tests and the load test.
import { Miniflare } from "miniflare";
import { createHash } from "node:crypto";
import path from "node:path";
import fs from "node:fs";

export const sha256Hex = (s) => createHash("sha256").update(s).digest("hex");

/** Token entries for WORLDGATE_TOKENS from `{name: {token, worlds, scopes}}`. */
export function tokenConfig(tokens) {
  return JSON.stringify(
    Object.entries(tokens).map(([name, t]) => ({ name, sha256: sha256Hex(t.token), worlds: t.worlds, scopes: t.scopes })),
  );
}

/**
 * A Miniflare instance running `dist/index.js` (build it first). Options: `persist` (folder),
 * `port` (0 → any), `host`, `tokens` (`{name: {token, worlds, scopes}}`) or `tokensJson`,
 * `vars` (extra bindings), `dist` (folder of the built worker).
 */
export async function start({ persist, port = 0, host = "127.0.0.1", tokens = {}, tokensJson, vars = {}, dist } = {}) {
  const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
  const outdir = dist ?? path.join(root, "dist");
  const script = path.join(outdir, "index.js");
  if (!fs.existsSync(script)) throw new Error(`${script} is missing: run \`node scripts/build.mjs\``);
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-07-30",
    compatibilityFlags: ["nodejs_compat"], // as wrangler.toml
    durableObjects: { WORLD: { className: "World", useSQLite: true } },
    r2Buckets: ["SERIES"],
    bindings: {
      WORLDGATE_TOKENS: tokensJson ?? tokenConfig(tokens),
      CORS_ORIGINS: "http://localhost:5173,http://127.0.0.1:5173",
      SERIES_BUCKET_NAME: "worldgate-series",
      ...vars,
    },
    durableObjectsPersist: persist ? path.join(persist, "do") : false,
    r2Persist: persist ? path.join(persist, "r2") : false,
    kvPersist: false,
    cachePersist: false,
    host,
    port,
  });
  const url = await mf.ready;
  return { mf, url: url.toString().replace(/\/$/, "") };
}
