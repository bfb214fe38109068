// Tests the PACKED package (npm pack pkg/, installed from the tarball as users install it) where
// run.mjs does not: in a Vite and a webpack 5 production build of one app (bundlers/app/, each
// build opened in headless Chromium), and in Deno and Bun (bundlers/runtime.mjs: the shared checks
// of checks.mjs against both entries), and bundled for Node (esbuild) and Bun (bun build), where the
// wasm must be copied next to the bundle. Vite and webpack come from bundlers/package.json (its
// lockfile pinned, `npm ci` by ./test); Deno and Bun from scripts/pkg/runtimes.sh (DENO, BUN).
// A build that logs any warning or error fails: the package must bundle cleanly.
//
//   node tests/js/bundlers.mjs [vite|webpack|node-bundle|bun-bundle|deno|bun ...]   (default: all)
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './checks.mjs';
import { makeEnv, packAndInstall, root, stepRunner, vector } from './packed.mjs';
import { launchPersistent } from '../../scripts/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const tools = join(here, 'bundlers', 'node_modules');
const scratch = join(here, '.scratch', 'bundlers');
const project = join(scratch, 'consumer');
const app = join(project, 'app');
const selected = new Set(process.argv.slice(2));
const want = (name) => selected.size === 0 || selected.has(name);
const log = (msg) => console.log(`[bundlers] ${msg}`);
const failures = [];

if (!existsSync(join(tools, 'vite')) || !existsSync(join(tools, 'webpack'))) {
  console.error('tests/js/bundlers/node_modules is missing: run `npm ci` in tests/js/bundlers (./test bundlers does)');
  process.exit(1);
}

// 1. the packed package in a throwaway project, the app and the runtime harness beside it
rmSync(scratch, { recursive: true, force: true });
const { installed, manifest } = packAndInstall(scratch, project, log);
writeFileSync(join(project, 'env.json'), JSON.stringify(makeEnv(installed, manifest)));
for (const f of ['checks.mjs', join('bundlers', 'runtime.mjs')]) copyFileSync(join(here, f), join(project, f.split(sep).pop()));
cpSync(join(here, 'bundlers', 'app'), app, { recursive: true });
copyFileSync(join(here, 'checks.mjs'), join(app, 'checks.mjs'));
// the expected values of the app's calls: whole vector files (and one case of a `cases` file)
const pick = (file, index) => ({ file, data: index === undefined ? vector(file) : vector(file).cases[index] });
const snapshots = pick('diff/snapshots.json', 0);
writeFileSync(join(app, 'cases.json'), JSON.stringify({
  metrics: pick('metrics/hand_worked_five_periods.json'),
  error: pick('metrics/unknown_option_is_a_schema_error.json'),
  gate: pick('gate/thresholds.json', 0),
  snapshot: { file: snapshots.file, data: snapshots.data.call.args[0] },
}));

const step = stepRunner(want, failures, log);

// 2. a built app in headless Chromium: served from `dist` by a local node:http server
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
function serve(dist) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    const file = resolve(dist, `.${decodeURIComponent(path === '/' ? '/index.html' : path)}`);
    if (!file.startsWith(dist + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
async function openInChromium(label, dist) {
  const { chromium } = await import(join(root, 'node_modules', 'playwright-core', 'index.mjs'));
  const server = await serve(dist);
  const browser = await launchPersistent(chromium, join(scratch, `chromium-${label}`));
  try {
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    const fetched = [];
    page.on('request', (r) => { if (r.url().endsWith('.wasm')) fetched.push(new URL(r.url()).pathname); });
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 60_000 })
      .catch(() => pageErrors.push('the app published no results within 60 s'));
    const results = (await page.evaluate(() => window.__results)) ?? [];
    for (const e of pageErrors) results.push({ name: 'page error', status: 'fail', detail: e });
    // the app fetched each entry's wasm once: the bundler's (renamed) copies, byte for byte
    const want = ['worldgate_bg.wasm', join('core', 'worldgate_core_bg.wasm')].map((f) => readFileSync(join(installed, f)));
    const got = fetched.map((p) => readFileSync(join(dist, decodeURIComponent(p))));
    const same = got.length === 2 && want.every((w) => got.some((g) => g.equals(w)));
    results.push({
      name: 'the app fetched the two entries\' wasm once each, unchanged', status: same ? 'pass' : 'fail',
      detail: same ? undefined : `fetched ${JSON.stringify(fetched)}`,
    });
    const failed = report(label, results);
    return failed ? `${failed} checks failed` : 0;
  } finally {
    await browser.close();
    server.close();
  }
}

// 3a. Vite: a production build (index.html → main.js), no warning allowed
await step('vite', async () => {
  const { build, createLogger } = await import(join(tools, 'vite', 'dist', 'node', 'index.js'));
  const logger = createLogger('warn');
  const complaints = [];
  const quiet = { ...logger, warn: (m) => complaints.push(m), warnOnce: (m) => complaints.push(m), error: (m) => complaints.push(m) };
  const dist = join(scratch, 'dist-vite');
  await build({
    root: app, configFile: false, logLevel: 'warn', customLogger: quiet,
    build: { outDir: dist, emptyOutDir: true, reportCompressedSize: false },
  });
  if (complaints.length) return `vite build warned:\n${complaints.join('\n')}`;
  return openInChromium('vite', dist);
});

