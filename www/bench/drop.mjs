// Benchmark, one run writes BENCHMARKS.www.md: time from a file drop to the headline (verdict,
// key figures, equity curve) and to all charts for a 1,000,000-point series in headless Chromium;
// the page's transfer size on the wire as the static server sends it (brotli / gzip); What-if
// re-evaluation time per keystroke for a world of 200 strategies.
//   npm --prefix www run build && node www/bench/drop.mjs [--runs 5]
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { DIST, WWW, launch, open } from "../test/harness.mjs";
import { startServer } from "../test/harness.mjs";

const N = 1_000_000;
const loadBefore = (await import("node:os")).loadavg()[0];
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;

// Deterministic series (xorshift), 6 decimals like a real export.
let x = 2463534242;
const next = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
const returns = Array.from({ length: N }, () => Math.round((next() - 0.4995) * 0.02 * 1e6) / 1e6);
const bundle = JSON.stringify({ bundle_version: 1, world_id: "bench_world", created_at: "2025-12-02T00:00:00Z", submissions: [{ strategy_id: "one_million", run_id: "bench", periods_per_year: 525600, returns }] });
const array = JSON.stringify(returns);
// The same bundle dated: a one-minute index from 2024-01-01 (the engine expands it; the viewer then
// draws dated axes and the calendar block).
const dated = JSON.stringify({ bundle_version: 1, world_id: "bench_world", created_at: "2025-12-02T00:00:00Z", submissions: [{ strategy_id: "one_million", run_id: "bench", periods_per_year: 525600, index: { start: "2024-01-01T00:00:00Z", frequency: "1m" }, returns }] });

// 200 strategies of 2,520 returns each (ten years of days) for the What-if keystroke timing.
const world200 = JSON.stringify({ bundle_version: 1, world_id: "bench200", created_at: "2025-12-02T00:00:00Z", submissions: Array.from({ length: 200 }, (_, i) => ({ strategy_id: `s${String(i).padStart(3, "0")}`, run_id: "bench", periods_per_year: 252, returns: Array.from({ length: 2520 }, () => Math.round((next() - 0.499 + i * 1e-5) * 0.02 * 1e6) / 1e6) })) });

const server = await startServer({
  "/bench/bundle.json": { body: bundle },
  "/bench/returns.json": { body: array },
  "/bench/bundle-dated.json": { body: dated },
  "/bench/world200.json": { body: world200 },
});
const browser = await launch();

/** Drops `name` (fetched into memory first) on the page; returns ms from drop to charts painted. */
async function dropOnce(url, name, rolling = false) {
  const { page, context, errors } = await open(browser, server.url + "/", { width: 1440, height: 900 });
  if (process.env.BENCH_DEBUG) page.on("console", (m) => console.log("page:", m.text()));
  await page.evaluate(async (u) => { window.__benchBytes = await (await fetch(u)).arrayBuffer(); }, url);
  const ms = await page.evaluate(async ({ name, n }) => {
    const file = new File([window.__benchBytes], name, { type: "application/json" });
    const dt = new DataTransfer();
    dt.items.add(file);
    performance.clearMeasures();
    const t0 = performance.now();
    let headline = 0;
    window.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    await new Promise((ok, fail) => {
      const check = () => {
        if (document.querySelector("#error-list li")) return fail(new Error(document.querySelector("#error-list").textContent));
        if (performance.now() - t0 > 60_000) return fail(new Error("no charts after 60 s"));
        // The headline's equity curve is drawn (its frame is the one this callback runs in).
        if (!headline && document.querySelector(`#headline-chart[data-drawn="${n + 1}"] canvas`)) headline = performance.now() - t0;
        // All charts: the three charts and the report's tables (computeReport; past 100,000
        // returns the rolling charts wait for a click, timed separately below).
        if (document.querySelector(`#charts[data-points="${n}"]`) && document.querySelector('#report-blocks[data-report="ready"]') && !document.body.dataset.busy) return ok();
        requestAnimationFrame(check);
      };
      check();
    });
    await new Promise((ok) => requestAnimationFrame(() => ok()));
    const total = performance.now() - t0;
    const parts = {};
    for (const m of performance.getEntriesByType("measure")) if (m.startTime >= t0) parts[m.name.slice(3)] = (parts[m.name.slice(3)] ?? 0) + m.duration;
    return { total, headline, parts };
  }, { name, n: N });
  if (errors.length) throw new Error(errors.join("\n"));
  lastParts = ms.parts;
  if (rolling) {
    // The rolling charts on request: click → computeReport with the windows → three charts drawn.
    ms.rolling = await page.evaluate(async () => {
      const t0 = performance.now();
      document.querySelector("#rolling-compute").click();
      await new Promise((ok, fail) => {
        const check = () => {
          if (document.querySelector('#rolling-charts[data-drawn="3"]')) return ok();
          if (performance.now() - t0 > 120_000) return fail(new Error("no rolling charts after 120 s"));
          requestAnimationFrame(check);
        };
        check();
      });
      await new Promise((ok) => requestAnimationFrame(() => ok()));
      return performance.now() - t0;
    });
  }
  const failed = await page.$$eval("#error-list li", (l) => l.map((x) => x.textContent));
  if (failed.length) throw new Error(failed.join("\n"));
  await context.close();
  return ms;
}
let lastParts = {};

