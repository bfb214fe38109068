// Builds the ajv comparison worker (bench/engine-ajv.js in place of the engine's gate) into `outdir`.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

export async function buildAjvVariant(outdir) {
  const out = path.resolve(root, outdir);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const schemaPath = require.resolve("worldgate/schema/bundle.json");
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  const ajv = new Ajv2020({ strict: false, allErrors: false, code: { source: true, esm: true } });
  const validate = ajv.compile(schema);
  const gen = path.join(out, "ajv-bundle-validate.mjs");
  fs.writeFileSync(gen, standaloneCode(ajv, validate));
  await build({
    entryPoints: [path.join(root, "src/index.js")],
    outdir: out,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    minify: true,
    conditions: ["workerd", "worker", "browser", "import"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*"],
    loader: { ".wasm": "copy" },
    assetNames: "[name]-[hash]",
    logLevel: "error",
    plugins: [
      {
        name: "ajv-variant",
        setup(b) {
          b.onResolve({ filter: /^\.\/engine\.js$/ }, (args) =>
            args.importer.startsWith(path.join(root, "src")) ? { path: path.join(root, "bench/engine-ajv.js") } : undefined,
          );
          b.onResolve({ filter: /^ajv-bundle-validate$/ }, () => ({ path: gen }));
        },
      },
    ],
  });
  return { outdir: out, script: path.join(out, "index.js") };
}
