// End-to-end tests of the built viewer (dist/) in Debian's Chromium. Expected values come from
// the same engine called in Node through the package, never from re-implemented formulas.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as wg from "worldgate";
import { SAMPLES, launch, open, outDir, settled, startServer } from "./harness.mjs";

const BUNDLE = join(SAMPLES, "alpha_world.bundle.json");
const EARLIER = join(SAMPLES, "alpha_world-beta_mkt_simple-run-2025-11-25.snapshot.json");
const POLICY = readFileSync(join(SAMPLES, "alpha_world.policy.yaml"), "utf8");
const bytes = (p) => new Uint8Array(readFileSync(p));

// The engine's answers for the sample files (gated exactly as the page does: editor policy, no options).
const BUNDLE_DOC = JSON.parse(readFileSync(BUNDLE, "utf8"));
const answer = wg.gateBundle(bytes(BUNDLE), wg.parsePolicy(POLICY, { dialect: "strict" }), { created_at: BUNDLE_DOC.created_at });
assert.equal(answer.type, "success", JSON.stringify(answer.errors));
const gated = answer.value ?? answer;
const earlier = JSON.parse(readFileSync(EARLIER, "utf8"));

const RETURNS = Array.from({ length: 300 }, (_, i) => Math.round(Math.sin(i * 0.7) * 1e4) / 1e6 + 0.0004);

let server, browser, out;
const TOKEN = "wg_test_token-123";

// API-shaped documents served by the test server for `?src=`.
const snap = gated.snapshots[1];
const runStatus = {
  schema_version: 1, world_id: snap.world_id, strategy_id: snap.strategy_id, run_id: snap.run_id, status: "evaluated",
  created_at: snap.created_at, updated_at: snap.created_at, effective_mode: "validate", activation_state: "pending",
  links: { snapshot: `/api/worlds/${snap.world_id}/snapshots/${snap.snapshot_id}` },
};

