// Assembles the npm package directory from the wasm-bindgen output and the pkg-config/ template.
//
//   node scripts/pkg/assemble.mjs <bindgen-dir> <optimized.wasm> <out-dir> <version> \
//     [<core-bindgen-dir> <core-optimized.wasm>]
//
// <bindgen-dir> holds wasm-bindgen's `--target web` output (worldgate.js, worldgate.d.ts; the core's
// is built with `--out-name worldgate_core`). One entry set is written per wasm: the whole engine
// at the root (`worldgate`) and, when the core build is given, issue 2's foundation (schema,
// validation, metrics: the crate without its `engine` feature) under core/ (`worldgate/core`):
//   worldgate_glue.js   the glue, unchanged but for its self-types comment, the string copy's
//                       type check and its snippets' imports
//   tape.js, series.js, handle.js   the glue's snippets (src/js/*.js the shims import), beside it
//   worldgate_bg.wasm   the optimized module (core/worldgate_core_bg.wasm: a distinct file name, so
//                       bundlers that keep `.wasm` imports by name never confuse the two)
//   exports.js          one wrapper line per glue export (generated: new exports need no edit)
//   index.d.ts/.d.cts   wire types (pkg-config/types.d.ts) + the glue's declarations + api.d.ts
//   node.cjs            the Node entry bundled to CommonJS by esbuild
//   api.js, node.js, workerd.js, deno.js, browser.js   from pkg-config/ (the module's file name substituted)
//   client.js           the edge API client `WorldgateClient` (full entry only; its declarations
//                       pkg-config/client.d.ts are appended to index.d.ts)
//   schemas.js          `schemaFor`/`schemaNames` (pkg-config/schemas.js) with the packed JSON Schemas
//                       of the entry's build (src/schema/packed/full.txt, core.txt): kept out of the
//                       wasm, so bundles that never call them leave the schemas out
// and at the root: package.json (pkg-config/package.json with the crate version; without the
// `./core` export when no core build is given), README.md, types.d.ts, schema/*.json.
import { build } from 'esbuild';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [bindgenDir, wasmPath, outDir, version, coreBindgenDir, coreWasmPath] = process.argv.slice(2);
if (!version || (coreBindgenDir !== undefined && coreWasmPath === undefined)) {
  console.error('usage: assemble.mjs <bindgen-dir> <optimized.wasm> <out-dir> <version> [<core-bindgen-dir> <core.wasm>]');
  process.exit(2);
}
const root = resolve(new URL('../..', import.meta.url).pathname);
const template = join(root, 'pkg-config');
const fail = (msg) => { console.error(`assemble: ${msg}`); process.exit(1); };

/** `text` as a single-quoted JavaScript string literal. */
function jsString(text) {
  const escapes = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\u2028': '\\u2028', '\u2029': '\\u2029' };
  return `'${text.replace(/[\\'\n\r\u2028\u2029]/g, (c) => escapes[c])}'`;
}

rmSync(outDir, { recursive: true, force: true });

/** Writes one entry set (glue, wasm, exports.js, declarations, runtime entries, node.cjs) into
 *  `dir` from a wasm-bindgen output and its optimized module, the module named `wasmName`. */
