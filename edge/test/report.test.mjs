// Dated uploads: the edge stores each run's full series with its time axis and the engine's
// report, and serves them (`…/series/{name}` with `timestamps`, `…/report`). The stored report
// is the package's `computeReport` of the same series with the same options, value for value.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as wg from "worldgate";
import { boot, cleanupBuild, T } from "./helpers.mjs";
// The JS API's report carries its rolling series as Float64Arrays; the edge serves the wire form.
import { wireReport } from "../../tests/js/checks.mjs";

let w;
before(async () => {
  w = await boot({ vars: { SERIES_INLINE_MAX: "4000", REPORT_ROLLING_WINDOWS: "5, 20", REPORT_TOP_DRAWDOWNS: "3", DEFER_MS: "500" } });
});
after(async () => {
  await w.stop();
  cleanupBuild();
});

/** `n` daily returns (6 decimals) and their timestamps, 2024-02-20 21:00 UTC on (across 29 February). */
function dated(n, salt) {
  const returns = Array.from({ length: n }, (_, i) => Number((0.01 * Math.sin(0.7 * i + salt) + 0.0005).toFixed(6)));
  const t0 = Date.UTC(2024, 1, 20, 21);
  const timestamps = Array.from({ length: n }, (_, i) => new Date(t0 + i * 86_400_000).toISOString().replace(".000Z", "Z"));
  return { returns, timestamps };
}

/** Deep equality where numbers must be the same double (`Object.is`: −0 ≠ 0), keys in order. */
function sameValues(a, b, path = "") {
  if (typeof a === "number" || typeof b === "number") {
    assert.ok(Object.is(a, b), `${path}: ${a} vs ${b}`);
    return;
  }
  if (a === null || b === null || typeof a !== "object") {
    assert.equal(a, b, path);
    return;
  }
  assert.equal(Array.isArray(a), Array.isArray(b), path);
  assert.deepEqual(Object.keys(a), Object.keys(b), path);
  for (const k of Object.keys(a)) sameValues(a[k], b[k], `${path}/${k}`);
}

describe("dated uploads: series with their timestamps, the engine's report", () => {
  const long = dated(1000, 1); // ~10 KB of returns: R2
  const short = dated(30, 2); // inline in the Durable Object
  const upload = {
    bundle_version: 1,
    world_id: "alpha",
    submissions: [
      { strategy_id: "dated_long", returns: long.returns, timestamps: long.timestamps, periods_per_year: 365, risk_free: 0.02 },
      { strategy_id: "dated_short", returns: short.returns, timestamps: short.timestamps },
      { strategy_id: "indexed", returns: short.returns, index: { start: "2024-01-31T00:00:00Z", frequency: "1M" }, equity: [1, 1.01] },
      { strategy_id: "undated", returns: short.returns, periods_per_year: 252 },
      { strategy_id: "claimed_only", metrics: { returns: { sample_count: 30, sharpe: 1.2 } } },
    ],
  };
  let runs;
  before(async () => {
    const r = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: upload });
    assert.equal(r.status, 201, r.text);
    runs = Object.fromEntries(r.body.runs.map((x) => [x.strategy_id, x]));
  });

  test("each full series comes back with the submission's timestamps (an index expanded); undated ones without", async () => {
    const get = async (id, name = "returns") => w.api("GET", `${runs[id].links.status}/series/${name}`, { token: T.alphaRead });
    const a = await get("dated_long");
    assert.equal(a.status, 200, a.text);
    assert.equal(a.body.storage, "r2");
    assert.deepEqual(a.body.values, long.returns);
    assert.deepEqual(a.body.timestamps, long.timestamps);
    assert.ok(a.body.timestamps.includes("2024-02-29T21:00:00Z"));
    const b = await get("dated_short");
    assert.equal(b.body.storage, "durable_object");
    assert.deepEqual(b.body.timestamps, short.timestamps);
    const c = await get("indexed");
    assert.deepEqual(c.body.timestamps.slice(0, 3), ["2024-01-31T00:00:00Z", "2024-02-29T00:00:00Z", "2024-03-31T00:00:00Z"]);
    assert.equal(c.body.timestamps.length, short.returns.length);
    // A series of another length than the time axis is served without it.
    const eq = await get("indexed", "equity");
    assert.deepEqual(eq.body.values, [1, 1.01]);
    assert.equal("timestamps" in eq.body, false);
    const d = await get("undated");
    assert.equal("timestamps" in d.body, false);
  });

  test("the snapshot references the report, and the report is computeReport's for the same series and options", async () => {
    const snap = await w.api("GET", runs.dated_long.links.snapshot, { token: T.alphaRead });
    assert.match(snap.body.storage_refs.edge_report, /^(r2|do):\/\/.*\/report\.json$/);
    // The series heads keep their timestamps.
    assert.deepEqual(snap.body.series_heads.timestamps, long.timestamps.slice(0, snap.body.series_heads.returns.length));
    const r = await w.api("GET", `${runs.dated_long.links.status}/report`, { token: T.alphaRead });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.run_id, runs.dated_long.run_id);
    assert.equal(r.body.status, "evaluated");
    const expected = wireReport(
      wg.computeReport(long.returns, {
        periods_per_year: 365,
        risk_free: 0.02,
        timestamps: long.timestamps,
        rolling_windows: [5, 20],
        top_drawdowns: 3,
      }),
      long.returns.length,
    );
    sameValues(r.body.report, expected);
    assert.equal(JSON.stringify(r.body.report), JSON.stringify(expected));
    // Every block is there: the calendar (dated), the rolling windows the deployment asked for.
    assert.equal(r.body.report.conventions.time, "days");
    assert.ok(r.body.report.calendar.months.length >= 13);
    assert.deepEqual(r.body.report.rolling.windows.map((x) => x.window), [5, 20]);
    assert.equal(r.body.report.rolling.windows[0].sharpe.length, long.returns.length);
    assert.ok(r.body.report.drawdowns.episodes.length <= 3 && r.body.report.drawdowns.episodes[0].peak_at);
  });

  test("undated and indexed submissions are reported under their own P and axis; claimed metrics have no report", async () => {
    const rep = async (id) => w.api("GET", `${runs[id].links.status}/report`, { token: T.alphaRead });
    const u = await rep("undated");
    assert.equal(u.status, 200, u.text);
    sameValues(u.body.report, wireReport(wg.computeReport(short.returns, { periods_per_year: 252, rolling_windows: [5, 20], top_drawdowns: 3 })));
    assert.equal(u.body.report.calendar, undefined);
    // Daily timestamps with a weekend imply P = 365 (the engine's inference).
    const s = await rep("dated_short");
    sameValues(s.body.report, wireReport(wg.computeReport(short.returns, { periods_per_year: 365, timestamps: short.timestamps, rolling_windows: [5, 20], top_drawdowns: 3 })));
    const i = await rep("indexed");
    assert.equal(i.body.report.conventions.periods_per_year, 12);
    assert.equal(i.body.report.calendar.months.length, short.returns.length);
    const none = await rep("claimed_only");
    assert.equal(none.status, 404, none.text);
    assert.equal(none.body.code, "E_RUN_NOT_FOUND");
    const snap = await w.api("GET", runs.claimed_only.links.snapshot, { token: T.alphaRead });
    assert.equal("edge_report" in snap.body.storage_refs, false);
  });

  test("`latest` works; a deferred run's report is 409 until it is evaluated", async () => {
    const latest = await w.api("GET", "/worlds/alpha/strategies/dated_short/runs/latest/report", { token: T.alphaRead });
    assert.equal(latest.status, 200);
    const later = dated(40, 3);
    const b = { bundle_version: 1, world_id: "alpha", submissions: [{ strategy_id: "deferred_dated", ...later }] };
    const r = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: b, headers: { prefer: "respond-async" } });
    assert.equal(r.status, 202, r.text);
    const url = `${r.body.runs[0].links.status}/report`;
    const early = await w.api("GET", url, { token: T.alphaRead });
    if (early.status !== 200) assert.equal(early.body.code, "E_RUN_NOT_EVALUATED");
    let got = early;
    for (let k = 0; k < 100 && got.status !== 200; k++) {
      await new Promise((f) => setTimeout(f, 100));
      got = await w.api("GET", url, { token: T.alphaRead });
    }
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.report.drawdowns.episodes.length <= 3, true);
    const missing = await w.api("GET", "/worlds/alpha/strategies/nobody/runs/latest/report", { token: T.alphaRead });
    assert.equal(missing.status, 404);
    assert.equal((await w.api("GET", url)).status, 401);
  });
});

