// Starts the built worker in real workerd through Miniflare 4, persisting Durable Object (SQLite)
// and R2 state under `persist`. Used by `npm start`, the tests and the load test.
import { Miniflare } from "miniflare";
import { createHash } from "node:crypto";
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath } from "node:url";

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
 * `vars` (extra bindings), `dist` (folder of the built worker), `onExit` (called once when the
 * workerd process's output closes: it exited or was killed, including by `mf.dispose()`).
 *
 * Every path handed to workerd is absolute and module names are relative to the worker's own
 * folder (`modulesRoot`), so the working directory does not matter (workerd refuses module
 * paths with `..`, which a dist folder outside the working directory would otherwise give).
 */
export async function start({ persist, port = 0, host = "127.0.0.1", tokens = {}, tokensJson, vars = {}, dist, onExit } = {}) {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const outdir = path.resolve(root, dist ?? "dist");
  const script = path.join(outdir, "index.js");
  if (!fs.existsSync(script)) throw new Error(`${script} is missing: run \`node scripts/build.mjs\``);
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    modulesRoot: outdir,
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
    ...(onExit ? { handleRuntimeStdio: watchStdio(onExit) } : {}),
  });
  const url = await mf.ready;
  return { mf, url: url.toString().replace(/\/$/, "") };
}

/** A `handleRuntimeStdio` that passes workerd's output through and calls `onExit` once at its end. */
function watchStdio(onExit) {
  return (stdout, stderr) => {
    stdout.pipe(process.stdout, { end: false });
    stderr.pipe(process.stderr, { end: false });
    let done = false;
    const ended = () => {
      if (done) return;
      done = true;
      onExit();
    };
    stdout.once("end", ended);
    stdout.once("close", ended);
  };
}
