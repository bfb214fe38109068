// The engine: the worldgate package's workerd build (wasm imported as a compiled module).
//
// The package instantiates the wasm lazily on the first call (nothing runs at module top level,
// as Workers require) and recovers from traps itself: a `WebAssembly.RuntimeError` becomes a
// `WorldgateError` with code `E_INTERNAL` and the next call runs on a fresh instance (wasm-bindgen's
// `__wbg_reset_state`). Objects of the old instance (compiled policies) become stale, so callers
// key caches by `generation()`. All checks, metrics and rules are the engine's; this file only
// adapts calling conventions and hides the text of internal errors.

import * as wg from "worldgate";
import { fail } from "./http.js";

/** Calls `fn`; an `E_INTERNAL` from the engine (a trap: a bug) is answered without its details. */
function call(fn) {
  try {
    return fn();
  } catch (err) {
    if (err && err.code === "E_INTERNAL") {
      console.error("engine internal error:", err.message);
      throw fail("E_INTERNAL", "the engine failed on this input; it has been reset");
    }
    throw err;
  }
}

/** Increases each time the package re-creates the wasm instance; older objects are invalid. */
export function generation() {
  return wg.__internal?.generation?.() ?? 0;
}

export function versionOrNull() {
  try {
    return call(() => wg.version());
  } catch {
    return null;
  }
}

/** The engine's JSON Schema text for a published document, or null. */
export function schemaForOrNull(name) {
  try {
    return call(() => wg.schemaFor(name)) ?? null;
  } catch {
    return null;
  }
}

/** Throws `E_ID_INVALID` (422) unless `id` is a safe id, as the engine defines it. */
export function checkId(id, path) {
  call(() => wg.checkId(id, path));
}

export function gateBundle(bytes, policy, options) {
  return call(() => wg.gateBundle(bytes, policy, options));
}

export function parsePolicy(text, dialect) {
  return call(() => wg.parsePolicy(text, { dialect }));
}

/** The built-in policy of worlds without a policy version: preset `DEFAULT_POLICY_PRESET` (strict dialect). */
export function defaultPolicy(preset) {
  return call(() => wg.presetPolicy(preset || "sandbox", { dialect: "strict" }));
}

/**
 * The status document of a run record: the engine's `Run` is `{status: RunStatus, metrics,
 * decision, history}`; a bare status document is accepted too.
 */
export function statusOf(record) {
  return record && typeof record.status === "object" && record.status !== null ? record.status : record;
}

/** `record` moved to state `to` at time `at` by the engine's state machine. */
export function transition(record, to, at) {
  if (typeof wg.transitionAt === "function") return call(() => wg.transitionAt(record, to, at));
  const next = call(() => wg.transition(record, to));
  const status = statusOf(next);
  if (status !== next) return { ...next, status: { ...status, updated_at: at } };
  return { ...next, updated_at: at };
}

/** A fresh `submitted` record for a run the gate produced (deferred uploads). */
export function submittedRecord(record, at) {
  const st = statusOf(record);
  if (typeof wg.newRun === "function") return call(() => wg.newRun(st.world_id, st.strategy_id, st.run_id, at));
  const status = { ...st, status: "submitted", activation_state: "pending", created_at: at, updated_at: at };
  return status === st || statusOf(record) === record ? status : { status, history: [] };
}

/** Frees a compiled policy of the current instance (objects of an older instance are dropped). */
export function release(compiled) {
  try {
    compiled?.free?.();
  } catch {
    // belongs to a replaced instance
  }
}

/** The gate with the built-in default policy, storing nothing (`POST /validate` without a world). */
export function dryRunDefault(bytes, preset) {
  const policy = defaultPolicy(preset);
  try {
    const result = gateBundle(bytes, policy, { now: new Date().toISOString() });
    if (result.type !== "success") {
      const errors = result.errors ?? [];
      throw Object.assign(new Error(errors[0]?.message ?? "gate failed"), { code: errors[0]?.code ?? "E_INTERNAL", path: errors[0]?.path ?? "", errors });
    }
    return {
      input_digest: result.input_digest,
      result_digest: result.result_digest ?? null,
      ruleset_hash: policy.rulesetHash(),
      policy_version: null,
      decision: result.decision ?? null,
      redactions: result.redactions ?? [],
      runs: result.runs ?? [],
      snapshots: result.snapshots ?? [],
      stored: false,
    };
  } finally {
    release(policy);
  }
}

/**
 * The full series of `run`'s submission, for storage: from the gate's sanitized bundle when the
 * result carries one, else read back from the accepted bytes (numbers only; nothing else of the
 * raw upload is kept).
 */
export function submissionSeries(result, bytes, run) {
  const subs = result.bundle?.submissions ?? parsedSubmissions(bytes);
  const s = subs.find((x) => x && x.strategy_id === run.strategy_id);
  if (!s) return null;
  return { returns: s.returns, equity: s.equity, pnl: s.pnl };
}

function parsedSubmissions(bytes) {
  try {
    const doc = JSON.parse(new TextDecoder().decode(bytes));
    return Array.isArray(doc?.submissions) ? doc.submissions : [];
  } catch {
    return [];
  }
}
