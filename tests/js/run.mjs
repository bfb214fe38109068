// Tests the PACKED package as users consume it:
//   npm pack pkg/ → install the tarball into a throwaway project (tests/js/.scratch/) → run the
//   shared checks (checks.mjs) in Node ESM (node:test), Node CommonJS, headless Chromium
//   (playwright-core + Debian's /usr/bin/chromium, page served by a local node:http server) and
//   workerd (miniflare, worker bundled by esbuild like wrangler does), and type-check the
//   package's declarations with tsc as ESM and CommonJS consumers, and checks that a browser bundle
//   leaves the packed JSON Schemas (schemas.js) out unless it calls schemaFor. Every runtime runs the checks
//   twice: against `worldgate` (the whole engine) and `worldgate/core` (schema + metrics, its own
//   smaller wasm).
//
//   node tests/js/run.mjs [esm|cjs|browser|workerd|tsc|tree-shake ...]   (default: all)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './checks.mjs';
import { makeEnv, packAndInstall, root, stepRunner } from './packed.mjs';
import { launchPersistent } from '../../scripts/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const scratch = join(here, '.scratch');
const project = join(scratch, 'consumer');
const selected = new Set(process.argv.slice(2));
const want = (name) => selected.size === 0 || selected.has(name);
const log = (msg) => console.log(`[pkg-test] ${msg}`);
const failures = [];

// 1. pack and install into a throwaway project
rmSync(scratch, { recursive: true, force: true });
const { packed, installed, manifest } = packAndInstall(scratch, project, log);
for (const f of packed.files) {
  if (!/^(schema\/[\w-]+\.json|(core\/)?[\w.-]+\.(js|cjs|d\.ts|d\.cts|wasm|json|md))$/.test(f.path)) {
    failures.push(`unexpected file in the tarball: ${f.path}`);
  }
}

// 2. the environment every harness gets: shipped schemas, test vectors, the version
const env = makeEnv(installed, manifest);
log(`${env.vectors.length} vector files under tests/vectors/`);
writeFileSync(join(project, 'env.json'), JSON.stringify(env));
for (const f of readdirSync(join(here, 'harness'))) copyFileSync(join(here, 'harness', f), join(project, f));
copyFileSync(join(here, 'checks.mjs'), join(project, 'checks.mjs'));

const bin = (name) => join(root, 'node_modules', '.bin', name);
const step = stepRunner(want, failures, log);

// 3a. Node ESM under node:test
await step('esm', () => {
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', 'esm.test.mjs', 'esm-core.test.mjs'],
    { cwd: project, stdio: 'inherit' });
  return r.status === 0 ? 0 : `node --test exited ${r.status}`;
});

// 3b. Node CommonJS
await step('cjs', () => {
  for (const entry of ['worldgate', 'worldgate/core']) {
    const r = spawnSync(process.execPath, ['cjs.test.cjs', entry], { cwd: project, stdio: 'inherit' });
    if (r.status !== 0) return `${entry}: exited ${r.status}`;
  }
  return 0;
});

// 3c. headless Chromium
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.cjs': 'text/javascript',
  '.json': 'application/json', '.wasm': 'application/wasm' };
// A stand-in for the edge API under /stub-edge/ (same origin as the page), enough for the
// package's WorldgateClient in Chromium and workerd (harness/client-checks.mjs): one world `w1`, one run that
// is `evaluating` on its first status read and `evaluated` after, a 404 and a 401 error
// document, and an activation document that answers 503 to every odd request (a retry gets it).
// The client runs against the real edge in workerd in edge/test/client.test.mjs.
const stubState = { statusReads: 0, activationReads: 0 };
function stubEdge(req, res, path) {
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const run = (status) => ({
    schema_version: 1, world_id: 'w1', strategy_id: 's1', run_id: 'r-1', status,
    created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', effective_mode: 'validate',
    activation_state: 'pending', links: { status: '/worlds/w1/strategies/s1/runs/r-1' },
  });
  if (req.headers.authorization !== 'Bearer tok-stub') {
    return send(401, { code: 'E_UNAUTHORIZED', message: 'missing or invalid bearer token', path: '' });
  }
  if (req.method === 'POST' && path === '/worlds/w1/runs') {
    stubState.statusReads = 0;
    stubState.activationReads = 0;
    let size = 0;
    req.on('data', (d) => { size += d.length; });
    req.on('end', () => send(202, {
      world_id: 'w1', input_digest: 'sha256:00', result_digest: 'sha256:00', ruleset_hash: 'sha256:00', policy_version: 1,
      selected: [], rejected: [], runs: [run('submitted')], snapshot_ids: [null], replayed: false, received_bytes: size,
    }));
    return undefined;
  }
  if (req.method === 'GET' && (path === '/worlds/w1/strategies/s1/runs/r-1' || path === '/worlds/w1/strategies/s1/runs/latest')) {
    stubState.statusReads += 1;
    return send(200, run(stubState.statusReads === 1 ? 'evaluating' : 'evaluated'));
  }
  if (req.method === 'GET' && path === '/worlds/w1/activation') {
    stubState.activationReads += 1;
    if (stubState.activationReads % 2 === 1) return send(503, { code: 'E_INTERNAL', message: 'internal error', path: '' });
    return send(200, { world_id: 'w1', active: [], hysteresis: null, last_decision: null, updated_at: null });
  }
  return send(404, { code: 'E_RUN_NOT_FOUND', message: `nothing at \`${path}\``, path: '' });
}

