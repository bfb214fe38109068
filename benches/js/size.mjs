// Package size: raw and gzip -9 bytes of the release wasm (after wasm-opt) and of the JS a Node
// ESM import loads (glue + runtime layer + entry), plus the CommonJS bundle. One JSON line per file.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../pkg');
const groups = [
  ['worldgate_bg.wasm', ['worldgate_bg.wasm']],
  ['core/worldgate_core_bg.wasm (worldgate/core: issue 2\'s scope)', ['core/worldgate_core_bg.wasm']],
  ['JS glue (worldgate_glue.js)', ['worldgate_glue.js']],
  ['JS, Node ESM path (glue + api.js + exports.js + node.js)', ['worldgate_glue.js', 'api.js', 'exports.js', 'node.js']],
  ['JS, Node CJS bundle (node.cjs)', ['node.cjs']],
];
const prefix = process.env.WG_SIZE_LABEL;
for (const [label, files] of prefix ? groups.slice(0, 1) : groups) {
  if (!files.every((f) => existsSync(join(dir, f)))) continue;
  const raw = files.reduce((a, f) => a + readFileSync(join(dir, f)).length, 0);
  // each file gzipped on its own, as a server sends them
  const gz = files.reduce((a, f) => a + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
  process.stdout.write(JSON.stringify({ area: 'size', case: prefix ? `${label} (${prefix})` : label, variant: prefix ?? 'shipped', files, raw, gzip: gz }) + '\n');
}
