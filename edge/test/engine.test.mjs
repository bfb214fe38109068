// engine.js: lazy instantiation and recovery from a wasm trap, with a stand-in `worldgate`
// module (bundled by esbuild with an alias) so the trap can be provoked on demand.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { tempDir } from "./helpers.mjs";

test("nothing runs at import; a trap answers E_INTERNAL and the next call uses a new instance", async () => {
  const dir = tempDir("wg-engine-");
  const fake = path.join(dir, "fake-worldgate.js");
  fs.writeFileSync(
    fake,
    `const log = (globalThis.__wgLog = []);
     let instance = 0;
     export function initWorkerd() { instance += 1; log.push("init"); }
     export function __wbg_reset_state() { instance += 1; log.push("reset"); }
     export function version() { return "instance-" + instance; }
     export function transition() { throw new WebAssembly.RuntimeError("unreachable"); }
     export function checkId() {}`,
  );
  const out = path.join(dir, "engine.mjs");
  await build({
    entryPoints: [new URL("../src/engine.js", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    outfile: out,
    alias: { worldgate: fake },
    logLevel: "error",
  });
  const engine = await import(out);
  assert.deepEqual(globalThis.__wgLog, [], "no instantiation at module top level");
  assert.equal(typeof engine.versionOrNull, "function");
  assert.equal(engine.versionOrNull(), "instance-1");
  assert.equal(engine.generation(), 1);
  assert.throws(() => engine.transition({}, "activated"), (e) => e.code === "E_INTERNAL" && e.status === 500 && !/unreachable/.test(e.message));
  assert.equal(engine.versionOrNull(), "instance-2", "re-instantiated before the next call");
  assert.equal(engine.generation(), 2);
  assert.deepEqual(globalThis.__wgLog, ["init", "reset"]);
  fs.rmSync(dir, { recursive: true, force: true });
});