const median = (a) => { const s = [...a].sort((p, q) => p - q); return s[Math.floor(s.length / 2)]; };
const results = {};
const sources = { "bundle.json": bundle, "bundle-dated.json": dated, "returns.json": array };
for (const [label, url, name] of [["bundle (gateBundle)", "/bench/bundle.json", "bundle.json"], ["timestamped bundle (gateBundle, 1-minute index)", "/bench/bundle-dated.json", "bundle-dated.json"], ["returns array (computeMetrics)", "/bench/returns.json", "returns.json"]]) {
  const times = [], heads = [];
  await dropOnce(url, name); // warm-up (wasm compile cache, JIT)
  for (let i = 0; i < runs; i++) { const r = await dropOnce(url, name); times.push(r.total); heads.push(r.headline); }
  const rolling = (await dropOnce(url, name, true)).rolling;
  results[label] = { rolling, median: median(times), min: Math.min(...times), max: Math.max(...times), head: median(heads), headMin: Math.min(...heads), headMax: Math.max(...heads), bytes: sources[name].length, parts: lastParts };
  console.log(label, results[label]);
}

// What-if: 200 strategies loaded, one keystroke at a time; each pause re-compiles the policy and
// re-evaluates the world (`wg:whatif-keystroke`: compile + evaluate + render, after the 250 ms
// debounce, which is not counted).
const keystrokes = await (async () => {
  const { page, context } = await open(browser, server.url + "/", { width: 1440, height: 900 });
  await page.click("#clear");
  await page.evaluate(async () => {
    const bytes = await (await fetch("/bench/world200.json")).arrayBuffer();
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], "world200.json", { type: "application/json" }));
    window.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForSelector('button.entry[data-key="bench200/s199/bench"]');
  await page.waitForSelector("body:not([data-busy])");
  await page.click("#tab-whatif");
  // Keystrokes go into a trailing comment: each one is a new text to compile and evaluate.
  await page.fill("#policy", "thresholds:\n  sharpe:\n    metric: sharpe\n    min: 0\ntop_k:\n  metric: sharpe\n  k: 20\n# ");
  await page.waitForTimeout(600);
  const out = [];
  for (let i = 0; i < 12; i++) {
    await page.evaluate(() => performance.clearMeasures("wg:whatif-keystroke"));
    await page.focus("#policy");
    await page.keyboard.press("Control+End");
    await page.keyboard.type(String(i % 10));
    await page.waitForFunction(() => performance.getEntriesByName("wg:whatif-keystroke").length > 0);
    out.push(await page.evaluate(() => performance.getEntriesByName("wg:whatif-keystroke")[0].duration));
    const rows = await page.locator("#whatif-table tbody tr").count();
    if (rows !== 200) throw new Error(`what-if shows ${rows} strategies`);
  }
  await context.close();
  return out.slice(2);
})();
console.log("what-if keystroke", keystrokes);

// Transfer on the wire: each file of the page as the static server sends it (`accept-encoding`
// as Chromium sends it: brotli; and gzip, and nothing), body bytes counted as received.
const html = readFileSync(join(DIST, "index.html"), "utf8");
const jsFiles = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]);
const wasmFiles = jsFiles.filter((f) => f.endsWith(".js")).flatMap((f) => [...readFileSync(join(DIST, f), "utf8").matchAll(/[\w.-]+\.wasm/g)].map((m) => `assets/${m[0]}`));
const files = ["index.html", ...new Set([...jsFiles, ...wasmFiles])];
const wire = (path, enc) => new Promise((ok, fail) => {
  const req = request(`${server.url}/${path}`, { headers: { "accept-encoding": enc } }, (res) => {
    let n = 0;
    res.on("data", (c) => { n += c.length; });
    res.on("end", () => ok({ n, enc: res.headers["content-encoding"] ?? "identity", cache: res.headers["cache-control"] }));
  });
  req.on("error", fail);
  req.end();
});
await server.warm(); // brotli at its best quality for every file, as a running server has it
const sizes = {};
for (const f of files) sizes[f] = { raw: (await wire(f, "identity")).n, gz: (await wire(f, "gzip")).n, br: await wire(f, "br") };
await browser.close();
await server.close();
const sum = (pred, k) => Object.entries(sizes).filter(([f]) => pred(f)).reduce((a, [, v]) => a + (k === "br" ? v.br.n : v[k]), 0);
const row = (label, pred) => `| ${label} | ${kb(sum(pred, "raw"))} | ${kb(sum(pred, "gz"))} | ${kb(sum(pred, "br"))} |`;
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
const chromium = (await import("node:child_process")).execFileSync(process.env.CHROMIUM ?? "/usr/bin/chromium", ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();

const commit = (await import("node:child_process")).execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: WWW }).toString().trim();
const wgVersion = JSON.parse(readFileSync(join(WWW, "node_modules", "worldgate", "package.json"), "utf8")).version;

