// Benchmark: time from a file drop to the charts drawn for a 1,000,000-point returns series in
// headless Chromium, and the page's JS + wasm transfer size gzipped. Writes BENCHMARKS.www.md.
//   npm --prefix www run build && node www/bench/drop.mjs [--runs 5]
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { DIST, WWW, launch, open } from "../test/harness.mjs";
import { startServer } from "../test/harness.mjs";

const N = 1_000_000;
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;

// Deterministic series (xorshift), 6 decimals like a real export.
let x = 2463534242;
const next = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
const returns = Array.from({ length: N }, () => Math.round((next() - 0.4995) * 0.02 * 1e6) / 1e6);
const bundle = JSON.stringify({ bundle_version: 1, world_id: "bench_world", created_at: "2025-12-02T00:00:00Z", submissions: [{ strategy_id: "one_million", run_id: "bench", periods_per_year: 525600, returns }] });
const array = JSON.stringify(returns);

const server = await startServer({
  "/bench/bundle.json": { body: bundle },
  "/bench/returns.json": { body: array },
});
const browser = await launch();

/** Drops `name` (fetched into memory first) on the page; returns ms from drop to charts painted. */
async function dropOnce(url, name) {
  const { page, context, errors } = await open(browser, server.url + "/", { width: 1440, height: 900 });
  if (process.env.BENCH_DEBUG) page.on("console", (m) => console.log("page:", m.text()));
  await page.evaluate(async (u) => { window.__benchBytes = await (await fetch(u)).arrayBuffer(); }, url);
  const ms = await page.evaluate(async ({ name, n }) => {
    const file = new File([window.__benchBytes], name, { type: "application/json" });
    const dt = new DataTransfer();
    dt.items.add(file);
    performance.clearMeasures();
    const t0 = performance.now();
    window.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    await new Promise((ok, fail) => {
      const check = () => {
        if (document.querySelector("#error-list li")) return fail(new Error(document.querySelector("#error-list").textContent));
        if (performance.now() - t0 > 60_000) return fail(new Error("no charts after 60 s"));
        if (document.querySelector(`#charts[data-points="${n}"]`) && !document.body.dataset.busy) return ok();
        requestAnimationFrame(check);
      };
      check();
    });
    await new Promise((ok) => requestAnimationFrame(() => ok()));
    const total = performance.now() - t0;
    const parts = {};
    for (const m of performance.getEntriesByType("measure")) if (m.startTime >= t0) parts[m.name.slice(3)] = (parts[m.name.slice(3)] ?? 0) + m.duration;
    return { total, parts };
  }, { name, n: N });
  if (errors.length) throw new Error(errors.join("\n"));
  lastParts = ms.parts;
  const failed = await page.$$eval("#error-list li", (l) => l.map((x) => x.textContent));
  if (failed.length) throw new Error(failed.join("\n"));
  await context.close();
  return ms.total;
}
let lastParts = {};

const median = (a) => { const s = [...a].sort((p, q) => p - q); return s[Math.floor(s.length / 2)]; };
const results = {};
for (const [label, url, name] of [["bundle (gateBundle)", "/bench/bundle.json", "bundle.json"], ["returns array (computeMetrics)", "/bench/returns.json", "returns.json"]]) {
  const times = [];
  await dropOnce(url, name); // warm-up (wasm compile cache, JIT)
  for (let i = 0; i < runs; i++) times.push(await dropOnce(url, name));
  results[label] = { median: median(times), min: Math.min(...times), max: Math.max(...times), bytes: (name === "bundle.json" ? bundle : array).length, parts: lastParts };
  console.log(label, results[label]);
}
await browser.close();
await server.close();

// Transfer size: what a browser downloads for the page (gzip -9 per file, as a static host serves it).
const assets = readdirSync(join(DIST, "assets")).map((f) => join("assets", f));
const sizes = Object.fromEntries(["index.html", ...assets].map((f) => { const b = readFileSync(join(DIST, f)); return [f, { raw: b.length, gz: gzipSync(b, { level: 9 }).length }]; }));
const sum = (pred, k) => Object.entries(sizes).filter(([f]) => pred(f)).reduce((a, [, v]) => a + v[k], 0);
const js = { raw: sum((f) => f.endsWith(".js"), "raw"), gz: sum((f) => f.endsWith(".js"), "gz") };
const wasm = { raw: sum((f) => f.endsWith(".wasm"), "raw"), gz: sum((f) => f.endsWith(".wasm"), "gz") };
const all = { raw: sum(() => true, "raw"), gz: sum(() => true, "gz") };
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
const chromium = (await import("node:child_process")).execFileSync(process.env.CHROMIUM ?? "/usr/bin/chromium", ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();

const commit = (await import("node:child_process")).execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: WWW }).toString().trim();
const wgVersion = JSON.parse(readFileSync(join(WWW, "node_modules", "worldgate", "package.json"), "utf8")).version;

const md = `## Viewer (www/): drop → charts, transfer size

Headless ${chromium}, ${cpu}, viewport 1440×900; \`node www/bench/drop.mjs\` (median of ${runs} drops after one warm-up, each in a fresh page).
Measured from the \`drop\` event to the frame after the three uPlot charts (equity, underwater drawdown,
histogram) are drawn for a 1,000,000-point series: read file → engine (\`documentKind\`; for the bundle
\`bundleSeries\` + \`gateBundle\`, for the array \`readReturns\` + \`computeMetrics\`; equity and drawdown
curves) → inspect view → charts; the file is never parsed in JS. Target < 1 s. Package: the release build of
\`scripts/build-pkg.sh\` (worldgate ${wgVersion}) at commit \`${commit}\`.

| dropped file | size | median | min | max |
|---|---:|---:|---:|---:|
${Object.entries(results).map(([k, v]) => `| ${k}, 1,000,000 returns | ${(v.bytes / 1e6).toFixed(1)} MB | ${v.median.toFixed(0)} ms | ${v.min.toFixed(0)} ms | ${v.max.toFixed(0)} ms |`).join("\n")}

Where the time goes (last run, ms; the rest is reading the file, layout and paint):

${Object.entries(results).map(([k, v]) => `- ${k}: ${Object.entries(v.parts).map(([p, ms]) => `${p} ${ms.toFixed(0)}`).join(", ")}`).join("\n")}

| page transfer (gzip -9) | raw | gzipped |
|---|---:|---:|
| JS | ${kb(js.raw)} | ${kb(js.gz)} |
| wasm | ${kb(wasm.raw)} | ${kb(wasm.gz)} |
| **JS + wasm** | ${kb(js.raw + wasm.raw)} | **${kb(js.gz + wasm.gz)}** |
| everything (html, css, js, wasm) | ${kb(all.raw)} | ${kb(all.gz)} |
`;
writeFileSync(join(WWW, "BENCHMARKS.www.md"), md);
console.log(md);
