// /openapi.json is the one description of the API: every route the worker has is documented, and
// every response the worker gives (method, path, status) is a documented one, with error bodies
// matching the Error schema and success bodies matching their component schema.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020.js";
import { boot, bundle, cleanupBuild, seen, T } from "./helpers.mjs";
import { ROUTES } from "../src/routes.js";

let w;
let doc;
before(async () => {
  // A small body cap, so the 413 case sends a small oversized body: with the default 10 MB cap the
  // worker refuses from Content-Length while the client is still streaming, and the connection
  // can close under it.
  w = await boot({ vars: { DEFER_MS: "200", MAX_BODY_BYTES: "200000" } });
  doc = (await w.api("GET", "/openapi.json")).body;
});
after(async () => {
  await w.stop();
  cleanupBuild();
});

function template(p) {
  const candidates = Object.keys(doc.paths).filter((t) => {
    const a = t.split("/");
    const b = p.split("/");
    return a.length === b.length && a.every((s, i) => s.startsWith("{") || s === b[i]);
  });
  // Prefer the most literal template (`/policy/versions` over a parameter).
  candidates.sort((x, y) => (x.match(/\{/g) ?? []).length - (y.match(/\{/g) ?? []).length);
  return candidates[0] ?? null;
}

test("every route of the router is documented and every documented operation is routed", () => {
  const documented = new Set();
  for (const [p, ops] of Object.entries(doc.paths)) for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${p}`);
  const routed = new Set(ROUTES.map(([m, p]) => `${m} ${p}`));
  const norm = (s) => s.replace(/\{[^}]+\}/g, "{}");
  assert.deepEqual([...routed].map(norm).sort(), [...documented].map(norm).sort());
});

test("every schema is a component with plain $refs that resolve (no embedded $id/$defs)", () => {
  const text = JSON.stringify(doc);
  assert.ok(!text.includes('"$defs"'), "no $defs");
  assert.ok(!text.includes('"$id"'), "no $id");
  const refs = new Set([...text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]));
  assert.ok(refs.size > 20);
  for (const r of refs) {
    assert.match(r, /^#\/components\/schemas\/[A-Za-z0-9._-]+$/);
    assert.ok(doc.components.schemas[r.slice(21)], `${r} resolves`);
  }
  for (const name of ["RunState", "EvaluationMetrics", "Submission", "Policy", "SafeId"]) assert.ok(doc.components.schemas[name], name);
  // Every link names an operation of the document.
  const ops = new Set(Object.values(doc.paths).flatMap((o) => Object.values(o).map((op) => op.operationId)));
  for (const o of Object.values(doc.paths).flatMap((x) => Object.values(x))) {
    for (const resp of Object.values(o.responses)) for (const l of Object.values(resp.links ?? {})) assert.ok(ops.has(l.operationId), l.operationId);
  }
});

test("a tour of the API: every response is documented, bodies match their schemas", async () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: "https://worldgate.invalid/openapi.json", components: doc.components });
  const a = T.alphaAdmin;
  seen.length = 0;
  await w.api("GET", "/healthz");
  await w.api("GET", "/worlds/alpha/activation");
  await w.api("GET", "/worlds/beta/activation", { token: a });
  await w.api("PUT", "/worlds/alpha/policy?dialect=qmtl", { token: a, body: { thresholds: { sharpe: { metric: "sharpe", min: 0.1 } } } });
  await w.api("PUT", "/worlds/alpha/policy?dialect=qmtl", { token: a, body: { thresholds: { sharpe: { metric: "sharpe", min: 0.1 } } } });
  await w.api("PUT", "/worlds/alpha/policy", { token: a, body: "{" });
  await w.api("PUT", "/worlds/alpha/policy", { token: a, body: "x", headers: { "content-type": "text/plain" } });
  await w.api("GET", "/worlds/alpha/policy", { token: a });
  await w.api("GET", "/worlds/alpha/policy?version=77", { token: a });
  await w.api("GET", "/worlds/alpha/policy/versions", { token: a });
  const up = await w.api("POST", "/worlds/alpha/runs", { token: a, body: bundle("alpha", ["o1"], 1) });
  await w.api("POST", "/worlds/alpha/runs", { token: a, body: bundle("alpha", ["o1"], 1) });
  await w.api("POST", "/worlds/alpha/runs", { token: a, body: bundle("alpha", ["o2"], 2), headers: { prefer: "respond-async" } });
  await w.api("POST", "/worlds/alpha/runs", { token: a, body: "nope" });
  await w.api("POST", "/worlds/alpha/runs", { token: a, body: { bundle_version: 1 } });
  await w.api("POST", "/worlds/alpha/runs", { token: a, body: "x".repeat(300 * 1024) });
  await w.api("POST", "/validate", { token: a, body: bundle("alpha", ["v"], 1) });
  await w.api("POST", "/validate", { token: a, body: { bundle_version: 1 } });
  const run = up.body.runs[0];
  for (const p of [run.links.status, run.links.metrics, run.links.history, run.links.snapshot, `${run.links.status}/series/returns`, `${run.links.status}/report`]) {
    await w.api("GET", p, { token: a });
  }
  await w.api("GET", "/worlds/alpha/strategies/o1/runs?limit=1", { token: a });
  await w.api("GET", "/worlds/alpha/strategies/o1/runs?limit=1000", { token: a });
  await w.api("GET", "/worlds/alpha/strategies/o1/runs/latest", { token: a });
  await w.api("GET", "/worlds/alpha/strategies/o1/runs/missing", { token: a });
  await w.api("GET", "/worlds/alpha/strategies/o2/runs/latest/metrics", { token: a });
  await w.api("GET", "/worlds/alpha/strategies/o2/runs/latest/report", { token: a });
  await w.api("GET", "/worlds/alpha/strategies/o1/runs/missing/report", { token: a });
  await w.api("POST", `${run.links.status}/transitions`, { token: a, body: { to: "activated" } });
  await w.api("POST", `${run.links.status}/transitions`, { token: a, body: { to: "activated" } });
  await w.api("POST", `${run.links.status}/transitions`, { token: a, body: { wrong: 1 } });
  await w.api("GET", "/worlds/alpha/activation", { token: a });
  await w.api("GET", "/worlds/alpha/snapshots/none", { token: a });
  await w.api("GET", "/worlds/.bad/activation", { token: a });

  const problems = [];
  for (const r of seen) {
    const t = template(r.path);
    if (!t) {
      problems.push(`${r.method} ${r.path}: no documented path`);
      continue;
    }
    const op = doc.paths[t][r.method.toLowerCase()];
    if (!op) {
      problems.push(`${r.method} ${t}: method not documented`);
      continue;
    }
    const resp = op.responses[String(r.status)];
    if (!resp) {
      problems.push(`${r.method} ${t}: status ${r.status} not documented`);
      continue;
    }
    const ref = resp.content?.["application/json"]?.schema?.$ref;
    if (ref && r.body !== null) {
      const validate = ajv.getSchema(`https://worldgate.invalid/openapi.json${ref}`);
      if (validate && !validate(r.body)) {
        problems.push(`${r.method} ${t} ${r.status}: body does not match ${ref}: ${ajv.errorsText(validate.errors)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  const statuses = new Set(seen.map((r) => r.status));
  for (const s of [200, 201, 202, 400, 401, 403, 404, 409, 413, 415, 422]) assert.ok(statuses.has(s), `tour covers ${s}`);
});