const md = `## Viewer (www/): drop → headline and charts, What-if keystrokes, transfer on the wire

Headless ${chromium}, ${cpu}, viewport 1440×900, on a shared 2-core machine (load average ${loadBefore.toFixed(1)} at the start, ${(await import("node:os")).loadavg()[0].toFixed(1)} at the end: other builds ran meanwhile, hence the spread); one run of \`node www/bench/drop.mjs\` (median of ${runs} drops after one warm-up, each in a fresh page),
against the release build of \`scripts/build-pkg.sh\` (worldgate ${wgVersion}) at commit \`${commit}\`, served by \`www/scripts/static-server.mjs\`.

### Drop → headline → all charts, 1,000,000 points

From the \`drop\` event to the frame in which the headline's equity curve is drawn (verdict, reasons and the
eight key figures are in the same frame), and to the frame after every chart is drawn (cumulative returns,
underwater, return distribution) and the report's tables are in (worst drawdowns, distribution statistics:
\`computeReport\` without rolling windows, \`report-tables\` below): read file → engine (\`documentKind\`; for the
bundle \`bundleSeries\` + \`gateBundle\`, for the array \`readReturns\` + \`computeMetrics\`; \`equityCurve\`,
\`drawdownCurve\`, \`computeReport\`) → view → charts; the file is never parsed in JS. Target < 1 s. The timestamped bundle's
1-minute index is expanded by the engine and handed to JS as one \`Float64Array\` of epoch milliseconds
(\`bundleSeries\`), which goes back as is (\`computeReport\`'s \`timestamps\`, for dated drawdowns and the
calendar; the x axes label their ticks from it): no string per period crosses the boundary (before
that change, with 1,000,000 RFC 3339 strings each way: 1697 ms to the headline, 1770 ms to all charts,
\`bundleSeries\` 606 ms, \`report-tables\` 736 ms). Its \`report-tables\` also holds the calendar
block and the engine's reading of the axis; the other two carry no timestamps.

Past 100,000 returns the rolling Sharpe / volatility / Sortino charts (windows 63, 126, 252: 9 million
values for a million returns) are computed when asked ("Compute rolling charts"); from that click to the
three charts drawn, one run after the timed drops: ${Object.entries(results).map(([k, v]) => `${k} ${v.rolling.toFixed(0)} ms`).join(", ")}.

| dropped file | size | headline (median) | all charts (median) | all charts min | max |
|---|---:|---:|---:|---:|---:|
${Object.entries(results).map(([k, v]) => `| ${k}, 1,000,000 returns | ${(v.bytes / 1e6).toFixed(1)} MB | ${v.head.toFixed(0)} ms | ${v.median.toFixed(0)} ms | ${v.min.toFixed(0)} ms | ${v.max.toFixed(0)} ms |`).join("\n")}

Where the time goes (last run, ms; the rest is reading the file, layout and paint):

${Object.entries(results).map(([k, v]) => `- ${k}: ${Object.entries(v.parts).map(([p, ms]) => `${p} ${ms.toFixed(0)}`).join(", ")}`).join("\n")}

### What-if: one keystroke, 200 strategies

200 strategies × 2,520 returns loaded; each keystroke in the editor (after the 250 ms pause that
debounces typing, not counted) compiles the policy (\`parsePolicy\`), evaluates the world
(\`CompiledPolicy.evaluate\` with the 200 series for correlations) and renders the 200-row table:
median ${median(keystrokes).toFixed(1)} ms, min ${Math.min(...keystrokes).toFixed(1)} ms, max ${Math.max(...keystrokes).toFixed(1)} ms over ${keystrokes.length} keystrokes.

### Transfer on the wire

Body bytes as the static server sends them (brotli is what Chromium asks for; hashed assets carry
\`cache-control: ${sizes[files[1]]?.br.cache ?? ""}\`, \`index.html\` \`no-cache\`):

| page transfer | uncompressed | gzip | brotli |
|---|---:|---:|---:|
${row("JS", (f) => f.endsWith(".js"))}
${row("wasm", (f) => f.endsWith(".wasm"))}
${row("html + css", (f) => f.endsWith(".html") || f.endsWith(".css"))}
| **everything** | ${kb(sum(() => true, "raw"))} | ${kb(sum(() => true, "gz"))} | **${kb(sum(() => true, "br"))}** |
`;
writeFileSync(join(WWW, "BENCHMARKS.www.md"), md);
console.log(md);