// 3b. webpack 5: a production build (main.js → main.js + the wasm assets), no warning allowed
//     but the performance hints (the wasm is bigger than webpack's 244 KiB advice; the app's choice)
await step('webpack', async () => {
  const { default: webpack } = await import(join(tools, 'webpack', 'lib', 'index.js'));
  const dist = join(scratch, 'dist-webpack');
  const stats = await new Promise((ok, fail) => {
    const compiler = webpack({
      mode: 'production', context: app, entry: './main.js',
      output: { path: dist, clean: true }, performance: { hints: false },
    });
    compiler.run((error, s) => compiler.close(() => (error ? fail(error) : ok(s))));
  });
  if (stats.hasErrors() || stats.hasWarnings()) {
    return `webpack build:\n${stats.toString({ all: false, errors: true, warnings: true, colors: false })}`;
  }
  writeFileSync(join(dist, 'index.html'), readFileSync(join(app, 'index.html'), 'utf8')
    .replace('<script type="module" src="./main.js"></script>', '<script src="./main.js"></script>'));
  return openInChromium('webpack', dist);
});

// 3c. bundled for Node (esbuild) and for Bun (bun build): without the wasm next to the bundle the
//     first call is E_NOT_INITIALIZED saying what to do (README, "Bundling"); with it copied there,
//     the call answers
async function serverBundle(label, bundle, run) {
  const dist = join(scratch, `dist-${label}`);
  const out = await bundle(dist);
  const answer = () => {
    const r = spawnSync(run[0], [...run.slice(1), out], { cwd: dist, encoding: 'utf8' });
    try { return JSON.parse(r.stdout); } catch { return { crashed: `${r.status}: ${r.stdout}${r.stderr}` }; }
  };
  const results = [];
  const without = answer();
  results.push(without.error?.code === 'E_NOT_INITIALIZED' && /external/.test(without.error.help ?? '')
    ? { name: 'without the wasm beside the bundle: E_NOT_INITIALIZED with what to do', status: 'pass' }
    : { name: 'without the wasm beside the bundle: E_NOT_INITIALIZED with what to do', status: 'fail', detail: JSON.stringify(without) });
  copyFileSync(join(installed, 'worldgate_bg.wasm'), join(dist, 'worldgate_bg.wasm'));
  const copied = answer();
  results.push(copied.version === manifest.version
    ? { name: 'with the wasm copied beside the bundle: the call answers', status: 'pass' }
    : { name: 'with the wasm copied beside the bundle: the call answers', status: 'fail', detail: JSON.stringify(copied) });
  const failed = report(label, results);
  return failed ? `${failed} checks failed` : 0;
}
copyFileSync(join(here, 'bundlers', 'server-app.mjs'), join(project, 'server-app.mjs'));
await step('node-bundle', () => serverBundle('node-bundle', async (dist) => {
  const { build } = await import(join(root, 'node_modules', 'esbuild', 'lib', 'main.js'));
  await build({
    entryPoints: [join(project, 'server-app.mjs')], outfile: join(dist, 'app.mjs'),
    bundle: true, platform: 'node', format: 'esm', logLevel: 'warning',
  });
  return 'app.mjs';
}, [process.execPath]));
await step('bun-bundle', () => {
  if (!process.env.BUN || !existsSync(process.env.BUN)) return `bun is not installed at \`${process.env.BUN}\`: run scripts/pkg/runtimes.sh`;
  return serverBundle('bun-bundle', (dist) => {
    const r = spawnSync(process.env.BUN, ['build', 'server-app.mjs', '--target=bun', '--outdir', dist],
      { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    if (r.status !== 0) throw new Error(`bun build exited ${r.status}: ${r.stderr}`);
    return 'server-app.js';
  }, [process.env.BUN]);
});

// 3d. Deno, with no permission (the package's `deno` export imports the wasm as a module) and
//     its caches in the scratch directory
const runtime = (label, command, args) => {
  if (!command || !existsSync(command)) return `${label} is not installed at \`${command}\`: run scripts/pkg/runtimes.sh`;
  const r = spawnSync(command, args, {
    cwd: project, stdio: 'inherit',
    env: { ...process.env, NO_COLOR: '1', DENO_DIR: join(scratch, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1' },
  });
  return r.status === 0 ? 0 : `${label} exited ${r.status ?? r.signal}`;
};
mkdirSync(join(scratch, 'deno-dir'), { recursive: true });
await step('deno', () => runtime('deno', process.env.DENO, ['run', '--no-prompt', 'runtime.mjs']));
// 3e. Bun
await step('bun', () => runtime('bun', process.env.BUN, ['runtime.mjs']));

if (failures.length) {
  console.error(`[bundlers] FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
log('packed package: Vite, webpack 5, Node and Bun bundles, Deno and Bun passed');
