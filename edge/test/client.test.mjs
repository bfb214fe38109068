// The package's `WorldgateClient` (pkg-config/client.js) against the edge in real workerd: every
// read, uploads (created, replayed, deferred with `wait`), the error document as a
// `WorldgateError`, retries on network failures and 5xx, timeouts.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { WorldgateClient, WorldgateError } from "worldgate";
import { boot, bundle, cleanupBuild, T } from "./helpers.mjs";

let w;
before(async () => {
  w = await boot({ vars: { DEFER_MS: "300" } });
});
after(async () => {
  await w.stop();
  cleanupBuild();
});

const client = (opts = {}) => new WorldgateClient({ baseUrl: w.url, token: T.alphaAdmin, ...opts });

/** Awaits `promise`, which must reject with a `WorldgateError` of `code` (and `status`). */
async function rejects(promise, code, status) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof WorldgateError, `expected a WorldgateError, got ${err}`);
  assert.equal(err.code, code, err.message);
  if (status !== undefined) assert.equal(err.status, status);
  return err;
}

describe("WorldgateClient against the edge", () => {
  let up;
  test("upload: 201 with the runs; the same bundle again is a replay", async () => {
    const b = bundle("alpha", ["cl-a", "cl-b"], 11);
    up = await client().upload(b);
    assert.equal(up.httpStatus, 201);
    assert.equal(up.world_id, "alpha");
    assert.equal(up.replayed, false);
    assert.deepEqual(up.runs.map((r) => r.strategy_id), ["cl-a", "cl-b"]);
    assert.deepEqual(up.runs.map((r) => r.status), ["evaluated", "evaluated"]);
    // JSON text and bytes upload the same bundle: replays of the first upload
    const again = await client().upload(new TextEncoder().encode(JSON.stringify(b)));
    assert.equal(again.httpStatus, 200);
    assert.equal(again.replayed, true);
    assert.deepEqual(again.runs.map((r) => r.run_id), up.runs.map((r) => r.run_id));
  });

  test("run / runs / metrics / history / snapshot / activation / policy read what was stored", async () => {
    const c = client();
    const [a] = up.runs;
    const latest = await c.run("alpha", "cl-a", "latest");
    assert.equal(latest.run_id, a.run_id);
    assert.deepEqual(await c.run("alpha", "cl-a", a.run_id), latest);
    const page = await c.runs("alpha", "cl-a", { limit: 5 });
    assert.equal(page.strategy_id, "cl-a");
    assert.ok(page.runs.some((r) => r.run_id === a.run_id));
    const m = await c.metrics("alpha", "cl-a");
    assert.equal(m.run_id, a.run_id);
    assert.equal(typeof m.evaluation, "object");
    const h = await c.history("alpha", "cl-a", a.run_id);
    assert.equal(h.revisions.at(-1).status, "evaluated");
    const sid = up.snapshot_ids[0];
    assert.equal(sid, `alpha-cl-a-${a.run_id}`);
    const snap = await c.snapshot("alpha", sid);
    assert.equal(snap.world_id, "alpha");
    assert.equal(snap.strategy_id, "cl-a");
    const act = await c.activation("alpha");
    assert.equal(act.world_id, "alpha");
    assert.ok(Array.isArray(act.active));
    const pol = await c.policy("alpha");
    assert.equal(pol.world_id, "alpha");
    assert.match(pol.ruleset_hash, /^sha256:[0-9a-f]{64}$/);
  });

  test("wait: a deferred upload (202, runs submitted) is polled until evaluated", async () => {
    const c = client({ pollIntervalMs: 50 });
    const r = await c.upload(bundle("alpha", ["cl-wait"], 12), { respondAsync: true, wait: true, idempotencyKey: "cl-wait-1" });
    assert.equal(r.httpStatus, 202);
    assert.deepEqual(r.runs.map((x) => x.status), ["evaluated"]);
    const fresh = await c.run("alpha", "cl-wait", r.runs[0].run_id);
    assert.equal(fresh.status, "evaluated");
    assert.ok(fresh.links.snapshot, "the evaluated run links its snapshot");
    // the same key again: the stored upload, not a second one
    const replay = await c.upload(bundle("alpha", ["cl-wait"], 12), { idempotencyKey: "cl-wait-1" });
    assert.equal(replay.replayed, true);
    assert.deepEqual(replay.runs.map((x) => x.run_id), r.runs.map((x) => x.run_id));
  });

  test("the edge's error document is a WorldgateError with code, path and status", async () => {
    const notFound = await rejects(client().run("alpha", "cl-none", "latest"), "E_RUN_NOT_FOUND", 404);
    assert.match(notFound.message, /cl-none/);
    await rejects(client({ token: undefined }).run("alpha", "cl-a"), "E_UNAUTHORIZED", 401);
    await rejects(client({ token: T.alphaRead }).upload(bundle("alpha", ["cl-x"])), "E_FORBIDDEN", 403);
    const bad = bundle("alpha", ["cl-bad"]);
    bad.submissions[0].returns[3] = "x";
    const schema = await rejects(client().upload(bad), "E_SCHEMA", 422);
    assert.equal(schema.path, "/submissions/0/returns/3");
    await rejects(client().run("alpha", "cl-a", "../x"), "E_ID_INVALID", 422);
    await rejects(client().upload({ submissions: [] }), "E_SCHEMA");
  });

  test("bad options are refused before any request", () => {
    assert.throws(() => new WorldgateClient({ baseUrl: "ftp://x" }), (e) => e instanceof WorldgateError && e.code === "E_INVALID_VALUE" && e.path === "/baseUrl");
    assert.throws(() => new WorldgateClient({ baseUrl: w.url, retries: -1 }), (e) => e.code === "E_INVALID_VALUE" && e.path === "/retries");
    assert.throws(() => new WorldgateClient({ baseUrl: w.url, timeoutMs: 0 }), (e) => e.path === "/timeoutMs");
  });
});

