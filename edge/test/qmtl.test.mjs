// QMTL's evaluation-run surface (`/qmtl`), driven exactly as QMTL's own clients drive it: the CLI
// `qmtl world run-status <w> --strategy <s> [--run latest] [--metrics]` and the SDK's
// `wait_for_evaluation_run` (QMTL_GATEWAY_URL = <origin>/qmtl, no Authorization header, the
// requests and fields of ../shared/QMTL-CONTRACT.md §3). Every answer is also checked against
// the OpenAPI document's schema for its path and status.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import { boot, bundle, cleanupBuild, seen, T } from "./helpers.mjs";

const sample = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), "sample");
const sampleBundle = (name, world) => ({ ...JSON.parse(fs.readFileSync(path.join(sample, name), "utf8")), world_id: world });

let w;
let base;
let doc;
let ajv;
before(async () => {
  // alpha (qmtl policy) and gamma (strict default policy) allow anonymous reads; beta does not.
  // Deferred uploads stay `submitted` for the whole test (DEFER_MS).
  w = await boot({ vars: { ANONYMOUS_READ_WORLDS: "alpha, gamma", DEFER_MS: "600000" } });
  base = `${w.url}/qmtl`;
  doc = (await w.api("GET", "/openapi.json")).body;
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: "https://worldgate.invalid/openapi.json", components: doc.components });

  const a = T.alphaAdmin;
  const policy = fs.readFileSync(path.join(sample, "policy.json"), "utf8");
  assert.equal((await w.api("PUT", "/worlds/alpha/policy?dialect=qmtl", { token: a, body: policy })).status, 201);
  const b1 = sampleBundle("bundle-1.json", "alpha");
  b1.submissions[0].meta = { ...b1.submissions[0].meta, risk_tier: "low", model_card_version: "mc-7" };
  assert.equal((await w.api("POST", "/worlds/alpha/runs", { token: a, body: b1 })).status, 201);
  assert.equal((await w.api("POST", "/worlds/alpha/runs", { token: a, body: sampleBundle("bundle-3.json", "alpha") })).status, 201);
  const deferred = await w.api("POST", "/worlds/alpha/runs", {
    token: a,
    body: bundle("alpha", ["later"], 5, 80),
    headers: { prefer: "respond-async" },
  });
  assert.equal(deferred.status, 202);
  assert.equal((await w.api("POST", "/worlds/gamma/runs", { token: T.gammaAdmin, body: bundle("gamma", ["s1"], 3, 300) })).status, 201);
  assert.equal((await w.api("POST", "/worlds/beta/runs", { token: T.betaAdmin, body: bundle("beta", ["s1"], 3) })).status, 201);
});
after(async () => {
  await w.stop();
  cleanupBuild();
});

/** `httpx.get` as QMTL's clients call it: no Authorization header; `{status, body}` (body parsed JSON). */
async function qget(p) {
  const res = await fetch(base + p);
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  seen.push({ method: "GET", path: `/qmtl${p}`, status: res.status, body });
  return { status: res.status, body };
}

/** QMTL's `_pick_latest_run_id`: the greatest `(updated_at, created_at)` of a list. */
function pickLatest(runs) {
  if (!Array.isArray(runs) || runs.length === 0) return null;
  const key = (r) => [String(r.updated_at ?? ""), String(r.created_at ?? "")];
  let best = null;
  for (const r of runs) {
    if (!r || typeof r !== "object") continue;
    const [u, c] = key(r);
    if (best === null || u > best.k[0] || (u === best.k[0] && c > best.k[1])) best = { r, k: [u, c] };
  }
  return best?.r.run_id ?? null;
}

/** `qmtl world run-status <world> --strategy <sid> --run <run> [--metrics]`: what it prints, as fields. */
async function runStatus(world, strategy, run = "latest", metrics = false) {
  let runId = run;
  const enc = encodeURIComponent;
  if (runId === "latest") {
    const list = await qget(`/worlds/${enc(world)}/strategies/${enc(strategy)}/runs`);
    if (list.status >= 400) return { error: list.body?.detail ?? list.status };
    runId = pickLatest(list.body);
    if (!runId) return { error: "No evaluation runs found" };
  }
  const rec = await qget(`/worlds/${enc(world)}/strategies/${enc(strategy)}/runs/${enc(runId)}`);
  if (rec.status === 404) return { error: `Evaluation run not found: ${runId}` };
  if (rec.status >= 400) return { error: rec.body?.detail ?? rec.status };
  const r = rec.body;
  const out = {
    run: r.run_id,
    stage: r.stage,
    risk: r.risk_tier,
    status: r.summary?.status,
    reco: r.summary?.recommended_stage,
    override: r.summary?.override_status,
    policy: r.validation?.policy_version,
  };
  if (metrics) {
    const m = await qget(`/worlds/${enc(world)}/strategies/${enc(strategy)}/runs/${enc(runId)}/metrics`);
    if (m.status === 409) out.metrics = "not available (run not evaluated yet)";
    else if (m.status >= 400) out.metrics = { error: m.body?.detail };
    else {
      const x = m.body.metrics ?? {};
      out.metrics = {
        sharpe: x.returns?.sharpe,
        max_dd: x.returns?.max_drawdown,
        history_years: x.sample?.effective_history_years,
        trades: x.sample?.n_trades_total,
      };
    }
  }
  return out;
}