function serve(dir, routes) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname.startsWith('/stub-edge/')) return stubEdge(req, res, url.pathname.slice('/stub-edge'.length));
    if (routes[url.pathname]) {
      res.writeHead(200, { 'content-type': routes[url.pathname][0] });
      res.end(routes[url.pathname][1]);
      return;
    }
    const file = resolve(dir, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(dir + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
export function browserEntry(pkgManifest, key = '.') {
  const dot = pkgManifest.exports[key];
  return typeof dot.browser === 'string' ? dot.browser : dot.browser.import ?? dot.browser.default;
}
await step('browser', async () => {
  const { chromium } = await import(join(root, 'node_modules', 'playwright-core', 'index.mjs'));
  const imports = {
    worldgate: `/node_modules/worldgate/${browserEntry(manifest).replace(/^\.\//, '')}`,
    'worldgate/core': `/node_modules/worldgate/${browserEntry(manifest, './core').replace(/^\.\//, '')}`,
  };
  // one page per entry (`?entry=core` runs the checks against worldgate/core)
  const html = `<!doctype html><meta charset="utf-8"><title>worldgate package test</title><link rel="icon" href="data:,">
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module" src="/browser.mjs"></script>`;
  const server = await serve(project, { '/': ['text/html', html] });
  const profile = join(scratch, 'chromium-profile');
  const browser = await launchPersistent(chromium, profile);
  let failed = 0;
  try {
    for (const [label, query] of [['chromium', ''], ['chromium core', '?entry=core']]) {
      const page = await browser.newPage();
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      page.on('console', (m) => {
        // the stub edge's 4xx/5xx answers are logged by Chromium; they are the client checks' input
        const stubbed = /^Failed to load resource/.test(m.text()) && (m.location().url ?? '').includes('/stub-edge/');
        if (m.type() === 'error' && !stubbed) pageErrors.push(m.text());
      });
      const fetched = [];
      page.on('request', (r) => { if (r.url().endsWith('.wasm')) fetched.push(new URL(r.url()).pathname); });
      await page.goto(`http://127.0.0.1:${server.address().port}/${query}`);
      await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 60_000 });
      const results = await page.evaluate(() => window.__results);
      for (const e of pageErrors) results.push({ name: 'page error', status: 'fail', detail: e });
      // which .wasm files the page fetched: the core page must load the small module only
      const want = query ? ['/node_modules/worldgate/core/worldgate_core_bg.wasm'] : ['/node_modules/worldgate/worldgate_bg.wasm'];
      results.push(JSON.stringify(fetched) === JSON.stringify(want)
        ? { name: `the page fetched ${want[0]} only`, status: 'pass' }
        : { name: 'the page fetched its entry\'s wasm only', status: 'fail', detail: `fetched ${JSON.stringify(fetched)}` });
      failed += report(label, results);
      await page.close();
    }
    return failed ? `${failed} checks failed` : 0;
  } finally {
    await browser.close();
    server.close();
  }
});