async function entrySet(dir, fromBindgen, outName, fromWasm) {
  const wasmName = `${outName}_bg.wasm`;
  // the edge API client ships with the full engine only (`worldgate/core` stays issue 2's scope)
  const withClient = outName !== 'worldgate_core';
  mkdirSync(dir, { recursive: true });

  // 1. glue
  let glue = readFileSync(join(fromBindgen, `${outName}.js`), 'utf8');
  glue = glue.replace(/^\/\* @ts-self-types="[^"]*" \*\/\n/, '');
  if (!/^export function __wbg_reset_state\s*\(/m.test(glue)) {
    fail('the glue has no __wbg_reset_state: run wasm-bindgen with --experimental-reset-state-function');
  }
  // its own default location (unused: api.js passes the module) must name the module next to it,
  // since bundlers resolve `new URL(…, import.meta.url)` assets
  if (!glue.includes(`new URL('${wasmName}', import.meta.url)`)) fail(`the glue of ${outName} does not name ${wasmName}`);
  // A text parameter given something else (a number, an object) would reach wasm as a string of
  // unknown length and trap: wasm-bindgen's string copy refuses it first, as an E_SCHEMA error
  // (api.js's `convert` turns an error named WorldgateError with a code into the class).
  const stringIn = 'function passStringToWasm0(arg, malloc, realloc) {\n';
  if (!glue.includes(stringIn)) fail(`the glue of ${outName} has no passStringToWasm0(arg, malloc, realloc): teach assemble.mjs the new one`);
  glue = glue.replace(stringIn, `${stringIn}    if (typeof arg !== 'string') throw Object.assign(new Error(\`expected text (a string), got \${arg === null ? 'null' : Array.isArray(arg) ? 'an array' : typeof arg}\`), { name: 'WorldgateError', code: 'E_SCHEMA', path: '' });\n`);
  // The JS the Rust shims import (`#[wasm_bindgen(module = "/src/js/….js")]`), which wasm-bindgen
  // emits under snippets/<crate>-<hash>/: each copied beside the glue under its own file name (the
  // package's `*.js` and `core/*.js` include it), the glue's import rewritten to it.
  // Two forms: `import { f } from '…';` for imports through a glue shim, and `import * as importN
  // from "…"` for those wasm imports directly (the module then also names the snippet, as the
  // wasm import's module, in the imports object: that name stays).
  const snippets = new Map(); // file name → the snippet's path
  const copy = (path) => {
    const name = path.split('/').pop();
    if ((snippets.has(name) && snippets.get(name) !== path)
      || ['worldgate_glue.js', 'api.js', 'exports.js', 'schemas.js', 'client.js'].includes(name)) {
      fail(`the snippet ${path} of ${outName} clashes with another file of the package`);
    }
    if (!snippets.has(name)) copyFileSync(join(fromBindgen, 'snippets', path), join(dir, name));
    snippets.set(name, path);
    return name;
  };
  glue = glue.replace(/^(import \{[^}]*\} from )'\.\/snippets\/([^']+)';$/gm, (_, head, path) => `${head}'./${copy(path)}';`);
  glue = glue.replace(/^(import \* as \w+ from )"\.\/snippets\/([^"]+)";?$/gm, (_, head, path) => `${head}'./${copy(path)}';`);
  if (/^import .*\.\/snippets\//m.test(glue)) fail(`the glue of ${outName} imports a snippet assemble.mjs did not copy`);
  writeFileSync(join(dir, 'worldgate_glue.js'), glue);
  copyFileSync(fromWasm, join(dir, wasmName));

  // 2. exports.js: every public glue export, wrapped
  const internal = new Set(['__wbg_reset_state', 'initSync', 'default']);
  // schemaFor/schemaNames come from schemas.js (the wasm only unpacks the text it is handed)
  if (!/^export function __wgSchemaFor\s*\(/m.test(glue)) fail(`the glue of ${outName} has no __wgSchemaFor`);
  if (/^export function schema(For|Names)\s*\(/m.test(glue)) fail(`the glue of ${outName} exports schemaFor/schemaNames: they belong to schemas.js`);
  const functions = [];
  const classes = [];
  const constants = [];
  for (const m of glue.matchAll(/^export (function|class|const) (\w+)/gm)) {
    if (internal.has(m[2]) || m[2].startsWith('__wg')) continue; // __wg*: for api.js only
    ({ function: functions, class: classes, const: constants })[m[1]].push(m[2]);
  }
  for (const m of glue.matchAll(/^export \{([^}]*)\}/gm)) {
    for (const item of m[1].split(',').map((x) => x.trim()).filter(Boolean)) {
      const exported = item.split(/\s+as\s+/).pop();
      if (!internal.has(exported)) fail(`unexpected glue export \`${item}\`: teach assemble.mjs about it`);
    }
  }
  const lines = [
    '// Generated by scripts/pkg/assemble.mjs from the wasm-bindgen exports; do not edit.',
    "import { wrapClass, wrapFunction } from './api.js';",
    '',
    "export { WorldgateError, init, ready, __internal } from './api.js';",
    "export { schemaFor, schemaNames } from './schemas.js';",
    ...functions.map((n) => `export const ${n} = wrapFunction('${n}');`),
    ...classes.map((n) => `export const ${n} = wrapClass('${n}');`),
    ...(constants.length ? [`export { ${constants.join(', ')} } from './worldgate_glue.js';`] : []),
    ...(withClient ? ["export { WorldgateClient } from './client.js';"] : []),
    '',
  ];
  writeFileSync(join(dir, 'exports.js'), lines.join('\n'));

  // 3. declarations
  const gluedts = readFileSync(join(fromBindgen, `${outName}.d.ts`), 'utf8');
  const cut = gluedts.indexOf('export type InitInput');
  if (cut < 0) fail('cannot find `export type InitInput` in the glue declarations');
  const declared = gluedts.slice(0, cut)
    .replace(/^\/\* (tslint|eslint)-disable \*\/\n/gm, '')
    .replace(/^export function __wbg_reset_state\(\): void;\n/m, '')
    .replace(/^(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n)?export function __wg\w*\(.*\n/gm, '')
    // `[Symbol.dispose]` needs lib esnext.disposable in the consumer's tsconfig: leave it out of the
    // types (the method exists at runtime, so `using` works where the runtime supports it).
    .replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, '')
    // internal members (`__wg…`: the compiled policy's handle id), with their doc comments
    .replace(/^(\s*\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n)?\s*(readonly )?__wg\w*[:(].*\n/gm, '')
    .trim();
  // a last (options) parameter declared `T | undefined` in src/js/ may be left out: `options?: T`
  const optional = declared.replace(/(\w+): ([^,():]+?) \| undefined\)/g, '$1?: $2)');
  // every public signature is typed: `any` stands nowhere in the engine's declarations
  const untyped = optional.split('\n').filter((l) => /\bany\b/.test(l) && !/^\s*(\*|\/\/)/.test(l));
  if (untyped.length) fail(`untyped declarations in ${outName}.d.ts (add unchecked_param_type / unchecked_return_type in src/js/):\n  ${untyped.join('\n  ')}`);
  const wire = readFileSync(join(template, 'types.d.ts'), 'utf8').replace(/^\/\/.*\n/, '').trim();
  const api = readFileSync(join(template, 'api.d.ts'), 'utf8').trim();
  // the engine's option and answer types, for the full entry only (the core has no policy engine)
  const engine = outName === 'worldgate_core' ? '' : readFileSync(join(template, 'engine.d.ts'), 'utf8').trim();
  const client = withClient ? readFileSync(join(template, 'client.d.ts'), 'utf8').replace(/^\/\/.*\n/, '').trim() : '';
  const dts = [
    '// Generated by scripts/pkg/assemble.mjs; do not edit.',
    '// Wire types: generated from the Rust types (pkg-config/types.d.ts).',
    wire,
    '',
    '// Functions and classes: generated by wasm-bindgen from the Rust shims (src/js/).',
    optional,
    '',
    '// The published JSON Schemas (pkg-config/schemas.d.ts).',
    readFileSync(join(template, 'schemas.d.ts'), 'utf8').trim(),
    '',
    '// The runtime layer (pkg-config/api.d.ts).',
    api,
    '',
    ...(engine ? [engine, ''] : []),
    ...(client ? ['// The edge API client (pkg-config/client.d.ts).', client, ''] : []),
  ].join('\n');
  writeFileSync(join(dir, 'index.d.ts'), dts);
  writeFileSync(join(dir, 'index.d.cts'), dts);

  // 4. the runtime layer and the per-runtime entries (they name the module file)
  for (const f of ['api.js', 'node.js', 'workerd.js', 'deno.js', 'browser.js', ...(withClient ? ['client.js'] : [])]) {
    const text = readFileSync(join(template, f), 'utf8');
    if (f !== 'api.js' && f !== 'client.js' && !text.includes('./worldgate_bg.wasm')) fail(`pkg-config/${f} does not name ./worldgate_bg.wasm`);
    writeFileSync(join(dir, f), text.replaceAll('./worldgate_bg.wasm', `./${wasmName}`));
  }
  const placeholder = "'__WORLDGATE_PACKED_SCHEMAS__'";
  const schemasJs = readFileSync(join(template, 'schemas.js'), 'utf8');
  if (schemasJs.split(placeholder).length !== 2) fail(`pkg-config/schemas.js must hold ${placeholder} once`);
  const packedSchemas = readFileSync(join(root, 'src', 'schema', 'packed', `${outName === 'worldgate_core' ? 'core' : 'full'}.txt`), 'utf8');
  writeFileSync(join(dir, 'schemas.js'), schemasJs.replace(placeholder, () => jsString(packedSchemas)));

  // 5. the CommonJS entry: the Node entry bundled (one .wasm still, read from disk)
  await build({
    entryPoints: [join(dir, 'node.js')],
    outfile: join(dir, 'node.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    define: { 'import.meta.url': '__worldgate_url' },
    banner: {
      js: '// Generated by scripts/pkg/assemble.mjs (esbuild) from node.js; do not edit.\n'
        + "const __worldgate_url = require('node:url').pathToFileURL(__filename).href;",
    },
    logLevel: 'warning',
  });
  return `${functions.length} functions, ${classes.length} classes, ${constants.length} constants`;
}

const full = await entrySet(outDir, bindgenDir, 'worldgate', wasmPath);
const core = coreBindgenDir === undefined ? undefined
  : await entrySet(join(outDir, 'core'), coreBindgenDir, 'worldgate_core', coreWasmPath);

// 6. package-level files
for (const f of ['README.md', 'types.d.ts']) copyFileSync(join(template, f), join(outDir, f));
cpSync(join(template, 'schema'), join(outDir, 'schema'), { recursive: true });
const manifest = JSON.parse(readFileSync(join(template, 'package.json'), 'utf8'));
manifest.version = version;
if (core === undefined) {
  // a build without the core wasm: no `worldgate/core` entry
  for (const key of Object.keys(manifest.exports)) if (key.startsWith('./core')) delete manifest.exports[key];
  manifest.sideEffects = manifest.sideEffects.filter((f) => !f.startsWith('./core/'));
  manifest.files = manifest.files.filter((f) => !f.startsWith('core/'));
}
writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

console.log(`assembled ${outDir}: ${full}${core ? `; core/: ${core}` : ''}`);
