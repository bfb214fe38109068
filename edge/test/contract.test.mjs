// The documented constraints are the server's: for each constrained parameter and body of
// /openapi.json, boundary values on both sides of each bound (taken from the document itself) are
// sent to the worker, and the server accepts exactly those the documented schema accepts
// (ajv on the served document decides "valid"; the server's 422/400/415 means "refused").
// A change to a validator in the engine or the router that the document does not follow (or the
// reverse) fails here.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020.js";
import { boot, bundle, cleanupBuild, T } from "./helpers.mjs";

let w;
let doc;
let ajv;
before(async () => {
  w = await boot({ vars: { DEFER_MS: "200" } });
  doc = (await w.api("GET", "/openapi.json")).body;
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: true });
  ajv.addSchema({ $id: "https://worldgate.invalid/openapi.json", components: doc.components });
});
after(async () => {
  await w.stop();
  cleanupBuild();
});

const a = T.alphaAdmin;
const REFUSED = new Set([400, 415, 422]);

/** The schema of parameter `name` of `method path`, with component refs resolvable by ajv. */
function paramSchema(p, method, name) {
  const param = doc.paths[p][method].parameters.find((x) => x.name === name);
  assert.ok(param, `${method} ${p} documents ${name}`);
  return param.schema;
}

function wrap(schema) {
  // Resolve `#/components/...` refs against the registered document.
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"https://worldgate.invalid/openapi.json#/components/'));
}
const compile = (schema) => ajv.compile(wrap(schema));

/** A query/path value as OpenAPI reads it: an integer schema sees numeric text as a number. */
function asTyped(schema, text) {
  if (schema.type === "integer" && /^-?\d+$/.test(text)) return Number(text);
  return text;
}

async function agree(label, schema, values, send) {
  const valid = compile(schema);
  const problems = [];
  for (const text of values) {
    const documented = valid(asTyped(schema, text));
    const res = await send(text);
    const refused = REFUSED.has(res.status);
    if (documented === refused) {
      problems.push(`${label} = ${JSON.stringify(text).slice(0, 60)}: document says ${documented ? "valid" : "invalid"}, server answered ${res.status} ${res.body?.code ?? ""}`);
    }
  }
  assert.deepEqual(problems, []);
}

/** Values around the bounds a string schema states (length and pattern). */
function idValues(schema) {
  const max = schema.maxLength;
  assert.equal(typeof max, "number", "ids have a documented maximum length");
  assert.equal(typeof schema.pattern, "string", "ids have a documented pattern");
  return ["a", "A-z_0.9:x", "x".repeat(max), "x".repeat(max + 1), ".hidden", "a b", "a/b", "é", "a\u202e", "-a", ":a", "a."];
}

test("path and query ids: the documented safe-id pattern and length are the engine's", async () => {
  const s = doc.components.schemas.SafeId;
  assert.equal(paramSchema("/worlds/{world}/activation", "get", "world").$ref, "#/components/schemas/SafeId");
  const values = idValues(s);
  // World ids (the token is for `alpha`; a world id that passes the check is then 403, not 422).
  await agree("world", s, values, (v) => w.api("GET", `/worlds/${encodeURIComponent(v)}/activation`, { token: a }));
  await agree("strategy", s, values, (v) => w.api("GET", `/worlds/alpha/strategies/${encodeURIComponent(v)}/runs`, { token: a }));
  await agree("run", s, values, (v) => w.api("GET", `/worlds/alpha/strategies/s/runs/${encodeURIComponent(v)}`, { token: a }));
  await agree("snapshot", s, values, (v) => w.api("GET", `/worlds/alpha/snapshots/${encodeURIComponent(v)}`, { token: a }));
  // `.` and `..` are URL dot segments in a path (resolved before routing); in a query they are ids.
  await agree("?world", paramSchema("/validate", "post", "world"), [...values, ".", ".."], (v) =>
    w.api("POST", `/validate?world=${encodeURIComponent(v)}`, { token: a, body: bundle(v, ["s"], 1) }),
  );
});

