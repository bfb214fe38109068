// `npm start` (scripts/serve.mjs) supervises workerd: killing workerd is logged and recovered
// from on the same URL and state; with no restarts allowed the server exits non-zero; it starts
// from any working directory (`npm --prefix edge start` from elsewhere); SIGTERM stops it and
// its workerd.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./helpers.mjs";

const edge = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Descendant pids of `pid` whose command name is `comm` (from `ps`). */
function descendants(pid, comm) {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,comm="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .map(([p, pp, c]) => ({ pid: Number(p), ppid: Number(pp), comm: c }));
  const out = [];
  const walk = (parent) => {
    for (const r of rows.filter((x) => x.ppid === parent)) {
      if (r.comm === comm) out.push(r.pid);
      walk(r.pid);
    }
  };
  walk(pid);
  return out;
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `npm --prefix <edge> start` from a temp working directory, in its own process group. */
function startServer(env) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "wg-cwd-"));
  const child = spawn("npm", ["--prefix", edge, "start"], {
    cwd,
    detached: true,
    env: { ...process.env, PORT: "0", WORLDGATE_STATE: tempDir(), WORLDGATE_NO_SEED: "1", WORLDGATE_HEALTH_MS: "1000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const waiters = [];
  const onData = (d) => {
    log += d;
    for (const w of [...waiters]) if (w.re.test(log)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(log.match(w.re));
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const waitFor = (re, ms = 60_000) =>
    new Promise((resolve, reject) => {
      const m = log.match(re);
      if (m) return resolve(m);
      const w = { re, resolve };
      waiters.push(w);
      setTimeout(() => reject(new Error(`timed out waiting for ${re}; log:\n${log}`)), ms).unref();
    });
  return { child, exited, waitFor, log: () => log };
}

test("workerd killed under `npm start` is noticed, logged and restarted on the same URL", async () => {
  const s = startServer({});
  try {
    const [, url] = await s.waitFor(/worldgate edge API\s+(http:\/\/\S+)/);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const [workerd] = descendants(s.child.pid, "workerd");
    assert.ok(workerd, "workerd runs under npm start");
    process.kill(workerd, "SIGKILL");
    await s.waitFor(/edge: workerd exited/);
    await s.waitFor(/edge: workerd restarted/);
    assert.equal((await fetch(`${url}/healthz`)).status, 200, "answers again on the same URL");
    const [again] = descendants(s.child.pid, "workerd");
    assert.ok(again && again !== workerd, "a new workerd");
    // SIGTERM to the whole group (npm, its shell, node, workerd), as `./run` sends it: npm ends
    // by the signal; workerd must be gone too.
    process.kill(-s.child.pid, "SIGTERM");
    const { code, signal } = await s.exited;
    assert.ok(code === 0 || signal === "SIGTERM", `exit ${code} ${signal}`);
    for (let i = 0; i < 50 && alive(again); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(again), false, "SIGTERM stopped workerd too");
  } finally {
    try {
      process.kill(-s.child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

test("with no restarts left, a workerd death makes `npm start` exit non-zero", async () => {
  const s = startServer({ WORLDGATE_MAX_RESTARTS: "0" });
  try {
    await s.waitFor(/worldgate edge API\s+(http:\/\/\S+)/);
    const [workerd] = descendants(s.child.pid, "workerd");
    process.kill(workerd, "SIGKILL");
    const { code } = await s.exited;
    assert.notEqual(code, 0);
    assert.match(s.log(), /edge: workerd exited/);
    assert.match(s.log(), /giving up/);
  } finally {
    try {
      process.kill(-s.child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});
