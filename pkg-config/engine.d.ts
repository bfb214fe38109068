// Types of the engine's functions (the full `worldgate` entry; `worldgate/core` has no policy
// engine). Appended to index.d.ts by scripts/pkg/assemble.mjs after api.d.ts.
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
  returns_by_strategy?: Record<string, SeriesInput> | ReadonlyMap<string, SeriesInput>;
  /** RFC 3339 UTC timestamps, one per return: two dated strategies correlate on their common dates. */
  timestamps_by_strategy?: Record<string, readonly string[]>;
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
  /**
   * Each dated submission's time axis (its `timestamps`, or its `index` expanded) as instants in
   * milliseconds since the epoch (integers; `new Date(ms)` reads one), one per return: what
   * `computeReport`, `computeMetrics` and `computeCalendar` take back as `timestamps`.
   */
  timestamps?: Record<string, Float64Array>;
};

/** What `sanitize` answers: the document with secrets removed, and where each one was. */
export type Sanitized = { value: unknown; redactions: Redaction[] };
