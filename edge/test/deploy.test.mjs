// The production path: `wrangler deploy --dry-run` bundles the worker from wrangler.toml (the
// configuration nothing else reads: local runs use Miniflare directly) with the pinned wrangler,
// offline, and ships the engine's full wasm unchanged as a compiled module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const edge = path.dirname(path.dirname(new URL(import.meta.url).pathname));

test("wrangler deploy --dry-run bundles the worker with the wrangler.toml bindings and the engine's wasm", async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "worldgate-wrangler-"));
  try {
    const outdir = path.join(tmp, "out");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(edge, "node_modules", "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", outdir],
      {
        cwd: edge,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG_PATH: path.join(tmp, "logs"), NO_COLOR: "1" },
        maxBuffer: 1 << 20,
      },
    );
    assert.match(stdout, /env\.WORLD \(World\)\s+Durable Object/);
    assert.match(stdout, /env\.SERIES \(worldgate-series\)\s+R2 Bucket/);
    assert.match(stdout, /--dry-run: exiting now/);
    const files = fs.readdirSync(outdir);
    const wasm = files.filter((f) => f.endsWith(".wasm"));
    assert.equal(wasm.length, 1, `one wasm module in the bundle: ${files}`);
    assert.ok(wasm[0].endsWith("worldgate_bg.wasm"), `the full engine, not worldgate/core: ${wasm[0]}`);
    const pkgWasm = fs.readFileSync(path.join(edge, "node_modules", "worldgate", "worldgate_bg.wasm"));
    assert.ok(fs.readFileSync(path.join(outdir, wasm[0])).equals(pkgWasm), "the package's wasm, byte for byte");
    const script = fs.readFileSync(path.join(outdir, "index.js"), "utf8");
    assert.ok(script.includes(`./${wasm[0]}`), "the script imports that module");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
