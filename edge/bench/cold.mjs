// Cold start: for N fresh workerd processes (new Miniflare each time, empty state), the time to
// the runtime being ready, to the first response of the fresh isolate (/healthz, which
// instantiates the wasm), the first upload (a new World Durable Object: SQLite schema + gate),
// and the same requests warm. Usage: node bench/cold.mjs [--runs 5] [--json out.json]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildWorker } from "../scripts/build.mjs";
import { start } from "../scripts/runtime.mjs";

const i = process.argv.indexOf("--runs");
const RUNS = i > 0 ? Number(process.argv[i + 1]) : 5;
const dist = "dist-cold";
await buildWorker({ outdir: dist });
const H = { authorization: "Bearer t", "content-type": "application/json" };
const body = (k) =>
  JSON.stringify({ bundle_version: 1, world_id: "cold", submissions: [{ strategy_id: `s${k}`, returns: Array.from({ length: 250 }, (_, j) => 0.001 * Math.sin(j + k)) }] });
const rows = [];
for (let r = 0; r < RUNS; r++) {
  const persist = fs.mkdtempSync(path.join(os.tmpdir(), "wg-cold-"));
  const t0 = performance.now();
  const { mf, url } = await start({ persist, dist: path.resolve(dist), tokens: { t: { token: "t", worlds: ["*"], scopes: ["admin"] } } });
  const ready = performance.now() - t0;
  const time = async (f) => {
    const s = performance.now();
    const res = await f();
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`status ${res.status}`);
    return performance.now() - s;
  };
  const firstHealth = await time(() => fetch(`${url}/healthz`));
  const warmHealth = await time(() => fetch(`${url}/healthz`));
  const firstUpload = await time(() => fetch(`${url}/worlds/cold/runs`, { method: "POST", headers: H, body: body(0) }));
  const warmUpload = await time(() => fetch(`${url}/worlds/cold/runs`, { method: "POST", headers: H, body: body(1) }));
  rows.push({ ready, firstHealth, warmHealth, firstUpload, warmUpload });
  await mf.dispose();
  fs.rmSync(persist, { recursive: true, force: true });
}
fs.rmSync(dist, { recursive: true, force: true });
const med = (k) => {
  const s = rows.map((x) => x[k]).sort((a, b) => a - b);
  return Number(s[Math.floor(s.length / 2)].toFixed(1));
};
const result = {
  runs: RUNS,
  median_ms: {
    runtime_ready: med("ready"),
    first_response_healthz: med("firstHealth"),
    warm_healthz: med("warmHealth"),
    first_upload_new_world: med("firstUpload"),
    warm_upload: med("warmUpload"),
  },
};
console.log(JSON.stringify(result, null, 2));
const j = process.argv.indexOf("--json");
if (j > 0) fs.writeFileSync(process.argv[j + 1], JSON.stringify(result, null, 2) + "\n");
