// Issue 13: the viewer as a tearsheet. Each test covers one item of the issue's part 1 (what was
// broken) or a part-2 view, in Debian's Chromium; expected values come from the engine in Node.
// Screenshots of every view (light and dark, 1400×1000 and 1280×720) go to test-output/www/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as wg from "worldgate";
import { SAMPLES, assertAxe, launch, open, outDir, settled, startServer } from "./harness.mjs";


const BUNDLE = join(SAMPLES, "alpha_world.bundle.json");
const EARLIER = join(SAMPLES, "alpha_world-beta_mkt_simple-run-2025-11-25.snapshot.json");
const POLICY = readFileSync(join(SAMPLES, "alpha_world.policy.yaml"), "utf8");
const BUNDLE_DOC = JSON.parse(readFileSync(BUNDLE, "utf8"));
const gated = wg.gateBundle(new Uint8Array(readFileSync(BUNDLE)), wg.parsePolicy(POLICY, { dialect: "strict" }), { created_at: BUNDLE_DOC.created_at }).value;
const earlier = JSON.parse(readFileSync(EARLIER, "utf8"));

// ---- an edge-shaped world `demo`: its own policy, 250-period runs, 16-point heads in the snapshots
const wave = (n, k, mu) => Array.from({ length: n }, (_, i) => Math.round((Math.sin(i * k) * 0.01 + mu) * 1e6) / 1e6);
const DEMO_POLICY = "thresholds:\n  sharpe:\n    metric: sharpe\n    min: 0.3\ntop_k:\n  metric: sharpe\n  k: 1\n";
const demoCompiled = wg.parsePolicy(DEMO_POLICY, { dialect: "strict" });
const DEMO_HASH = demoCompiled.rulesetHash();
const demoBundle = {
  bundle_version: 1, world_id: "demo", created_at: "2026-01-05T00:00:00Z",
  submissions: [["trend", 0.9, 0.0012], ["carry", 0.4, 0.0002]].map(([id, k, mu]) => ({
    strategy_id: id, run_id: `run-${id}`, stage: "backtest_only", window: "2025-01-01/2025-12-31", periods_per_year: 252, returns: wave(250, k, mu),
  })),
};
const demoGated = wg.gateBundle(JSON.stringify(demoBundle), demoCompiled, { created_at: demoBundle.created_at }).value;
const demoSnap = { ...demoGated.snapshots[0], storage_refs: { ...demoGated.snapshots[0].storage_refs, edge_returns_series: "do://worlds/demo/strategies/trend/runs/run-trend/returns.json" } };
assert.ok(demoSnap.series_heads.returns.length < 250, "the snapshot carries only a head");
const demoStatus = {
  schema_version: 1, world_id: "demo", strategy_id: "trend", run_id: "run-trend", status: "evaluated", created_at: demoSnap.created_at, updated_at: demoSnap.created_at,
  effective_mode: "validate", activation_state: "pending", ruleset_hash: DEMO_HASH,
  links: { snapshot: `/worlds/demo/snapshots/${demoSnap.snapshot_id}`, status: "/worlds/demo/strategies/trend/runs/run-trend" },
};
const demoPolicyDoc = { world_id: "demo", version: 2, ruleset_hash: DEMO_HASH, dialect: "strict", created_at: "2026-01-01T00:00:00Z", actor: "ops", source: DEMO_POLICY, resolved: demoCompiled.toJSON() };
const EDGE = "/edge";

// ---- 200 strategies
const bigBundle = {
  bundle_version: 1, world_id: "big", created_at: "2026-01-05T00:00:00Z",
  submissions: Array.from({ length: 200 }, (_, i) => ({ strategy_id: `s${String(i).padStart(3, "0")}`, run_id: "r1", periods_per_year: 252, returns: wave(120, 0.3 + i * 0.01, (i - 100) * 1e-5) })),
};

