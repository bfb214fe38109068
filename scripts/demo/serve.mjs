// The demo server of `./run` (until the edge API and the viewer take over): serves the demo page,
// the built package under /pkg/ and the sample series, on 127.0.0.1.
//   node scripts/demo/serve.mjs [--port N] [--smoke]
// --smoke: start on a free port, fetch the page, the package entry and the wasm, check them, exit.
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchPersistent } from '../chromium.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const pkg = resolve(here, '../../pkg');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const portArg = args.indexOf('--port');
const wanted = smoke ? 0 : Number(portArg >= 0 ? args[portArg + 1] : process.env.PORT ?? 8080);
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
  '.wasm': 'application/wasm', '.ts': 'text/plain', '.md': 'text/markdown' };

function file(res, path) {
  res.writeHead(200, { 'content-type': MIME[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(readFileSync(path));
}
const server = createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  if (pathname === '/' || pathname === '/index.html') return file(res, join(here, 'index.html'));
  if (pathname === '/sample-returns.json') return file(res, join(here, 'sample-returns.json'));
  if (pathname.startsWith('/pkg/')) {
    const p = resolve(pkg, `.${decodeURIComponent(pathname.slice(4))}`);
    if (p.startsWith(pkg + sep) && existsSync(p) && statSync(p).isFile()) return file(res, p);
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  return undefined;
});

function listen(port, attempts = 10) {
  server.once('error', (e) => {
    if (e.code === 'EADDRINUSE' && attempts > 1 && port !== 0) {
      console.error(`port ${port} is busy, trying ${port + 1}`);
      listen(port + 1, attempts - 1);
    } else {
      console.error(`cannot listen: ${e.message}`);
      process.exit(1);
    }
  });
  server.listen(port, '127.0.0.1', () => (smoke ? check() : ready()));
}

function ready() {
  const url = `http://127.0.0.1:${server.address().port}/`;
  console.log(`worldgate demo: ${url}  (a metric report of a bundled sample series, computed in your browser)`);
  console.log('press Ctrl-C to stop');
}

async function check() {
  const base = `http://127.0.0.1:${server.address().port}`;
  const expect = async (path, type) => {
    const r = await fetch(base + path);
    if (r.status !== 200 || !(r.headers.get('content-type') ?? '').startsWith(type)) {
      throw new Error(`${path}: ${r.status} ${r.headers.get('content-type')}`);
    }
    return r;
  };
  try {
    await expect('/', 'text/html');
    await expect('/pkg/browser.js', 'text/javascript');
    const wasm = await expect('/pkg/worldgate_bg.wasm', 'application/wasm');
    await WebAssembly.compile(await wasm.arrayBuffer());
    const sample = await (await expect('/sample-returns.json', 'application/json')).json();
    if (!Array.isArray(sample.returns) || sample.returns.length < 2) throw new Error('bad sample series');
    const text = await renderInChromium(`${base}/`);
    console.log(`run --smoke: ok (${base}); the page shows:\n${text.split('\n').slice(0, 12).map((l) => `  | ${l}`).join('\n')}`);
    server.close();
  } catch (error) {
    console.error(`run --smoke: ${error.message}`);
    process.exit(1);
  }
}

// Loads the page in headless Chromium and waits until it has rendered its report.
async function renderInChromium(url) {
  const { chromium } = await import(new URL('../../node_modules/playwright-core/index.mjs', import.meta.url));
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const profile = mkdtempSync(join(tmpdir(), 'worldgate-demo-'));
  const browser = await launchPersistent(chromium, profile);
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 30_000 });
    const state = await page.evaluate(() => document.body.dataset.ready);
    const text = await page.evaluate(() => document.body.innerText);
    if (state !== 'true' || errors.length) throw new Error(`the page failed: ${errors.join('; ') || text.slice(0, 300)}`);
    return text;
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
listen(wanted);