/** The SDK's `_run_ready`: summary status or recommended stage set, or metrics a non-empty object. */
function ready(payload) {
  const s = payload?.summary;
  if (s && typeof s === "object" && (s.status || s.recommended_stage)) return true;
  const m = payload?.metrics;
  return !!m && typeof m === "object" && !Array.isArray(m) && Object.keys(m).length > 0;
}

/** One poll of `wait_for_evaluation_run` given a run URL: 404 → keep polling, ≥ 400 → raise. */
async function sdkPoll(runUrl) {
  const u = new URL(runUrl);
  const m = /^(.*)\/worlds\/([^/]+)\/strategies\/([^/]+)\/runs\/([^/]+)$/.exec(u.pathname);
  assert.ok(m, `SDK parses ${runUrl}`);
  const res = await fetch(`${u.origin}${m[1]}/worlds/${m[2]}/strategies/${m[3]}/runs/${m[4]}`);
  if (res.status === 404) return "poll";
  if (res.status >= 400) return `raise ${res.status}`;
  return ready(await res.json()) ? "ready" : "poll";
}

test("run-status --run latest --metrics on a qmtl-policy world, anonymously", async () => {
  const out = await runStatus("alpha", "beta_mkt_simple", "latest", true);
  assert.equal(out.error, undefined, JSON.stringify(out));
  // bundle-3 is the newer upload of beta_mkt_simple: `latest` is its run.
  const list = (await qget("/worlds/alpha/strategies/beta_mkt_simple/runs")).body;
  assert.ok(Array.isArray(list) && list.length === 2);
  const native = (await w.api("GET", "/worlds/alpha/strategies/beta_mkt_simple/runs", { token: T.alphaRead })).body.runs;
  assert.equal(out.run, native[0].run_id);
  assert.equal(out.stage, "backtest");
  assert.equal(out.risk, "high"); // bundle-3 names no risk tier: the documented default
  assert.ok(["pass", "warn", "fail"].includes(out.status), out.status);
  assert.ok(["backtest_only", "paper_only", "paper_ok_live_candidate"].includes(out.reco), String(out.reco));
  assert.equal(out.override, "none");
  assert.equal(out.policy, "1");
  for (const k of ["sharpe", "max_dd", "history_years", "trades"]) assert.equal(typeof out.metrics[k], "number", k);
  // bundle-3: 250 daily returns → 250 / 252 years, QMTL's n_trades_total = n.
  assert.equal(out.metrics.trades, 250);
  assert.equal(out.metrics.history_years, 250 / 252);
  // The verdict and the native document agree.
  const status = (await w.api("GET", `/worlds/alpha/strategies/beta_mkt_simple/runs/${out.run}/metrics`, { token: T.alphaRead })).body;
  const verdict = status.evaluation.gating.verdict;
  assert.equal(out.status, { valid: "pass", warn: "warn", invalid: "fail" }[verdict]);
  assert.equal(out.metrics.sharpe, status.evaluation.v15.returns.sharpe);
});

test("the older run: risk tier and model card from the submission's meta", async () => {
  const list = (await qget("/worlds/alpha/strategies/beta_mkt_simple/runs")).body;
  const older = list[0];
  assert.equal(older.risk_tier, "low");
  assert.equal(older.model_card_version, "mc-7");
  assert.equal(older.status, "evaluated");
  assert.deepEqual(older.links, {
    metrics: `/worlds/alpha/strategies/beta_mkt_simple/runs/${older.run_id}/metrics`,
    history: `/worlds/alpha/strategies/beta_mkt_simple/runs/${older.run_id}/history`,
  });
  assert.ok(Object.keys(older.validation.results).includes("performance"));
  assert.match(older.validation.ruleset_hash, /^sha256:[0-9a-f]{64}$/);
});

test("a strict-policy world: the v1.5 blocks are computed, so --metrics prints all four", async () => {
  const out = await runStatus("gamma", "s1", "latest", true);
  assert.equal(out.error, undefined, JSON.stringify(out));
  assert.equal(out.policy, "0"); // the world's built-in default policy
  assert.equal(out.metrics.trades, 300);
  assert.equal(out.metrics.history_years, 300 / 252);
  assert.equal(typeof out.metrics.sharpe, "number");
  assert.equal(typeof out.metrics.max_dd, "number");
});

