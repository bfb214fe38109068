// Every endpoint, status and error code of the edge API, against the worker in real workerd.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { boot, bundle, cleanupBuild, T } from "./helpers.mjs";

let w;
before(async () => {
  w = await boot({ vars: { MAX_BODY_BYTES: "200000", SERIES_INLINE_MAX: "2000", DEFER_MS: "1500" } });
});
after(async () => {
  await w.stop();
  cleanupBuild();
});

const errorOf = (r, status, code) => {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  assert.equal(r.body.code, code, r.text);
  assert.equal(typeof r.body.message, "string");
  assert.equal(typeof r.body.path, "string");
  assert.ok(!/\bat .+:\d+:\d+/.test(r.text), "no stack trace in an error body");
};

describe("service", () => {
  test("healthz and openapi answer without a token", async () => {
    const h = await w.api("GET", "/healthz");
    assert.equal(h.status, 200);
    assert.equal(h.body.ok, true);
    assert.equal(typeof h.body.engine, "string");
    const o = await w.api("GET", "/openapi.json");
    assert.equal(o.status, 200);
    assert.equal(o.body.openapi, "3.1.0");
  });

  test("unknown route is 404 E_NOT_FOUND, wrong method is 405 with Allow", async () => {
    errorOf(await w.api("GET", "/nope"), 404, "E_NOT_FOUND");
    const r = await w.api("DELETE", "/worlds/alpha/policy", { token: T.alphaAdmin });
    errorOf(r, 405, "E_METHOD_NOT_ALLOWED");
    assert.match(r.headers.get("allow"), /GET/);
    assert.match(r.headers.get("allow"), /PUT/);
  });

  test("CORS: the configured origin is allowed, others get no CORS headers", async () => {
    const pre = await fetch(`${w.url}/worlds/alpha/runs`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "http://localhost:5173");
    assert.match(pre.headers.get("access-control-allow-headers"), /authorization/);
    const other = await fetch(`${w.url}/healthz`, { headers: { origin: "https://evil.example" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const get = await fetch(`${w.url}/healthz`, { headers: { origin: "http://127.0.0.1:5173" } });
    assert.equal(get.headers.get("access-control-allow-origin"), "http://127.0.0.1:5173");
  });
});

describe("auth", () => {
  test("missing or unknown token is 401 with a Bearer challenge", async () => {
    const r = await w.api("GET", "/worlds/alpha/activation");
    errorOf(r, 401, "E_UNAUTHORIZED");
    assert.match(r.headers.get("www-authenticate"), /^Bearer/);
    errorOf(await w.api("GET", "/worlds/alpha/activation", { token: "nope" }), 401, "E_UNAUTHORIZED");
    errorOf(await w.api("GET", "/worlds/alpha/activation", { headers: { authorization: "Basic abc" } }), 401, "E_UNAUTHORIZED");
    errorOf(await w.api("POST", "/validate", { body: bundle("alpha", ["s"]) }), 401, "E_UNAUTHORIZED");
  });

  test("a token for world A is 403 on world B", async () => {
    errorOf(await w.api("GET", "/worlds/beta/activation", { token: T.alphaAdmin }), 403, "E_FORBIDDEN");
    errorOf(await w.api("POST", "/worlds/beta/runs", { token: T.alphaAdmin, body: bundle("beta", ["s"]) }), 403, "E_FORBIDDEN");
    errorOf(await w.api("GET", "/worlds/alpha/policy", { token: T.betaAdmin }), 403, "E_FORBIDDEN");
    errorOf(await w.api("POST", "/validate?world=beta", { token: T.alphaRead, body: bundle("beta", ["s"]) }), 403, "E_FORBIDDEN");
    assert.equal((await w.api("GET", "/worlds/beta/activation", { token: T.betaAdmin })).status, 200);
  });

  test("scopes: read cannot submit, submit cannot transition or change policy", async () => {
    errorOf(await w.api("POST", "/worlds/alpha/runs", { token: T.alphaRead, body: bundle("alpha", ["s"]) }), 403, "E_FORBIDDEN");
    errorOf(await w.api("PUT", "/worlds/alpha/policy", { token: T.alphaSubmit, body: {} }), 403, "E_FORBIDDEN");
    errorOf(
      await w.api("POST", "/worlds/alpha/strategies/s/runs/r/transitions", { token: T.alphaSubmit, body: { to: "activated" } }),
      403,
      "E_FORBIDDEN",
    );
    assert.equal((await w.api("GET", "/worlds/alpha/activation", { token: T.alphaSubmit })).status, 200);
  });
});

describe("uploads", () => {
  let up;
  test("upload answers 201 with runs, digests, decision and links", async () => {
    up = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("alpha", ["s1", "s2"], 1) });
    assert.equal(up.status, 201, up.text);
    assert.equal(up.body.world_id, "alpha");
    assert.match(up.body.input_digest, /^sha256:/);
    assert.match(up.body.result_digest, /^sha256:/);
    assert.match(up.body.ruleset_hash, /^sha256:/);
    assert.equal(up.body.replayed, false);
    assert.equal(up.body.runs.length, 2);
    for (const r of up.body.runs) {
      assert.equal(r.world_id, "alpha");
      assert.equal(r.status, "evaluated");
      assert.equal(r.ruleset_hash, up.body.ruleset_hash);
      assert.ok(r.links.status && r.links.metrics && r.links.snapshot && r.links.history);
    }
  });

  test("status, metrics, snapshot, history and latest are readable through the links", async () => {
    const run = up.body.runs[0];
    const s = await w.api("GET", run.links.status, { token: T.alphaRead });
    assert.equal(s.status, 200);
    assert.deepEqual(s.body, run);
    const m = await w.api("GET", run.links.metrics, { token: T.alphaRead });
    assert.equal(m.status, 200);
    assert.equal(m.body.run_id, run.run_id);
    assert.equal(m.body.status, "evaluated");
    assert.equal(typeof m.body.evaluation, "object");
    const snap = await w.api("GET", run.links.snapshot, { token: T.alphaRead });
    assert.equal(snap.status, 200);
    assert.equal(snap.body.run_id, run.run_id);
    assert.deepEqual(snap.body.metrics, m.body.evaluation);
    const h = await w.api("GET", run.links.history, { token: T.alphaRead });
    assert.equal(h.status, 200);
    assert.equal(h.body.revisions.length, 1);
    assert.equal(h.body.revisions[0].status, "evaluated");
    const latest = await w.api("GET", `/worlds/alpha/strategies/${run.strategy_id}/runs/latest`, { token: T.alphaRead });
    assert.equal(latest.body.run_id, run.run_id);
    const lm = await w.api("GET", `/worlds/alpha/strategies/${run.strategy_id}/runs/latest/metrics`, { token: T.alphaRead });
    assert.deepEqual(lm.body, m.body);
  });

  test("identical bytes re-uploaded return the existing runs with 200", async () => {
    const again = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("alpha", ["s1", "s2"], 1) });
    assert.equal(again.status, 200);
    assert.equal(again.body.replayed, true);
    assert.equal(again.headers.get("x-worldgate-replayed"), "true");
    assert.deepEqual(again.body.runs.map((r) => r.run_id), up.body.runs.map((r) => r.run_id));
    const list = await w.api("GET", "/worlds/alpha/strategies/s1/runs", { token: T.alphaRead });
    assert.equal(list.body.runs.length, 1, "no duplicate run");
  });

  test("Idempotency-Key replays its answer and refuses a different body", async () => {
    const headers = { "idempotency-key": "ci-build-42" };
    const a = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("alpha", ["k1"], 7), headers });
    assert.equal(a.status, 201);
    assert.equal(a.headers.get("idempotency-key"), "ci-build-42");
    const b = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("alpha", ["k1"], 7), headers });
    assert.equal(b.status, 200);
    assert.deepEqual(b.body.runs.map((r) => r.run_id), a.body.runs.map((r) => r.run_id));
    const c = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("alpha", ["k1"], 8), headers });
    errorOf(c, 422, "E_INVALID_VALUE");
    errorOf(
      await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("alpha", ["k1"], 9), headers: { "idempotency-key": "" } }),
      422,
      "E_INVALID_VALUE",
    );
  });

  test("wrong content type is 415, malformed JSON 400, bad bundles 422 with code and path", async () => {
    errorOf(
      await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: "{}", headers: { "content-type": "text/plain" } }),
      415,
      "E_UNSUPPORTED_MEDIA_TYPE",
    );
    errorOf(await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: '{"bundle_version": 1, ' }), 400, "E_PARSE");
    const bad = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: { bundle_version: 1, world_id: "alpha", submissions: [] } });
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.body.code, "E_SCHEMA");
    assert.equal(bad.body.path, "/submissions");
    const badId = bundle("alpha", ["../etc"], 3);
    const r = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: badId });
    errorOf(r, 422, "E_ID_INVALID");
    assert.equal(r.body.path, "/submissions/0/strategy_id");
  });

  test("bodies over the limit are 413 from Content-Length and while streaming", async () => {
    const big = JSON.stringify(bundle("alpha", ["big"], 0, 30000));
    assert.ok(big.length > 200000);
    errorOf(await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: big }), 413, "E_TOO_LARGE");
    // Chunked, no Content-Length: refused once the streamed bytes pass the limit.
    const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream({
      async pull(controller) {
        // Paced, so the 413 (sent after ~4 chunks) arrives while the client is still sending.
        await new Promise((f) => setTimeout(f, 20));
        if (sent++ < 40) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${w.url}/worlds/alpha/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${T.alphaSubmit}`, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).code, "E_TOO_LARGE");
  });

  test("a bundle for another world than the URL's is refused", async () => {
    const r = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("beta", ["x"], 11) });
    assert.equal(r.status, 422, r.text);
  });

  test("ids are validated before storage: 422 E_ID_INVALID", async () => {
    errorOf(await w.api("GET", "/worlds/al%20pha/activation", { token: T.alphaRead }), 422, "E_ID_INVALID");
    const admin = { token: "tok-beta-admin" };
    errorOf(await w.api("GET", "/worlds/beta/strategies/..%2Fx/runs", admin), 422, "E_ID_INVALID");
    errorOf(await w.api("GET", "/worlds/beta/strategies/s/runs/%E2%80%AEevil", admin), 422, "E_ID_INVALID");
    errorOf(await w.api("GET", "/worlds/beta/snapshots/.hidden", admin), 422, "E_ID_INVALID");
  });

  test("unknown runs and snapshots are 404 E_RUN_NOT_FOUND", async () => {
    errorOf(await w.api("GET", "/worlds/alpha/strategies/s1/runs/nope", { token: T.alphaRead }), 404, "E_RUN_NOT_FOUND");
    errorOf(await w.api("GET", "/worlds/alpha/strategies/s1/runs/nope/metrics", { token: T.alphaRead }), 404, "E_RUN_NOT_FOUND");
    errorOf(await w.api("GET", "/worlds/alpha/strategies/s1/runs/nope/history", { token: T.alphaRead }), 404, "E_RUN_NOT_FOUND");
    errorOf(await w.api("GET", "/worlds/alpha/strategies/none/runs/latest", { token: T.alphaRead }), 404, "E_RUN_NOT_FOUND");
    errorOf(await w.api("GET", "/worlds/alpha/snapshots/nope", { token: T.alphaRead }), 404, "E_RUN_NOT_FOUND");
  });

  test("deferred upload: 202 at submitted, metrics 409 E_RUN_NOT_EVALUATED, then evaluated", async () => {
    const r = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("alpha", ["slow"], 5), headers: { prefer: "respond-async" } });
    assert.equal(r.status, 202, r.text);
    const run = r.body.runs[0];
    assert.equal(run.status, "submitted");
    assert.equal(r.headers.get("location"), run.links.status);
    errorOf(await w.api("GET", `${run.links.status}/metrics`, { token: T.alphaRead }), 409, "E_RUN_NOT_EVALUATED");
    errorOf(
      await w.api("POST", `${run.links.status}/transitions`, { token: T.alphaAdmin, body: { to: "activated" } }),
      409,
      "E_ILLEGAL_TRANSITION",
    );
    let status = run.status;
    for (let i = 0; i < 100 && status !== "evaluated"; i++) {
      await new Promise((f) => setTimeout(f, 100));
      status = (await w.api("GET", run.links.status, { token: T.alphaRead })).body.status;
    }
    assert.equal(status, "evaluated");
    assert.equal((await w.api("GET", `${run.links.status}/metrics`, { token: T.alphaRead })).status, 200);
    const h = await w.api("GET", `${run.links.status}/history`, { token: T.alphaRead });
    assert.deepEqual(h.body.revisions.map((x) => x.status), ["submitted", "backtest_running", "evaluating", "evaluated"]);
  });

  test("large series go to R2, small ones to the Durable Object; both are referenced and readable", async () => {
    const b = bundle("alpha", ["longseries"], 2, 800);
    b.submissions.push(bundle("alpha", ["shortseries"], 2, 20).submissions[0]);
    const r = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: b });
    assert.equal(r.status, 201, r.text);
    for (const [k, run] of r.body.runs.entries()) {
      const snap = await w.api("GET", run.links.snapshot, { token: T.alphaRead });
      const ref = snap.body.storage_refs.edge_returns_series;
      assert.match(ref, k === 0 ? /^r2:\/\/worldgate-series\// : /^do:\/\//);
      const s = await w.api("GET", `${run.links.status}/series/returns`, { token: T.alphaRead });
      assert.equal(s.status, 200);
      assert.equal(s.body.storage, k === 0 ? "r2" : "durable_object");
      assert.deepEqual(s.body.values, b.submissions[k].returns);
    }
    errorOf(await w.api("GET", `${r.body.runs[0].links.status}/series/secrets`, { token: T.alphaRead }), 404, "E_NOT_FOUND");
  });
});

describe("validate", () => {
  test("dry run gates and stores nothing", async () => {
    const b = bundle("gamma", ["dry"], 4);
    const r = await w.api("POST", "/validate", { token: T.alphaRead, body: b });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.stored, false);
    assert.match(r.body.input_digest, /^sha256:/);
    const w2 = await w.api("POST", "/validate?world=alpha", { token: T.alphaRead, body: bundle("alpha", ["dry"], 4) });
    assert.equal(w2.status, 200, w2.text);
    errorOf(await w.api("GET", "/worlds/alpha/strategies/dry/runs/latest", { token: T.alphaRead }), 404, "E_RUN_NOT_FOUND");
    errorOf(await w.api("POST", "/validate", { token: T.alphaRead, body: "[" }), 400, "E_PARSE");
    errorOf(await w.api("POST", "/validate", { token: T.alphaRead, body: "{}", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, "E_UNSUPPORTED_MEDIA_TYPE");
    const bad = await w.api("POST", "/validate", { token: T.alphaRead, body: { bundle_version: 1 } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, "E_SCHEMA");
  });
});

describe("state machine", () => {
  test("transitions follow the engine's state machine; activation supersedes the previous run", async () => {
    const a = (await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("alpha", ["sm"], 21) })).body.runs[0];
    const b = (await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("alpha", ["sm"], 22) })).body.runs[0];
    const go = (run, to, reason) => w.api("POST", `${run.links.status}/transitions`, { token: T.alphaAdmin, body: { to, reason } });
    const r1 = await go(a, "activated", "passed review");
    assert.equal(r1.status, 200, r1.text);
    assert.equal(r1.body.status, "activated");
    errorOf(await go(a, "activated"), 409, "E_ILLEGAL_TRANSITION");
    errorOf(await go(a, "rejected"), 409, "E_ILLEGAL_TRANSITION");
    const back = await go(a, "evaluated");
    assert.equal(back.status, 409);
    assert.ok(["E_ILLEGAL_TRANSITION", "E_RUN_IMMUTABLE"].includes(back.body.code), back.text);
    let act = await w.api("GET", "/worlds/alpha/activation", { token: T.alphaRead });
    assert.deepEqual(act.body.active.filter((x) => x.strategy_id === "sm").map((x) => x.run_id), [a.run_id]);
    assert.equal((await go(b, "activated")).status, 200);
    act = await w.api("GET", "/worlds/alpha/activation", { token: T.alphaRead });
    assert.deepEqual(act.body.active.filter((x) => x.strategy_id === "sm").map((x) => x.run_id), [b.run_id]);
    const old = await w.api("GET", a.links.status, { token: T.alphaRead });
    assert.equal(old.body.status, "expired");
    const hist = await w.api("GET", a.links.history, { token: T.alphaRead });
    assert.deepEqual(hist.body.revisions.map((x) => x.status), ["evaluated", "activated", "expired"]);
    assert.equal(hist.body.revisions[1].reason, "passed review");
    assert.equal(hist.body.revisions[1].actor, "alphaAdmin");
    // The metrics of a transitioned run are unchanged (immutable after evaluation).
    const m = await w.api("GET", a.links.metrics, { token: T.alphaRead });
    assert.equal(m.status, 200);
    assert.equal(m.body.status, "expired");
    const sub = await go(a, "submitted");
    assert.equal(sub.status, 409, sub.text);
  });

  test("transition bodies are checked: shape 422, JSON 400, unknown run 404", async () => {
    const run = (await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("alpha", ["tb"], 31) })).body.runs[0];
    const url = `${run.links.status}/transitions`;
    errorOf(await w.api("POST", url, { token: T.alphaAdmin, body: "{" }), 400, "E_PARSE");
    errorOf(await w.api("POST", url, { token: T.alphaAdmin, body: [] }), 422, "E_SCHEMA");
    errorOf(await w.api("POST", url, { token: T.alphaAdmin, body: { to: 3 } }), 422, "E_SCHEMA");
    errorOf(await w.api("POST", url, { token: T.alphaAdmin, body: { to: "rejected", because: "x" } }), 422, "E_SCHEMA");
    errorOf(await w.api("POST", url, { token: T.alphaAdmin, body: "{}", headers: { "content-type": "text/json" } }), 415, "E_UNSUPPORTED_MEDIA_TYPE");
    errorOf(await w.api("POST", "/worlds/alpha/strategies/tb/runs/none/transitions", { token: T.alphaAdmin, body: { to: "rejected" } }), 404, "E_RUN_NOT_FOUND");
    const nonsense = await w.api("POST", url, { token: T.alphaAdmin, body: { to: "flying" } });
    assert.ok([409, 422].includes(nonsense.status), nonsense.text);
    assert.equal((await w.api("POST", url, { token: T.alphaAdmin, body: { to: "rejected", reason: "below threshold" } })).status, 200);
  });
});

describe("pagination", () => {
  test("runs are listed newest first with an opaque cursor", async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) {
      const r = await w.api("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: bundle("alpha", ["pg"], 100 + i) });
      assert.equal(r.status, 201);
      ids.push(r.body.runs[0].run_id);
    }
    const got = [];
    let cursor = null;
    let pages = 0;
    do {
      const r = await w.api("GET", `/worlds/alpha/strategies/pg/runs?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: T.alphaRead });
      assert.equal(r.status, 200);
      assert.ok(r.body.runs.length <= 2);
      got.push(...r.body.runs.map((x) => x.run_id));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(got, [...ids].reverse());
    errorOf(await w.api("GET", "/worlds/alpha/strategies/pg/runs?limit=0", { token: T.alphaRead }), 422, "E_INVALID_VALUE");
    errorOf(await w.api("GET", "/worlds/alpha/strategies/pg/runs?limit=abc", { token: T.alphaRead }), 422, "E_INVALID_VALUE");
    errorOf(await w.api("GET", "/worlds/alpha/strategies/pg/runs?cursor=zzz", { token: T.alphaRead }), 422, "E_INVALID_VALUE");
    const empty = await w.api("GET", "/worlds/alpha/strategies/never/runs", { token: T.alphaRead });
    assert.deepEqual(empty.body.runs, []);
    assert.equal(empty.body.next_cursor, null);
  });
});

