// engine.js over a fake `worldgate` module (bundled by esbuild with an alias): nothing runs at
// import, engine errors pass through with their code, and an internal error (a trap, which the
// package recovers from) is answered as a bare E_INTERNAL 500 without the engine's text.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { tempDir } from "./helpers.mjs";

test("engine adapter: lazy, passes codes through, hides internal errors, exposes the instance generation", async () => {
  const dir = tempDir("wg-engine-");
  const fake = path.join(dir, "fake-worldgate.js");
  fs.writeFileSync(
    fake,
    `const log = (globalThis.__wgLog = []);
     let gen = 0;
     const err = (code, message) => Object.assign(new Error(message), { name: "WorldgateError", code, path: "/to" });
     export const __internal = { generation: () => gen };
     export function version() { log.push("version"); return "1.2.3"; }
     export function transition(run, to) {
       if (to === "trap") { gen += 1; throw err("E_INTERNAL", "the worldgate engine trapped (unreachable at 0x1234)"); }
       return { type: "failure", errors: [{ code: "E_ILLEGAL_TRANSITION", message: "cannot go there", path: "/to" }] };
     }`,
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
  assert.deepEqual(globalThis.__wgLog, [], "nothing called at module top level");
  assert.equal(engine.versionOrNull(), "1.2.3");
  assert.equal(engine.generation(), 0);
  assert.throws(() => engine.transition({}, "x"), (e) => e.code === "E_ILLEGAL_TRANSITION" && e.path === "/to");
  assert.throws(
    () => engine.transition({}, "trap"),
    (e) => e.code === "E_INTERNAL" && !/0x1234|unreachable/.test(e.message),
  );
  assert.equal(engine.generation(), 1, "a reset is visible to caches");
  fs.rmSync(dir, { recursive: true, force: true });
});