test("query bounds: limit, cursor and policy version", async () => {
  const limit = paramSchema("/worlds/{world}/strategies/{strategy}/runs", "get", "limit");
  await agree("limit", limit, ["0", "1", String(limit.maximum), String(limit.maximum + 1), "-1", "1.5", "x", ""], (v) =>
    w.api("GET", `/worlds/alpha/strategies/s/runs?limit=${encodeURIComponent(v)}`, { token: a }),
  );
  const cursor = paramSchema("/worlds/{world}/strategies/{strategy}/runs", "get", "cursor");
  assert.ok(cursor.minLength >= 1, "an empty cursor is documented as invalid");
  await agree("cursor", cursor, ["", "s1", "s" + "9".repeat(cursor.maxLength - 1), "s" + "9".repeat(cursor.maxLength), "s0", "zzz", "czox"], (v) =>
    w.api("GET", `/worlds/alpha/strategies/s/runs?cursor=${encodeURIComponent(v)}`, { token: a }),
  );
  const version = paramSchema("/worlds/{world}/policy", "get", "version");
  await agree(
    "version",
    version,
    ["0", "1", String(version.maximum), String(version.maximum + 1), "2147483647", "-1", "x", "1e3", ""],
    (v) => w.api("GET", `/worlds/alpha/policy?version=${encodeURIComponent(v)}`, { token: a }),
  );
  // A version that is valid but absent is its own 404, not a run's.
  const missing = await w.api("GET", "/worlds/alpha/policy?version=7", { token: a });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, "E_POLICY_NOT_FOUND");
});

test("headers: Idempotency-Key bounds", async () => {
  const key = paramSchema("/worlds/{world}/runs", "post", "Idempotency-Key");
  let n = 0;
  await agree("Idempotency-Key", key, ["k", "k".repeat(255), "k".repeat(256), "a b", "ключ"], (v) => {
    n++;
    // Fetch refuses non-Latin-1 header values; such a key cannot reach any server.
    if (/[^\x00-\xff]/.test(v)) return { status: 422 };
    return w.api("POST", "/worlds/alpha/runs", { token: a, body: bundle("alpha", [`idk${n}`], n), headers: { "idempotency-key": v } });
  });
});

test("bodies: transition request, bundle and policy are as closed and bounded as the server", async () => {
  const up = await w.api("POST", "/worlds/alpha/runs", { token: a, body: bundle("alpha", ["tr"], 3) });
  assert.equal(up.status, 201);
  const runUrl = up.body.runs[0].links.status;
  const tr = doc.components.schemas.TransitionRequest;
  const max = tr.properties.reason.maxLength;
  const bodies = [
    { to: "rejected", reason: "r".repeat(max + 1) },
    { to: "rejected", reason: "\u{1F600}".repeat(max) }, // code points, not UTF-16 units
    { to: "rejected", extra: 1 },
    { to: "nowhere" },
    {},
    { to: "rejected", reason: "r".repeat(max) },
  ];
  const valid = compile(tr);
  for (const b of bodies) {
    const r = await w.api("POST", `${runUrl}/transitions`, { token: a, body: b });
    assert.equal(valid(b), !REFUSED.has(r.status), `${JSON.stringify(b).slice(0, 80)} → ${r.status} ${r.text.slice(0, 120)}`);
  }

  const B = doc.components.schemas.Bundle;
  assert.equal(B.properties.bundle_version.const, 1);
  assert.equal(B.properties.submissions.minItems, 1);
  assert.equal(B.additionalProperties, false);
  const validBundle = compile(B);
  const good = bundle("alpha", ["bb"], 4);
  const cases = [
    good,
    { ...good, bundle_version: 2 },
    { ...good, submissions: [] },
    { ...good, extra: true },
    { ...good, world_id: "bad id" },
    { ...good, submissions: [{ ...good.submissions[0], strategy_id: "x".repeat(200) }] },
    { ...good, submissions: [{ ...good.submissions[0], run_id: ".r" }] },
  ];
  for (const b of cases) {
    const r = await w.api("POST", "/validate?world=alpha", { token: a, body: b });
    assert.equal(validBundle(b), !REFUSED.has(r.status), `${JSON.stringify(b).slice(0, 100)} → ${r.status} ${r.text.slice(0, 160)}`);
  }

  const P = doc.components.schemas.Policy;
  assert.equal(P.additionalProperties, false);
  const validPolicy = compile(P);
  for (const body of [{ thresholds: { s: { metric: "sharpe", min: 0.1 } } }, { thresholds: {}, bogus: 1 }]) {
    const r = await w.api("PUT", "/worlds/alpha/policy", { token: a, body });
    assert.equal(validPolicy(body), !REFUSED.has(r.status), `${JSON.stringify(body)} → ${r.status} ${r.text.slice(0, 160)}`);
  }
  // The qmtl dialect reads the same keys leniently (its body schema is `QmtlPolicy`): an unknown
  // key the strict dialect refuses is ignored there, as QMTL's models ignore it.
  const validQmtl = compile(doc.components.schemas.QmtlPolicy);
  const lenient = { thresholds: { s: { metric: "sharpe", min: "0.1" } }, bogus: 1 };
  assert.ok(validQmtl(lenient) && !validPolicy(lenient));
  const q = await w.api("PUT", "/worlds/alpha/policy?dialect=qmtl", { token: a, body: lenient });
  assert.ok(q.status === 201 || q.status === 200, `qmtl → ${q.status} ${q.text.slice(0, 160)}`);
  assert.equal((await w.api("PUT", "/worlds/alpha/policy", { token: a, body: lenient })).status, 422);
  const yamlTypes = Object.keys(doc.paths["/worlds/{world}/policy"].put.requestBody.content).filter((t) => t.includes("yaml"));
  assert.ok(yamlTypes.length > 0);
  for (const t of yamlTypes) {
    const refs = doc.paths["/worlds/{world}/policy"].put.requestBody.content[t].schema.anyOf.map((s) => s.$ref);
    assert.deepEqual(refs, ["#/components/schemas/Policy", "#/components/schemas/QmtlPolicy"]);
    const r = await w.api("PUT", "/worlds/alpha/policy", { token: a, body: "thresholds:\n  s: {metric: sharpe, min: 0.2}\n", headers: { "content-type": t } });
    assert.ok(r.status === 201 || r.status === 200, `${t} → ${r.status} ${r.text}`);
  }
});

