// The only module that imports the `worldgate` package. Every metric, curve, rule, verdict and
// diff shown by the viewer comes from here; the rest of the app formats and arranges it.
import * as wg from "worldgate";
import type { EvaluationMetrics, Gating, RunStatus, Snapshot, Violation, Error as WireError } from "worldgate";

export type { EvaluationMetrics, Snapshot, Violation, WireError };
export type { Gating, Num, ReturnsMetrics, PnlMetrics, RunStatus, MetricsDocument, Verdict } from "worldgate";

/** An engine error as shown to the user (code, JSON pointer, message, optional help). */
export interface EngineError {
  code: string;
  path: string;
  message: string;
  help?: string;
  line?: number;
  column?: number;
}

/** `{ok, errors}` as returned by the engine's validators. */
export interface Validation {
  ok: boolean;
  errors: EngineError[];
}

/** A compiled policy handle living inside wasm. */
export interface CompiledPolicy {
  evaluate(metricsByStrategy: Record<string, unknown>, options?: Record<string, unknown>): PolicyDecision;
  rulesetHash(): string;
  free?(): void;
}

/** Per-strategy outcome of a policy evaluation (the engine's decision, passed through). */
/** How one rule was checked for one strategy (observed vs bound). */
export interface Explanation {
  rule: string;
  metric?: string | null;
  observed?: unknown;
  magnitude?: unknown;
  bound?: unknown;
  comparison?: string | null;
  outcome: string;
  code: string;
  message: string;
}

export interface StrategyOutcome {
  verdict?: string;
  selected?: boolean;
  violations?: Violation[];
  explanations?: Explanation[];
  rank?: number | null;
  weight?: unknown;
  [k: string]: unknown;
}

export interface PolicyDecision {
  selected: string[];
  strategies: Record<string, StrategyOutcome>;
  ruleset_hash?: string;
  [k: string]: unknown;
}

/** The gate's result (bundle → decision, snapshots, runs, digests, redactions). */
export interface GateResult {
  schema_version: number;
  world_id: string;
  created_at: string;
  input_digest: string;
  result_digest: string;
  ruleset_hash: string;
  selected: string[];
  rejected: string[];
  strategies: unknown[];
  decision: PolicyDecision;
  runs: { status: RunStatus; metrics?: EvaluationMetrics; decision?: Gating; history?: unknown[] }[];
  snapshots: Snapshot[];
  redactions: unknown[];
}

export type GateAnswer = { type: "success"; value: GateResult } | { type: "failure"; errors: EngineError[] };

/** The document kinds the engine recognises (`documentKind`). */
export type DocumentKind = "bundle" | "snapshot" | "metrics-document" | "run-status" | "run" | "gate-result" | "policy" | "returns" | "list";

/** `validateDocument`'s answer. */
export interface DocumentValidation extends Validation {
  kind: DocumentKind | null;
}

/** `bundleSeries`' answer: the bundle's returns series (and context) read once by the engine. */
export interface BundleSeries {
  world_id: string;
  created_at?: string;
  previous?: unknown;
  correlations?: unknown;
  returns: Record<string, Float64Array>;
}

// The package's surface as the viewer uses it (the real declarations come from the package).
interface Api {
  version(): string;
  validateSnapshot(input: unknown): Validation;
  validateBundle(input: unknown): Validation;
  documentKind(input: unknown): DocumentKind | null | undefined;
  validateDocument(input: unknown, options?: Record<string, unknown>): DocumentValidation;
  readReturns(input: unknown): Float64Array;
  bundleSeries(input: unknown, options?: Record<string, unknown>): BundleSeries;
  computeMetrics(returns: Float64Array, options?: Record<string, unknown>): EvaluationMetrics;
  equityCurve(returns: Float64Array, initial?: number): Float64Array;
  drawdownCurve(returns: Float64Array): Float64Array;
  parsePolicy(text: unknown, options?: Record<string, unknown>): CompiledPolicy;
  policyPresets(): string[];
  presetPolicy(name: string, options?: Record<string, unknown>): { toJSON(): unknown; free?(): void };
  gateBundle(bytes: unknown, policy: unknown, options?: Record<string, unknown>): GateAnswer;
  diffSnapshots(a: unknown, b: unknown, options?: Record<string, unknown>): unknown;
}

