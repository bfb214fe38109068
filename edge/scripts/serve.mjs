// `npm start`: builds the worker, runs it in real workerd (Miniflare 4) on 127.0.0.1:$PORT
// (default 8787) with state persisted under edge/.state/, seeds the sample world once, and prints
// the URLs and a dev token. Env: PORT, HOST, WORLDGATE_STATE (state folder), WORLDGATE_DEV_TOKEN,
// WORLDGATE_NO_SEED=1, WWW_PORT (the viewer's port: a link opening the demo run in it is printed),
// CORS_ORIGINS (the viewer's origin; default 127.0.0.1/localhost on WWW_PORT, 5173).
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
const { mf, url } = await start({
  persist: state,
  port,
  host: process.env.HOST ?? "127.0.0.1",
  tokens: { dev: { token, worlds: ["*"], scopes: ["admin"] } },
  vars,
});
if (process.env.WORLDGATE_NO_SEED !== "1") await seed(url, token);
console.log(`
worldgate edge API  ${url}
  health            ${url}/healthz
  OpenAPI           ${url}/openapi.json
  sample world      ${url}/worlds/demo/activation
  dev token         ${token}      (admin on every world; saved in ${path.relative(process.cwd(), tokenFile)})
  viewer            ${viewer}/?src=${url}/worlds/demo/strategies/beta_mkt_simple/runs/latest#token=${token}
                    (the demo run in the viewer; the token stays in the URL fragment, never sent to a server)
  try               curl -H "authorization: Bearer ${token}" ${url}/worlds/demo/strategies/beta_mkt_simple/runs
  state             ${state}  (SQLite + R2 files; delete to reset)
`);
const stop = async () => {
  await mf.dispose();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
