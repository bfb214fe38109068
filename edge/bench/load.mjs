// Bounded load test on loopback: thousands of concurrent uploads across several worlds against the
// worker in real workerd, then proof that every acknowledged run is readable, none lost or
// duplicated. `--kill` SIGKILLs workerd mid-load, restarts it on the same state folder and port,
// retries what was not acknowledged, and checks the same. Stops by itself.
//
// Usage: node bench/load.mjs [--uploads 3000] [--worlds 6] [--concurrency 64] [--kill]
//                            [--variant engine|ajv] [--json out.json]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Agent, setGlobalDispatcher } from "undici";
import { buildWorker } from "../scripts/build.mjs";
import { start } from "../scripts/runtime.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const UPLOADS = Number(arg("uploads", 3000));
const WORLDS = Number(arg("worlds", 6));
const CONC = Number(arg("concurrency", 64));
const KILL = process.argv.includes("--kill");
const VARIANT = arg("variant", "engine");
const TOKEN = "bench-token";
const H = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
setGlobalDispatcher(new Agent({ connections: CONC, pipelining: 1, keepAliveTimeout: 10_000 }));

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function bundleFor(i) {
  const world = `w${i % WORLDS}`;
  const strategy = `s${Math.floor(i / WORLDS) % 25}`;
  const returns = Array.from({ length: 120 }, (_, k) => Number((0.0004 + 0.01 * Math.sin(i * 7.1 + k)).toFixed(6)));
  return { world, strategy, body: JSON.stringify({ bundle_version: 1, world_id: world, submissions: [{ strategy_id: strategy, returns }] }) };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

function workerdChildren() {
  try {
    return execFileSync("pgrep", ["-P", String(process.pid), "-f", "workerd"], { encoding: "utf8" }).trim().split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const dist = VARIANT === "ajv" ? "dist-bench-ajv" : "dist-bench";
if (VARIANT === "ajv") {
  const { buildAjvVariant } = await import("./ajv-variant.mjs");
  await buildAjvVariant(dist);
} else {
  await buildWorker({ outdir: dist });
}
const persist = fs.mkdtempSync(path.join(os.tmpdir(), "wg-load-"));
const port = await freePort();
const boot = () => start({ persist, port, dist: path.resolve(dist), tokens: { bench: { token: TOKEN, worlds: ["*"], scopes: ["admin"] } } });
let rt = await boot();
const url = rt.url;

const acked = new Map(); // i → {world, strategy, runIds, status}
const failed = new Set();
const latencies = [];
let next = 0;
let killed = false;
let restarting = null;

async function one(i) {
  const b = bundleFor(i);
  const t0 = performance.now();
  try {
    const r = await fetch(`${url}/worlds/${b.world}/runs`, { method: "POST", headers: H, body: b.body });
    const body = await r.json();
    if (r.status === 201 || r.status === 200) {
      latencies.push(performance.now() - t0);
      acked.set(i, { ...b, runIds: body.runs.map((x) => x.run_id), status: r.status });
      failed.delete(i);
    } else {
      failed.add(i);
      if (r.status >= 500 || r.status === 422) console.error(`upload ${i}: ${r.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
  } catch {
    failed.add(i);
  }
}

async function worker() {
  while (next < UPLOADS) {
    const i = next++;
    if (KILL && !killed && i >= Math.floor(UPLOADS * 0.4)) {
      killed = true;
      restarting = (async () => {
        const pids = workerdChildren();
        for (const pid of pids) process.kill(pid, "SIGKILL");
        console.log(`killed workerd (${pids.join(", ")}) after ${i} uploads started; ${acked.size} acknowledged`);
        await rt.mf.dispose().catch(() => {});
        rt = await boot();
        console.log("restarted workerd on the same state folder and port");
      })();
    }
    if (restarting && killed) await restarting.catch(() => {});
    await one(i);
  }
}

const t0 = performance.now();
await Promise.all(Array.from({ length: CONC }, worker));
const elapsed = (performance.now() - t0) / 1000;
const firstPassAcked = acked.size;
// Retry what was not acknowledged (the kill window): same bytes, so an upload committed before the
// kill answers 200 with its existing runs instead of creating new ones.
let retried = 0;
for (let round = 0; round < 3 && failed.size > 0; round++) {
  const todo = [...failed];
  retried += todo.length;
  for (let k = 0; k < todo.length; k += CONC) await Promise.all(todo.slice(k, k + CONC).map(one));
}

// Verification: every acknowledged run is readable with its status document; per strategy, the
// listing holds no duplicate and exactly the acknowledged runs.
const problems = [];
const expected = new Map(); // world/strategy → Set(runId)
for (const a of acked.values()) {
  const key = `${a.world}/${a.strategy}`;
  if (!expected.has(key)) expected.set(key, new Set());
  for (const id of a.runIds) expected.get(key).add(id);
}
let readable = 0;
const ids = [...acked.values()].flatMap((a) => a.runIds.map((id) => [a, id]));
for (let k = 0; k < ids.length; k += CONC) {
  await Promise.all(
    ids.slice(k, k + CONC).map(async ([a, id]) => {
      const r = await fetch(`${url}/worlds/${a.world}/strategies/${a.strategy}/runs/${id}`, { headers: H });
      if (r.status === 200 && (await r.json()).run_id === id) readable++;
      else problems.push(`run ${a.world}/${a.strategy}/${id}: ${r.status}`);
    }),
  );
}
let listed = 0;
for (const [key, want] of expected) {
  const [world, strategy] = key.split("/");
  const got = [];
  let cursor = null;
  do {
    const r = await fetch(`${url}/worlds/${world}/strategies/${strategy}/runs?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { headers: H });
    const body = await r.json();
    got.push(...body.runs.map((x) => x.run_id));
    cursor = body.next_cursor;
  } while (cursor);
  listed += got.length;
  if (new Set(got).size !== got.length) problems.push(`${key}: duplicate runs in listing`);
  for (const id of want) if (!got.includes(id)) problems.push(`${key}: acknowledged run ${id} missing`);
  for (const id of got) if (!want.has(id)) problems.push(`${key}: unacknowledged run ${id} present`);
}
await rt.mf.dispose();
fs.rmSync(persist, { recursive: true, force: true });
for (const d of ["dist-bench", "dist-bench-ajv"]) fs.rmSync(d, { recursive: true, force: true });

const result = {
  variant: VARIANT,
  kill: KILL,
  uploads: UPLOADS,
  worlds: WORLDS,
  concurrency: CONC,
  seconds: Number(elapsed.toFixed(2)),
  throughput_rps: Number((firstPassAcked / elapsed).toFixed(1)),
  p50_ms: Number(pct(latencies, 50).toFixed(2)),
  p99_ms: Number(pct(latencies, 99).toFixed(2)),
  acknowledged_first_pass: firstPassAcked,
  retried,
  acknowledged_total: acked.size,
  runs_readable: readable,
  runs_listed: listed,
  lost_or_duplicated: problems.length,
  node: process.version,
  cpus: os.cpus().length,
};
console.log(JSON.stringify(result, null, 2));
if (problems.length) console.error(problems.slice(0, 20).join("\n"));
const out = arg("json", null);
if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
process.exit(problems.length || acked.size !== UPLOADS ? 1 : 0);