let server, browser, out;
before(async () => {
  server = await startServer({
    [`${EDGE}/worlds/demo/strategies/trend/runs/latest`]: { body: JSON.stringify(demoStatus) },
    [`${EDGE}/worlds/demo/snapshots/${demoSnap.snapshot_id}`]: { body: JSON.stringify(demoSnap) },
    [`${EDGE}/worlds/demo/strategies/trend/runs/run-trend/series/returns`]: { body: JSON.stringify({ name: "returns", values: demoBundle.submissions[0].returns, storage: "durable_object" }) },
    [`${EDGE}/worlds/demo/policy`]: { body: JSON.stringify(demoPolicyDoc) },
    [`${EDGE}/worlds/demo/activation`]: { body: JSON.stringify({ world_id: "demo", active: [], hysteresis: null, last_decision: demoGated.decision, updated_at: null }) },
    [`${EDGE}/worlds/demo/strategies/trend/runs`]: { body: JSON.stringify({ world_id: "demo", strategy_id: "trend", runs: [demoStatus], next_cursor: null }) },
    [`/private/worlds/demo/strategies/trend/runs`]: { token: "wg_picker_token", body: JSON.stringify({ world_id: "demo", strategy_id: "trend", runs: [demoStatus], next_cursor: null }) },
  });
  browser = await launch();
  out = outDir();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const file = (name, data, mimeType = "application/json") => ({ name, mimeType, buffer: Buffer.from(typeof data === "string" ? data : JSON.stringify(data)) });
async function load(page, files) {
  await page.setInputFiles("#file-input", files);
  await settled(page);
}
async function select(page, key) {
  await page.click(`button.entry[data-key="${key}"]`);
  await settled(page);
}
async function tab(page, view) {
  await page.click(`#tab-${view}`);
  await settled(page);
}
async function downloadOf(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path()).toString("utf8") };
}
const keyOf = (s) => `${s.world_id}/${s.strategy_id}/${s.run_id}`;
const activeKey = (page) => page.evaluate(() => { const a = document.activeElement; return a && (a.id || a.dataset.key || a.dataset.sort || a.tagName); });


