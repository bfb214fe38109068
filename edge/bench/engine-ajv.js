// BENCHMARK ONLY — never deployed. The edge API with the engine's gate replaced by JSON.parse +
// ajv (standalone code compiled at build time from the package's generated `schema/bundle.json`),
// to measure what the engine costs against a plain schema validator. Metrics are NOT computed and
// no policy is applied here; run records are minimal stand-ins so the storage path is the same.
export * from "../src/engine.js";
import validate from "ajv-bundle-validate";

function fnv(text) {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, "0");
}

export function gateBundle(bytes, policy, options) {
  const text = new TextDecoder().decode(bytes);
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return { type: "failure", errors: [{ code: "E_PARSE", message: "not JSON", path: "" }] };
  }
  if (!validate(doc)) {
    const e = validate.errors?.[0];
    return { type: "failure", errors: [{ code: "E_SCHEMA", message: e?.message ?? "invalid", path: e?.instancePath ?? "" }] };
  }
  const input_digest = `fnv:${fnv(text)}`;
  const runs = doc.submissions.map((s) => ({
    schema_version: 1,
    world_id: doc.world_id,
    strategy_id: s.strategy_id,
    run_id: s.run_id ?? `r-${fnv(text + s.strategy_id)}`,
    status: "evaluated",
    created_at: options.now,
    updated_at: options.now,
    effective_mode: "validate",
    activation_state: "pending",
    input_digest,
  }));
  const snapshots = runs.map((r) => ({
    schema_version: 1,
    snapshot_id: `${r.world_id}-${r.strategy_id}-${r.run_id}`,
    world_id: r.world_id,
    strategy_id: r.strategy_id,
    run_id: r.run_id,
    created_at: options.now,
    metrics: {},
    series_heads: {},
    meta: {},
    storage_refs: {},
  }));
  return { type: "success", input_digest, result_digest: input_digest, decision: null, runs, snapshots, redactions: [] };
}
