// The size figures the READMEs quote, measured instead of hand-written: each lives in a marked
// region `<!-- sizes:begin NAME -->…<!-- sizes:end -->` of README.md, edge/README.md or
// pkg-config/README.md, and this script renders NAME from the built package and the edge bundle.
//
//   node scripts/pkg/sizes.mjs           print the figures
//   node scripts/pkg/sizes.mjs --write   rewrite the marked regions (after a build-pkg that changed the wasm)
//   node scripts/pkg/sizes.mjs --check   exit 1 naming every stale region (./test sizes)
//
// Measured: pkg/worldgate_bg.wasm and pkg/core/worldgate_core_bg.wasm (raw and `gzip -9`, as the
// build log prints them), the packed JSON Schemas pkg/schemas.js and pkg/core/schemas.js (the same), the `npm pack` tarball of pkg/, and the worker bundle of
// `wrangler deploy --dry-run` in edge/ (wrangler's own "Total Upload" line; needs edge's npm
// dependencies). Figures are rounded (kB = 1000 bytes, MB = 10^6, wrangler's KiB to a whole number)
// so that a change of a few bytes leaves the text as it is.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('../..', import.meta.url).pathname);
const FILES = ['README.md', 'edge/README.md', 'pkg-config/README.md'];
const FIX = 'node scripts/pkg/sizes.mjs --write';
const mode = process.argv[2] ?? '';
if (!['', '--write', '--check'].includes(mode)) {
  console.error('usage: node scripts/pkg/sizes.mjs [--write|--check]');
  process.exit(2);
}

const kB = (n) => `${Math.round(n / 1000)} kB`;
const MB = (n) => `${(n / 1e6).toFixed(2)} MB`;
const human = (n) => (n >= 1e6 ? MB(n) : kB(n));
const thousands = (n) => Math.round(n).toLocaleString('en-US');

// gzip -9 (the gzip command, as build-pkg.sh and ./test report it: Node's zlib differs by ~1 %)
function gzipped(path) {
  const file = join(root, 'pkg', path);
  return { raw: readFileSync(file).length, gzip: execFileSync('gzip', ['-9c', file], { maxBuffer: 1 << 26 }).length };
}
function tarball() {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', join(root, 'pkg'), '--dry-run', '--json', '--loglevel=error'],
    { encoding: 'utf8' }));
  return { size: packed.size, unpacked: packed.unpackedSize, files: packed.entryCount };
}
function edgeBundle() {
  const edge = join(root, 'edge');
  const tmp = mkdtempSync(join(tmpdir(), 'worldgate-sizes-'));
  try {
    const wrangler = join(edge, 'node_modules', 'wrangler');
    const version = JSON.parse(readFileSync(join(wrangler, 'package.json'), 'utf8')).version;
    const out = execFileSync(process.execPath, [join(wrangler, 'bin', 'wrangler.js'), 'deploy', '--dry-run', '--outdir', join(tmp, 'out')], {
      cwd: edge, encoding: 'utf8', maxBuffer: 1 << 22,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG_PATH: join(tmp, 'logs'), NO_COLOR: '1' },
    });
    const m = /Total Upload:\s*([\d.]+) KiB \/ gzip:\s*([\d.]+) KiB/.exec(out);
    if (!m) throw new Error(`no "Total Upload" line in wrangler's output:\n${out}`);
    return { raw: Number(m[1]), gzip: Number(m[2]), version };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const full = gzipped('worldgate_bg.wasm');
const core = gzipped('core/worldgate_core_bg.wasm');
// the packed JSON Schemas, kept out of the wasm (paid only by callers of schemaFor/schemaNames)
const schemasFull = gzipped('schemas.js');
const schemasCore = gzipped('core/schemas.js');
const tgz = tarball();
const edge = edgeBundle();
/** Every region's text, by name. */
const figures = {
  'wasm-full': `${human(full.raw)}, ${human(full.gzip)} gzipped`,
  'wasm-core': `${human(core.raw)}, ${human(core.gzip)} gzipped`,
  'wasm-full-gzip': human(full.gzip),
  'wasm-core-gzip': human(core.gzip),
  'schemas-full': `${human(schemasFull.raw)}, ${human(schemasFull.gzip)} gzipped`,
  'schemas-full-gzip': human(schemasFull.gzip),
  'schemas-core': `${human(schemasCore.raw)}, ${human(schemasCore.gzip)} gzipped`,
  tarball: `${human(tgz.size)} (${tgz.files} files, ${human(tgz.unpacked)} unpacked)`,
  'edge-bundle': `${thousands(edge.raw)} KiB / gzip ${thousands(edge.gzip)} KiB with wrangler ${edge.version}`,
};

if (mode === '') {
  for (const [name, text] of Object.entries(figures)) console.log(`${name.padEnd(16)} ${text}`);
  process.exit(0);
}
const REGION = /<!-- sizes:begin ([\w-]+) -->([\s\S]*?)<!-- sizes:end -->/g;
const stale = [];
for (const file of FILES) {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(REGION, (whole, name, old) => {
    if (!(name in figures)) throw new Error(`${file}: unknown sizes region \`${name}\` (known: ${Object.keys(figures).join(', ')})`);
    if (old !== figures[name]) stale.push(`${file}: ${name} says "${old}", measured "${figures[name]}"`);
    return `<!-- sizes:begin ${name} -->${figures[name]}<!-- sizes:end -->`;
  });
  if (mode === '--write' && next !== text) writeFileSync(path, next);
}
if (mode === '--write') {
  console.log(stale.length ? `rewrote ${stale.length} size figures:\n  ${stale.join('\n  ')}` : 'size figures up to date');
} else if (stale.length) {
  console.error(`stale size figures (run \`${FIX}\` and commit):\n  ${stale.join('\n  ')}`);
  process.exit(1);
} else {
  console.log(`size figures up to date: ${Object.entries(figures).map(([k, v]) => `${k} ${v}`).join('; ')}`);
}