before(async () => {
  server = await startServer({
    [`/api/worlds/${snap.world_id}/strategies/${snap.strategy_id}/runs/${snap.run_id}`]: { body: JSON.stringify(runStatus) },
    [`/api/worlds/${snap.world_id}/snapshots/${snap.snapshot_id}`]: { body: JSON.stringify(snap) },
    "/api/snapshot.json": { body: JSON.stringify(earlier) },
    // Behind a bearer token, as the edge API is: the status document and the snapshot it links to.
    [`/auth/worlds/${snap.world_id}/strategies/${snap.strategy_id}/runs/latest`]: { token: TOKEN, body: JSON.stringify({ ...runStatus, links: { snapshot: `/auth/worlds/${snap.world_id}/snapshots/${snap.snapshot_id}` } }) },
    [`/auth/worlds/${snap.world_id}/snapshots/${snap.snapshot_id}`]: { token: TOKEN, body: JSON.stringify(snap) },
    "/api/missing": { status: 404, body: JSON.stringify({ code: "E_RUN_NOT_FOUND", message: "run `nope` not found", path: "" }) },
  });
  browser = await launch();
  out = outDir();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Every metric row on screen: {"returns.sharpe": {value, text}}. */
async function screenMetrics(page) {
  return page.$$eval("tr[data-metric]", (rows) => Object.fromEntries(rows.map((r) => {
    const td = r.querySelector("td");
    return [r.dataset.metric, { value: JSON.parse(td.dataset.value), text: td.textContent, title: td.title }];
  })));
}

/** A wire number as shown: formatted for people (a percentage or a number with separators,
 * rounded to two decimals or three significant digits), the engine's value unrounded in the
 * tooltip. */
function assertShown(text, title, value, label) {
  if (value === null) return assert.equal(text, "—", label);
  if (typeof value === "string") return assert.equal(text, { "+inf": "+∞", "-inf": "−∞", nan: "NaN" }[value] ?? value, label);
  if (typeof value !== "number") return;
  assert.equal(title, `raw: ${String(value)}`, `${label}: the raw value in the tooltip`);
  const pct = text.endsWith(" %");
  const shown = Number(text.replace(/−/g, "-").replace(/[^0-9eE+.-]/g, ""));
  const v = pct ? value * 100 : value;
  assert.ok(Number.isFinite(shown), `${label}: ${text}`);
  assert.ok(Math.abs(shown - v) <= Math.max(0.005 + 1e-12, Math.abs(v) * 5e-3), `${label}: shown ${text}, engine ${value}`);
}

/** Asserts the screen's metric rows equal the engine's blocks exactly (data) and as shown (text). */
function assertMetricsEqual(screen, metrics) {
  let n = 0;
  for (const block of ["returns", "pnl", "risk"]) {
    for (const [k, v] of Object.entries(metrics[block] ?? {})) {
      if (v !== null && typeof v === "object") continue;
      const got = screen[`${block}.${k}`];
      assert.ok(got, `missing ${block}.${k} on screen`);
      assert.deepEqual(got.value, v, `${block}.${k}`);
      assertShown(got.text, got.title, v, `${block}.${k}`);
      n++;
    }
  }
  assert.ok(n >= 10, `compared only ${n} metrics`);
}

async function selectEntry(page, key) {
  await page.click(`button.entry[data-key="${key}"]`);
  await settled(page);
}

const asFile = (f) => (typeof f === "string" ? { name: f.split("/").pop(), mimeType: "application/json", buffer: readFileSync(f) } : f);

async function loadViaInput(page, files) {
  await page.setInputFiles("#file-input", files.map(asFile));
  await settled(page);
}

async function downloadOf(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: dl.suggestedFilename(), data: readFileSync(await dl.path()) };
}

describe("viewer", () => {
  test("the sample world opens on first visit, with the engine's numbers", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    const keys = await page.$$eval("button.entry", (b) => b.map((x) => x.dataset.key));
    for (const s of gated.snapshots) assert.ok(keys.includes(`${s.world_id}/${s.strategy_id}/${s.run_id}`), s.strategy_id);
    assert.ok(keys.includes(`${earlier.world_id}/${earlier.strategy_id}/${earlier.run_id}`));
    await selectEntry(page, `${gated.snapshots[0].world_id}/${gated.snapshots[0].strategy_id}/${gated.snapshots[0].run_id}`);
    assertMetricsEqual(await screenMetrics(page), gated.snapshots[0].metrics);
    assert.equal(await page.textContent('[data-field="input_digest"]'), gated.input_digest);
    // The three charts are drawn from the full series in the bundle.
    assert.equal(await page.locator("#headline-chart .chart canvas, #charts .chart canvas").count(), 3);
    // and the report's three rolling charts (issue13-report.test.mjs checks their numbers).
    await page.waitForSelector('#rolling-charts[data-drawn="3"]');
    assert.equal(await page.locator("#rolling-charts .chart canvas").count(), 3);
    assert.equal(await page.getAttribute("#charts", "data-points"), String(JSON.parse(readFileSync(BUNDLE, "utf8")).submissions[0].returns.length));
    await page.screenshot({ path: join(out, "inspect.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("files through the file input: bundle, snapshot and returns series equal the engine", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    await page.click("#clear");
    await loadViaInput(page, [
      BUNDLE,
      EARLIER,
      { name: "my_returns.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(RETURNS)) },
    ]);
    for (const s of gated.snapshots) {
      await selectEntry(page, `${s.world_id}/${s.strategy_id}/${s.run_id}`);
      assertMetricsEqual(await screenMetrics(page), s.metrics);
      const verdict = await page.getAttribute("#gating .verdict", "data-verdict");
      assert.equal(verdict, s.metrics.gating.verdict, s.strategy_id);
      const codes = await page.$$eval("#violations tr[data-code]", (r) => r.map((x) => x.dataset.code));
      assert.deepEqual(codes, s.metrics.gating.violations.map((v) => v.code), s.strategy_id);
    }
    await selectEntry(page, `${earlier.world_id}/${earlier.strategy_id}/${earlier.run_id}`);
    assertMetricsEqual(await screenMetrics(page), earlier.metrics);
    await selectEntry(page, "local/my_returns/file");
    const expected = wg.computeMetrics(Float64Array.from(RETURNS), {});
    assertMetricsEqual(await screenMetrics(page), expected);
    assert.equal(await page.getAttribute("#charts", "data-points"), String(RETURNS.length));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("?src= loads a run from an API: status document, then its snapshot link", async () => {
    const src = `/api/worlds/${snap.world_id}/strategies/${snap.strategy_id}/runs/${snap.run_id}`;
    const { page, context, errors } = await open(browser, `${server.url}/?src=${encodeURIComponent(src)}&src=${encodeURIComponent(server.url + "/api/snapshot.json")}`);
    const keys = await page.$$eval("button.entry", (b) => b.map((x) => x.dataset.key));
    assert.deepEqual(keys.sort(), [`${snap.world_id}/${snap.strategy_id}/${snap.run_id}`, `${earlier.world_id}/${earlier.strategy_id}/${earlier.run_id}`].sort());
    await selectEntry(page, `${snap.world_id}/${snap.strategy_id}/${snap.run_id}`);
    assert.equal(await page.textContent('[data-field="status"]'), "evaluated");
    assertMetricsEqual(await screenMetrics(page), snap.metrics);
    await page.screenshot({ path: join(out, "src-run.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("?src=…#token=… sends the token as a bearer header, follows the snapshot link with it and strips it from the address", async () => {
    const src = `${server.url}/auth/worlds/${snap.world_id}/strategies/${snap.strategy_id}/runs/latest`;
    // Without a token the server refuses: the page shows its error document.
    const bare = await open(browser, `${server.url}/?src=${encodeURIComponent(src)}`);
    assert.equal(await bare.page.$$eval("button.entry", (b) => b.length), 0);
    assert.match(await bare.page.textContent("#load-errors"), /E_UNAUTHORIZED/);
    await bare.context.close();

    const { page, context, errors } = await open(browser, `${server.url}/?src=${encodeURIComponent(src)}#token=${TOKEN}`);
    const keys = await page.$$eval("button.entry", (b) => b.map((x) => x.dataset.key));
    assert.deepEqual(keys, [`${snap.world_id}/${snap.strategy_id}/${snap.run_id}`]);
    assert.equal(await page.textContent('[data-field="status"]'), "evaluated");
    assertMetricsEqual(await screenMetrics(page), snap.metrics);
    const address = await page.evaluate(() => location.href);
    assert.ok(!address.includes(TOKEN) && !address.includes("#"), address);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("malformed files show the engine's error code and path, and the page keeps working", async () => {
    const truncated = Buffer.from(JSON.stringify(earlier).slice(0, 120));
    const wrongType = Buffer.from(JSON.stringify({ ...earlier, metrics: { ...earlier.metrics, returns: { ...earlier.metrics.returns, sample_count: "many" } } }));
    // The page asks the engine what each file is and validates it with that kind's reader.
    assert.equal(wg.documentKind(truncated), "snapshot");
    assert.equal(wg.documentKind(wrongType), "snapshot");
    const expectTrunc = wg.validateDocument(truncated).errors[0];
    const expectType = wg.validateDocument(wrongType).errors[0];
    assert.deepEqual(expectType, wg.validateSnapshot(wrongType).errors[0]);
    assert.ok(expectTrunc && expectType);
    const { page, context, errors } = await open(browser, `${server.url}/?src=${encodeURIComponent("/api/missing")}`);
    await loadViaInput(page, [
      { name: "truncated.json", mimeType: "application/json", buffer: truncated },
      { name: "wrong-type.json", mimeType: "application/json", buffer: wrongType },
    ]);
    const shown = await page.$$eval("#error-list li.error", (li) => li.map((x) => ({ code: x.dataset.code, path: x.dataset.path, text: x.textContent })));
    const find = (name) => shown.find((s) => s.text.startsWith(name));
    assert.equal(find("/api/missing")?.code, "E_RUN_NOT_FOUND");
    assert.equal(find("truncated.json")?.code, expectTrunc.code);
    assert.equal(find("truncated.json")?.path, expectTrunc.path);
    assert.ok(find("truncated.json").text.includes(expectTrunc.message));
    assert.equal(find("wrong-type.json")?.code, expectType.code);
    assert.equal(find("wrong-type.json")?.path, expectType.path);
    // Still usable: a good file loads after the bad ones.
    await loadViaInput(page, [EARLIER]);
    assert.equal(await page.locator("button.entry").count(), 1);
    assertMetricsEqual(await screenMetrics(page), earlier.metrics);
    await page.screenshot({ path: join(out, "errors.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a snapshot as the engine reads it: wire numbers of the series head, secrets removed with their record", async () => {
    const head = [0.01, "nan", -0.02, 0.003];
    const doc = { ...earlier, run_id: "run-wire", series_heads: { ...earlier.series_heads, returns: head }, storage_refs: { ...earlier.storage_refs, creds: "key AKIAIOSFODNN7EXAMPLE" } };
    const inf = { ...earlier, run_id: "run-inf", series_heads: { ...earlier.series_heads, returns: [0.01, "+inf"] } };
    const text = JSON.stringify(doc);
    assert.equal(wg.validateDocument(text).ok, true);
    assert.equal(wg.validateDocument(JSON.stringify(inf)).ok, true);
    const read = wg.sanitize(text);
    assert.equal(read.type, "success");
    assert.deepEqual(read.value.redactions.map((r) => r.path), ["/storage_refs/creds"]);
    // The engine refuses to chart an infinite return: the page shows that error, nothing breaks.
    let chartError;
    try {
      wg.equityCurve(wg.readReturns(inf.series_heads.returns), 1);
    } catch (e) {
      chartError = e;
    }
    assert.ok(chartError instanceof wg.WorldgateError);
    const { page, context, errors } = await open(browser, server.url + "/");
    await page.click("#clear");
    await loadViaInput(page, [
      { name: "wire.json", mimeType: "application/json", buffer: Buffer.from(text) },
      { name: "inf.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(inf)) },
    ]);
    await selectEntry(page, `${doc.world_id}/${doc.strategy_id}/${doc.run_id}`);
    assert.equal(await page.getAttribute("#charts", "data-points"), String(wg.readReturns(head).length));
    assert.deepEqual(JSON.parse(await page.textContent("#storage-refs pre")), read.value.value.storage_refs);
    assert.ok(!(await page.textContent("#storage-refs pre")).includes("AKIAIOSFODNN7EXAMPLE"));
    assert.deepEqual(JSON.parse(await page.textContent("#redactions pre")), read.value.redactions);
    await selectEntry(page, `${inf.world_id}/${inf.strategy_id}/${inf.run_id}`);
    assert.equal(await page.locator(".chart canvas").count(), 0);
    assert.equal(await page.getAttribute("#chart-errors li.error", "data-code"), chartError.code);
    assert.equal(await page.getAttribute("#chart-errors li.error", "data-path"), chartError.path);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("the engine tells each file's kind: policy to the editor, run record and metrics document load, unknown is an error", async () => {
    const run = gated.runs[2];
    const m = gated.runs[3];
    const metricsDoc = { schema_version: 1, world_id: m.status.world_id, strategy_id: m.status.strategy_id, run_id: m.status.run_id, status: m.status.status, evaluation: m.metrics };
    const loose = "# dropped policy\ntop_k:\n  metric: sharpe\n  k: 5\n";
    const files = [
      { name: "run.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(run)) },
      { name: "metrics.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(metricsDoc)) },
      { name: "loose.policy.yaml", mimeType: "text/yaml", buffer: Buffer.from(loose) },
      { name: "unknown.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ hello: 1 })) },
      { name: "returns.csv", mimeType: "text/csv", buffer: Buffer.from("date,r\n" + RETURNS.map((r, i) => `d${i},${r}`).join("\n")) },
    ];
    assert.deepEqual(files.map((f) => wg.documentKind(f.buffer) ?? null), ["run", "metrics-document", "policy", null, "returns"]);
    const unknown = wg.validateDocument(files[3].buffer);
    assert.equal(unknown.ok, false);
    const { page, context, errors } = await open(browser, server.url + "/");
    await page.click("#clear");
    await loadViaInput(page, files);
    await selectEntry(page, `${run.status.world_id}/${run.status.strategy_id}/${run.status.run_id}`);
    assertMetricsEqual(await screenMetrics(page), run.metrics);
    assert.equal(await page.getAttribute("#gating .verdict", "data-verdict"), run.decision.verdict);
    await selectEntry(page, `${m.status.world_id}/${m.status.strategy_id}/${m.status.run_id}`);
    assertMetricsEqual(await screenMetrics(page), m.metrics);
    await selectEntry(page, "local/returns/file");
    assertMetricsEqual(await screenMetrics(page), wg.computeMetrics(wg.readReturns(files[4].buffer), {}));
    const shown = await page.$$eval("#error-list li.error", (li) => li.map((x) => ({ code: x.dataset.code, text: x.textContent })));
    assert.deepEqual(shown.map((s) => s.code), [unknown.errors[0].code]);
    assert.ok(shown[0].text.startsWith("unknown.json"));
    await page.click("#tab-whatif");
    await settled(page);
    assert.equal(await page.inputValue("#policy"), loose);
    assert.equal(await page.getAttribute("#whatif-result", "data-ruleset"), wg.parsePolicy(loose, { dialect: "strict" }).rulesetHash());
    await page.screenshot({ path: join(out, "kinds.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("the policy editor re-gates every strategy and flips a verdict", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    await page.click("#tab-whatif");
    await settled(page);
    // Loosen the sample policy to "no thresholds, top 5": the engine's decision for the same metrics.
    const metricsBy = Object.fromEntries(gated.snapshots.map((s) => { const { gating, ...m } = s.metrics; return [s.strategy_id, m]; }));
    const series = Object.fromEntries(JSON.parse(readFileSync(BUNDLE, "utf8")).submissions.map((s) => [s.strategy_id, Float64Array.from(s.returns)]));
    const loose = "top_k:\n  metric: sharpe\n  k: 5\n";
    const compiled = wg.parsePolicy(loose, { dialect: "strict" });
    const expected = compiled.evaluate(metricsBy, { returns_by_strategy: series });
    const flipped = gated.snapshots.find((s) => s.metrics.gating.verdict !== expected.strategies[s.strategy_id].verdict);
    assert.ok(flipped, "the looser policy must change at least one verdict");
    await page.fill("#policy", loose);
    await page.waitForSelector(`#whatif-result[data-ruleset="${expected.ruleset_hash ?? compiled.rulesetHash()}"]`);
    await settled(page);
    for (const s of gated.snapshots) {
      const v = await page.getAttribute(`#whatif-table tr[data-strategy="${s.strategy_id}"] td[data-col=whatif] .verdict`, "data-verdict");
      assert.equal(v, expected.strategies[s.strategy_id].verdict, s.strategy_id);
    }
    assert.ok(await page.locator(`#whatif-table tr.changed[data-strategy="${flipped.strategy_id}"]`).count());
    await page.screenshot({ path: join(out, "whatif.png"), fullPage: true });
    // A typo is reported with the engine's code and the field's path and line.
    const typo = "topk:\n  metric: sharpe\n  k: 5\n";
    let thrown;
    try { wg.parsePolicy(typo, { dialect: "strict" }); } catch (e) { thrown = e; }
    assert.ok(thrown, "the engine rejects `topk`");
    await page.fill("#policy", typo);
    await page.waitForSelector("#policy-errors li.error");
    const err = await page.$eval("#policy-errors li.error", (li) => ({ code: li.dataset.code, path: li.dataset.path, text: li.textContent }));
    assert.equal(err.code, thrown.code);
    assert.equal(err.path, thrown.path);
    assert.match(err.text, /line 1/);
    await page.screenshot({ path: join(out, "whatif-error.png"), fullPage: true });
    // A policy that parses but names no computed metric: the engine's lint (tests/vectors/lint/).
    const misspelt = "thresholds:\n  dd: {metric: max_drawdwn, max: 0.2}\n";
    const lint = wg.lintPolicy(misspelt);
    assert.equal(lint.ok, false);
    await page.fill("#policy", misspelt);
    await page.waitForSelector('#policy-errors li.error[data-path="/thresholds/dd/metric"]');
    const lintErr = await page.$eval("#policy-errors li.error", (li) => ({ code: li.dataset.code, path: li.dataset.path, text: li.textContent }));
    assert.deepEqual([lintErr.code, lintErr.path], [lint.errors[0].code, lint.errors[0].path]);
    assert.match(lintErr.text, /max_drawdown/);
    // A preset replaces the (edited, so after asking) text and is evaluated as the engine's own preset.
    const preset = wg.policyPresets()[1];
    page.once("dialog", (d) => d.accept());
    await page.selectOption("#preset", preset);
    await page.waitForSelector(`#whatif-result[data-ruleset="${wg.presetPolicy(preset, { dialect: "strict" }).rulesetHash()}"]`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("the diff view shows the engine's deltas, and the world table sorts", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    const current = gated.snapshots.find((s) => s.strategy_id === earlier.strategy_id);
    await selectEntry(page, `${current.world_id}/${current.strategy_id}/${current.run_id}`);
    await page.click("#tab-compare");
    await settled(page);
    await page.selectOption("#baseline", `${earlier.world_id}/${earlier.strategy_id}/${earlier.run_id}`);
    await settled(page);
    const diffAnswer = wg.diffSnapshots(earlier, current, { allow_cross_world: false, allow_policy_change: false });
    assert.equal(diffAnswer.type ?? "success", "success", JSON.stringify(diffAnswer.errors));
    const diff = diffAnswer.value ?? diffAnswer;
    const deltas = diff.metrics;
    assert.ok(deltas.length > 0);
    for (const d of deltas) {
      const row = page.locator(`#deltas tr[data-metric="${d.metric}"]`);
      for (const col of ["baseline", "current", "delta", "relative"]) assert.deepEqual(JSON.parse(await row.locator(`td[data-col=${col}]`).getAttribute("data-value")), d[col] ?? null, `${d.metric} ${col}`);
    }
    const changedAttr = await page.getAttribute("#verdict-change", "data-changed");
    assert.equal(changedAttr, String(diff.verdict.changed ?? diff.verdict.baseline !== diff.verdict.current));
    // Sort by sharpe, descending: the order the engine's numbers give.
    await page.click('button[data-sort="sharpe"]');
    await settled(page);
    const order = await page.$$eval("#world-table tbody tr", (r) => r.map((x) => x.dataset.strategy));
    const bySharpe = [...gated.snapshots].sort((a, b) => (b.metrics.returns.sharpe ?? -Infinity) - (a.metrics.returns.sharpe ?? -Infinity)).map((s) => s.strategy_id);
    assert.deepEqual(order, bySharpe);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(out, "compare.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("exports download and parse: JSON, CSV, Markdown, PNG", async () => {
    const { page, context, errors } = await open(browser, server.url + "/");
    const s = gated.snapshots[0];
    await selectEntry(page, `${s.world_id}/${s.strategy_id}/${s.run_id}`);
    const json = await downloadOf(page, '[data-export="json"]');
    assert.match(json.name, /\.json$/);
    const doc = JSON.parse(json.data.toString("utf8"));
    assert.deepEqual(doc.metrics.returns, s.metrics.returns);
    const csv = (await downloadOf(page, '[data-export="csv"]')).data.toString("utf8").trim().split(/\r\n/).map((l) => l.split(","));
    assert.deepEqual(csv[0], ["block", "metric", "value"]);
    const sharpeRow = csv.find((r) => r[0] === "returns" && r[1] === "sharpe");
    assert.equal(sharpeRow[2], String(s.metrics.returns.sharpe ?? ""));
    const md = (await downloadOf(page, '[data-export="md"]')).data.toString("utf8");
    assert.match(md, new RegExp(`^# ${s.world_id} / ${s.strategy_id}`));
    assert.match(md, /\| returns \| sharpe \| /);
    const png = await downloadOf(page, '[data-export="png"]');
    assert.match(png.name, /\.png$/);
    assert.deepEqual([...png.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.data.readUInt32BE(16) > 100 && png.data.readUInt32BE(20) > 50, "PNG has the chart's size");
    // The what-if view exports its decision.
    await page.click("#tab-whatif");
    await settled(page);
    const w = JSON.parse((await downloadOf(page, '[data-export="json"]')).data.toString("utf8"));
    assert.deepEqual(w.decision.selected, gated.decision.selected);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("dark mode and keyboard: tabs reachable and operable without a mouse", async () => {
    const { page, context, errors } = await open(browser, server.url + "/", { colorScheme: "dark" });
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, "rgb(255, 255, 255)");
    await page.focus("#tab-inspect");
    await page.keyboard.press("ArrowRight");
    await settled(page);
    assert.equal(await page.getAttribute("#tab-compare", "aria-selected"), "true");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "tab-compare");
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowRight");
    await settled(page);
    assert.equal(await page.getAttribute("#tab-whatif", "aria-selected"), "true");
    await page.screenshot({ path: join(out, "whatif-dark.png"), fullPage: true });
    await page.click("#tab-inspect");
    await settled(page);
    await page.screenshot({ path: join(out, "inspect-dark.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