test("a qmtl-policy world: QMTL's metrics of a dated upload take their calendar fields from the dates", async () => {
  // 53 weekly returns dated Fridays 2024-01-05 … 2025-01-03 (hand-worked in
  // tests/qmtl_metrics.rs and tests/vectors/gate/dated_reports_and_qmtl_calendar.json).
  const returns = Array(53).fill(0.01);
  [returns[10], returns[11], returns[12], returns[13]] = [-0.03, -0.01, 0.02, 0.03];
  const t0 = Date.UTC(2024, 0, 5, 21);
  const timestamps = returns.map((_, i) => new Date(t0 + 7 * i * 86_400_000).toISOString().replace(".000Z", "Z"));
  const a = T.gammaAdmin;
  const put = await w.api("PUT", "/worlds/gamma/policy?dialect=qmtl", { token: a, body: { thresholds: { sharpe: { metric: "sharpe", min: 0 } } } });
  assert.equal(put.status, 201, put.text);
  const body = { bundle_version: 1, world_id: "gamma", submissions: [{ strategy_id: "weekly", returns, timestamps }] };
  const up = await w.api("POST", "/worlds/gamma/runs", { token: a, body });
  assert.equal(up.status, 201, up.text);
  const run = up.body.runs[0];
  const m = await w.api("GET", `/qmtl/worlds/gamma/strategies/weekly/runs/${run.run_id}/metrics`, { token: a });
  assert.equal(m.status, 200, m.text);
  const { sample, returns: r } = m.body.metrics;
  assert.ok(Math.abs(sample.effective_history_years - (364 * 53) / (366 * 52)) <= 1e-15);
  assert.ok(Math.abs(sample.n_trades_per_year - 366 / 7) <= 1e-13);
  assert.equal(r.max_time_under_water_days, 28);
  // The report of the same run: P = 52 from the weekly dates, the one drawdown dated.
  const rep = await w.api("GET", `${run.links.status}/report`, { token: a });
  assert.equal(rep.body.report.conventions.periods_per_year, 52);
  assert.deepEqual(
    rep.body.report.drawdowns.episodes.map((e) => [e.peak_at, e.end_at, e.length_days]),
    [["2024-03-08T21:00:00Z", "2024-04-05T21:00:00Z", 28]],
  );
});