// 3d. workerd (miniflare), the worker bundled like wrangler bundles it; one worker per entry
// (worker.mjs imports `worldgate`, worker-core.mjs `worldgate/core`), each bundle must import
// exactly its entry's wasm
await step('workerd', async () => {
  const { build } = await import(join(root, 'node_modules', 'esbuild', 'lib', 'main.js'));
  const { Miniflare } = await import(join(root, 'node_modules', 'miniflare', 'dist', 'src', 'index.js'));
  let failed = 0;
  // the stub edge for the client checks (full entry): workerd fetches it over the loopback
  const stub = await serve(project, {});
  const stubEdge = `http://127.0.0.1:${stub.address().port}/stub-edge`;
  try {
  // (once more with `nodejs_compat`, where the package hashes with node:crypto's SHA-256)
  for (const [label, entry, wasmFile, compatibilityFlags = []] of [
    ['workerd', 'worker.mjs', 'worldgate_bg.wasm'],
    ['workerd nodejs_compat', 'worker.mjs', 'worldgate_bg.wasm', ['nodejs_compat']],
    ['workerd core', 'worker-core.mjs', join('core', 'worldgate_core_bg.wasm')],
  ]) {
    const dist = join(project, `${entry.replace(/\.mjs$/, '')}-dist`);
    await build({
      entryPoints: [join(project, entry)],
      outfile: join(dist, 'worker.js'),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      external: ['*.wasm'],
      logLevel: 'warning',
    });
    const source = readFileSync(join(dist, 'worker.js'), 'utf8');
    const wasmImports = [...source.matchAll(/from\s+["']([^"']+\.wasm)["']/g)].map((m) => m[1]);
    const base = wasmFile.split(sep).pop();
    if (wasmImports.length !== 1 || !wasmImports[0].endsWith(`/${base}`)) {
      return `${label}: expected one import of ${base} in the worker bundle, found ${wasmImports}`;
    }
    copyFileSync(join(installed, wasmFile), join(dist, wasmImports[0]));
    const mf = new Miniflare({
      modulesRoot: dist,
      modules: [
        { type: 'ESModule', path: join(dist, 'worker.js') },
        { type: 'CompiledWasm', path: join(dist, wasmImports[0]) },
      ],
      compatibilityDate: '2026-07-30',
      compatibilityFlags,
    });
    try {
      const res = await mf.dispatchFetch('http://localhost/', { method: 'POST', body: JSON.stringify({ ...env, stubEdge, platformSha256: compatibilityFlags.includes('nodejs_compat') }) });
      const text = await res.text();
      if (res.status !== 200) return `${label}: worker answered ${res.status}: ${text.slice(0, 500)}`;
      failed += report(label, JSON.parse(text));
    } finally {
      await mf.dispose();
    }
  }
  } finally {
    stub.close();
  }
  return failed ? `${failed} checks failed` : 0;
});

// 3e. the declarations, as ESM and CommonJS TypeScript consumers
await step('tsc', () => {
  const r = spawnSync(bin('tsc'), ['-p', join(project, 'tsconfig.json')], { cwd: project, stdio: 'inherit' });
  return r.status === 0 ? 0 : `tsc exited ${r.status}`;
});

// 3f. the packed JSON Schemas live in schemas.js, not in the wasm: a browser bundle (esbuild) that
// never calls schemaFor/schemaNames must leave them out, one that does must carry them
await step('tree-shake', async () => {
  const { build } = await import(join(root, 'node_modules', 'esbuild', 'lib', 'main.js'));
  for (const [entry, file] of [['worldgate', 'full'], ['worldgate/core', 'core']]) {
    const packedBytes = readFileSync(join(root, 'src', 'schema', 'packed', `${file}.txt`)).length;
    for (const [name, carries] of [['computeMetrics', false], ['schemaFor', true], ['schemaNames', true]]) {
      const out = await build({
        stdin: { contents: `import { ${name} } from '${entry}';\nglobalThis.f = ${name};\n`, resolveDir: project },
        bundle: true, write: false, format: 'esm', platform: 'browser', minify: true, logLevel: 'warning',
      });
      const bytes = out.outputFiles[0].contents.length;
      if ((bytes > packedBytes) !== carries) {
        return `${entry}: a bundle of \`${name}\` is ${bytes} bytes, the packed schemas ${packedBytes}: `
          + `expected them ${carries ? 'in' : 'out of'} it`;
      }
      log(`tree-shake: ${entry} { ${name} } bundles to ${bytes} bytes (${carries ? 'with' : 'without'} the ${packedBytes}-byte schemas)`);
    }
  }
  return 0;
});

if (failures.length) {
  console.error(`[pkg-test] FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
log('packed package: all runtimes passed');