test("media types: a charset other than UTF-8 is 415; CORS allows the documented Prefer header", async () => {
  const b = bundle("alpha", ["cs"], 5);
  for (const [type, status] of [
    ["application/json; charset=utf-16", 415],
    ["application/json; charset=\"ISO-8859-1\"", 415],
    ["application/json;charset=UTF-8", 201],
  ]) {
    const r = await w.api("POST", "/worlds/alpha/runs", { token: a, body: b, headers: { "content-type": type } });
    assert.equal(r.status, status, `${type}: ${r.text.slice(0, 200)}`);
    if (status === 415) assert.equal(r.body.code, "E_UNSUPPORTED_MEDIA_TYPE");
  }
  const r = await w.api("PUT", "/worlds/alpha/policy", { token: a, body: "thresholds: {}\n", headers: { "content-type": "application/yaml; charset=utf-16" } });
  assert.equal(r.status, 415);
  const documented = doc.paths["/worlds/{world}/runs"].post.parameters.filter((x) => x.in === "header").map((x) => x.name.toLowerCase());
  const pre = await fetch(`${w.url}/worlds/alpha/runs`, { method: "OPTIONS", headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" } });
  const allowed = (pre.headers.get("access-control-allow-headers") ?? "").split(",").map((s) => s.trim());
  for (const h of [...documented, "authorization", "content-type"]) assert.ok(allowed.includes(h), `CORS allows ${h}: ${allowed}`);
});

test("shape errors speak JSON, not serde", async () => {
  for (const body of [[], { bundle_version: "1", world_id: "alpha", submissions: [] }, { bundle_version: -1, world_id: "alpha", submissions: [{}] }]) {
    const r = await w.api("POST", "/worlds/alpha/runs", { token: a, body });
    assert.equal(r.status, 422, r.text);
    for (const e of r.body.errors ?? [r.body]) {
      assert.doesNotMatch(e.message, /\b(u32|u64|f64|struct|sequence|invalid length|invalid type)\b/, e.message);
    }
  }
  const arr = await w.api("POST", "/worlds/alpha/runs", { token: a, body: [] });
  assert.equal(arr.body.message, "expected an object, found an array");
});
