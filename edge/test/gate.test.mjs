// What the real engine's gate gives the API: claimed-metric checks, redaction before storage,
// deterministic digests and run ids, the world's activation state carried from upload to upload,
// and all of it across a restart of the runtime.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { boot, bundle, cleanupBuild, T, tempDir } from "./helpers.mjs";

const persist = tempDir();
let w;
before(async () => {
  w = await boot({ persist });
});
after(async () => {
  await w.stop();
  cleanupBuild();
});

const up = (world, body, token = T.alphaSubmit) => w.api("POST", `/worlds/${world}/runs`, { token, body });

describe("gate", () => {
  test("a claimed metric that disagrees with the series is 422 E_METRICS_MISMATCH at its path", async () => {
    const b = bundle("alpha", ["claims"], 41);
    b.submissions[0].metrics = { returns: { sample_count: 60, sharpe: 99 } }; // the series says ~0.6
    const r = await up("alpha", b);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.code, "E_METRICS_MISMATCH");
    assert.equal(r.body.path, "/submissions/0/metrics/returns/sharpe");
    assert.match(r.body.message, /`sharpe` 99 disagrees/);
    const v = await w.api("POST", "/validate?world=alpha", { token: T.alphaRead, body: b });
    assert.equal(v.status, 422);
    assert.equal(v.body.path, "/submissions/0/metrics/returns/sharpe");
    const none = await w.api("GET", "/worlds/alpha/strategies/claims/runs", { token: T.alphaRead });
    assert.deepEqual(none.body.runs, [], "nothing stored");
  });

  test("a secret in meta is redacted before storage: the snapshot never holds it", async () => {
    const secret = "AKIAIOSFODNN7EXAMPLE";
    const b = bundle("alpha", ["leaky"], 42);
    b.submissions[0].meta = { note: `deployed with key ${secret}`, password: "hunter2", path: "/home/alice/strat.py" };
    const r = await up("alpha", b);
    assert.equal(r.status, 201, r.text);
    const kinds = r.body.redactions.map((x) => `${x.path} ${x.kind}`).sort();
    assert.ok(kinds.includes("/submissions/0/meta/note aws_access_key_id"), kinds.join(", "));
    assert.ok(kinds.includes("/submissions/0/meta/password secret_field"), kinds.join(", "));
    const snap = await w.api("GET", r.body.runs[0].links.snapshot, { token: T.alphaRead });
    assert.equal(snap.status, 200);
    assert.ok(!snap.text.includes(secret) && !snap.text.includes("hunter2") && !snap.text.includes("alice"), snap.text);
    assert.match(snap.body.meta.note, /\[REDACTED:/);
    for (const p of [r.body.runs[0].links.status, r.body.runs[0].links.history, `/worlds/alpha/activation`]) {
      const x = await w.api("GET", p, { token: T.alphaRead });
      assert.ok(!x.text.includes(secret), p);
    }
  });

  test("an identical re-upload answers the same run ids and digests; the snapshot carries them", async () => {
    const b = bundle("alpha", ["idem1", "idem2"], 43);
    const a = await up("alpha", b);
    assert.equal(a.status, 201, a.text);
    const again = await up("alpha", b);
    assert.equal(again.status, 200);
    assert.equal(again.body.replayed, true);
    assert.equal(again.body.input_digest, a.body.input_digest);
    assert.equal(again.body.result_digest, a.body.result_digest);
    assert.equal(again.body.ruleset_hash, a.body.ruleset_hash);
    assert.deepEqual(again.body.runs, a.body.runs);
    // Run ids are the engine's, minted from the input digest: r-<16 hex>.
    for (const run of a.body.runs) {
      assert.match(run.run_id, /^r-[0-9a-f]{16}$/);
      assert.equal(run.input_digest, a.body.input_digest);
      const snap = await w.api("GET", run.links.snapshot, { token: T.alphaRead });
      assert.equal(snap.body.snapshot_id, `alpha-${run.strategy_id}-${run.run_id}`);
      assert.equal(snap.body.provenance.input_digest, a.body.input_digest);
      assert.equal(snap.body.provenance.result_digest, a.body.result_digest);
      assert.equal(snap.body.provenance.ruleset_hash, a.body.ruleset_hash);
      assert.equal(snap.body.metrics.returns.source, "returns");
    }
  });

  test("the bundle's world must be the URL's; a bundle cannot bring its own activation state", async () => {
    const other = await up("alpha", bundle("beta", ["x"], 44));
    assert.equal(other.status, 422, other.text);
    assert.equal(other.body.code, "E_INVALID_VALUE");
    assert.equal(other.body.path, "/world_id");
    const b = { ...bundle("alpha", ["x"], 44), previous: ["x"] };
    const prev = await up("alpha", b);
    assert.equal(prev.status, 422, prev.text);
    assert.equal(prev.body.code, "E_INVALID_VALUE");
    assert.equal(prev.body.path, "/previous");
    // A malformed body keeps the reader's error and position.
    const bad = await up("alpha", '{"bundle_version": 1,\n "world_id": "alpha", "submissions": [1,]}');
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.code, "E_PARSE");
    assert.match(bad.body.message, /line 2/);
  });

  test("the world's activation state carries from upload to upload; other strategies keep theirs", async () => {
    const first = await up("gamma", bundle("gamma", ["g1", "g2"], 45), T.gammaAdmin);
    assert.equal(first.status, 201, first.text);
    let act = (await w.api("GET", "/worlds/gamma/activation", { token: T.gammaAdmin })).body;
    const e1 = act.hysteresis.epoch;
    assert.ok(e1 >= 1);
    assert.deepEqual(Object.keys(act.hysteresis.strategies).sort(), ["g1", "g2"]);
    const g2 = act.hysteresis.strategies.g2;
    const second = await up("gamma", bundle("gamma", ["g1"], 46), T.gammaAdmin);
    assert.equal(second.status, 201, second.text);
    act = (await w.api("GET", "/worlds/gamma/activation", { token: T.gammaAdmin })).body;
    assert.equal(act.hysteresis.epoch, e1 + 1);
    assert.deepEqual(act.hysteresis.strategies.g2, g2, "g2 was not in the upload");
    assert.deepEqual(act.last_decision.input_digest, second.body.input_digest);
    // The state reaches the gate as an option, not inside the upload: the input digest depends
    // on the upload's bytes alone. Identical bytes replay, and so does a reformatted copy gated
    // in another state; the digest is the one of the bundle gated as it is, with no world.
    assert.equal((await up("gamma", bundle("gamma", ["g1"], 46), T.gammaAdmin)).status, 200);
    const copy = await up("gamma", JSON.stringify(bundle("gamma", ["g1"], 46), null, 2), T.gammaAdmin);
    assert.equal(copy.status, 200, copy.text);
    assert.equal(copy.body.replayed, true);
    assert.equal(copy.body.input_digest, second.body.input_digest);
    const plain = await w.api("POST", "/validate", { token: T.alphaRead, body: bundle("gamma", ["g1"], 46) });
    assert.equal(plain.status, 200, plain.text);
    assert.equal(plain.body.input_digest, second.body.input_digest);
  });

  test("a restart between write and read loses nothing and keeps replaying", async () => {
    const b = bundle("alpha", ["rs"], 47);
    const a = await up("alpha", b);
    assert.equal(a.status, 201, a.text);
    const run = a.body.runs[0];
    const reads = async () => ({
      status: (await w.api("GET", run.links.status, { token: T.alphaRead })).body,
      metrics: (await w.api("GET", run.links.metrics, { token: T.alphaRead })).body,
      snapshot: (await w.api("GET", run.links.snapshot, { token: T.alphaRead })).body,
      activation: (await w.api("GET", "/worlds/alpha/activation", { token: T.alphaRead })).body,
    });
    const before = await reads();
    await w.stop();
    w = await boot({ persist });
    assert.deepEqual(await reads(), before);
    const again = await up("alpha", b);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.runs, a.body.runs);
    assert.equal(again.body.input_digest, a.body.input_digest);
  });
});
