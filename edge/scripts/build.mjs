// Bundles the worker (src/index.js + the worldgate package's workerd build) into dist/ with
// esbuild: one ES module plus the engine's .wasm beside it (imported as a compiled module).
// Usage: node scripts/build.mjs [--outdir dist] [--define-ajv]
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";
import fs from "node:fs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Builds `entry` into `outdir`; returns the paths of the script and its modules. */
export async function buildWorker({ entry = "src/index.js", outdir = "dist", minify = true } = {}) {
  const out = path.resolve(root, outdir);
  fs.rmSync(out, { recursive: true, force: true });
  const result = await build({
    entryPoints: [path.resolve(root, entry)],
    outdir: out,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    minify,
    conditions: ["workerd", "worker", "browser", "import"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*"],
    loader: { ".wasm": "copy" },
    assetNames: "[name]-[hash]",
    entryNames: "[name]",
    metafile: true,
    logLevel: "warning",
  });
  return { outdir: out, script: path.join(out, path.basename(entry)), metafile: result.metafile };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--outdir");
  const { script } = await buildWorker({ outdir: i > 0 ? process.argv[i + 1] : "dist" });
  console.log(`built ${path.relative(root, script)}`);
}
