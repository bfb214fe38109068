/**
 * An engine error: a stable machine `code`, the JSON pointer `path` of the offending field
 * (`""` for the whole input), a lowercase message and optional `help`. `errors` lists every error
 * when there were several (the first one is also at top level). `instanceof WorldgateError` holds
 * across the ESM and CommonJS builds of the package.
 */
export declare class WorldgateError extends globalThis.Error {
  constructor(message: string, options?: { code?: Code; path?: string; help?: string; errors?: Error[]; cause?: unknown });
  readonly name: "WorldgateError";
  code: Code;
  path: string;
  help?: string;
  errors: Error[];
  toJSON(): Error & { errors?: Error[] };
}

/**
 * Loads the wasm module once. Browsers must await it before the first call; Node, Deno, Bun and
 * workerd load it synchronously on first use. `source` optionally overrides where the module
 * comes from: a URL or string to fetch, a `Response`, the bytes, or a compiled `WebAssembly.Module`.
 */
export declare function init(source?: unknown): Promise<void>;

/** `await ready` is `await init()`. */
export declare const ready: PromiseLike<void>;

/**
 * A document as the engine reads it: JSON text (YAML too, for policies), its UTF-8 bytes, or a
 * plain object. Objects are read again strictly inside the engine, so any value may be passed;
 * what is not a document is a `WorldgateError` or a failure answer, never a silent pass.
 */
export type DocumentInput = string | Uint8Array | ArrayBuffer | object;

/** A numeric series: a `Float64Array` or an array of numbers (`null` is NaN). */
export type SeriesInput = Float64Array | ArrayLike<number | null>;

/** A policy where one may stand: a `CompiledPolicy` (its own dialect) or a policy document. */
export type PolicyInput = CompiledPolicy | DocumentInput;

/** Options of `parsePolicy` and `presetPolicy`: the dialect (default `strict`). */
export type PolicyOptions = { dialect?: Dialect };

/** Options of `validateDocument` and `bundleSeries`. */
export type DocumentOptions = { dialect?: Dialect; limits?: Limits };

/** Each strategy's metrics: nested as `EvaluationMetrics`, or flat (`{ sharpe: 1.2 }`). */
export type MetricsByStrategy = Record<string, EvaluationMetrics | Record<string, Num | null>>;

/**
 * Options of `evaluatePolicy` and `CompiledPolicy.evaluate`: the previous active set (ids, or an
 * earlier decision's `state`), given correlations (pairs `[a, b, ρ]`, `{ids, matrix}` or `{a: {b: ρ}}`), returns
 * series for correlations computed on demand, the stage or profile that picks a validation
 * profile, and — for a policy given as a document — its dialect.
 */
export type EvaluateOptions = {
  previous?: string[] | ActivationState;
  correlations?: Array<[string, string, Num]> | { ids: string[]; matrix: Num[][] } | Record<string, Record<string, Num>>;
  returns_by_strategy?: Record<string, SeriesInput>;
  stage?: string;
  profile?: string;
  dialect?: Dialect;
};

/** Options of `gateBundle`: the gate's options, and the dialect of a policy given as a document. */
export type GateBundleOptions = GateOptions & { dialect?: Dialect };

/** What `bundleSeries` reads: a bundle's context and each strategy's returns. */
export type BundleSeries = {
  world_id: string;
  created_at?: string;
  previous?: ActivationState;
  correlations?: EvaluateOptions['correlations'];
  returns: Record<string, Float64Array>;
};

/** What `sanitize` answers: the document with secrets removed, and where each one was. */
export type Sanitized = { value: unknown; redactions: Redaction[] };
