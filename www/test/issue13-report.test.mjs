// Issue 13, part 2: the tearsheet blocks of Inspect from the engine's `computeReport` (rolling
// Sharpe / volatility / Sortino charts, worst drawdowns, distribution statistics), in Debian's
// Chromium. Expected values come from the engine in Node for the same series; the page's
// `data-value` attributes and chart data must equal them exactly. Screenshots of Inspect with the
// new sections (light and dark, 1400×1000 and 1280×720) go to test-output/www/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as wg from "worldgate";
import { SAMPLES, assertAxe, launch, open, outDir, settled, startServer } from "./harness.mjs";


const BUNDLE = join(SAMPLES, "alpha_world.bundle.json");
const POLICY = readFileSync(join(SAMPLES, "alpha_world.policy.yaml"), "utf8");
const BUNDLE_DOC = JSON.parse(readFileSync(BUNDLE, "utf8"));
const gated = wg.gateBundle(new Uint8Array(readFileSync(BUNDLE)), wg.parsePolicy(POLICY, { dialect: "strict" }), { created_at: BUNDLE_DOC.created_at }).value;
const SNAP = gated.snapshots[0];
const KEY = `${SNAP.world_id}/${SNAP.strategy_id}/${SNAP.run_id}`;
const SERIES = new Float64Array(BUNDLE_DOC.submissions.find((s) => s.strategy_id === SNAP.strategy_id).returns);
const CONV = SNAP.metrics.returns.conventions;
/** What the viewer must show for the sample run: the engine's report with the run's conventions. */
const REPORT = wg.computeReport(SERIES, { periods_per_year: CONV.periods_per_year, risk_free: CONV.risk_free, rolling_windows: [63, 126, 252] });

// A dated run: 600 business days from 2023-01-02 (an index), gated with a head as long as the
// series, so the snapshot carries every return and its timestamp.
const DATED_RETURNS = Array.from({ length: 600 }, (_, i) => Math.round((Math.sin(i * 0.05) * 0.008 + 0.0004) * 1e6) / 1e6);
const datedBundle = {
  bundle_version: 1, world_id: "dated", created_at: "2025-06-30T00:00:00Z",
  submissions: [{ strategy_id: "daily", run_id: "r1", returns: DATED_RETURNS, index: { start: "2023-01-02T00:00:00Z", frequency: "1B" } }],
};
const datedSnap = wg.gateBundle(JSON.stringify(datedBundle), wg.parsePolicy("thresholds: {}\n", { dialect: "strict" }), { created_at: datedBundle.created_at, series_head_len: 600 }).value.snapshots[0];
const STAMPS = datedSnap.series_heads.timestamps;
const DCONV = datedSnap.metrics.returns.conventions;
const DATED_REPORT = wg.computeReport(new Float64Array(DATED_RETURNS), { periods_per_year: DCONV.periods_per_year, risk_free: DCONV.risk_free, rolling_windows: [63, 126, 252], timestamps: STAMPS });

