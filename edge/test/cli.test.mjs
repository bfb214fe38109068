// `worldgate submit` / `worldgate status` (src/bin/worldgate/remote.rs) against the edge in real
// workerd: upload, --wait on a deferred upload, --snapshot-dir, `status --run latest`, the edge's
// error document on bad input, and an unreachable edge. Builds the binary first (cargo, feature
// `cli`; a no-op when it is up to date); WORLDGATE_BIN names a prebuilt one instead.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { boot, bundle, cleanupBuild, T, tempDir } from "./helpers.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let bin = process.env.WORLDGATE_BIN;
let w;
let dir;

before(async () => {
  if (!bin) {
    const built = spawnSync("cargo", ["build", "--locked", "--features", "cli", "--bin", "worldgate"], { cwd: repo, stdio: ["ignore", "inherit", "inherit"] });
    assert.equal(built.status, 0, "cargo build --features cli failed");
    bin = path.join(process.env.CARGO_TARGET_DIR ? path.resolve(repo, process.env.CARGO_TARGET_DIR) : path.join(repo, "target"), "debug", "worldgate");
  }
  w = await boot({ vars: { DEFER_MS: "300" } });
  dir = tempDir("wg-cli-");
});
after(async () => {
  await w.stop();
  cleanupBuild();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI (asynchronously: the edge runs in this process). */
function cli(args, { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function writeBundle(name, doc) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe("worldgate submit / status against the edge", () => {
  test("submit --respond-async --wait --snapshot-dir writes each run's snapshot; status --run latest reads it back", async () => {
    const file = writeBundle("b1.json", bundle("alpha", ["cli-a", "cli-b"], 21));
    const snaps = path.join(dir, ".qmtl_snapshots");
    // the token from the environment, not the command line
    const r = await cli(
      ["submit", file, "--url", w.url, "--respond-async", "--wait", "--interval", "0.05", "--snapshot-dir", snaps, "--format", "json"],
      { env: { WORLDGATE_TOKEN: T.alphaAdmin } },
    );
    assert.equal(r.code, 0, r.stderr);
    const envelope = JSON.parse(r.stdout);
    assert.equal(envelope.type, "success");
    const out = envelope.value;
    assert.deepEqual(out.upload.runs.map((x) => x.status), ["submitted", "submitted"], "the upload was deferred");
    assert.deepEqual(out.runs.map((x) => x.status), ["evaluated", "evaluated"]);
    const ids = out.runs.map((x) => x.run_id);
    const expected = ["cli-a", "cli-b"].map((s, i) => `alpha-${s}-${ids[i]}.json`);
    assert.deepEqual(fs.readdirSync(snaps).sort(), [...expected].sort());
    assert.deepEqual(out.snapshot_files.map((f) => path.basename(f)), expected);
    for (const [i, s] of ["cli-a", "cli-b"].entries()) {
      const snap = JSON.parse(fs.readFileSync(path.join(snaps, expected[i]), "utf8"));
      assert.equal(snap.world_id, "alpha");
      assert.equal(snap.strategy_id, s);
      // the file holds what the edge serves for that snapshot
      const served = await w.api("GET", `/worlds/alpha/snapshots/alpha-${s}-${ids[i]}`, { token: T.alphaRead });
      assert.deepEqual(snap, served.body);
    }

    const st = await cli(["status", "alpha", "cli-b", "--run", "latest", "--url", w.url, "--token", T.alphaRead, "--format", "json"]);
    assert.equal(st.code, 0, st.stderr);
    const doc = JSON.parse(st.stdout).value;
    assert.equal(doc.run_id, ids[1]);
    assert.equal(doc.status, "evaluated");
    const human = await cli(["status", "alpha", "cli-a", "--url", w.url], { env: { WORLDGATE_TOKEN: T.alphaRead } });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`^alpha / cli-a / ${ids[0]}: evaluated$`, "m"));
    assert.ok(human.stdout.includes(`${w.url}/worlds/alpha/strategies/cli-a/runs/${ids[0]}`), human.stdout);
  });

  test("submit prints the runs and their links; the same bundle again is a replay", async () => {
    const file = writeBundle("b2.json", bundle("alpha", ["cli-c"], 22));
    const env = { WORLDGATE_TOKEN: T.alphaSubmit, WORLDGATE_URL: w.url };
    const first = await cli(["submit", file], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^uploaded .*b2\.json to world `alpha`: created; policy version \d+; input sha256:[0-9a-f]{64}$/m);
    const run = first.stdout.match(/^ {2}cli-c {2}(r-[0-9a-f]{16}) {2}evaluated$/m);
    assert.ok(run, first.stdout);
    assert.ok(first.stdout.includes(`${w.url}/worlds/alpha/strategies/cli-c/runs/${run[1]}`));
    const again = await cli(["submit", file], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /replayed/);
  });

  test("the edge's refusals: exit 2 with code, path and help", async () => {
    const file = writeBundle("b3.json", bundle("alpha", ["cli-d"], 23));
    const noToken = await cli(["submit", file, "--url", w.url]);
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /^error: POST \/worlds\/alpha\/runs: HTTP 401 E_UNAUTHORIZED: /m);
    assert.match(noToken.stderr, /help: .*WORLDGATE_TOKEN/);
    const readOnly = await cli(["submit", file, "--url", w.url, "--token", T.alphaRead]);
    assert.equal(readOnly.code, 2);
    assert.match(readOnly.stderr, /HTTP 403 E_FORBIDDEN/);
    const missing = await cli(["status", "alpha", "cli-none", "--url", w.url, "--token", T.alphaRead]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: GET \/worlds\/alpha\/strategies\/cli-none\/runs\/latest: HTTP 404 E_RUN_NOT_FOUND: strategy `cli-none` has no runs$/m);
    // the engine reads the bundle first: nothing is sent for an invalid one
    const bad = bundle("alpha", ["cli-e"]);
    bad.submissions[0].returns[2] = "x";
    const invalid = await cli(["submit", writeBundle("bad.json", bad), "--url", w.url, "--token", T.alphaAdmin]);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /is not a valid bundle/);
    assert.match(invalid.stderr, /E_SCHEMA at `\/submissions\/0\/returns\/2`/);
    const selector = await cli(["status", "alpha", "cli-a", "--run", "../x", "--url", w.url]);
    assert.equal(selector.code, 2);
    assert.match(selector.stderr, /E_ID_INVALID at `\/run_id`/);
  });

  test("an unreachable edge: retried, then exit 3 with a clear message", async () => {
    // a port nothing listens on: bind one, note it, close it
    const port = await new Promise((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    const r = await cli(["status", "alpha", "cli-a", "--url", `http://127.0.0.1:${port}`, "--token", "t", "--retries", "1"]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, new RegExp(`^error: cannot reach the edge at http://127\\.0\\.0\\.1:${port}/worlds/alpha/strategies/cli-a/runs/latest \\(.+\\) after 2 attempts$`, "m"));
  });
});
