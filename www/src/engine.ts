// The only module that imports the `worldgate` package. Every metric, curve, rule, verdict and
// diff shown by the viewer comes from here; the rest of the app formats and arranges it.
import * as wg from "worldgate";
import type { EvaluationMetrics, Snapshot, Violation, Error as WireError } from "worldgate";

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
  world_id?: string;
  created_at?: string;
  decision: PolicyDecision;
  runs: unknown[];
  snapshots: Snapshot[];
  input_digest: string;
  result_digest: string;
  redactions: unknown[];
  selected?: string[];
}

export type GateAnswer = ({ type: "success"; value?: GateResult } & Partial<GateResult>) | { type: "failure"; errors: EngineError[] };

// The package's surface as the viewer uses it (the real declarations come from the package).
interface Api {
  version(): string;
  validateSnapshot(input: unknown): Validation;
  validateBundle?(input: unknown): Validation;
  computeMetrics(returns: Float64Array, options?: Record<string, unknown>): EvaluationMetrics;
  equityCurve(returns: Float64Array, initial?: number): Float64Array;
  drawdownCurve(returns: Float64Array): Float64Array;
  parsePolicy(text: unknown, options?: Record<string, unknown>): CompiledPolicy;
  policyPresets?(): unknown;
  presetPolicy?(name: string, options?: Record<string, unknown>): unknown;
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
export const validateBundle = (input: Uint8Array | string): Validation =>
  api.validateBundle ? api.validateBundle(input) : { ok: true, errors: [] };
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
export function policyPresets(): string[] {
  const p = api.policyPresets ? api.policyPresets() : [];
  if (Array.isArray(p)) return p.map((x) => (typeof x === "string" ? x : String((x as { name?: string }).name)));
  if (p && typeof p === "object") return Object.keys(p);
  return [];
}

/** The text of a preset policy: the engine's normalized policy document as JSON. */
export function presetPolicy(name: string, dialect = "strict"): string {
  const p = api.presetPolicy ? api.presetPolicy(name, { dialect }) : "";
  if (typeof p === "string") return p;
  const o = p as { toJSON?: () => unknown; free?: () => void };
  const text = JSON.stringify(typeof o.toJSON === "function" ? o.toJSON() : p, null, 2);
  o.free?.();
  return text + "\n";
}