describe("issue 13, part 1: what was broken", () => {
  test("an edge run: the world's policy goes to What-if, the full series is followed from its storage ref, a differing ruleset is warned about", async () => {
    const { page, context, errors } = await open(browser, `${server.url}/?src=${encodeURIComponent(`${server.url}${EDGE}/worlds/demo/strategies/trend/runs/latest`)}`);
    assert.deepEqual(await page.$$eval("button.entry", (b) => b.map((x) => x.dataset.key)), [keyOf(demoSnap)]);
    // The charts draw the 250 periods the metrics were computed from, not the head.
    assert.equal(await page.getAttribute("#charts", "data-points"), "250");
    assert.match(await page.textContent("#chart-caption"), /full series: 250 periods/);
    await tab(page, "whatif");
    assert.equal(await page.inputValue("#policy"), DEMO_POLICY);
    assert.equal(await page.getAttribute("#whatif-result", "data-ruleset"), DEMO_HASH);
    assert.match(await page.textContent("#policy-origin"), /world demo policy v2/);
    assert.equal(await page.locator("#ruleset-warning").count(), 0);
    // Another policy in the editor: a visible warning naming both hashes.
    await page.fill("#policy", POLICY);
    await page.waitForSelector("#ruleset-warning");
    assert.ok(await page.isVisible("#ruleset-warning"));
    assert.match(await page.textContent("#ruleset-warning"), new RegExp(DEMO_HASH.slice(0, 12)));
    await page.screenshot({ path: join(out, "edge-ruleset-warning.png") });
    assert.deepEqual(errors, []);
    await context.close();

    // `?src=` of the policy document and of the series document.
    const p2 = await open(browser, `${server.url}/?src=${encodeURIComponent(`${EDGE}/worlds/demo/policy`)}&src=${encodeURIComponent(`${EDGE}/worlds/demo/strategies/trend/runs/run-trend/series/returns`)}`);
    assert.equal(await p2.page.locator("#error-list li").count(), 0);
    await tab(p2.page, "whatif");
    assert.equal(await p2.page.inputValue("#policy"), DEMO_POLICY);
    await tab(p2.page, "inspect");
    assert.equal(await p2.page.getAttribute("#charts", "data-points"), "250");
    const expected = wg.computeMetrics(Float64Array.from(demoBundle.submissions[0].returns), {});
    assert.equal(JSON.parse(await p2.page.getAttribute('#cards [data-metric="returns.sharpe"]', "data-value")), expected.returns.sharpe);
    assert.deepEqual(p2.errors, []);
    await p2.context.close();
  });

  test("exports: disabled with nothing to export, Chart PNG is the current view's chart, Compare and Inspect say what changed and why", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    const current = gated.snapshots.find((s) => s.strategy_id === earlier.strategy_id);
    await select(page, keyOf(current));
    // Inspect's Markdown gives the verdict and why.
    const md = (await downloadOf(page, '[data-export="md"]')).text;
    assert.match(md, /\*\*verdict\*\*: /);
    assert.match(md, /\*\*why\*\*:/);
    for (const v of current.metrics.gating.violations) assert.ok(md.includes(`\`${v.code}\``), v.code);
    // Compare: the PNG is the overlay, the Markdown and CSV carry verdict, rank, weight and violations.
    await tab(page, "compare");
    await page.selectOption("#baseline", keyOf(earlier));
    await settled(page);
    const diff = wg.diffSnapshots(earlier, current, { allow_cross_world: false, allow_policy_change: false }).value;
    const png = await downloadOf(page, '[data-export="png"]');
    assert.equal(png.name, "worldgate-overlay.png");
    const cmd = (await downloadOf(page, '[data-export="md"]')).text;
    assert.ok(cmd.includes(`**verdict**: ${diff.verdict.baseline} → ${diff.verdict.current}`), cmd);
    assert.match(cmd, /\*\*rank\*\*: .* → /);
    assert.match(cmd, /## violations added \(\d+\)/);
    assert.match(cmd, /## violations removed \(\d+\)/);
    for (const v of [...diff.violations_added, ...diff.violations_removed]) assert.ok(cmd.includes(`\`${v.code}\` ${v.rule}`), v.code);
    const csv = (await downloadOf(page, '[data-export="csv"]')).text.trim().split("\r\n").map((l) => l.split(","));
    assert.deepEqual(csv.find((r) => r[0] === "verdict").slice(2, 4), [diff.verdict.baseline, diff.verdict.current]);
    assert.ok(csv.some((r) => r[0] === "rank") && csv.some((r) => r[0] === "weight"));
    assert.equal(csv.filter((r) => r[0] === "violation_added").length, diff.violations_added.length);
    assert.equal(csv.filter((r) => r[0] === "violation_removed").length, diff.violations_removed.length);
    // Exports carry the engine's numbers unrounded.
    for (const d of diff.metrics) assert.equal(csv.find((r) => r[0] === "metric" && r[1] === d.metric)[4], d.delta === null ? "" : String(d.delta));
    // What-if has no chart: no PNG.
    await tab(page, "whatif");
    assert.equal(await page.isDisabled('[data-export="png"]'), true);
    // Nothing loaded: nothing to export.
    await tab(page, "inspect");
    await page.click("#clear");
    await settled(page);
    for (const f of ["json", "md", "csv", "png"]) assert.equal(await page.isDisabled(`[data-export="${f}"]`), true, f);
    await tab(page, "compare");
    for (const f of ["json", "md", "csv", "png"]) assert.equal(await page.isDisabled(`[data-export="${f}"]`), true, f);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("What-if: a metric no strategy has is flagged, an invalid editor does not block bundles, a preset asks and Ctrl+Z restores", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    await tab(page, "whatif");
    // A misspelt built-in metric: the engine's lint names it at its line, with a did-you-mean.
    await page.fill("#policy", "thresholds:\n  wr:\n    metric: win_rte\n    min: 0.5\n");
    await page.waitForSelector('#policy-errors li.error[data-path="/thresholds/wr/metric"]');
    assert.match(await page.textContent("#policy-errors"), /win_rte[\s\S]*did you mean `win_rate`/);
    // A metric the lint accepts (a custom one) that no strategy carries.
    const typo = "thresholds:\n  wr:\n    metric: custom.win_rte\n    min: 0.5\n";
    // The engine's own outcome for it: every strategy fails with metric_missing.
    const metricsBy = Object.fromEntries(gated.snapshots.map((s) => { const { gating, ...m } = s.metrics; return [s.strategy_id, m]; }));
    const dec = wg.parsePolicy(typo, { dialect: "strict" }).evaluate(metricsBy, {});
    assert.ok(Object.values(dec.strategies).every((d) => d.violations.some((v) => v.code === "metric_missing")));
    await page.fill("#policy", typo);
    await page.waitForSelector('#policy-errors[data-code="metric_missing"]');
    const text = await page.textContent("#policy-errors");
    assert.ok(!/policy ok/.test(text) && text.includes("win_rte"), text);
    await page.screenshot({ path: join(out, "whatif-metric-missing.png") });
    // An invalid policy in the editor: a bundle still opens (gated with the last valid policy).
    await page.fill("#policy", "topk: [");
    await page.waitForSelector("#policy-errors li.error");
    await load(page, [file("big.bundle.json", bigBundle)]);
    assert.equal(await page.locator('button.entry[data-key="big/s000/r1"]').count(), 1);
    assert.match(await page.textContent("#status"), /last valid policy/);
    // A preset over edited text asks first; dismissing keeps the text; accepting replaces it, undoably.
    const mine = "# mine\ntop_k:\n  metric: sharpe\n  k: 2\n";
    await page.fill("#policy", mine);
    await settled(page);
    page.once("dialog", (d) => d.dismiss());
    await page.selectOption("#preset", wg.policyPresets()[1]);
    await settled(page);
    assert.equal(await page.inputValue("#policy"), mine);
    page.once("dialog", (d) => d.accept());
    await page.selectOption("#preset", wg.policyPresets()[1]);
    await page.waitForSelector(`#whatif-result[data-ruleset="${wg.presetPolicy(wg.policyPresets()[1], { dialect: "strict" }).rulesetHash()}"]`);
    assert.notEqual(await page.inputValue("#policy"), mine);
    await page.focus("#policy");
    await page.keyboard.press("Control+z");
    assert.equal(await page.inputValue("#policy"), mine);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("verdicts come with reasons: WARN without violations explains itself; outside top-k reads 'not selected', not like a failed threshold", async () => {
    const warn = { ...earlier, run_id: "run-warn", metrics: { ...earlier.metrics, gating: { ...earlier.metrics.gating, verdict: "warn", violations: [] } } };
    assert.equal(wg.validateDocument(JSON.stringify(warn)).ok, true);
    const { page, context, errors } = await open(browser, server.url + "/");
    await load(page, [file("warn.json", warn)]);
    await select(page, keyOf(warn));
    assert.equal(await page.getAttribute("#headline-verdict .verdict", "data-verdict"), "warn");
    const reasons = await page.$$eval("#verdict-reasons li", (li) => li.map((x) => x.textContent));
    assert.ok(reasons.length > 0 && reasons[0].length > 20, JSON.stringify(reasons));
    // A world where top-k leaves out a strategy that passed its thresholds, and another fails one.
    const world = { ...demoBundle, world_id: "topk", submissions: [...demoBundle.submissions, { ...demoBundle.submissions[1], strategy_id: "loser", run_id: "run-loser", returns: wave(250, 0.7, -0.002) }] };
    const topk = "thresholds:\n  sharpe:\n    metric: sharpe\n    min: 0\ntop_k:\n  metric: sharpe\n  k: 1\n";
    const g = wg.gateBundle(JSON.stringify(world), wg.parsePolicy(topk, { dialect: "strict" }), { created_at: world.created_at }).value;
    const onlyRank = g.snapshots.find((s) => s.metrics.gating.violations.length && s.metrics.gating.violations.every((v) => v.code === "rank_outside_top_k"));
    const threshold = g.snapshots.find((s) => s.metrics.gating.violations.some((v) => v.code.startsWith("threshold")));
    assert.ok(onlyRank && threshold, "the world has both kinds");
    await load(page, [file("topk.policy.yaml", topk, "text/yaml"), file("topk.bundle.json", world)]);
    const badge = (s) => page.$eval(`button.entry[data-key="${keyOf(s)}"] .verdict`, (b) => ({ v: b.dataset.verdict, text: b.textContent }));
    assert.deepEqual(await badge(onlyRank), { v: "invalid", text: "not selected" });
    assert.deepEqual(await badge(threshold), { v: "invalid", text: "invalid" });
    await select(page, keyOf(threshold));
    const kinds = await page.$$eval("#verdict-reasons li", (li) => li.map((x) => x.dataset.kind));
    assert.ok(kinds.includes("threshold"), JSON.stringify(kinds));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("charts: distinct tick labels on minute-scale data, an extreme equity keeps its ticks and a short legend, log scale", async () => {
    const tiny = Array.from({ length: 2000 }, (_, i) => Math.round(Math.sin(i * 1.3) * 2e-3 * 1e7) / 1e7);
    const huge = Array.from({ length: 400 }, () => 1);
    const { page, context, errors } = await open(browser, server.url + "/", { width: 1400, height: 1000 });
    await page.click("#clear");
    await load(page, [file("tiny.json", tiny), file("huge.json", huge)]);
    await select(page, "local/tiny/file");
    const hx = await page.evaluate(() => window.__wg.chartTicks("histogram", 0));
    assert.ok(hx.length >= 3, JSON.stringify(hx));
    assert.equal(new Set(hx).size, hx.length, `repeated tick labels: ${JSON.stringify(hx)}`);
    await page.screenshot({ path: join(out, "charts-minute.png"), fullPage: true });
    await select(page, "local/huge/file");
    const ey = await page.evaluate(() => window.__wg.chartTicks("equity", 1));
    assert.ok(ey.length >= 2 && new Set(ey).size === ey.length && ey.every((t) => t.length <= 10), JSON.stringify(ey));
    await page.hover('.chart[data-chart="equity"] .u-over', { position: { x: 300, y: 100 } });
    const legend = await page.$$eval('.chart[data-chart="equity"] .u-legend .u-value', (v) => v.map((x) => x.textContent));
    assert.ok(legend.every((t) => t.length <= 16), JSON.stringify(legend));
    await page.check("#log-scale");
    await settled(page);
    assert.equal(await page.getAttribute('.chart[data-chart="equity"]', "data-scale"), "log");
    const logTicks = (await page.evaluate(() => window.__wg.chartTicks("equity", 1))).filter(Boolean);
    assert.ok(logTicks.length >= 2 && new Set(logTicks).size === logTicks.length, JSON.stringify(logTicks));
    await page.screenshot({ path: join(out, "charts-extreme-log.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("keyboard only: sidebar, sort headers, baseline select and editor keep focus through re-renders", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    const second = keyOf(gated.snapshots[1]);
    await page.focus(`button.entry[data-key="${second}"]`);
    await page.keyboard.press("Enter");
    await settled(page);
    assert.equal(await activeKey(page), second);
    assert.equal(await page.getAttribute(`button.entry[data-key="${second}"]`, "aria-current"), "true");
    await page.keyboard.press("Tab");
    assert.notEqual(await activeKey(page), "BODY");
    // Tabs, then the sort headers.
    await page.focus("#tab-inspect");
    await page.keyboard.press("ArrowRight");
    await settled(page);
    assert.equal(await activeKey(page), "tab-compare");
    await page.focus('button[data-sort="sharpe"]');
    await page.keyboard.press("Enter");
    await settled(page);
    assert.equal(await activeKey(page), "sharpe");
    await page.keyboard.press("Enter");
    await settled(page);
    assert.equal(await activeKey(page), "sharpe");
    assert.equal(await page.getAttribute('th:has(button[data-sort="sharpe"])', "aria-sort"), "ascending");
    // The baseline select: ArrowDown changes it and keeps focus.
    await page.focus("#baseline");
    const before = await page.inputValue("#baseline");
    await page.keyboard.press("ArrowDown");
    await settled(page);
    assert.equal(await activeKey(page), "baseline");
    assert.notEqual(await page.inputValue("#baseline"), before);
    // The editor: typing re-evaluates (250 ms later) and the caret stays.
    await page.focus("#tab-whatif");
    await page.keyboard.press("Enter");
    await settled(page);
    await page.focus("#policy");
    await page.keyboard.press("Control+End");
    await page.keyboard.type("# typed\n");
    await page.waitForTimeout(400);
    await settled(page);
    assert.equal(await activeKey(page), "policy");
    assert.ok((await page.inputValue("#policy")).endsWith("# typed\n"));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("large worlds: 200 strategies get a filter, a sticky header in a bounded table, and What-if opens at its top", async () => {
    const { page, context, errors } = await open(browser, server.url + "/", { width: 1400, height: 1000 });
    await page.click("#clear");
    await load(page, [file("big.bundle.json", bigBundle)]);
    await tab(page, "compare");
    const box = await page.$eval("#world-table", (t) => t.closest(".table-scroll").getBoundingClientRect().height);
    assert.ok(box < 1000, `table box ${box}px`);
    assert.equal(await page.$eval("#world-table thead th", (th) => getComputedStyle(th).position), "sticky");
    await page.fill("#world-filter", "s19");
    await settled(page);
    assert.equal(await page.locator("#world-table tbody tr").count(), 10);
    assert.equal(await activeKey(page), "world-filter");
    await page.fill("#entry-filter", "s00");
    assert.equal(await page.locator("button.entry").count(), 10);
    await page.fill("#world-filter", "");
    await settled(page);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await tab(page, "whatif");
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    const ed = await page.$eval("#policy", (e) => e.getBoundingClientRect().top);
    assert.ok(ed < 1000, `editor at ${ed}px`);
    await page.screenshot({ path: join(out, "large-world-whatif.png") });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("delivery: compressed responses, long-lived caching for hashed assets", async () => {
    const index = await fetch(server.url + "/", { headers: { "accept-encoding": "br, gzip" } });
    assert.equal(index.headers.get("content-encoding"), "br");
    assert.equal(index.headers.get("cache-control"), "no-cache");
    const html = await index.text();
    const assets = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.length >= 2, html);
    const wasm = (await (await fetch(server.url + "/" + assets.find((a) => a.endsWith(".js")))).text()).match(/assets\/[\w.-]+\.wasm|[\w.-]+_bg-[\w-]+\.wasm/);
    for (const a of [...assets, ...(wasm ? [wasm[0].startsWith("assets/") ? wasm[0] : `assets/${wasm[0]}`] : [])]) {
      for (const enc of ["br", "gzip"]) {
        const res = await fetch(`${server.url}/${a}`, { headers: { "accept-encoding": enc } });
        assert.equal(res.status, 200, a);
        assert.equal(res.headers.get("content-encoding"), enc, a);
        assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable", a);
      }
    }
    const plain = await fetch(`${server.url}/${assets[0]}`, { headers: { "accept-encoding": "identity" } });
    assert.equal(plain.headers.get("content-encoding"), null);
  });

  test("a CSV with a bad value names its line", async () => {
    const csv = "date,r\n" + Array.from({ length: 30 }, (_, i) => `d${i},${i === 17 ? "0.0x1" : "0.001"}`).join("\n") + "\n";
    const expected = wg.validateDocument(Buffer.from(csv)).errors[0];
    assert.match(expected.message, /^line 19: /);
    const { page, context, errors } = await open(browser, server.url + "/");
    await load(page, [file("bad.csv", csv, "text/csv")]);
    const shown = await page.$eval('#error-list li.error', (li) => li.textContent);
    assert.ok(shown.includes(expected.message), shown);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe("issue 13, part 2: the tearsheet", () => {
  test("the headline first: verdict, reasons, eight key figures and the equity curve above the fold at 1280×720", async () => {
    const { page, context, errors } = await open(browser, server.url + "/", { width: 1280, height: 720 });
    const s = gated.snapshots[0];
    await select(page, keyOf(s));
    const cards = await page.$$eval("#cards .card", (c) => c.map((x) => ({ m: x.dataset.metric, v: JSON.parse(x.dataset.value), text: x.querySelector(".card-value").textContent, title: x.title })));
    assert.deepEqual(cards.map((c) => c.m), ["cagr", "sharpe", "sortino", "max_drawdown", "volatility", "win_rate", "profit_factor", "calmar"].map((k) => `returns.${k}`));
    for (const c of cards) {
      const v = s.metrics.returns[c.m.split(".")[1]] ?? null;
      assert.deepEqual(c.v, v, c.m);
      assert.ok(c.title.endsWith(`= ${v === null ? "—" : String(v)}`) || c.title.includes(`= ${String(v)} (`), `${c.m}: raw value in the tooltip: ${c.title}`);
    }
    // Formatted for people: percentages and two-decimal ratios.
    const byM = Object.fromEntries(cards.map((c) => [c.m, c.text]));
    assert.match(byM["returns.max_drawdown"], /^−?\d+\.\d\d %$/);
    assert.match(byM["returns.win_rate"], /^\d+\.\d\d %$/);
    assert.match(byM["returns.sharpe"], /^−?\d+\.\d\d$/);
    const bottom = await page.$eval('#headline .chart[data-chart="equity"] canvas', (c) => c.getBoundingClientRect().bottom);
    assert.ok(bottom <= 720, `equity curve ends at ${bottom}px`);
    assert.ok(await page.isVisible("#headline-verdict .verdict"));
    // The metric table keeps every engine value exactly (data) and raw in the tooltip.
    const rows = await page.$$eval("tr[data-metric]", (r) => r.map((x) => ({ m: x.dataset.metric, v: JSON.parse(x.querySelector("td").dataset.value), title: x.querySelector("td").title })));
    for (const r of rows.filter((x) => x.m.startsWith("returns.") && typeof x.v === "number")) assert.equal(r.title, `raw: ${String(r.v)}`, r.m);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("Compare: deltas coloured by the metric's direction, the baseline's equity overlaid", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    const current = gated.snapshots.find((s) => s.strategy_id === earlier.strategy_id);
    await select(page, keyOf(current));
    await tab(page, "compare");
    await page.selectOption("#baseline", keyOf(earlier));
    await settled(page);
    const diff = wg.diffSnapshots(earlier, current, { allow_cross_world: false, allow_policy_change: false }).value;
    const dd = diff.metrics.find((m) => m.metric.endsWith("max_drawdown"));
    const vol = diff.metrics.find((m) => m.metric.endsWith("volatility"));
    const tone = (m) => page.getAttribute(`#deltas tr[data-metric="${m.metric}"] td[data-col=delta]`, "data-tone");
    // A smaller drawdown (a delta above zero: drawdowns are ≤ 0) is better; less volatility is better.
    assert.equal(await tone(dd), dd.delta > 0 ? "better" : dd.delta < 0 ? "worse" : "same");
    assert.equal(await tone(vol), vol.delta < 0 ? "better" : vol.delta > 0 ? "worse" : "same");
    assert.equal(await page.locator('#overlay .chart[data-chart="overlay"] canvas').count(), 1);
    const pts = (await page.getAttribute("#overlay", "data-points")).split(",").map(Number);
    const baseLen = wg.equityCurve(wg.readReturns(earlier.series_heads.returns), 1).length;
    const curLen = wg.equityCurve(Float64Array.from(BUNDLE_DOC.submissions.find((s) => s.strategy_id === current.strategy_id).returns), 1).length;
    assert.deepEqual(pts, [baseLen, curLen]);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("the edge picker lists strategies and runs through the client and opens a run", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    await page.click("#edge-picker summary");
    await page.fill("#edge-api", server.url + EDGE);
    await page.fill("#edge-world", "demo");
    await page.click("#edge-list-strategies");
    await page.waitForSelector("#edge-out p");
    assert.equal(await page.inputValue("#edge-strategy"), "carry");
    await page.fill("#edge-strategy", "trend");
    await page.click("#edge-list-runs");
    await page.waitForSelector('#edge-run option[value="run-trend"]', { state: "attached" });
    await page.selectOption("#edge-run", "run-trend");
    // "latest" is what the test API serves; the picker's run list came from it.
    await page.selectOption("#edge-run", "latest");
    await page.click("#edge-open");
    await page.waitForSelector(`button.entry[data-key="${keyOf(demoSnap)}"]`);
    await settled(page);
    assert.equal(await page.getAttribute("#charts", "data-points"), "250");
    // A protected API: the token field is sent as a bearer token to that origin.
    await page.fill("#edge-api", server.url + "/private");
    await page.click("#edge-list-runs");
    await page.waitForSelector('#edge-out li.error[data-code="E_UNAUTHORIZED"]');
    await page.fill("#edge-token", "wg_picker_token");
    await page.dispatchEvent("#edge-token", "change");
    await page.click("#edge-list-runs");
    await page.waitForSelector("#edge-out p");
    assert.match(await page.textContent("#edge-out"), /^1 run/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("every view passes axe-core, light and dark, with screenshots at 1400×1000 and 1280×720", async () => {
    for (const colorScheme of ["light", "dark"]) {
      for (const [width, height] of [[1400, 1000], [1280, 720]]) {
        const { page, context, errors } = await open(browser, server.url + "/", { colorScheme, width, height });
        const current = gated.snapshots.find((s) => s.strategy_id === earlier.strategy_id);
        await select(page, keyOf(current));
        await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
        await assertAxe(page, `inspect ${colorScheme}`);
        await page.screenshot({ path: join(out, `view-inspect-${colorScheme}-${width}x${height}.png`) });
        await page.screenshot({ path: join(out, `view-inspect-${colorScheme}-${width}x${height}-full.png`), fullPage: true });
        await tab(page, "compare");
        await page.selectOption("#baseline", keyOf(earlier));
        await settled(page);
        await assertAxe(page, `compare ${colorScheme}`);
        await page.screenshot({ path: join(out, `view-compare-${colorScheme}-${width}x${height}.png`) });
        await tab(page, "whatif");
        await assertAxe(page, `whatif ${colorScheme}`);
        await page.screenshot({ path: join(out, `view-whatif-${colorScheme}-${width}x${height}.png`) });
        // errors and warnings shown
        await page.fill("#policy", "thresholds:\n  wr:\n    metric: custom.win_rte\n    min: 0.5\n");
        await page.waitForSelector('#policy-errors[data-code="metric_missing"]');
        await load(page, [file("bad.json", { hello: 1 })]);
        await assertAxe(page, `whatif with errors ${colorScheme}`);
        await page.screenshot({ path: join(out, `view-whatif-errors-${colorScheme}-${width}x${height}.png`) });
        assert.deepEqual(errors, []);
        await context.close();
      }
    }
  });
});