let server, browser, out;
before(async () => {
  server = await startServer();
  browser = await launch();
  out = outDir();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const file = (name, data) => ({ name, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(data)) });
async function select(page, key) {
  await page.click(`button.entry[data-key="${key}"]`);
  await settled(page);
  await page.waitForSelector('#report-blocks[data-report="ready"]');
}
/** The engine's rolling values as the chart holds them (non-finite and undefined values are gaps). */
const asChart = (values) => Array.from(values, (v) => (Number.isFinite(v) ? v : null));


describe("issue 13, part 2: the report blocks (computeReport)", () => {
  test("distribution, worst drawdowns and rolling charts show the engine's numbers exactly, formatted for people, raw in tooltips and exports", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    await select(page, KEY);
    await page.waitForSelector('#rolling-charts[data-drawn="3"]');

    // Distribution: every row's data-value is the engine's value; the tooltip has it raw.
    const dist = await page.$$eval("#report-distribution [data-report]", (rows) => rows.map((r) => { const td = r.querySelector("td.num"); return { k: r.dataset.report.split(".")[1], v: JSON.parse(td.dataset.value), title: td.title, text: td.textContent }; }));
    assert.ok(dist.length >= 15, `${dist.length} distribution rows`);
    for (const d of dist) {
      assert.deepEqual(d.v, REPORT.distribution[d.k] ?? null, d.k);
      assert.ok(d.title.startsWith(`raw: ${d.v === null ? "—" : String(d.v)}`), `${d.k}: ${d.title}`);
    }
    const text = Object.fromEntries(dist.map((d) => [d.k, d.text]));
    for (const k of ["skewness", "excess_kurtosis", "omega", "tail_ratio", "payoff_ratio"]) if (typeof REPORT.distribution[k] === "number") assert.match(text[k], /^−?[\d,]+\.\d\d$/, k);
    for (const k of ["best", "worst", "kelly", "ulcer_index"]) if (typeof REPORT.distribution[k] === "number") assert.match(text[k], /^−?[\d,]+\.\d+ %$/, k);
    assert.equal(text.max_consecutive_wins, String(REPORT.distribution.max_consecutive_wins));

    // Worst drawdowns: start, trough, end (or "open"), depth, length, recovery per episode.
    const eps = await page.$$eval("#report-drawdowns-table tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].slice(1).map((td) => ({ v: td.dataset.value === undefined ? undefined : JSON.parse(td.dataset.value), text: td.textContent }))));
    assert.equal(eps.length, REPORT.drawdowns.episodes.length);
    assert.ok(eps.length > 0);
    REPORT.drawdowns.episodes.forEach((ep, i) => {
      const [start, trough, end, depth, length, recovery] = eps[i];
      assert.deepEqual([start.v, trough.v, end.v, depth.v, length.v, recovery.v], [ep.start, ep.trough, ep.end, ep.depth, ep.length, ep.recovery], `episode ${i}`);
      assert.equal(end.text, ep.end === null ? "open" : String(ep.end));
      assert.match(depth.text, /^−[\d.]+ %$/);
    });
    const summary = await page.$$eval("#report-drawdowns-summary [data-report]", (d) => Object.fromEntries(d.map((x) => [x.dataset.report, JSON.parse(x.dataset.value)])));
    assert.deepEqual(summary, { "drawdowns.count": REPORT.drawdowns.count, "drawdowns.average_depth": REPORT.drawdowns.average_depth, "drawdowns.average_length": REPORT.drawdowns.average_length });

    // Rolling charts: one line per window, the engine's values point for point; a text alternative each.
    for (const key of ["sharpe", "volatility", "sortino"]) {
      const data = await page.evaluate((n) => window.__wg.chartData(n), `rolling-${key}`);
      assert.equal(data.length, 1 + REPORT.rolling.windows.length, key);
      REPORT.rolling.windows.forEach((w, k) => assert.deepEqual(data[k + 1], asChart(w[key]), `${key} window ${w.window}`));
      const desc = await page.textContent(`#chart-rolling-${key}-desc`);
      assert.match(desc, /63 periods.*126 periods.*252 periods/, desc);
    }

    // Exports carry the raw values.
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click('[data-export="json"]')]);
    const json = JSON.parse(readFileSync(await dl.path(), "utf8"));
    assert.deepEqual(json.report.distribution, REPORT.distribution);
    assert.deepEqual(json.report.drawdowns, REPORT.drawdowns);
    const [mdl] = await Promise.all([page.waitForEvent("download"), page.click('[data-export="md"]')]);
    const md = readFileSync(await mdl.path(), "utf8");
    assert.ok(md.includes("## Distribution (computeReport)") && md.includes(`| omega | ${REPORT.distribution.omega} |`), "Markdown: the distribution, unrounded");
    assert.ok(md.includes(`## Worst drawdowns (${REPORT.drawdowns.episodes.length} of ${REPORT.drawdowns.count})`));
    const [csv] = await Promise.all([page.waitForEvent("download"), page.click('[data-export="csv"]')]);
    const lines = readFileSync(await csv.path(), "utf8").split(/\r?\n/);
    assert.ok(lines.includes(`distribution,omega,${REPORT.distribution.omega}`), "CSV row of omega, unrounded");
    assert.ok(lines.includes(`drawdowns,episodes/0/depth,${REPORT.drawdowns.episodes[0].depth}`), "CSV row of the deepest episode");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a short series: one window that fits, an open drawdown, a too-short series says so", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    const short = Array.from({ length: 40 }, (_, i) => Math.round(Math.sin(i * 0.7) * 0.01 * 1e6) / 1e6 - (i > 30 ? 0.01 : 0));
    await page.setInputFiles("#file-input", [file("short.json", short)]);
    await settled(page);
    await page.waitForSelector('#report-blocks[data-report="ready"]');
    await page.waitForSelector('#rolling-charts[data-drawn="3"]');
    const expect = wg.computeReport(new Float64Array(short), { rolling_windows: [20] });
    const data = await page.evaluate(() => window.__wg.chartData("rolling-sharpe"));
    assert.deepEqual(data.slice(1), [asChart(expect.rolling.windows[0].sharpe)]);
    const open_ = await page.$$eval('#report-drawdowns-table tr[data-open="true"] td', (t) => t.map((x) => x.textContent));
    assert.equal(expect.drawdowns.episodes.some((e) => e.end === null), open_.length > 0);
    if (open_.length) assert.equal(open_[3], "open");
    await page.setInputFiles("#file-input", [file("tiny.json", [0.01, -0.02, 0.005])]);
    await settled(page);
    await page.waitForSelector('#report-blocks[data-report="ready"]');
    assert.match(await page.textContent("#report-rolling"), /too short for a rolling window/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a long series: the rolling charts are computed on request, by keyboard", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    const n = 100_001;
    const long = Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 0.01) * 0.005 * 1e6) / 1e6 + 0.0001);
    await page.setInputFiles("#file-input", [file("long.json", long)]);
    await settled(page);
    await page.waitForSelector('#report-blocks[data-report="ready"]');
    assert.ok(await page.isVisible("#rolling-compute"));
    assert.equal(await page.$("#rolling-charts"), null, "not computed before asked");
    // Reached with Tab from the element before it, pressed with Enter.
    await page.focus("#report-rolling-title");
    await page.evaluate(() => document.querySelector("#report-rolling-title").setAttribute("tabindex", "-1"));
    await page.focus("#report-rolling-title");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "rolling-compute");
    await page.keyboard.press("Enter");
    await page.waitForSelector('#rolling-charts[data-drawn="3"]', { timeout: 30_000 });
    assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), "BODY", "focus stays in the report");
    const expect = wg.computeReport(new Float64Array(long), { rolling_windows: [63, 126, 252] });
    const data = await page.evaluate(() => window.__wg.chartData("rolling-volatility"));
    for (const k of [0, 1, 2]) for (const i of [0, 62, 63, 5000, n - 1]) assert.equal(data[k + 1][i], asChart(expect.rolling.windows[k].volatility)[i], `window ${k} at ${i}`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a dated series: monthly heatmap and end-of-year bars from the engine's calendar, drawdown dates, dates on the x axes; undated says 'needs timestamps'", async () => {
    assert.equal(STAMPS.length, 600);
    const cal = DATED_REPORT.calendar;
    assert.ok(cal && cal.months.length > 20 && cal.years.length === 3, "the engine's calendar of the dated run");
    assert.deepEqual(cal, wg.computeCalendar(new Float64Array(DATED_RETURNS), STAMPS), "computeReport's calendar is computeCalendar's");
    const { page, context, errors } = await open(browser, server.url + "/");
    // Undated (the sample world): the calendar blocks say what they need.
    await select(page, KEY);
    for (const id of ["report-monthly", "report-yearly"]) assert.match(await page.textContent(`#${id}`), /needs timestamps/);
    await page.setInputFiles("#file-input", [file("dated.snapshot.json", datedSnap)]);
    await settled(page);
    await select(page, "dated/daily/r1");
    await page.waitForSelector('#yearly-chart[data-drawn="3"]');
    // Heatmap: one cell per month holding a timestamp, the engine's value in data-value; the year column.
    const cells = await page.$$eval("#report-monthly-table td[data-period]", (t) => t.map((x) => ({ p: x.dataset.period, v: JSON.parse(x.dataset.value), text: x.textContent, bg: x.getAttribute("style") ?? "" })));
    const expected = [...cal.months, ...cal.years].map((m) => ({ p: m.period, v: m.return }));
    assert.deepEqual(cells.map(({ p, v }) => ({ p, v })).sort((a, b) => a.p.localeCompare(b.p)), expected.sort((a, b) => a.p.localeCompare(b.p)));
    for (const c of cells) assert.match(c.text, /^−?[\d,]+\.\d+ %$/, c.p);
    assert.ok(cells.some((c) => c.bg.includes("--ok")) && cells.some((c) => c.bg.includes("--danger")), "a colour scale by sign");
    const figs = await page.$$eval("#report-calendar-figures [data-report]", (d) => d.map((x) => [x.dataset.report.split(".")[1], JSON.parse(x.dataset.value)]));
    for (const [k, v] of figs) assert.deepEqual(v, cal[k] ?? null, k);
    assert.ok(figs.length >= 15);
    // End-of-year bars: the engine's yearly returns (up and down bars).
    const bars = await page.evaluate(() => window.__wg.chartData("yearly"));
    assert.deepEqual(bars[0], cal.years.map((y) => y.year));
    assert.deepEqual(bars[1].map((v, i) => v ?? bars[2][i]), cal.years.map((y) => y.return));
    assert.match(await page.textContent("#chart-yearly-desc"), new RegExp(`${cal.years[0].period} `));
    // Drawdowns in dates and days.
    const ep = DATED_REPORT.drawdowns.episodes[0];
    const row = await page.$$eval("#report-drawdowns-table tbody tr:first-child td", (t) => t.map((x) => ({ text: x.textContent, v: x.dataset.value, days: x.dataset.days })));
    assert.equal(row[1].text, ep.peak_at.slice(0, 10));
    assert.equal(row[2].text, ep.trough_at.slice(0, 10));
    assert.equal(JSON.parse(row[5].days), ep.length_days);
    assert.deepEqual(JSON.parse(await page.$eval('[data-report="drawdowns.average_length_days"]', (x) => x.dataset.value)), DATED_REPORT.drawdowns.average_length_days);
    // The rolling charts are the dated report's, and the x axes read dates.
    const roll = await page.evaluate(() => window.__wg.chartData("rolling-sharpe"));
    DATED_REPORT.rolling.windows.forEach((w, k) => assert.deepEqual(roll[k + 1], asChart(w.sharpe)));
    for (const name of ["equity", "drawdown", "rolling-volatility"]) {
      const ticks = (await page.evaluate((n) => window.__wg.chartTicks(n, 0), name)).filter(Boolean);
      assert.ok(ticks.length >= 2 && ticks.every((t) => /^\d{4}-\d\d-\d\d$|^start$/.test(t)), `${name}: ${ticks}`);
    }
    // Exports: the calendar raw.
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click('[data-export="json"]')]);
    assert.deepEqual(JSON.parse(readFileSync(await dl.path(), "utf8")).report.calendar, cal);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a dated bundle: bundleSeries' epoch-millisecond axis dates the report, the calendar and the x axes as the strings do", async () => {
    const axis = wg.bundleSeries(JSON.stringify(datedBundle), {}).timestamps.daily;
    assert.ok(axis instanceof Float64Array && axis.length === 600, "a Float64Array, one instant per return");
    assert.deepEqual(Array.from(axis, (ms) => new Date(ms).toISOString().replace(".000Z", "Z")), STAMPS, "the instants the snapshot's strings name");
    const { page, context, errors } = await open(browser, server.url + "/");
    await page.setInputFiles("#file-input", [file("dated.bundle.json", datedBundle)]);
    await settled(page);
    await select(page, "dated/daily/r1");
    await page.waitForSelector('#yearly-chart[data-drawn="3"]');
    const cal = DATED_REPORT.calendar;
    const cells = await page.$$eval("#report-monthly-table td[data-period]", (t) => t.map((x) => ({ p: x.dataset.period, v: JSON.parse(x.dataset.value) })));
    assert.deepEqual(cells.sort((a, b) => a.p.localeCompare(b.p)), [...cal.months, ...cal.years].map((m) => ({ p: m.period, v: m.return })).sort((a, b) => a.p.localeCompare(b.p)));
    const ep = DATED_REPORT.drawdowns.episodes[0];
    const row = await page.$$eval("#report-drawdowns-table tbody tr:first-child td", (t) => t.map((x) => ({ text: x.textContent, days: x.dataset.days })));
    assert.deepEqual([row[1].text, row[2].text, JSON.parse(row[5].days)], [ep.peak_at.slice(0, 10), ep.trough_at.slice(0, 10), ep.length_days]);
    const roll = await page.evaluate(() => window.__wg.chartData("rolling-sortino"));
    DATED_REPORT.rolling.windows.forEach((w, k) => assert.deepEqual(roll[k + 1], asChart(w.sortino)));
    for (const name of ["equity", "rolling-sharpe"]) {
      const ticks = (await page.evaluate((n) => window.__wg.chartTicks(n, 0), name)).filter(Boolean);
      assert.ok(ticks.length >= 2 && ticks.every((t) => /^\d{4}-\d\d-\d\d$|^start$/.test(t)), `${name}: ${ticks}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("the report blocks pass axe-core, light and dark; screenshots at 1400×1000 and 1280×720", async () => {
    for (const colorScheme of ["light", "dark"]) {
      for (const [width, height] of [[1400, 1000], [1280, 720]]) {
        const { page, context, errors } = await open(browser, server.url + "/", { colorScheme, width, height });
        await select(page, KEY);
        await page.waitForSelector('#rolling-charts[data-drawn="3"]');
        await assertAxe(page, `inspect report ${colorScheme} ${width}x${height}`);
        await page.$eval("#report-blocks", (el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 60));
        await page.screenshot({ path: join(out, `report-inspect-${colorScheme}-${width}x${height}.png`) });
        await page.$eval("#report-drawdowns", (el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 60));
        await page.screenshot({ path: join(out, `report-tables-${colorScheme}-${width}x${height}.png`) });
        await page.screenshot({ path: join(out, `report-inspect-${colorScheme}-${width}x${height}-full.png`), fullPage: true });
        // A dated run: the calendar blocks and dated axes.
        await page.setInputFiles("#file-input", [file("dated.snapshot.json", datedSnap)]);
        await settled(page);
        await select(page, "dated/daily/r1");
        await page.waitForSelector('#yearly-chart[data-drawn="3"]');
        await page.waitForSelector('#rolling-charts[data-drawn="3"]');
        await page.evaluate(() => window.scrollTo(0, 0));
        await assertAxe(page, `inspect dated report ${colorScheme} ${width}x${height}`);
        await page.screenshot({ path: join(out, `report-dated-${colorScheme}-${width}x${height}.png`) });
        await page.$eval("#report-monthly", (el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 60));
        await page.screenshot({ path: join(out, `report-calendar-${colorScheme}-${width}x${height}.png`) });
        await page.screenshot({ path: join(out, `report-dated-${colorScheme}-${width}x${height}-full.png`), fullPage: true });
        assert.deepEqual(errors, []);
        await context.close();
      }
    }
  });
});
