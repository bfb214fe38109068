// `npm start`: builds the worker, runs it in real workerd (Miniflare 4) on 127.0.0.1:$PORT
// (default 8787) with state persisted under edge/.state/, seeds the sample world once, and prints
// the URLs and a dev token. Env: PORT, HOST, WORLDGATE_STATE (state folder), WORLDGATE_DEV_TOKEN,
// WORLDGATE_NO_SEED=1, WWW_PORT (the viewer's port: a link opening the demo run in it is printed),
// CORS_ORIGINS (the viewer's origin; default 127.0.0.1/localhost on WWW_PORT, 5173),
// ANONYMOUS_READ_WORLDS (worlds readable without a token; default `demo`, the sample world).
//
// Supervision: workerd is watched (its output closing, and `/healthz` every
// WORLDGATE_HEALTH_MS, default 5000 ms, failing twice in a row); when it dies the exit is logged
// and the runtime is restarted on the same port and state after a backoff (0.5 s doubling to
// 8 s). After WORLDGATE_MAX_RESTARTS (default 5) failures with no healthy minute between them
// this process exits with status 1. SIGINT, SIGTERM and SIGHUP stop workerd and exit 0.
// Paths are resolved from this file's location, so it starts from any working directory.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildWorker } from "./build.mjs";
import { start } from "./runtime.mjs";
import { seed } from "./seed.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const state = path.resolve(process.env.WORLDGATE_STATE ?? path.join(root, ".state"));
fs.mkdirSync(state, { recursive: true });
const tokenFile = path.join(state, "dev-token");
const token =
  process.env.WORLDGATE_DEV_TOKEN ??
  (fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, "utf8").trim() : `wg_dev_${crypto.randomBytes(18).toString("base64url")}`);
fs.writeFileSync(tokenFile, token + "\n", { mode: 0o600 });

await buildWorker();
const port = Number(process.env.PORT ?? 8787);
const vars = {};
// The viewer (`npm --prefix www start`, as `./run` starts it) on WWW_PORT: its origin is allowed.
const viewer = `http://127.0.0.1:${process.env.WWW_PORT ?? 5173}`;
vars.CORS_ORIGINS = process.env.CORS_ORIGINS ?? `${viewer},${viewer.replace("127.0.0.1", "localhost")}`;
// The sample world is readable without a token, so QMTL's CLI and SDK work against this local API
// with nothing but QMTL_GATEWAY_URL=<url>/qmtl (ANONYMOUS_READ_WORLDS="" turns it off).
vars.ANONYMOUS_READ_WORLDS = process.env.ANONYMOUS_READ_WORLDS ?? "demo";
const options = {
  persist: state,
  port,
  host: process.env.HOST ?? "127.0.0.1",
  tokens: { dev: { token, worlds: ["*"], scopes: ["admin"] } },
  vars,
};
const healthMs = Number(process.env.WORLDGATE_HEALTH_MS ?? 5000);
const maxRestarts = Number(process.env.WORLDGATE_MAX_RESTARTS ?? 5);
let mf = null;
let url = null;
let stopping = false;
let restarting = false;
let failures = 0; // consecutive failures without a healthy minute between them
let healthyTimer = null;
let probeFails = 0;

const stamp = () => new Date().toISOString();

/** Starts workerd; its death (output closed) calls `died` unless we are stopping or restarting. */
async function boot() {
  let current = null;
  const onExit = () => {
    if (current) died(current, "workerd exited (its output closed)");
  };
  const started = await start({ ...options, onExit });
  current = started;
  return started;
}

function died(instance, why) {
  if (stopping || restarting || instance.mf !== mf) return;
  restarting = true;
  failures++;
  clearTimeout(healthyTimer);
  console.error(`[${stamp()}] edge: ${why}; failure ${failures} of at most ${maxRestarts}`);
  if (failures > maxRestarts) {
    console.error(`[${stamp()}] edge: workerd failed ${failures} times in a row; giving up`);
    shutdown(1);
    return;
  }
  const delay = Math.min(8000, 500 * 2 ** (failures - 1));
  console.error(`[${stamp()}] edge: restarting workerd in ${delay} ms`);
  setTimeout(async () => {
    try {
      await mf?.dispose().catch(() => {});
      const next = await boot();
      mf = next.mf;
      url = next.url;
      console.error(`[${stamp()}] edge: workerd restarted, ${url}`);
      healthyTimer = setTimeout(() => (failures = 0), 60_000);
      restarting = false;
    } catch (err) {
      restarting = false;
      died({ mf }, `restart failed: ${err && err.message}`);
    }
  }, delay);
}

async function probe() {
  if (stopping || restarting || !mf) return;
  try {
    const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(Math.max(1000, healthMs)) });
    if (!r.ok) throw new Error(`status ${r.status}`);
    probeFails = 0;
  } catch (err) {
    probeFails++;
    if (probeFails >= 2) {
      probeFails = 0;
      died({ mf }, `workerd does not answer /healthz (${err && err.message})`);
    }
  }
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  clearTimeout(healthyTimer);
  clearInterval(prober);
  await mf?.dispose().catch(() => {});
  console.error(`[${stamp()}] edge: stopped (workerd disposed)`);
  process.exit(code);
}

const first = await boot();
mf = first.mf;
url = first.url;
options.port = Number(new URL(url).port); // a restart keeps the port (also when PORT=0 chose one)
if (process.env.WORLDGATE_NO_SEED !== "1") await seed(url, token);
console.log(`
worldgate edge API  ${url}
  health            ${url}/healthz
  OpenAPI           ${url}/openapi.json
  QMTL clients      QMTL_GATEWAY_URL=${url}/qmtl  (anonymous reads on: ${vars.ANONYMOUS_READ_WORLDS || "none"})
  sample world      ${url}/worlds/demo/activation
  dev token         ${token}      (admin on every world; saved in ${tokenFile})
  viewer            ${viewer}/?src=${url}/worlds/demo/strategies/beta_mkt_simple/runs/latest#token=${token}
                    (the demo run in the viewer; the token stays in the URL fragment, never sent to a server)
  try               curl -H "authorization: Bearer ${token}" ${url}/worlds/demo/strategies/beta_mkt_simple/runs
  state             ${state}  (SQLite + R2 files; delete to reset)
`);
const prober = setInterval(probe, healthMs);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => shutdown(0));
