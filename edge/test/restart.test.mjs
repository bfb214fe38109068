// State survives a restart of the runtime: write, dispose workerd, start a new one on the same
// persist folder, read everything back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { boot, bundle, cleanupBuild, T, tempDir } from "./helpers.mjs";

test("runs, history, snapshots, policy, activation, idempotency and R2 series survive a restart", async () => {
  const persist = tempDir();
  const vars = { SERIES_INLINE_MAX: "1000" };
  let w = await boot({ persist, vars });
  const policy = { thresholds: { sharpe: { metric: "sharpe", min: 0.5 } }, top_k: { metric: "sharpe", k: 2 } };
  const pv = await w.api("PUT", "/worlds/alpha/policy?dialect=qmtl", { token: T.alphaAdmin, body: policy });
  assert.equal(pv.status, 201, pv.text);
  const b = bundle("alpha", ["r1", "r2"], 3, 400);
  const up = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: b, headers: { "idempotency-key": "k-restart" } });
  assert.equal(up.status, 201, up.text);
  const run = up.body.runs[0];
  assert.equal((await w.api("POST", `${run.links.status}/transitions`, { token: T.alphaAdmin, body: { to: "activated" } })).status, 200);
  const before = {
    status: (await w.api("GET", run.links.status, { token: T.alphaRead })).body,
    metrics: (await w.api("GET", run.links.metrics, { token: T.alphaRead })).body,
    snapshot: (await w.api("GET", run.links.snapshot, { token: T.alphaRead })).body,
    history: (await w.api("GET", run.links.history, { token: T.alphaRead })).body,
    activation: (await w.api("GET", "/worlds/alpha/activation", { token: T.alphaRead })).body,
    policy: (await w.api("GET", "/worlds/alpha/policy", { token: T.alphaRead })).body,
    series: (await w.api("GET", `${run.links.status}/series/returns`, { token: T.alphaRead })).body,
  };
  assert.equal(before.series.storage, "r2");
  await w.stop();

  w = await boot({ persist, vars });
  try {
    assert.deepEqual((await w.api("GET", run.links.status, { token: T.alphaRead })).body, before.status);
    assert.deepEqual((await w.api("GET", run.links.metrics, { token: T.alphaRead })).body, before.metrics);
    assert.deepEqual((await w.api("GET", run.links.snapshot, { token: T.alphaRead })).body, before.snapshot);
    assert.deepEqual((await w.api("GET", run.links.history, { token: T.alphaRead })).body, before.history);
    assert.deepEqual((await w.api("GET", "/worlds/alpha/activation", { token: T.alphaRead })).body, before.activation);
    assert.deepEqual((await w.api("GET", "/worlds/alpha/policy", { token: T.alphaRead })).body, before.policy);
    assert.deepEqual((await w.api("GET", `${run.links.status}/series/returns`, { token: T.alphaRead })).body, before.series);
    // Idempotency survives too: same key and bytes replay, no new run.
    const again = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: b, headers: { "idempotency-key": "k-restart" } });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.runs.map((r) => r.run_id), up.body.runs.map((r) => r.run_id));
    const list = await w.api("GET", "/worlds/alpha/strategies/r1/runs", { token: T.alphaRead });
    assert.equal(list.body.runs.length, 1);
  } finally {
    await w.stop();
    cleanupBuild();
  }
});