describe("policy", () => {
  test("versions are immutable; every run records the hash it was gated with", async () => {
    const p0 = await w.api("GET", "/worlds/beta/policy", { token: T.betaAdmin });
    assert.equal(p0.status, 200, p0.text);
    assert.equal(p0.body.version, 0);
    const policyA = JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(new URL("../sample/policy.json", import.meta.url), "utf8")));
    const v1 = await w.api("PUT", "/worlds/beta/policy?dialect=qmtl", { token: T.betaAdmin, body: policyA });
    assert.equal(v1.status, 201, v1.text);
    assert.equal(v1.body.version, 1);
    assert.match(v1.body.ruleset_hash, /^sha256:/);
    const same = await w.api("PUT", "/worlds/beta/policy?dialect=qmtl", { token: T.betaAdmin, body: policyA });
    assert.equal(same.status, 200);
    assert.equal(same.body.version, 1);
    const run1 = (await w.api("POST", "/worlds/beta/runs", { token: T.betaAdmin, body: bundle("beta", ["p"], 1) })).body;
    assert.equal(run1.policy_version, 1);
    assert.equal(run1.runs[0].ruleset_hash, v1.body.ruleset_hash);
    const policyB = { ...policyA, top_k: { metric: "sharpe", k: 1 } };
    const v2 = await w.api("PUT", "/worlds/beta/policy?dialect=qmtl", { token: T.betaAdmin, body: policyB });
    assert.equal(v2.status, 201, v2.text);
    assert.equal(v2.body.version, 2);
    assert.notEqual(v2.body.ruleset_hash, v1.body.ruleset_hash);
    const again1 = await w.api("GET", "/worlds/beta/policy?version=1", { token: T.betaAdmin });
    assert.deepEqual(again1.body, v1.body);
    const run2 = (await w.api("POST", "/worlds/beta/runs", { token: T.betaAdmin, body: bundle("beta", ["p"], 2) })).body;
    assert.equal(run2.runs[0].ruleset_hash, v2.body.ruleset_hash);
    const old = await w.api("GET", run1.runs[0].links.status, { token: T.betaAdmin });
    assert.equal(old.body.ruleset_hash, v1.body.ruleset_hash, "earlier run keeps its policy hash");
    const list = await w.api("GET", "/worlds/beta/policy/versions", { token: T.betaAdmin });
    assert.deepEqual(list.body.versions.map((v) => v.version), [1, 2]);
    errorOf(await w.api("GET", "/worlds/beta/policy?version=9", { token: T.betaAdmin }), 404, "E_POLICY_NOT_FOUND");
    errorOf(await w.api("GET", "/worlds/beta/policy?version=x", { token: T.betaAdmin }), 422, "E_INVALID_VALUE");
  });

  test("invalid policies are 422, malformed 400, wrong type 415, unknown dialect 422", async () => {
    const bad = await w.api("PUT", "/worlds/beta/policy", { token: T.betaAdmin, body: { thresholds: { s: { metric: "sharpe", mni: 1 } } } });
    assert.equal(bad.status, 422, bad.text);
    assert.ok(["E_POLICY_INVALID", "E_SCHEMA"].includes(bad.body.code), bad.text);
    errorOf(await w.api("PUT", "/worlds/beta/policy", { token: T.betaAdmin, body: "{" }), 400, "E_PARSE");
    errorOf(await w.api("PUT", "/worlds/beta/policy", { token: T.betaAdmin, body: "a=1", headers: { "content-type": "text/plain" } }), 415, "E_UNSUPPORTED_MEDIA_TYPE");
    errorOf(await w.api("PUT", "/worlds/beta/policy?dialect=cedar", { token: T.betaAdmin, body: {} }), 422, "E_INVALID_VALUE");
    const list = await w.api("GET", "/worlds/beta/policy/versions", { token: T.betaAdmin });
    assert.equal(list.body.versions.length, 2, "failed PUTs store nothing");
  });

  test("the engine's policy lint refuses what the lint vectors refuse (422 at the rule), storing nothing", async () => {
    const fs = await import("node:fs");
    const dir = new URL("../../tests/vectors/lint/", import.meta.url);
    let refused = 0;
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".json"))) {
      for (const c of JSON.parse(fs.readFileSync(new URL(f, dir), "utf8")).cases) {
        const [policy, options] = c.call.args;
        const firstError = c.expected_code ? { code: c.expected_code, path: c.expected_path } : c.expected?.errors?.[0];
        // the refusals of a policy alone (options are the CLI's and the package's, not the edge's)
        const refusal = c.expected?.ok === false || c.expected_code === "E_POLICY_INVALID";
        if (options !== undefined || !refusal) continue;
        const body = policy;
        const headers = typeof policy === "string" ? { "content-type": "application/yaml" } : {};
        const r = await w.api("PUT", "/worlds/beta/policy", { token: T.betaAdmin, body, headers });
        assert.equal(r.status, 422, `${c.name}: ${r.text}`);
        assert.equal(r.body.code, "E_POLICY_INVALID", c.name);
        if (firstError.path) assert.equal(r.body.path, firstError.path, c.name);
        if (firstError.help) assert.equal(r.body.help, firstError.help, c.name);
        refused++;
      }
    }
    assert.ok(refused >= 6, `only ${refused} lint vectors replayed`);
    const list = await w.api("GET", "/worlds/beta/policy/versions", { token: T.betaAdmin });
    assert.equal(list.body.versions.length, 2, "refused policies store nothing");
  });
});

