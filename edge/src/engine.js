// The engine: the worldgate package's workerd build (wasm imported as a compiled module).
//
// The package instantiates the wasm lazily on the first call (nothing runs at module top level,
// as Workers require) and recovers from traps itself: a `WebAssembly.RuntimeError` becomes a
// `WorldgateError` with code `E_INTERNAL` and the next call runs on a fresh instance (wasm-bindgen's
// `__wbg_reset_state`). Objects of the old instance (compiled policies) become stale, so callers
// key caches by `generation()`. All checks, metrics, rules, state-machine moves, id checks and
// code → status mappings are the engine's; this file only adapts calling conventions (tagged
// answers → values or thrown errors) and hides the text of internal errors.

import * as wg from "worldgate";

/** An engine failure as a throwable value (`{code, message, path, help?, errors}`). */
export class EngineError extends Error {
  constructor(errors) {
    const list = Array.isArray(errors) && errors.length ? errors : [{ code: "E_INTERNAL", message: "engine failed without an error", path: "" }];
    super(list[0].message);
    this.name = "WorldgateError";
    this.code = list[0].code;
    this.path = list[0].path ?? "";
    if (list[0].help) this.help = list[0].help;
    this.errors = list;
  }
}

/** Logs an internal error: its name and message, sanitized by the engine (a message may quote
 *  input, and logs are output too). */
export function logInternal(where, err) {
  let message = String(err && err.message);
  try {
    message = wg.sanitizeText(message, "/message").text;
  } catch {
    message = "(message withheld: it could not be sanitized)";
  }
  console.error(`${where}:`, err && err.name, message);
}

/** Calls `fn`; an `E_INTERNAL` from the engine (a trap: a bug) is answered without its details. */
function call(fn) {
  try {
    return fn();
  } catch (err) {
    if (err && err.code === "E_INTERNAL") {
      logInternal("engine internal error", err);
      throw new EngineError([{ code: "E_INTERNAL", message: "the engine failed on this input; it has been reset", path: "" }]);
    }
    throw err;
  }
}