test("SDK readiness: met for an evaluated run, not for a deferred one; a missing run keeps polling", async () => {
  const list = (await qget("/worlds/alpha/strategies/beta_mkt_simple/runs")).body;
  assert.equal(await sdkPoll(`${base}/worlds/alpha/strategies/beta_mkt_simple/runs/${list[1].run_id}`), "ready");
  const later = (await qget("/worlds/alpha/strategies/later/runs")).body;
  assert.equal(later.length, 1);
  assert.equal(later[0].status, "evaluating");
  assert.equal(later[0].metrics, null);
  assert.equal(ready(later[0]), false);
  assert.equal(await sdkPoll(`${base}/worlds/alpha/strategies/later/runs/${later[0].run_id}`), "poll");
  assert.equal(await sdkPoll(`${base}/worlds/alpha/strategies/later/runs/nope`), "poll");
  // The CLI on the deferred run: no status yet, metrics not available.
  const out = await runStatus("alpha", "later", "latest", true);
  assert.equal(out.status, null);
  assert.equal(out.metrics, "not available (run not evaluated yet)");
});

test("404 and 409 carry QMTL's `detail`", async () => {
  const missing = await qget("/worlds/alpha/strategies/beta_mkt_simple/runs/no-such-run");
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { detail: "evaluation run not found" });
  // `latest` is an ordinary id on QMTL's server.
  assert.deepEqual((await qget("/worlds/alpha/strategies/beta_mkt_simple/runs/latest")).body, { detail: "evaluation run not found" });
  const later = (await qget("/worlds/alpha/strategies/later/runs")).body[0];
  const m = await qget(`/worlds/alpha/strategies/later/runs/${later.run_id}/metrics`);
  assert.equal(m.status, 409);
  assert.deepEqual(m.body, { detail: { code: "E_RUN_NOT_EVALUATED", message: "evaluation run has no metrics yet" } });
  const none = await runStatus("alpha", "nobody", "latest");
  assert.equal(none.error, "No evaluation runs found");
  const bad = await qget("/worlds/alpha/strategies/.bad/runs");
  assert.equal(bad.status, 422);
  assert.equal(bad.body.detail.code, "E_ID_INVALID");
});

test("anonymous reads only where the world allows them; writes always need a token", async () => {
  const denied = await qget("/worlds/beta/strategies/s1/runs");
  assert.equal(denied.status, 401);
  assert.equal(denied.body.detail.code, "E_UNAUTHORIZED");
  const out = await runStatus("beta", "s1", "latest");
  assert.equal(out.error.code, "E_UNAUTHORIZED");
  // With a token the same world reads.
  const r = await fetch(`${base}/worlds/beta/strategies/s1/runs`, { headers: { authorization: `Bearer ${T.betaAdmin}` } });
  assert.equal(r.status, 200);
  assert.equal((await r.json()).length, 1);
  // The native API follows the same rule.
  assert.equal((await w.api("GET", "/worlds/alpha/activation")).status, 200);
  assert.equal((await w.api("GET", "/worlds/beta/activation")).status, 401);
  // A wrong token is refused even on an anonymous world.
  assert.equal((await w.api("GET", "/qmtl/worlds/alpha/strategies/s1/runs", { token: "nope" })).status, 401);
  const list = (await qget("/worlds/alpha/strategies/beta_mkt_simple/runs")).body;
  const p = `/qmtl/worlds/alpha/strategies/beta_mkt_simple/runs/${list[0].run_id}/override`;
  const anon = await w.api("POST", p, { body: { status: "rejected" } });
  assert.equal(anon.status, 401);
  assert.equal((await w.api("POST", p, { token: T.alphaRead, body: { status: "rejected" } })).status, 403);
});