describe("robustness", () => {
  test("no input produces a 500", async () => {
    const bodies = [
      "",
      "null",
      "[]",
      "\u0000\u0001",
      "{".repeat(20000),
      '{"bundle_version": 1e999}',
      '{"a":1,"a":2}',
      JSON.stringify({ bundle_version: 1, world_id: "alpha", submissions: [{ strategy_id: "x", returns: ["+inf"] }] }),
      JSON.stringify({ bundle_version: 1, world_id: "alpha", submissions: [{ strategy_id: "x", returns: [1, 2], metrics: { returns: { sharpe: 99 } } }] }),
      new Uint8Array([0xff, 0xfe, 0x00]),
    ];
    for (const body of bodies) {
      for (const p of ["/worlds/alpha/runs", "/validate"]) {
        const r = await w.api("POST", p, { token: T.alphaAdmin, body });
        assert.ok(r.status < 500, `${p} ${String(body).slice(0, 30)} → ${r.status} ${r.text}`);
        assert.match(r.body.code ?? "ok", /^(E_[A-Z_]+|ok)$/);
      }
    }
    for (const p of ["/worlds/%ZZ/activation", "/worlds//runs", "/worlds/alpha/strategies/%00/runs", "/" + "a/".repeat(500)]) {
      const r = await w.api("GET", p, { token: T.alphaAdmin });
      assert.ok(r.status < 500, `${p} → ${r.status}`);
    }
  });
});
