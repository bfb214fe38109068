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

/** JSON.parse + ajv in place of the engine's gate; the answer has the GateResult's shape. */
export function gateBundle(bytes, policy, now) {
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
  const runs = doc.submissions.map((s) => {
    const run_id = s.run_id ?? `r-${fnv(text + s.strategy_id)}`;
    return {
      status: {
        schema_version: 1,
        world_id: doc.world_id,
        strategy_id: s.strategy_id,
        run_id,
        status: "evaluated",
        created_at: now,
        updated_at: now,
        effective_mode: "validate",
        activation_state: "pending",
        links: {},
        input_digest,
      },
      history: [{ revision: 0, status: "evaluated", at: now }],
    };
  });
  const snapshots = runs.map(({ status: r }) => ({
    schema_version: 1,
    snapshot_id: `${r.world_id}-${r.strategy_id}-${r.run_id}`,
    world_id: r.world_id,
    strategy_id: r.strategy_id,
    run_id: r.run_id,
    created_at: now,
    metrics: {},
    series_heads: {},
    meta: {},
    storage_refs: {},
  }));
  return {
    type: "success",
    value: {
      world_id: doc.world_id,
      input_digest,
      result_digest: input_digest,
      ruleset_hash: "none",
      selected: [],
      rejected: [],
      strategies: [],
      decision: null,
      runs,
      snapshots,
      redactions: [],
      series: doc.submissions.map((s) => ({ strategy_id: s.strategy_id, returns: s.returns, equity: s.equity, pnl: s.pnl })),
    },
  };
}

export function gateUpload(bytes, world, state, policy, now, _fullSeries) {
  const answer = gateBundle(bytes, policy, now);
  if (answer.type === "success" && answer.value.world_id !== world) {
    return { type: "failure", errors: [{ code: "E_INVALID_VALUE", message: "bundle is for another world", path: "/world_id" }] };
  }
  return answer;
}

export function nextWorldState(state) {
  return state ?? null;
}
