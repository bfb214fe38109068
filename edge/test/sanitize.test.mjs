// No secret survives the edge (issue 14): the sanitizer corpus (tests/vectors/sanitize/) placed in
// uploads as the issue found them (object keys, custom metric names, signed URLs with encoded or
// `;`-separated parameters, key ids inside words), a transition with a secret reason, a policy
// whose YAML source has a secret comment, an Idempotency-Key holding a token; then every served
// document is fetched and scanned, and so is every byte the worker stored (the Durable Object's
// SQLite files and R2 objects under the persistence folder).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { boot, cleanupBuild, T } from "./helpers.mjs";

const VECTORS = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../tests/vectors/sanitize");
const corpus = JSON.parse(fs.readFileSync(path.join(VECTORS, "corpus.json"), "utf8"));
const named = fs
  .readdirSync(VECTORS)
  .filter((f) => f !== "corpus.json")
  .map((f) => JSON.parse(fs.readFileSync(path.join(VECTORS, f), "utf8")));

/** The byte windows that must not appear: each body whole and every `window` slice with a letter. */
const windows = (() => {
  const out = new Set();
  const bodies = [...corpus.secrets.flatMap((s) => s.body), ...named.flatMap((v) => v.must_not_contain)];
  for (const b of bodies) {
    out.add(b);
    for (let i = 0; b.length > corpus.window && i + corpus.window <= b.length; i++) {
      const w = b.slice(i, i + corpus.window);
      if (/[A-Za-z]/.test(w)) out.add(w);
    }
  }
  // short all-hex windows could occur in digests and run ids by chance
  return [...out].filter((w) => w.length >= 6 && !(w.length < 12 && /^[0-9a-f]+$/.test(w)));
})();

function leaks(text) {
  return windows.filter((w) => text.includes(w));
}

const pct = (s) => Array.from(new TextEncoder().encode(s), (b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
const returns = (k) => Array.from({ length: 40 }, (_, i) => Number((0.001 * Math.sin(i + k) + 0.0004).toFixed(6)));

let w;
const responses = [];
async function call(method, p, opts) {
  const r = await w.api(method, p, opts);
  const headers = [...r.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  responses.push({ what: `${method} ${p} → ${r.status}`, text: `${headers}\n${r.text}` });
  return r;
}

before(async () => {
  w = await boot({ vars: { SERIES_INLINE_MAX: "2000" } });
});
after(async () => {
  await w.stop();
  cleanupBuild();
});

test("a policy source with a secret comment is stored and served redacted", async () => {
  const yaml = named.find((v) => v.name === "policy_source_comment").text;
  const r = await call("PUT", "/worlds/alpha/policy", { token: T.alphaAdmin, body: yaml, headers: { "content-type": "application/yaml" } });
  assert.equal(r.status, 201, r.text);
  assert.match(r.body.source, /# deploy key \[REDACTED:aws_access_key_id\]/);
  const g = await call("GET", "/worlds/alpha/policy", { token: T.alphaRead });
  assert.equal(g.body.source, r.body.source);
});

const runs = [];
test("uploads with secrets in keys, names, URLs and text come back redacted", async () => {
  let k = 0;
  const submit = async (submissions, headers = {}) => {
    const r = await call("POST", "/worlds/alpha/runs", { token: T.alphaSubmit, body: { bundle_version: 1, world_id: "alpha", submissions }, headers });
    assert.ok(r.status === 201 || r.status === 200 || r.status === 422, r.text);
    if (r.status !== 422) for (const run of r.body.runs) runs.push(run);
    return r;
  };
  // the reproductions, as their named vectors place them
  for (const v of named.filter((v) => v.kind === "bundle")) {
    const subs = v.bundle.submissions.map((s) => ({ ...s, strategy_id: `v${k++}`, returns: returns(k), meta: { ...(s.meta ?? {}), ...(v.bundle.meta ?? {}) } }));
    const r = await submit(subs);
    for (const red of v.redactions.filter((x) => x.path.startsWith("/submissions/"))) {
      assert.ok(r.body.redactions.some((x) => x.kind === red.kind && x.path === red.path), `${v.name}: ${JSON.stringify(r.body.redactions)}`);
    }
  }
  // every corpus secret as a meta key and value, a storage ref and a custom metric name, plain and percent-encoded
  for (const s of corpus.secrets) {
    for (const enc of [(x) => x, pct]) {
      const t = enc(s.text);
      await submit([{ strategy_id: `c${k++}`, returns: returns(k), meta: { note: `xx${t}yy`, [t]: 1 }, storage_refs: { full: t }, metrics: { custom: { [`n_${t}`]: 1.5 } } }]);
    }
  }
  // an Idempotency-Key holding a token, used twice (the replay finds the stored, redacted key)
  const key = named.find((v) => v.name === "idempotency_key_with_a_token").text;
  const sub = [{ strategy_id: "idem", returns: returns(99) }];
  assert.equal((await submit(sub, { "idempotency-key": key })).status, 201);
  assert.equal((await submit(sub, { "idempotency-key": key })).status, 200);
  assert.ok(runs.length > 50);
});

test("a transition reason with secrets is stored and served redacted", async () => {
  const reason = named.find((v) => v.name === "transition_reason_free_text").text;
  const run = runs[0];
  const r = await call("POST", `/worlds/alpha/strategies/${run.strategy_id}/runs/${run.run_id}/transitions`, { token: T.alphaAdmin, body: { to: "activated", reason } });
  assert.equal(r.status, 200, r.text);
  const h = await call("GET", `/worlds/alpha/strategies/${run.strategy_id}/runs/${run.run_id}/history`, { token: T.alphaRead });
  assert.ok(h.body.revisions.some((x) => x.reason === named.find((v) => v.name === "transition_reason_free_text").expected_text), h.text);
});

test("no served document and no stored byte holds a secret", async () => {
  for (const run of runs) {
    const base = `/worlds/alpha/strategies/${run.strategy_id}/runs/${run.run_id}`;
    await call("GET", base, { token: T.alphaRead });
    await call("GET", `${base}/metrics`, { token: T.alphaRead });
    await call("GET", `${base}/history`, { token: T.alphaRead });
    await call("GET", `${base}/series/returns`, { token: T.alphaRead });
    await call("GET", `/worlds/alpha/strategies/${run.strategy_id}/runs`, { token: T.alphaRead });
    if (run.links?.snapshot) await call("GET", run.links.snapshot, { token: T.alphaRead });
  }
  await call("GET", "/worlds/alpha/activation", { token: T.alphaRead });
  await call("GET", "/worlds/alpha/policy/versions", { token: T.alphaRead });
  await call("GET", "/worlds/alpha/policy?version=1", { token: T.alphaRead });
  const leaked = responses.flatMap((r) => leaks(r.text).map((l) => `${r.what}: ${l}`));
  // the custom metric renamed from a key id is the name served
  const m = responses.find((r) => r.text.includes("n_[REDACTED:aws_access_key_id]"));
  assert.ok(m, "a renamed custom metric is served");

  const stored = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else stored.push(p);
    }
  };
  walk(w.persist);
  assert.ok(stored.some((f) => f.endsWith(".sqlite")), `Durable Object storage found: ${stored.join(", ")}`);
  const inStore = stored.flatMap((f) => leaks(fs.readFileSync(f).toString("latin1")).map((l) => `${path.relative(w.persist, f)}: ${l}`));
  assert.deepEqual({ served: leaked, stored: inStore }, { served: [], stored: [] });
});