const api = wg as unknown as Api & { ready?: unknown; init?: unknown };
let started: Promise<void> | null = null;

/** Initialises the wasm module once (fetches the .wasm next to the bundle). */
export function ready(): Promise<void> {
  if (!started) {
    started = (async () => {
      if (typeof api.init === "function") await (api.init as () => Promise<unknown>)();
      else if (api.ready && typeof (api.ready as Promise<unknown>).then === "function") await api.ready;
    })();
  }
  return started;
}

/** Normalises anything thrown by the engine into an [`EngineError`]. */
export function toEngineError(e: unknown): EngineError {
  if (e && typeof e === "object") {
    const o = e as Record<string, unknown>;
    if (typeof o.code === "string") {
      const out: EngineError = { code: o.code, path: typeof o.path === "string" ? o.path : "", message: String(o.message ?? "") };
      if (typeof o.help === "string") out.help = o.help;
      if (typeof o.line === "number") out.line = o.line;
      if (typeof o.column === "number") out.column = o.column;
      return out;
    }
    if (Array.isArray(o.errors) && o.errors.length > 0) return toEngineError(o.errors[0]);
  }
  return { code: "E_INTERNAL", path: "", message: e instanceof Error ? e.message : String(e) };
}

/** Every error carried by a thrown engine error (`errors` when present, else itself). */
export function toEngineErrors(e: unknown): EngineError[] {
  if (e && typeof e === "object" && Array.isArray((e as { errors?: unknown }).errors)) {
    const list = ((e as { errors: unknown[] }).errors).map(toEngineError);
    if (list.length > 0) return list;
  }
  return [toEngineError(e)];
}

export const version = (): string => api.version();
export const validateSnapshot = (input: Uint8Array | string): Validation => api.validateSnapshot(input);
export const validateBundle = (input: Uint8Array | string): Validation => api.validateBundle(input);
/** The document's kind from its top-level keys (cheap: values are skipped), or null. */
export const documentKind = (input: Uint8Array | string): DocumentKind | null => api.documentKind(input) ?? null;
/** Detects the kind and validates with that kind's reader (`dialect` applies to policies). */
export const validateDocument = (input: Uint8Array | string, dialect = "strict"): DocumentValidation =>
  api.validateDocument(input, { dialect });
/** A bare returns series (JSON array or one number per line); throws a WorldgateError. */
export const readReturns = (input: Uint8Array | string): Float64Array => api.readReturns(input);
/** A bundle's returns series and context, read in one pass; throws a WorldgateError. */
export const bundleSeries = (input: Uint8Array | string): BundleSeries => api.bundleSeries(input);
export const computeMetrics = (returns: Float64Array, options: Record<string, unknown> = {}): EvaluationMetrics =>
  api.computeMetrics(returns, options);
export const equityCurve = (returns: Float64Array, initial = 1): Float64Array => api.equityCurve(returns, initial);
export const drawdownCurve = (returns: Float64Array): Float64Array => api.drawdownCurve(returns);
export const parsePolicy = (text: string, dialect: string): CompiledPolicy => api.parsePolicy(text, { dialect });
export const gateBundle = (bytes: Uint8Array, policy: CompiledPolicy | string, options: Record<string, unknown> = {}): GateAnswer =>
  api.gateBundle(bytes, policy, options);
export const diffSnapshots = (a: Snapshot, b: Snapshot, options: Record<string, unknown> = {}): unknown =>
  api.diffSnapshots(a, b, options);

/** Names of the built-in policy presets. */
export const policyPresets = (): string[] => api.policyPresets();

/** The text of a preset policy: the engine's normalized policy document as JSON. */
export function presetPolicy(name: string, dialect = "strict"): string {
  const p = api.presetPolicy(name, { dialect });
  const text = JSON.stringify(p.toJSON(), null, 2);
  p.free?.();
  return text + "\n";
}
