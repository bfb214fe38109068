// The only module that imports the `worldgate` package. Every metric, curve, rule, verdict, diff
// and document reading shown by the viewer comes from here; the rest of the app formats and
// arranges it. The wire types are the package's generated declarations: the viewer defines none.
import { WorldgateClient, WorldgateError, init, presetPolicy } from "worldgate";
import type { Dialect, Error as WireError, RunPage, WorldActivation, WorldPolicy } from "worldgate";

export type {
  ActivationState,
  Answer,
  BundleSeries,
  Calendar,
  CalendarPeriod,
  Code,
  CompiledPolicy,
  DistributionMetrics,
  DrawdownEpisode,
  DrawdownReport,
  JsReport as EngineReport,
  JsRollingWindow as RollingWindow,
  ReportOptionsInput,
  TimestampsInput,
  Decision,
  Dialect,
  Diff,
  DiffOptions,
  DocumentKind,
  DocumentValidation,
  EvaluateOptions,
  EvaluationMetrics,
  Explanation,
  GateBundleOptions,
  GateResult,
  Gating,
  MetricDelta,
  MetricsByStrategy,
  MetricsDocument,
  Num,
  PnlMetrics,
  Redaction,
  ReturnsMetrics,
  Run,
  RunState,
  RunStatus,
  Snapshot,
  StrategyDecision,
  Validation,
  Verdict,
  Violation,
} from "worldgate";
export type { WireError, RunPage, WorldActivation, WorldPolicy };

export {
  bundleSeries,
  computeMetrics,
  computeReport,
  diffSnapshots,
  documentKind,
  drawdownCurve,
  equityCurve,
  gateBundle,
  lintPolicy,
  parsePolicy,
  policyPresets,
  readReturns,
  sanitize,
  StrategyBatch,
  validateDocument,
  version,
} from "worldgate";

/**
 * The bytes of a document at `url` through the package's client (timeouts, retries on network
 * errors and 5xx, the edge's error document as a `WorldgateError`), with `token` as bearer; the
 * engine reads them strictly afterwards.
 */
export function fetchDocument(url: URL, token: string | null): Promise<Uint8Array> {
  const client = new WorldgateClient({ baseUrl: url.origin, token: token ?? undefined, retries: 2, timeoutMs: 30000 });
  return client.bytes(url.pathname + url.search);
}

/** The package's client for an edge API root (the picker lists runs and strategies with it). */
export function edgeClient(root: string, token: string | null): WorldgateClient {
  return new WorldgateClient({ baseUrl: root, token: token ?? undefined, retries: 1, timeoutMs: 15000 });
}

let started: Promise<void> | null = null;

/** Initialises the wasm module once (fetches the .wasm next to the bundle). */
export function ready(): Promise<void> {
  started ??= init();
  return started;
}

/**
 * Every error carried by something the engine threw: a `WorldgateError`'s `errors` (or the error
 * itself when it lists none); anything else (a bug, not bad input) as one `E_INTERNAL` error.
 */
export function toEngineErrors(e: unknown): WireError[] {
  if (e instanceof WorldgateError) {
    if (e.errors.length > 0) return e.errors;
    return [{ code: e.code, path: e.path, message: e.message, ...(e.help === undefined ? {} : { help: e.help }) }];
  }
  return [{ code: "E_INTERNAL", path: "", message: e instanceof Error ? e.message : String(e) }];
}

/** The text of a preset policy for the editor: the engine's normalized policy document as JSON. */
export function presetPolicyText(name: string, dialect: Dialect = "strict"): string {
  const p = presetPolicy(name, { dialect });
  try {
    return JSON.stringify(p.toJSON(), null, 2) + "\n";
  } finally {
    p.free();
  }
}