test("override and ex-post failures append history and leave metrics and decision unchanged", async () => {
  const list = (await qget("/worlds/alpha/strategies/beta_mkt_simple/runs")).body;
  const id = list[0].run_id;
  const p = `/qmtl/worlds/alpha/strategies/beta_mkt_simple/runs/${id}`;
  const metricsBefore = (await qget(`/worlds/alpha/strategies/beta_mkt_simple/runs/${id}/metrics`)).body;
  const historyBefore = (await qget(`/worlds/alpha/strategies/beta_mkt_simple/runs/${id}/history`)).body;
  const nativeBefore = (await w.api("GET", `/worlds/alpha/strategies/beta_mkt_simple/runs/${id}/metrics`, { token: T.alphaRead })).body;

  const incomplete = await w.api("POST", `${p}/override`, { token: T.alphaAdmin, body: { status: "approved", reason: "desk call" } });
  assert.equal(incomplete.status, 422);
  assert.match(incomplete.body.detail.message, /missing: actor, timestamp/);
  const unknown = await w.api("POST", `${p}/override`, { token: T.alphaAdmin, body: { status: "maybe" } });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.detail.path, "/status");
  // An unknown key is ignored, as QMTL's pydantic model ignores it, and never stored.
  const extra = await w.api("POST", `${p}/override`, { token: T.alphaAdmin, body: { status: "none", ticket: "R-7" } });
  assert.equal(extra.status, 200);
  assert.ok(!JSON.stringify(extra.body).includes("R-7"));

  const o = await w.api("POST", `${p}/override`, {
    token: T.alphaAdmin,
    body: { status: "approved", reason: "desk call", actor: "risk-lead", timestamp: "2026-01-05T10:00:00Z" },
  });
  assert.equal(o.status, 200);
  assert.equal(o.body.summary.override_status, "approved");
  assert.equal(o.body.summary.override_actor, "risk-lead");
  assert.equal(o.body.summary.override_timestamp, "2026-01-05T10:00:00Z");
  // The same status again records nothing.
  const again = await w.api("POST", `${p}/override`, {
    token: T.alphaAdmin,
    body: { status: "approved", reason: "x", actor: "y", timestamp: "2026-01-06T00:00:00Z" },
  });
  assert.equal(again.body.summary.override_reason, "desk call");
  const f = await w.api("POST", `${p}/ex-post-failures`, {
    token: T.alphaAdmin,
    body: { category: "execution", reason_code: "slippage_spike", actor: "monitor", severity: "high" },
  });
  assert.equal(f.status, 200);
  assert.equal(f.body.summary.ex_post_failures.length, 1);
  assert.equal(f.body.summary.ex_post_failures[0].case_id, "case-1");
  assert.equal(f.body.summary.ex_post_failures[0].status, "confirmed");
  assert.equal((await w.api("POST", `${p}/ex-post-failures`, { token: T.alphaAdmin, body: { category: " ", reason_code: "x", actor: "m" } })).status, 422);

  const metricsAfter = (await qget(`/worlds/alpha/strategies/beta_mkt_simple/runs/${id}/metrics`)).body;
  assert.deepEqual(metricsAfter.metrics, metricsBefore.metrics);
  assert.deepEqual(metricsAfter.validation, metricsBefore.validation);
  assert.equal(metricsAfter.summary.status, metricsBefore.summary.status);
  const nativeAfter = (await w.api("GET", `/worlds/alpha/strategies/beta_mkt_simple/runs/${id}/metrics`, { token: T.alphaRead })).body;
  assert.deepEqual(nativeAfter, nativeBefore);

  const history = (await qget(`/worlds/alpha/strategies/beta_mkt_simple/runs/${id}/history`)).body;
  assert.equal(history.length, historyBefore.length + 2);
  assert.deepEqual(history.slice(0, historyBefore.length), historyBefore);
  const [h1, h2] = history.slice(-2);
  assert.equal(h1.payload.summary.override_status, "approved");
  assert.equal(h1.payload.summary.ex_post_failures, undefined);
  assert.equal(h2.payload.summary.ex_post_failures.length, 1);
  assert.deepEqual(h2.payload.metrics, metricsBefore.metrics);
  assert.deepEqual(history.map((h) => h.revision), history.map((_, i) => i + 1));
  // The annotated run is now the latest by (updated_at, created_at), as QMTL orders it.
  const cli = await runStatus("alpha", "beta_mkt_simple", "latest");
  assert.equal(cli.run, id);
  assert.equal(cli.override, "approved");
  // The native history shows the appended revisions too (one store).
  const native = (await w.api("GET", `/worlds/alpha/strategies/beta_mkt_simple/runs/${id}/history`, { token: T.alphaRead })).body;
  assert.equal(native.revisions.length, history.length);
  assert.match(native.revisions.at(-1).reason, /ex-post failure: slippage_spike/);
});

test("every QMTL answer of this file is documented, with a body matching its schema", () => {
  const problems = [];
  for (const r of seen.filter((s) => s.path.startsWith("/qmtl/"))) {
    const t = Object.keys(doc.paths).find((tp) => new RegExp(`^${tp.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(r.path));
    const op = t && doc.paths[t][r.method.toLowerCase()];
    const resp = op?.responses[String(r.status)];
    if (!resp) {
      problems.push(`${r.method} ${r.path} ${r.status}: not documented`);
      continue;
    }
    const ref = resp.content?.["application/json"]?.schema?.$ref;
    const validate = ref && ajv.getSchema(`https://worldgate.invalid/openapi.json${ref}`);
    if (validate && !validate(r.body)) problems.push(`${r.method} ${t} ${r.status}: ${ajv.errorsText(validate.errors)}`);
  }
  assert.deepEqual(problems, []);
  assert.ok(seen.filter((s) => s.path.startsWith("/qmtl/")).length > 20);
});
