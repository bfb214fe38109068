// Worker bundle size (script + wasm), raw and gzip, against Cloudflare's script-size limits
// (compressed: 3 MB Workers Free, 10 MB Workers Paid). Usage: node bench/size.mjs [--json out.json]
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { buildWorker } from "../scripts/build.mjs";

const { outdir } = await buildWorker({ outdir: "dist-size" });
const files = fs.readdirSync(outdir).map((f) => {
  const b = fs.readFileSync(path.join(outdir, f));
  return { file: f.replace(/-[A-Z0-9]{8}\./, "."), raw: b.length, gzip: zlib.gzipSync(b, { level: 9 }).length };
});
const total = files.reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
const MB = 1024 * 1024;
const result = {
  files,
  total,
  limits_compressed: { free: 3 * MB, paid: 10 * MB },
  share_of_free: Number((total.gzip / (3 * MB)).toFixed(3)),
  share_of_paid: Number((total.gzip / (10 * MB)).toFixed(3)),
};
fs.rmSync(outdir, { recursive: true, force: true });
console.log(JSON.stringify(result, null, 2));
const j = process.argv.indexOf("--json");
if (j > 0) fs.writeFileSync(process.argv[j + 1], JSON.stringify(result, null, 2) + "\n");