/** The value of a tagged answer, or its errors thrown. */
function value(answer) {
  if (answer && answer.type === "success") return answer.value;
  throw new EngineError(answer?.errors);
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

/** The HTTP status of an error code (`Code::http_status`); 500 when the engine is unavailable. */
export function httpStatus(code) {
  try {
    return call(() => wg.httpStatus(code));
  } catch {
    return 500;
  }
}

/**
 * Gates an upload for `world` in activation state `state` (the world's, `null` when new) with a
 * compiled policy: the engine checks the bundle is for this world and gates it in that state
 * (the upload's input digest covers its bytes alone). With `fullSeries` the result carries each
 * submission's full series (`series`), for storage. `metricsProfile` (`strict` | `qmtl`) computes
 * QMTL's v1.5 metric set (`metrics.v15`); unset, the policy's dialect decides (qmtl: on). With
 * `report` (a `ReportRequest`) the result carries each submission's report (`reports`, computed
 * by the engine under the submission's P, risk-free rate and time axis).
 * `{type: "success", value: GateResult}` or `{type: "failure", errors}`.
 */
export function gateUpload(bytes, world, state, policy, now, fullSeries = false, metricsProfile = undefined, report = undefined) {
  const opts = { created_at: now, full_series: fullSeries };
  if (metricsProfile) opts.metrics_profile = metricsProfile;
  if (report) opts.report = report;
  return call(() => wg.gateUpload(bytes, world, state ?? null, policy, opts));
}

/**
 * The JSON text of `value` for storage: the engine's own text for a result it returned or a
 * member read from one (a gate's decision, a run record, its metrics …), with no parse/stringify
 * round trip; anything else (or a result changed since) as `JSON.stringify` writes it.
 */
export function text(value) {
  return call(() => wg.wireText(value));
}

/** A JSON object's text from its members' texts (`[[key, text], …]`, in order). */
export function objectText(members) {
  return `{${members.map(([k, t]) => `${JSON.stringify(k)}:${t}`).join(",")}}`;
}

/** The gate for a bundle as it is (no world), e.g. `POST /validate` without `?world=`. */
export function gateBundle(bytes, policy, now) {
  return call(() => wg.gateBundle(bytes, policy, { created_at: now }));
}

/**
 * A free-text field with every secret the engine finds replaced (`{text, redactions}`): used for
 * what the edge stores or serves beside gated documents (transition reasons, policy sources,
 * idempotency keys). `null` stays `null`.
 */
export function sanitizeText(text, path) {
  if (text === null || text === undefined) return { text: null, redactions: [] };
  return call(() => wg.sanitizeText(text, path));
}

/** The world's activation state after a gate's decision. */
export function nextWorldState(state, decision) {
  return call(() => wg.nextWorldState(state ?? null, decision));
}

export function parsePolicy(text, dialect) {
  return call(() => wg.parsePolicy(text, { dialect }));
}

/** The engine's policy lint of a compiled policy: `{ok, errors, warnings}` (unknown metric
 *  names with a did-you-mean, ambiguous drawdown bounds; tests/vectors/lint/). */
export function lintPolicy(policy) {
  return call(() => wg.lintPolicy(policy));
}

/** The built-in policy of worlds without a policy version: preset `DEFAULT_POLICY_PRESET` (strict dialect). */
export function defaultPolicy(preset) {
  return call(() => wg.presetPolicy(preset || "sandbox", { dialect: "strict" }));
}

/** `run` (the engine's run record) moved to state `to` at time `at` by the engine's state machine. */
export function transition(run, to, at) {
  return value(call(() => wg.transition(run, to, at)));
}

/**
 * `run` moved to `to` at time `at` by the world's rules, given the strategy's activated runs
 * `active`: `{run, superseded: [{run, reason}]}` (activation expires the previously active run).
 */
export function worldTransition(run, to, at, active) {
  return value(call(() => wg.worldTransition(run, to, at, active)));
}

/** The world's active set (`[{strategy_id, run_id, weight, rank, since}]`) from its activated runs. */
export function activeSet(runs) {
  return call(() => wg.activeSet(runs));
}

/** A deferred run published at `at`: `{steps, run}` (the statuses walked through, the final record). */
export function publishRun(registered, evaluated, at) {
  return value(call(() => wg.publishRun(registered, evaluated, at)));
}

/** The URLs of a run's resources (`{status, metrics, history, snapshot?}`). */
export function runLinks(world, strategy, run, snapshotId) {
  return call(() => wg.runLinks(world, strategy, run, snapshotId ?? null));
}

/** A fresh `submitted` run record (deferred uploads). */
export function newRun(world, strategy, runId, at) {
  return call(() => wg.newRun(world, strategy, runId, at));
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
    const result = value(gateBundle(bytes, policy, new Date().toISOString()));
    return dryRunBody(result, null);
  } finally {
    release(policy);
  }
}

/** The answer of a dry run. */
export function dryRunBody(result, policyVersion) {
  return {
    world_id: result.world_id,
    input_digest: result.input_digest,
    result_digest: result.result_digest,
    ruleset_hash: result.ruleset_hash,
    policy_version: policyVersion,
    selected: result.selected,
    rejected: result.rejected,
    strategies: result.strategies,
    decision: result.decision,
    redactions: result.redactions,
    runs: result.runs.map((r) => r.status),
    snapshots: result.snapshots,
    stored: false,
  };
}

// ---- QMTL's evaluation-run documents (worldgate::api::qmtl) ------------------------------------

/** The run as QMTL's `EvaluationRunModel`, from `{run, decision, policy_version, meta, annotations}`. */
export function qmtlRun(input) {
  return call(() => wg.qmtlRun(input));
}

/** Several runs as QMTL's `EvaluationRunModel`s, in the order given. */
export function qmtlRuns(inputs) {
  return call(() => wg.qmtlRuns(inputs));
}

/** The run as QMTL's `EvaluationRunMetricsResponse`; throws `E_RUN_NOT_EVALUATED` without metrics. */
export function qmtlMetrics(input) {
  return value(call(() => wg.qmtlMetrics(input)));
}

/** QMTL's history items of a run from its stored revisions `[{revision, recorded_at, status}]`. */
export function qmtlHistory(input, revisions) {
  return call(() => wg.qmtlHistory(input, revisions));
}

/** The annotation an `override` / `ex_post_failure` body records on `current` at `at` (null: nothing). */
export function qmtlAnnotation(kind, body, current, at) {
  return value(call(() => wg.qmtlAnnotation(kind, body, current, at)));
}

/** `{status, body: {detail}}` for errors `[{code, message, path, help?}]`, as QMTL's clients read them. */
export function qmtlError(errors) {
  try {
    return call(() => wg.qmtlError(errors));
  } catch {
    return { status: 500, body: { detail: { code: "E_INTERNAL", message: "internal error", path: "" } } };
  }
}