describe("WorldgateClient retries and timeouts", () => {
  /** A fetch that answers the first `n` calls with `fail()` and then goes to the edge. */
  const flaky = (n, fail) => {
    const calls = { count: 0 };
    const f = (url, init) => {
      calls.count += 1;
      return calls.count <= n ? fail() : fetch(url, init);
    };
    return { f, calls };
  };
  const networkError = () => Promise.reject(new TypeError("fetch failed"));
  const unavailable503 = () => Promise.resolve(new Response("<html>bad gateway</html>", { status: 503 }));

  test("network failures are retried, then succeed", async () => {
    const { f, calls } = flaky(2, networkError);
    const r = await client({ fetch: f, retries: 2 }).run("alpha", "cl-a");
    assert.equal(r.strategy_id, "cl-a");
    assert.equal(calls.count, 3);
  });

  test("5xx answers are retried, then succeed", async () => {
    const { f, calls } = flaky(1, unavailable503);
    const r = await client({ fetch: f, retries: 1 }).activation("alpha");
    assert.equal(r.world_id, "alpha");
    assert.equal(calls.count, 2);
  });

  test("out of retries: E_UNAVAILABLE, with the status of the last answer", async () => {
    const net = flaky(9, networkError);
    const e = await rejects(client({ fetch: net.f, retries: 1 }).run("alpha", "cl-a"), "E_UNAVAILABLE");
    assert.equal(net.calls.count, 2);
    assert.match(e.message, /cannot reach .* \(after 2 attempts\)/);
    const five = flaky(9, unavailable503);
    await rejects(client({ fetch: five.f, retries: 0 }).run("alpha", "cl-a"), "E_UNAVAILABLE", 503);
    assert.equal(five.calls.count, 1);
  });

  test("a 4xx is not retried", async () => {
    let count = 0;
    const f = (url, init) => {
      count += 1;
      return fetch(url, init);
    };
    await rejects(client({ fetch: f, retries: 3 }).run("alpha", "cl-none"), "E_RUN_NOT_FOUND", 404);
    assert.equal(count, 1);
  });

  test("a request with no answer is aborted after timeoutMs", async () => {
    let aborted = 0;
    const hang = (_url, init) =>
      new Promise((_, reject) => {
        init.signal.addEventListener("abort", () => {
          aborted += 1;
          reject(new DOMException("aborted", "AbortError"));
        });
      });
    const e = await rejects(client({ fetch: hang, retries: 1, timeoutMs: 20 }).run("alpha", "cl-a"), "E_UNAVAILABLE");
    assert.equal(aborted, 2);
    assert.match(e.message, /no answer within 20 ms/);
  });
});
