// Generated from the Rust types by `worldgate::schema::generate_typescript`; do not edit.

export type Num = number | "+inf" | "-inf" | "nan";

export type Code = "E_SCHEMA" | "E_PARSE" | "E_POLICY_INVALID" | "E_METRICS_MISMATCH" | "E_TOO_LARGE" | "E_ID_INVALID" | "E_NOT_FINITE" | "E_DUPLICATE_KEY" | "E_INVALID_VALUE" | "E_RUN_NOT_FOUND" | "E_POLICY_NOT_FOUND" | "E_RUN_NOT_EVALUATED" | "E_RUN_IMMUTABLE" | "E_ILLEGAL_TRANSITION" | "E_NOT_COMPARABLE" | "E_UNAUTHORIZED" | "E_FORBIDDEN" | "E_INTERNAL" | "E_NOT_FOUND" | "E_METHOD_NOT_ALLOWED" | "E_UNSUPPORTED_MEDIA_TYPE" | "E_UNAVAILABLE" | "E_NOT_INITIALIZED" | "E_IO";

export type Error = { 
/**
 * Stable machine code.
 */
code: Code, 
/**
 * Lowercase, no final period; input quoted in backticks.
 */
message: string, 
/**
 * RFC 6901 JSON pointer to the offending field; `""` for the whole input.
 */
path: string, 
/**
 * How to fix it, when there is something to say.
 */
help?: string, 
/**
 * 1-based line of the offending text, for inputs read as text (CSV, JSON and YAML
 * syntax errors).
 */
line?: number, 
/**
 * 1-based column: a byte column for JSON and YAML syntax errors, the field number for a
 * CSV field.
 */
column?: number, };

export type Answer<T> = { "type": "success", 
/**
 * Its result.
 */
value: T, } | { "type": "failure", 
/**
 * Every error found, each with code, message and JSON-pointer path.
 */
errors: Array<Error>, };

export type EvaluationMetrics = { 
/**
 * Statistics of the returns series.
 */
returns?: ReturnsMetrics, 
/**
 * The long-only compounding account simulated from the returns.
 */
pnl?: PnlMetrics, 
/**
 * Risk indicators supplied by the runner.
 */
risk?: RiskMetrics, 
/**
 * The world policy's verdict on this strategy.
 */
gating?: Gating, 
/**
 * QMTL's v1.5 metric set (`returns`, `sample`, `robustness`, `diagnostics`: a
 * [`V15Metrics`](super::V15Metrics) document), computed by the gate from the returns
 * series when a metrics profile is in force (`GateOptions::metrics_profile`; on by
 * default for `qmtl`-dialect policies). Held as JSON so that readers of snapshots
 * (`worldgate/core`) carry no v1.5 decoder; the gate checks a claimed one against the type.
 */
v15?: V15Metrics, 
/**
 * Further named metrics a policy may reference (`deflated_sharpe_ratio`,
 * `effective_history_years`, `n_trades_total`, …). Open map; values are [`Num`].
 */
custom?: { [key in string]: Num }, };

export type MetricSource = "returns" | "auto_returns" | "claimed";

export type Conventions = { 
/**
 * P, periods per year used to annualise (252 daily, 525600 minute).
 */
periods_per_year: number, 
/**
 * Risk-free rate per year; per period it is `(1 + rf)^(1/P) − 1`.
 */
risk_free: number, 
/**
 * Confidence level of `var`/`cvar` (e.g. 0.95).
 */
var_level: number, 
/**
 * Sample standard deviations use `ddof = 1`.
 */
ddof: number, 
/**
 * `"compounded"`: drawdowns on the equity curve ∏(1+r) starting at 1, the start a peak,
 * reported as values ≤ 0.
 */
drawdown: string, 
/**
 * `"dropped"`: NaN samples are left out of every statistic and count as flat periods in
 * the equity curve.
 */
nan_policy: string, };

export type ReturnsMetrics = { 
/**
 * Number of finite samples used.
 */
sample_count: number, 
/**
 * The time window the series covers, ISO 8601 interval (`start/end`) or free text.
 */
window: string | null, 
/**
 * Where the block came from.
 */
source: MetricSource, 
/**
 * mean(r − rf) / std(r − rf, ddof=1) · √P; null when n < 2 or the deviation is 0.
 */
sharpe: Num | null, 
/**
 * Deepest fall of the compounded equity curve from a running peak, ≤ 0 (−0.12 = −12 %).
 */
max_drawdown: Num | null, 
/**
 * std(r, ddof=1) · √P; null when n < 2.
 */
volatility: Num | null, 
/**
 * #(r > 0) / #(r ≠ 0); null when every return is 0.
 */
win_rate: Num | null, 
/**
 * Σ r≥0 / |Σ r<0|; `"+inf"` with gains and no losses, 0 when all returns are 0.
 */
profit_factor: Num | null, 
/**
 * mean(r − rf) / downside deviation · √P, downside deviation = √(Σ min(r − rf, 0)² / n).
 */
sortino?: Num, 
/**
 * cagr / |max_drawdown|; null without a drawdown.
 */
calmar?: Num, 
/**
 * (∏(1+r))^(P/n) − 1.
 */
cagr?: Num, 
/**
 * ∏(1+r) − 1.
 */
total_return?: Num, 
/**
 * Historical value at risk at `conventions.var_level`, as a return (≤ 0 for a loss).
 */
var?: Num, 
/**
 * Mean of the returns at or below `var` (expected shortfall).
 */
cvar?: Num, 
/**
 * Fraction of periods the equity curve spends below its running peak.
 */
time_under_water?: Num, 
/**
 * Longest run of consecutive periods below the running peak.
 */
longest_drawdown?: number, 
/**
 * Number of NaN samples dropped from the statistics.
 */
nan_count?: number, 
/**
 * The conventions used; absent on claimed blocks.
 */
conventions?: Conventions, 
/**
 * Why a metric is null, keyed by metric name (`"sharpe": "needs at least 2 samples"`).
 */
reasons?: { [key in string]: string }, };

export type PnlMetrics = { 
/**
 * Number of periods simulated (NaN periods count as flat).
 */
sample_count: number, 
/**
 * Currency of every amount in the block (ISO 4217 code).
 */
reference_currency: string, 
/**
 * V_n − V₀.
 */
pnl_total: Num | null, 
/**
 * Largest fall of V from a running peak (V₀ a peak), in currency, ≤ 0.
 */
pnl_max_drawdown: Num | null, 
/**
 * Highest equity level reached, V₀ included.
 */
pnl_equity_peak: Num | null, 
/**
 * V₀.
 */
initial_capital?: Num, 
/**
 * V_n.
 */
final_equity?: Num, };

export type RiskMetrics = { 
/**
 * Turnover proxy, fraction of the book traded per period.
 */
turnover_proxy: Num | null, 
/**
 * Whether exposure stayed inside its bounds.
 */
exposure_bounds_ok: boolean | null, 
/**
 * Free-text concentration warnings.
 */
concentration_warnings: Array<string>, };

export type Verdict = "valid" | "warn" | "invalid" | "pending";

export type Violation = { 
/**
 * Stable code, e.g. `threshold_min`, `rank_outside_top_k`, `metric_missing`.
 */
code: string, 
/**
 * The rule: `thresholds.<label>`, `top_k`, `correlation`, `hysteresis`, …
 */
rule: string, 
/**
 * The metric involved, if any.
 */
metric: string | null, 
/**
 * The observed value.
 */
observed: Num | null, 
/**
 * The bound it was compared with.
 */
bound: Num | null, 
/**
 * Lowercase explanation.
 */
message: string, };

export type HysteresisCounters = { 
/**
 * Consecutive passing evaluations needed to enter.
 */
promote_after: number, 
/**
 * Consecutive failing evaluations needed to leave.
 */
demote_after: number, };

export type Gating = { 
/**
 * The verdict.
 */
verdict: Verdict, 
/**
 * Every rule broken.
 */
violations: Array<Violation>, 
/**
 * Hysteresis counters, when the policy uses them.
 */
hysteresis?: HysteresisCounters, 
/**
 * 1-based rank by the top-k metric among the strategies that passed the thresholds.
 */
rank?: number, 
/**
 * Weight in the active set (weights of the selected sum to 1).
 */
weight?: Num, 
/**
 * `sha256:<hex>` of the resolved policy that produced the verdict.
 */
ruleset_hash?: string, };

export type SeriesHeads = { 
/**
 * Period returns.
 */
returns: Array<Num>, 
/**
 * Account equity levels.
 */
equity: Array<Num>, 
/**
 * Cumulative PnL in currency.
 */
pnl: Array<Num>, 
/**
 * The timestamps of the head periods (RFC 3339 UTC), when the submission had a time
 * axis (`timestamps`, or an `index` expanded); absent otherwise.
 */
timestamps?: Array<string>, };

export type Provenance = { 
/**
 * `sha256:<hex>` of the canonical JSON of the sanitized input bundle.
 */
input_digest: string | null, 
/**
 * `sha256:<hex>` of the canonical JSON of the decision.
 */
result_digest: string | null, 
/**
 * `sha256:<hex>` of the resolved policy.
 */
ruleset_hash: string | null, 
/**
 * The worldgate version that produced it.
 */
worldgate_version: string | null, };

export type Snapshot = { 
/**
 * Wire-format version; this crate writes [`SCHEMA_VERSION`].
 */
schema_version: number, 
/**
 * `<world>-<strategy>-<run>`.
 */
snapshot_id: string, 
/**
 * The world.
 */
world_id: string, 
/**
 * The strategy.
 */
strategy_id: string, 
/**
 * The evaluation run.
 */
run_id: string, 
/**
 * RFC 3339 timestamp.
 */
created_at: string, 
/**
 * The metric bundle (`evaluation` of the metrics document).
 */
metrics: EvaluationMetrics, 
/**
 * Leading values of each series.
 */
series_heads: SeriesHeads, 
/**
 * Free-form metadata (open map).
 */
meta: Record<string, unknown>, 
/**
 * Where the full series live (open map, usually of URIs).
 */
storage_refs: Record<string, unknown>, 
/**
 * Digests tying the snapshot to its inputs.
 */
provenance?: Provenance, };

export type MetricsDocument = { 
/**
 * Wire-format version.
 */
schema_version: number, 
/**
 * The world.
 */
world_id: string, 
/**
 * The strategy.
 */
strategy_id: string, 
/**
 * The evaluation run.
 */
run_id: string, 
/**
 * The run's state.
 */
status: RunState, 
/**
 * The metric bundle.
 */
evaluation: EvaluationMetrics, };

export type RunState = "submitted" | "backtest_running" | "evaluating" | "evaluated" | "activated" | "rejected" | "expired";

export type RunLinks = { 
/**
 * This status document.
 */
status?: string, 
/**
 * The metrics document.
 */
metrics?: string, 
/**
 * The snapshot envelope.
 */
snapshot?: string, 
/**
 * The append-only revision history.
 */
history?: string, };

export type RunStatus = { 
/**
 * Wire-format version.
 */
schema_version: number, 
/**
 * The world.
 */
world_id: string, 
/**
 * The strategy.
 */
strategy_id: string, 
/**
 * The evaluation run.
 */
run_id: string, 
/**
 * Lifecycle state.
 */
status: RunState, 
/**
 * RFC 3339 creation time.
 */
created_at: string, 
/**
 * RFC 3339 time of the last transition.
 */
updated_at: string, 
/**
 * Execution mode the world applies (`validate`, `paper`, `live`, …).
 */
effective_mode: string, 
/**
 * Activation of the run's decision (`pending`, `active`, `inactive`).
 */
activation_state: string, 
/**
 * Links to the run's resources.
 */
links: RunLinks, 
/**
 * `sha256:<hex>` of the policy the run was gated with.
 */
ruleset_hash?: string, 
/**
 * `sha256:<hex>` of the sanitized input bundle.
 */
input_digest?: string, };

export type Validation = { 
/**
 * `true` when there are no errors.
 */
ok: boolean, 
/**
 * Every problem found, each with code, message and JSON-pointer path.
 */
errors: Array<Error>, };

export type DocumentKind = "bundle" | "snapshot" | "metrics-document" | "run-status" | "run" | "gate-result" | "policy" | "returns" | "list";

export type DocumentValidation = { 
/**
 * The document's kind, or `null` when it is none worldgate reads.
 */
kind: DocumentKind | null, 
/**
 * `true` when there are no errors.
 */
ok: boolean, 
/**
 * Every problem found, each with code, message and JSON-pointer path.
 */
errors: Array<Error>, };

export type ReturnsColumn = number | string;

export type ReturnsOptions = { 
/**
 * The CSV column of the returns. Needed when the CSV has more than one value column and
 * none is named `return` or `returns`.
 */
column?: ReturnsColumn, 
/**
 * The CSV field delimiter (one character); by default the first of `,` `;` tab on line 1
 * (`;` or tab only, with `decimal_comma`).
 */
delimiter?: string, 
/**
 * Numbers are written with a decimal comma (`0,0123`); the delimiter then cannot be `,`.
 */
decimal_comma?: boolean, 
/**
 * Values are percentages (`1.2` or `1.2%` is 0.012). Without it a `%` sign is an error.
 */
percent?: boolean, 
/**
 * Largest accepted input in bytes (default 16 MiB, the JSON reader's limit), JSON and CSV.
 */
max_bytes?: number, };

export type InputWarning = { 
/**
 * Stable code: `W_LARGE_RETURN` (a |return| above 1: prices given as returns?).
 */
code: string, 
/**
 * What was seen, in the user's terms.
 */
message: string, 
/**
 * 1-based line of the first occurrence, for text input.
 */
line?: number, 
/**
 * What to check or do.
 */
help?: string, };

export type ReturnsTable = { 
/**
 * `csv` or `json`.
 */
format: string, 
/**
 * The column read (its header name, or `column N`), for CSV.
 */
column?: string, 
/**
 * Number of periods (values read, missing ones included).
 */
periods: number, 
/**
 * Number of missing periods.
 */
missing: number, 
/**
 * The period timestamps (RFC 3339 or `YYYY-MM-DD`, as written), when the CSV's first
 * column or the JSON object's `timestamps` holds them; one per value.
 */
timestamps?: Array<string>, 
/**
 * What may not mean what was meant.
 */
warnings: Array<InputWarning>, };

export type LintOptions = { 
/**
 * Metric names (leaf names or dotted paths) the strategies to be gated carry, besides
 * the engine's own.
 */
metric_names?: Array<string>, 
/**
 * Metric names declared custom: never reported as unknown.
 */
custom?: Array<string>, };

export type PolicyLint = { 
/**
 * `true` when there are no errors (warnings allowed).
 */
ok: boolean, 
/**
 * Findings whose severity is `error`.
 */
errors: Array<Error>, 
/**
 * Findings whose severity is `warning`.
 */
warnings: Array<Error>, };

export type SeriesIndex = { 
/**
 * The first return's timestamp, RFC 3339 UTC.
 */
start: string, 
/**
 * `1m`, `1h`, `1d`, `1B`, `1w` or `1M`.
 */
frequency: "1m" | "1h" | "1d" | "1B" | "1w" | "1M", };

export type MetricsOptions = { 
/**
 * P, periods per year used to annualise (252 daily, 52 weekly, 525600 minute), finite and
 * greater than 0. Default: the one the time axis implies (`index`'s frequency, or the
 * timestamps' median spacing, see `worldgate::time`), else 252. Given together with an
 * `index` (or day-or-longer timestamps) that implies another value, it is an error at
 * `/periods_per_year`.
 */
periods_per_year?: number, 
/**
 * Risk-free rate per year (0.02 = 2 %), de-annualised as `(1 + rf)^(1/P) − 1`. Finite,
 * > −1. Default 0.
 */
risk_free?: number, 
/**
 * The time window the series covers (ISO 8601 interval or free text), copied to the
 * returns block. Default none.
 */
window?: string, 
/**
 * Where the series came from, copied to the returns block. Default `returns`.
 */
source?: MetricSource, 
/**
 * V₀, the account's starting equity in `reference_currency`. Finite, > 0. Default 10000.
 */
initial_capital?: number, 
/**
 * ISO 4217 code of the PnL block's amounts: three uppercase letters. Default `USD`.
 */
reference_currency?: string, 
/**
 * Confidence level α of the historical VaR/CVaR, in (0, 1). Default 0.95.
 */
var_level?: number, 
/**
 * One RFC 3339 UTC timestamp per return, strictly increasing (not with `index`). They
 * give the default `window` (`first/last`) and `periods_per_year`.
 */
timestamps?: Array<string>, 
/**
 * A regular index `{start, frequency}` instead of `timestamps`.
 */
index?: SeriesIndex, };

export type CalendarOptions = { 
/**
 * A regular index instead of explicit timestamps (give one of the two).
 */
index?: SeriesIndex, };

export type CalendarPeriod = { 
/**
 * `YYYY-MM` for a month, `YYYY` for a year.
 */
period: string, 
/**
 * The calendar year.
 */
year: number, 
/**
 * The month, 1–12; absent for a year.
 */
month?: number, 
/**
 * ∏(1 + r) − 1 over the period's finite returns (0 when it has none).
 */
return: Num, 
/**
 * Finite returns in the period.
 */
periods: number, };

export type CalendarConventions = { 
/**
 * `"compounded"`: every period's and window's return is ∏(1 + r) − 1.
 */
compounding: string, 
/**
 * `"utc"`: a return belongs to the UTC calendar day, month and year of its timestamp.
 */
calendar: string, 
/**
 * `"after_boundary"`: a trailing window of k months as of T holds the returns dated
 * strictly after T − k months (day clamped to the month's end) and needs a return dated
 * at or before that boundary, else it is null.
 */
trailing_window: string, 
/**
 * `"positive_over_nonzero"`: the share of positive months / quarters / years is
 * #(R > 0) / #(R ≠ 0).
 */
positive_share: string, 
/**
 * `"dropped"`: NaN returns are left out (flat periods); their timestamps still count for
 * the calendar.
 */
nan_policy: string, };

export type Calendar = { 
/**
 * T, the last timestamp (RFC 3339 UTC); null for an empty series.
 */
as_of: string | null, 
/**
 * One row per calendar month holding a timestamp, in order (the monthly heatmap).
 */
months: Array<CalendarPeriod>, 
/**
 * One row per calendar year holding a timestamp, in order (the end-of-year bars).
 */
years: Array<CalendarPeriod>, 
/**
 * The highest monthly return.
 */
best_month: Num | null, 
/**
 * `YYYY-MM` of `best_month` (the first such month on ties).
 */
best_month_period?: string, 
/**
 * The lowest monthly return.
 */
worst_month: Num | null, 
/**
 * `YYYY-MM` of `worst_month` (the first such month on ties).
 */
worst_month_period?: string, 
/**
 * The highest yearly return.
 */
best_year: Num | null, 
/**
 * `YYYY` of `best_year`.
 */
best_year_period?: string, 
/**
 * The lowest yearly return.
 */
worst_year: Num | null, 
/**
 * `YYYY` of `worst_year`.
 */
worst_year_period?: string, 
/**
 * #(months with R > 0) / #(months with R ≠ 0).
 */
positive_months: Num | null, 
/**
 * #(quarters with R > 0) / #(quarters with R ≠ 0).
 */
positive_quarters: Num | null, 
/**
 * #(years with R > 0) / #(years with R ≠ 0).
 */
positive_years: Num | null, 
/**
 * Month to date: the returns dated on or after the first day of T's month.
 */
mtd: Num | null, 
/**
 * The trailing 3 months.
 */
three_months: Num | null, 
/**
 * The trailing 6 months.
 */
six_months: Num | null, 
/**
 * Year to date: the returns dated on or after 1 January of T's year.
 */
ytd: Num | null, 
/**
 * The trailing 12 months.
 */
one_year: Num | null, 
/**
 * The trailing 36 months, annualised: (1 + R)^(1/3) − 1.
 */
three_years_annualised: Num | null, 
/**
 * The trailing 60 months, annualised: (1 + R)^(1/5) − 1.
 */
five_years_annualised: Num | null, 
/**
 * Every return: ∏(1 + r) − 1.
 */
all_time: Num | null, 
/**
 * The conventions used.
 */
conventions: CalendarConventions, 
/**
 * Why a quantity is null, keyed by its name.
 */
reasons?: { [key in string]: string }, };

export type ReturnKind = "simple" | "log";

export type MetricsProfile = "qmtl" | "strict";

export type V15Metrics = { 
/**
 * Return statistics.
 */
returns: V15Returns, 
/**
 * Sample size.
 */
sample: V15Sample, 
/**
 * Risk block, copied from the options (never computed).
 */
risk?: V15Risk, 
/**
 * Overfitting and stability statistics.
 */
robustness: V15Robustness, 
/**
 * Search intensity, complexity, the profile and the reasons for `null` metrics.
 */
diagnostics: V15Diagnostics, 
/**
 * Benchmark block, copied from the options (never computed).
 */
benchmark?: V15Benchmark, };

export type V15Returns = { 
/**
 * `qmtl`: per-period population Sharpe ratio; `strict`: annualised, sample σ.
 */
sharpe: number | null, 
/**
 * `strict` only: the per-period Sharpe ratio (sample σ), the one PSR and DSR use.
 */
sharpe_per_period?: number, 
/**
 * Largest peak-to-trough loss as a positive number (`qmtl`: additive curve; `strict`:
 * compounded, in [0, 1]).
 */
max_drawdown: number | null, 
/**
 * Σr / |Σ r<0|.
 */
gain_to_pain_ratio: number | null, 
/**
 * Historical 1 % value at risk, a loss as a positive number.
 */
var_p01: number | null, 
/**
 * Historical 1 % expected shortfall, a loss as a positive number.
 */
es_p01: number | null, 
/**
 * Fraction of periods below the running peak.
 */
time_under_water_ratio: number | null, 
/**
 * Longest time below the running peak (`qmtl`: in periods; `strict`: calendar days,
 * from the timestamps).
 */
max_time_under_water_days: number | null, 
/**
 * `strict` only: the longest run of consecutive periods below the running peak.
 */
max_time_under_water_periods?: number, };

export type V15Sample = { 
/**
 * n / P, in years.
 */
effective_history_years: number | null, 
/**
 * n, the number of finite periods (QMTL counts periods as trades).
 */
n_trades_total: number | null, 
/**
 * n / years.
 */
n_trades_per_year: number | null, 
/**
 * Fractions of periods in each rolling-volatility tercile.
 */
regime_coverage: RegimeCoverage | null, };

export type RegimeCoverage = { 
/**
 * σ ≤ the 1/3 quantile.
 */
low_vol: number, 
/**
 * Neither low nor high.
 */
mid_vol: number, 
/**
 * σ > the 2/3 quantile.
 */
high_vol: number, };

export type V15Robustness = { 
/**
 * PSR: P(true Sharpe > 0), in [0, 1].
 */
probabilistic_sharpe_ratio: number | null, 
/**
 * DSR: PSR against the expected best Sharpe of `search_intensity` trials, in [0, 1].
 */
deflated_sharpe_ratio: number | null, 
/**
 * Number of contiguous folds (n ≥ 60).
 */
cv_folds: number | null, 
/**
 * Mean of the folds' annualised Sharpe ratios.
 */
cv_sharpe_mean: number | null, 
/**
 * Standard deviation of the folds' annualised Sharpe ratios.
 */
cv_sharpe_std: number | null, 
/**
 * `returns.sharpe` of the first ⌊n/2⌋ periods.
 */
sharpe_first_half: number | null, 
/**
 * `returns.sharpe` of the remaining periods.
 */
sharpe_second_half: number | null, };

export type V15Diagnostics = { 
/**
 * T, the number of strategy variants tried.
 */
search_intensity: number, 
/**
 * 1 + ln(1 + T).
 */
strategy_complexity: number | null, 
/**
 * Which definitions computed the set.
 */
metrics_profile: MetricsProfile, 
/**
 * `"timestamps"` when the series was dated: the calendar-based fields
 * (`returns.max_time_under_water_days`, and with two or more returns
 * `sample.effective_history_years` and `sample.n_trades_per_year`) come from its dates;
 * absent when they are counted in periods and P (QMTL's definitions).
 */
time_axis?: string, 
/**
 * Why a metric is `null` (`strict` only), keyed by its dotted path (`returns.sharpe`).
 */
reasons?: { [key in string]: string }, };

export type V15Risk = { 
/**
 * Factor name → exposure.
 */
factor_exposures?: { [key in string]: number }, 
/**
 * Incremental 99 % VaR.
 */
incremental_var_99?: number, 
/**
 * Incremental 99 % expected shortfall.
 */
incremental_es_99?: number, 
/**
 * 95th percentile of ADV utilisation.
 */
adv_utilization_p95?: number, 
/**
 * 95th percentile of the participation rate.
 */
participation_rate_p95?: number, 
/**
 * Base capacity estimate.
 */
capacity_estimate_base?: number, };

export type V15Benchmark = { 
/**
 * The benchmark's Sharpe ratio.
 */
sharpe?: number, 
/**
 * The benchmark's maximum drawdown.
 */
max_drawdown?: number, 
/**
 * The benchmark's volatility.
 */
volatility?: number, };

export type V15Options = { 
/**
 * Which definitions: `"strict"` (default) or `"qmtl"`.
 */
profile?: MetricsProfile, 
/**
 * P, periods per year (QMTL's `periods_per_year`). Finite, > 0. Default 252.
 */
periods_per_year?: number, 
/**
 * Risk-free rate: **per period** under `qmtl` (QMTL's `risk_free_rate`, subtracted from
 * each return), **per year** under `strict` (de-annualised as `(1 + rf)^(1/P) − 1`).
 * Finite (and > −1 under `strict`). Default 0.
 */
risk_free?: number, 
/**
 * T, the number of strategy variants tried (QMTL's `search_intensity`): DSR's trials.
 * Default 1.
 */
search_intensity?: number, 
/**
 * One RFC 3339 UTC timestamp per return (`2024-01-31T16:00:00Z`), strictly increasing.
 * The calendar-based fields then come from the dates, under both profiles:
 * `returns.max_time_under_water_days` in calendar days, `sample.effective_history_years`
 * from the span (Y·n/(n − 1), Y the calendar years from the first to the last
 * timestamp), `sample.n_trades_per_year` = n / those years. Without them `qmtl` counts
 * periods and divides by P, as QMTL does.
 */
timestamps?: Array<string>, 
/**
 * The `risk` block to copy into the result.
 */
risk?: V15Risk, 
/**
 * The `benchmark` block to copy into the result.
 */
benchmark?: V15Benchmark, };

export type ReportOptions = { 
/**
 * P, periods per year used to annualise (252 daily, 52 weekly, 12 monthly). Finite, > 0.
 * Default 252.
 */
periods_per_year?: number, 
/**
 * Risk-free rate per year, de-annualised as `(1 + rf)^(1/P) − 1` per period. Finite,
 * > −1. Default 0.
 */
risk_free?: number, 
/**
 * The rolling windows, in periods, each ≥ 1 (a window longer than the series gives a
 * series of nulls with a reason). Default `[63, 126, 252]`.
 */
rolling_windows?: Array<number>, 
/**
 * How many drawdown episodes to list, deepest first. Default 10.
 */
top_drawdowns?: number, 
/**
 * Omega's threshold as a yearly return, de-annualised as `(1 + x)^(1/P) − 1` (empyrical's
 * and quantstats' `required_return`). Finite, > −1. Default 0.
 */
omega_required_return?: number, 
/**
 * The benchmark's returns (`null` or `"nan"` for a missing period). Gives the `relative`
 * block. Matched to the series by date when both `timestamps` and `benchmark_timestamps`
 * are given (their common dates only), else by position (one per return).
 */
benchmark?: Array<Num | null>, 
/**
 * One RFC 3339 UTC timestamp per return (`2024-01-31T16:00:00Z`), strictly increasing:
 * gives the drawdown episodes' dates and lengths in days.
 */
timestamps?: Array<string>, 
/**
 * One RFC 3339 UTC timestamp per benchmark return, strictly increasing: with `timestamps`,
 * the two series are compared on their common dates.
 */
benchmark_timestamps?: Array<string>, };

export type ReportRequest = { 
/**
 * As [`ReportOptions::rolling_windows`]. Default `[63, 126, 252]`.
 */
rolling_windows?: Array<number>, 
/**
 * As [`ReportOptions::top_drawdowns`]. Default 10.
 */
top_drawdowns?: number, 
/**
 * As [`ReportOptions::omega_required_return`]. Default 0.
 */
omega_required_return?: number, 
/**
 * As [`ReportOptions::benchmark`].
 */
benchmark?: Array<Num | null>, 
/**
 * As [`ReportOptions::benchmark_timestamps`].
 */
benchmark_timestamps?: Array<string>, };

export type Report = { 
/**
 * The parameters and conventions every block was computed with.
 */
conventions: ReportConventions, 
/**
 * The shape of the return distribution, streaks and drawdown-based ratios.
 */
distribution: DistributionMetrics, 
/**
 * The drawdown episodes of the compounded equity curve.
 */
drawdowns: DrawdownReport, 
/**
 * Sharpe ratio, volatility and Sortino ratio over rolling windows.
 */
rolling: RollingReport, 
/**
 * Benchmark-relative statistics; absent without a benchmark.
 */
relative?: RelativeMetrics, 
/**
 * Monthly and yearly compounded returns and trailing periods; present with `timestamps`.
 */
calendar?: Calendar, };

export type ReportConventions = { 
/**
 * P, periods per year.
 */
periods_per_year: number, 
/**
 * Risk-free rate per year; per period `(1 + rf)^(1/P) − 1`.
 */
risk_free: number, 
/**
 * Omega's yearly threshold and its per-period value `(1 + x)^(1/P) − 1`.
 */
omega_required_return: number, 
/**
 * Omega's per-period threshold τ.
 */
omega_threshold: number, 
/**
 * Sample standard deviations (volatility, Sharpe, tracking error) use `ddof = 1`.
 */
ddof: number, 
/**
 * `"compounded"`: drawdowns on V₀ = 1, Vₜ = Vₜ₋₁(1 + rₜ), the start a peak, values ≤ 0.
 */
drawdown: string, 
/**
 * `"dropped"`: NaN returns are left out of every statistic and are flat periods of the
 * equity curve (they count in drawdown lengths and rolling windows' spans).
 */
nan_policy: string, 
/**
 * `"linear"`: quantiles interpolate linearly between order statistics at h = (n − 1)·q
 * (numpy's default).
 */
quantiles: string, 
/**
 * The rolling windows, in periods.
 */
rolling_windows: Array<number>, 
/**
 * How many drawdown episodes are listed.
 */
top_drawdowns: number, 
/**
 * `"days"` when timestamps were given (drawdown lengths in days too), else `"periods"`.
 */
time: string, 
/**
 * How the benchmark is matched to the series: `"date"` (common dates, with both series'
 * timestamps) or `"positional"`; absent without one.
 */
alignment?: string, };

export type DistributionMetrics = { 
/**
 * Number of finite returns used.
 */
sample_count: number, 
/**
 * Sample (bias-corrected) skewness G₁ = g₁·√(n(n − 1))/(n − 2), as pandas' `skew`.
 */
skewness: Num | null, 
/**
 * Population skewness g₁ = m₃ / m₂^(3/2), as `scipy.stats.skew`.
 */
skewness_population: Num | null, 
/**
 * Sample (bias-corrected) excess kurtosis G₂, as pandas' `kurt`.
 */
excess_kurtosis: Num | null, 
/**
 * Population excess kurtosis g₂ = m₄ / m₂² − 3, as `scipy.stats.kurtosis`.
 */
excess_kurtosis_population: Num | null, 
/**
 * The highest return.
 */
best: Num | null, 
/**
 * The lowest return.
 */
worst: Num | null, 
/**
 * Mean of the returns > 0.
 */
mean_win: Num | null, 
/**
 * Mean of the returns < 0 (≤ 0).
 */
mean_loss: Num | null, 
/**
 * mean_win / |mean_loss|.
 */
payoff_ratio: Num | null, 
/**
 * Σ max(r − τ, 0) / Σ max(τ − r, 0), τ = `conventions.omega_threshold`.
 */
omega: Num | null, 
/**
 * |q(0.95)| / |q(0.05)|, linear quantiles.
 */
tail_ratio: Num | null, 
/**
 * Kelly fraction win_rate − (1 − win_rate) / payoff_ratio, win_rate = #(r > 0)/#(r ≠ 0).
 */
kelly: Num | null, 
/**
 * Longest run of consecutive periods with r > 0 (a period with r = 0 or NaN breaks a run).
 */
max_consecutive_wins: number | null, 
/**
 * Longest run of consecutive periods with r < 0 (a period with r = 0 or NaN breaks a run).
 */
max_consecutive_losses: number | null, 
/**
 * √(Σ dₜ² / N) over the N periods' drawdowns dₜ (fractions).
 */
ulcer_index: Num | null, 
/**
 * (cagr − rf) / ulcer_index.
 */
ulcer_performance_index: Num | null, 
/**
 * total_return / |max_drawdown|.
 */
recovery_factor: Num | null, 
/**
 * profit_factor · tail_ratio.
 */
common_sense_ratio: Num | null, 
/**
 * Why a quantity is null, keyed by its name.
 */
reasons?: { [key in string]: string }, };

export type DrawdownReport = { 
/**
 * Number of episodes (all of them, not only those listed).
 */
count: number, 
/**
 * The deepest `conventions.top_drawdowns` episodes, deepest first (ties: earlier first).
 */
episodes: Array<DrawdownEpisode>, 
/**
 * Mean depth of all episodes (≤ 0).
 */
average_depth: Num | null, 
/**
 * Mean length of all episodes, in periods.
 */
average_length: Num | null, 
/**
 * Mean length of all episodes, in days (with timestamps).
 */
average_length_days: Num | null, 
/**
 * Why a quantity is null, keyed by its name.
 */
reasons?: { [key in string]: string }, };

export type DrawdownEpisode = { 
/**
 * The first period below the peak.
 */
start: number, 
/**
 * The period of the deepest point (the first one, on ties).
 */
trough: number, 
/**
 * The period that regains the peak; `null` while the episode is open at the series' end.
 */
end: number | null, 
/**
 * The deepest drawdown, Vₜ/peak − 1 (≤ 0).
 */
depth: Num, 
/**
 * Periods below the peak: `end − start`, or `n − start` while open.
 */
length: number, 
/**
 * Periods from the trough to the recovery, `end − trough`; `null` while open.
 */
recovery: number | null, 
/**
 * With timestamps: the peak's timestamp (the first one when `start` is 0).
 */
peak_at?: string, 
/**
 * With timestamps: the trough's timestamp.
 */
trough_at?: string, 
/**
 * With timestamps: the recovery's timestamp (absent while open).
 */
end_at?: string, 
/**
 * With timestamps: days from the peak's timestamp to the recovery's (or the last one
 * while open).
 */
length_days?: Num, 
/**
 * With timestamps: days from the trough's timestamp to the recovery's (absent while
 * open).
 */
recovery_days?: Num, };

export type RollingReport = { 
/**
 * The windows, in the order given.
 */
windows: Array<RollingWindow>, };

export type RollingWindow = { 
/**
 * The window, in periods.
 */
window: number, 
/**
 * mean(r − rf_pp) / std(r, ddof=1) · √P per window.
 */
sharpe: Array<Num | null>, 
/**
 * std(r, ddof=1) · √P per window.
 */
volatility: Array<Num | null>, 
/**
 * mean(r − rf_pp) / √(Σ min(r − rf_pp, 0)² / k) · √P per window (k finite returns).
 */
sortino: Array<Num | null>, 
/**
 * Why the whole series is null (the window is longer than the series, or 1).
 */
reason?: string, };

export type RelativeMetrics = { 
/**
 * Number of periods where both returns are finite.
 */
sample_count: number, 
/**
 * cov(r, b) / var(b).
 */
beta: Num | null, 
/**
 * Jensen's alpha, annualised by compounding: (1 + mean(r − rf_pp − β(b − rf_pp)))^P − 1.
 */
alpha: Num | null, 
/**
 * Pearson correlation of r and b.
 */
correlation: Num | null, 
/**
 * correlation².
 */
r_squared: Num | null, 
/**
 * std(r − b, ddof=1) · √P.
 */
tracking_error: Num | null, 
/**
 * mean(r − b) / std(r − b, ddof=1) · √P.
 */
information_ratio: Num | null, 
/**
 * cagr(r | b > 0) / cagr(b | b > 0), each over the periods with b > 0.
 */
up_capture: Num | null, 
/**
 * cagr(r | b < 0) / cagr(b | b < 0), each over the periods with b < 0.
 */
down_capture: Num | null, 
/**
 * The benchmark's own returns block (over all its periods).
 */
benchmark: ReturnsMetrics, 
/**
 * Why a quantity is null, keyed by its name.
 */
reasons?: { [key in string]: string }, };

export type Dialect = "strict" | "qmtl";

export type PolicyDocument = { 
/**
 * `strict` (default) or `qmtl`.
 */
dialect?: Dialect, 
/**
 * Threshold rules by label (the label is only a name). Bounds are inclusive.
 */
thresholds?: { [key in string]: ThresholdRule }, 
/**
 * Keep the k best strategies by a metric (descending).
 */
top_k?: TopKRule, 
/**
 * Greedy correlation filter in rank order.
 */
correlation?: CorrelationRule, 
/**
 * Enter/exit bands (and counters) against the previously active set.
 */
hysteresis?: HysteresisRule, 
/**
 * QMTL's `selection` block: its `thresholds` lose to top-level ones on the same label; its
 * `top_k`, `correlation` and `hysteresis` win over top-level ones.
 */
selection?: SelectionConfig, 
/**
 * Validation profiles by name; the chosen one is compiled to thresholds.
 */
validation_profiles?: { [key in string]: ValidationProfile }, 
/**
 * Stage (`backtest_only`, `paper_only`, …) → profile name.
 */
default_profile_by_stage?: { [key in string]: string }, 
/**
 * Error and missing-metric handling.
 */
validation?: ValidationConfig, 
/**
 * How the selected strategies are weighted (default: equal).
 */
weighting?: WeightingConfig, 
/**
 * QMTL cohort layer (campaign-wide medians, cohort top-k).
 */
cohort?: CohortRule, 
/**
 * QMTL portfolio layer (incremental VaR/ES, Sharpe uplift).
 */
portfolio?: PortfolioRule, 
/**
 * QMTL stress layer (per-scenario drawdown/ES/VaR caps).
 */
stress?: StressRule, 
/**
 * QMTL live-monitoring layer (realised Sharpe, drawdown, decay).
 */
live_monitoring?: LiveMonitoringRule, };

export type ThresholdRule = { 
/**
 * Metric name: a leaf name (`sharpe`) or a dotted path (`returns.sharpe`).
 */
metric: string, 
/**
 * Inclusive lower bound.
 */
min?: number, 
/**
 * Inclusive upper bound.
 */
max?: number, };

export type TopKRule = { 
/**
 * Ranking metric.
 */
metric: string, 
/**
 * How many to keep, ≥ 1.
 */
k: number, };

export type UnknownCorrelation = "warn" | "fail" | "ignore";

export type CorrelationRule = { 
/**
 * Largest allowed |ρ|, in −1..1.
 */
max: number, 
/**
 * Fewest overlapping samples for a correlation computed from returns (default 30).
 */
min_overlap?: number, 
/**
 * Unknown pairs: `warn` (strict default), `fail`, or `ignore` (qmtl default).
 */
on_unknown?: UnknownCorrelation, };

export type HysteresisRule = { 
/**
 * Band metric.
 */
metric: string, 
/**
 * Entry level.
 */
enter: number, 
/**
 * Exit level (≤ `enter` in the strict dialect).
 */
exit: number, 
/**
 * Consecutive qualifying evaluations before an entrant is activated (default 1).
 */
promote_after?: number, 
/**
 * Consecutive evaluations below `exit` before an incumbent is deactivated (default 1).
 */
demote_after?: number, 
/**
 * Fewest evaluations a strategy stays in a state before the bands may change it
 * (default 0).
 */
min_dwell?: number, };

export type SelectionConfig = { 
/**
 * Thresholds (top-level labels win).
 */
thresholds?: { [key in string]: ThresholdRule }, 
/**
 * Top-k (wins over the top-level one).
 */
top_k?: TopKRule, 
/**
 * Correlation (wins over the top-level one).
 */
correlation?: CorrelationRule, 
/**
 * Hysteresis (wins over the top-level one).
 */
hysteresis?: HysteresisRule, };

export type Severity = "blocking" | "soft" | "info";

export type Owner = "quant" | "risk" | "ops";

export type SampleProfile = { 
/**
 * Minimum `effective_history_years`.
 */
min_effective_years?: number, 
/**
 * Minimum `n_trades_total`.
 */
min_trades_total?: number, 
/**
 * Severity override (default `soft`).
 */
severity?: Severity, 
/**
 * Owner override (default `quant`).
 */
owner?: Owner, };

export type PerformanceProfile = { 
/**
 * Minimum `sharpe`.
 */
sharpe_min?: number, 
/**
 * Maximum `max_drawdown` magnitude (e.g. 0.25).
 */
max_dd_max?: number, 
/**
 * Minimum `gain_to_pain_ratio`.
 */
gain_to_pain_min?: number, 
/**
 * Severity override (default `blocking`).
 */
severity?: Severity, 
/**
 * Owner override (default `quant`).
 */
owner?: Owner, };

export type RobustnessProfile = { 
/**
 * Minimum `deflated_sharpe_ratio`.
 */
dsr_min?: number, 
/**
 * Maximum `|sharpe_first_half − sharpe_second_half|`.
 */
cv_sharpe_gap_max?: number, 
/**
 * Severity override (default `soft`).
 */
severity?: Severity, 
/**
 * Owner override (default `quant`).
 */
owner?: Owner, };

export type RiskProfile = { 
/**
 * Maximum `adv_utilization_p95`.
 */
adv_utilization_p95_max?: number, 
/**
 * Maximum `participation_rate_p95`.
 */
participation_rate_p95_max?: number, 
/**
 * Severity override of the `risk_constraint` rule (default `blocking`).
 */
severity?: Severity, 
/**
 * Owner override of the `risk_constraint` rule (default `risk`).
 */
owner?: Owner, };

export type ValidationProfile = { 
/**
 * Sample depth.
 */
sample?: SampleProfile, 
/**
 * Performance.
 */
performance?: PerformanceProfile, 
/**
 * Robustness.
 */
robustness?: RobustnessProfile, 
/**
 * Liquidity risk.
 */
risk?: RiskProfile, };

export type MissingMetric = "fail" | "warn" | "ignore";

export type OnError = "fail" | "warn";

export type ValidationConfig = { 
/**
 * Default `fail`.
 */
on_error: OnError, 
/**
 * Default `fail`.
 */
on_missing_metric: MissingMetric, };

export type WeightMethod = "equal" | "inverse_volatility" | "score";

export type WeightingConfig = { 
/**
 * Method, default `equal`.
 */
method: WeightMethod, 
/**
 * Largest weight of one strategy, in (0, 1].
 */
max_weight?: number, 
/**
 * Metric the method reads (`volatility` / the top-k metric by default).
 */
metric?: string, };

export type CohortRule = { 
/**
 * Minimum median `sharpe` of the cohort.
 */
sharpe_median_min?: number, 
/**
 * Minimum median `deflated_sharpe_ratio` of the cohort.
 */
dsr_median_min?: number, 
/**
 * Only the cohort's top k by `sharpe` pass.
 */
top_k?: number, 
/**
 * Default `soft`.
 */
severity?: Severity, 
/**
 * Default `risk`.
 */
owner?: Owner, };

export type PortfolioRule = { 
/**
 * Maximum `incremental_var_99`.
 */
max_incremental_var_99?: number, 
/**
 * Maximum `incremental_es_99`.
 */
max_incremental_es_99?: number, 
/**
 * Minimum `portfolio_sharpe_uplift`.
 */
min_portfolio_sharpe_uplift?: number, 
/**
 * Default `soft`.
 */
severity?: Severity, 
/**
 * Default `risk`.
 */
owner?: Owner, };

export type StressRule = { 
/**
 * Scenario caps.
 */
scenarios?: { [key in string]: { [key in string]: number } }, 
/**
 * Default `info`.
 */
severity?: Severity, 
/**
 * Default `ops`.
 */
owner?: Owner, };

export type LiveMonitoringRule = { 
/**
 * Reported only.
 */
lookback_days?: number, 
/**
 * Minimum mean `live_vs_backtest_sharpe_ratio`.
 */
decay_threshold?: number, 
/**
 * Minimum mean live Sharpe.
 */
sharpe_min?: number, 
/**
 * Maximum mean live drawdown.
 */
dd_max?: number, 
/**
 * Default `soft`.
 */
severity?: Severity, 
/**
 * Default `risk`.
 */
owner?: Owner, };

export type RuleStatus = "pass" | "warn" | "fail";

export type RuleResult = { 
/**
 * pass | warn | fail.
 */
status: RuleStatus, 
/**
 * blocking | soft | info.
 */
severity: Severity, 
/**
 * quant | risk | ops.
 */
owner: Owner, 
/**
 * Stable code (`performance_thresholds_failed`, `correlation_constraint_failed`, …).
 */
reason_code: string, 
/**
 * Human text.
 */
reason: string, 
/**
 * Tags (QMTL's), e.g. `["performance", "thresholds"]`.
 */
tags: Array<string>, 
/**
 * Rule-specific details (QMTL's keys).
 */
details: Record<string, unknown>, };

export type RuleResults = { 
/**
 * Required metrics present.
 */
data_currency: RuleResult, 
/**
 * Sample depth.
 */
sample: RuleResult, 
/**
 * Thresholds and ranking.
 */
performance: RuleResult, 
/**
 * Correlation and hysteresis.
 */
risk_constraint: RuleResult, 
/**
 * Deflated Sharpe and split-half stability.
 */
robustness: RuleResult, 
/**
 * Cohort layer.
 */
cohort?: RuleResult, 
/**
 * Portfolio layer.
 */
portfolio?: RuleResult, 
/**
 * Stress layer.
 */
stress?: RuleResult, 
/**
 * Live-monitoring layer.
 */
live_monitoring?: RuleResult, };

export type CheckOutcome = "pass" | "fail" | "warn" | "skipped";

export type Explanation = { 
/**
 * `thresholds.<label>`, `top_k`, `correlation`, `hysteresis`, `robustness.dsr_min`, …
 */
rule: string, 
/**
 * The metric read, if any.
 */
metric: string | null, 
/**
 * The value observed, as found in the data (`null` when missing or not a number).
 */
observed: Num | null, 
/**
 * `|observed|`, for drawdown bounds (compared as magnitudes).
 */
magnitude?: Num, 
/**
 * The bound compared with.
 */
bound: Num | null, 
/**
 * The comparison that must hold: `>=`, `<=`, `rank<=`, `|rho|<=`.
 */
comparison: string | null, 
/**
 * Outcome.
 */
outcome: CheckOutcome, 
/**
 * Stable code of the outcome (`ok`, `threshold_min`, `metric_missing`, …).
 */
code: string, 
/**
 * Lowercase explanation.
 */
message: string, 
/**
 * For `correlation` checks over computed correlations: how the series were paired,
 * `date` (the intersection of both strategies' timestamps), `position` (from the end;
 * a strategy without timestamps) or `mixed` (some pairs each way). Absent for given
 * correlations and other rules.
 */
alignment?: string, };

export type StrategyDecision = { 
/**
 * Summary: a blocking failure → `fail`; any other failure or warning → `warn`; else `pass`.
 */
status: RuleStatus, 
/**
 * `valid` (selected, clean), `warn` (selected with warnings), `invalid` (not selected).
 */
verdict: Verdict, 
/**
 * Whether the strategy is in the active set.
 */
selected: boolean, 
/**
 * 1-based rank by the top-k metric among the strategies that passed the thresholds.
 */
rank: number | null, 
/**
 * Weight in the active set (selected strategies only; they sum to 1).
 */
weight: Num | null, 
/**
 * Per-rule results.
 */
rule_results: RuleResults, 
/**
 * Every rule broken.
 */
violations: Array<Violation>, 
/**
 * Every check made, passing or not.
 */
explanations: Array<Explanation>, };

export type StrategyState = { 
/**
 * In the active set.
 */
active: boolean, 
/**
 * Consecutive evaluations that qualified (to enter when inactive, to stay when active).
 */
passes: number, 
/**
 * Consecutive evaluations that did not qualify.
 */
fails: number, 
/**
 * Epoch at which `active` last changed; `null` when unknown.
 */
since: number | null, };

export type ActivationState = { 
/**
 * Evaluations so far; each evaluation returns `epoch + 1`.
 */
epoch: number, 
/**
 * Per strategy.
 */
strategies: { [key in string]: StrategyState }, };

export type Note = { 
/**
 * Stable code: `incumbent_absent`, `weighting_fallback_equal`, `correlation_data_missing`.
 */
code: string, 
/**
 * The strategy concerned, if any.
 */
strategy_id: string | null, 
/**
 * Lowercase explanation.
 */
message: string, };

export type Decision = { 
/**
 * The dialect that decided.
 */
dialect: Dialect, 
/**
 * Selected ids, in rank order (QMTL: pipeline order).
 */
selected: Array<string>, 
/**
 * The validation profile applied, if any.
 */
profile: string | null, 
/**
 * `backtest_only`, `paper_only` or `paper_ok_live_candidate`, from the stage or profile.
 */
recommended_stage: string | null, 
/**
 * `sha256:<hex>` of the canonical JSON of the resolved policy.
 */
ruleset_hash: string, 
/**
 * Per strategy: input order (qmtl) or by id (strict).
 */
strategies: { [key in string]: StrategyDecision }, 
/**
 * Activation state to pass to the next evaluation.
 */
state: ActivationState, 
/**
 * Decision-level observations.
 */
notes: Array<Note>, };

export type StrategyVerdict = { 
/**
 * Summary: a blocking failure → `fail`; any other failure or warning → `warn`; else `pass`.
 */
status: RuleStatus, 
/**
 * `valid` (selected, clean), `warn` (selected with warnings), `invalid` (not selected).
 */
verdict: Verdict, 
/**
 * Whether the strategy is in the active set.
 */
selected: boolean, 
/**
 * 1-based rank by the top-k metric among the strategies that passed the thresholds.
 */
rank: number | null, 
/**
 * Weight in the active set (selected strategies only; they sum to 1).
 */
weight: Num | null, };

export type Verdicts = { 
/**
 * The dialect that decided.
 */
dialect: Dialect, 
/**
 * Selected ids, in rank order (QMTL: pipeline order).
 */
selected: Array<string>, 
/**
 * The validation profile applied, if any.
 */
profile: string | null, 
/**
 * `backtest_only`, `paper_only` or `paper_ok_live_candidate`, from the stage or profile.
 */
recommended_stage: string | null, 
/**
 * `sha256:<hex>` of the canonical JSON of the resolved policy.
 */
ruleset_hash: string, 
/**
 * Per strategy: input order (qmtl) or by id (strict).
 */
strategies: { [key in string]: StrategyVerdict }, 
/**
 * Activation state to pass to the next evaluation.
 */
state: ActivationState, 
/**
 * Decision-level observations.
 */
notes: Array<Note>, };

export type Limits = { 
/**
 * Total input size in bytes (default 16 MiB).
 */
max_bytes?: number, 
/**
 * Nesting depth of arrays and objects; the top-level value is depth 1 (default 64; values
 * above [`DEPTH_CEILING`] act as the ceiling, so later recursive passes stay shallow).
 */
max_depth?: number, 
/**
 * Submissions in one bundle (default 1,000).
 */
max_submissions?: number, 
/**
 * Elements of any one array, series included (default 2,000,000).
 */
max_series_len?: number, 
/**
 * Bytes of any one string or object key, after unescaping (default 64 KiB).
 */
max_string_len?: number, 
/**
 * Keys of any one object (default 10,000).
 */
max_map_keys?: number, };

export type Submission = { 
/**
 * The strategy; safe id.
 */
strategy_id: string, 
/**
 * The evaluation run; minted from the input digest when absent. Safe id.
 */
run_id?: string, 
/**
 * Lifecycle stage (`backtest`, `paper`, `live`, …), for `default_profile_by_stage`.
 */
stage?: string, 
/**
 * Period returns; `"nan"` marks a missing period, infinities are rejected.
 */
returns?: Array<Num>, 
/**
 * A metric block computed by the submitter; checked against `returns` when both are given.
 */
metrics?: EvaluationMetrics, 
/**
 * Account equity levels, for the snapshot's series heads.
 */
equity?: Array<Num>, 
/**
 * Cumulative PnL in currency, for the snapshot's series heads.
 */
pnl?: Array<Num>, 
/**
 * Free-form metadata (sanitized).
 */
meta?: Record<string, unknown>, 
/**
 * Where the full series live, usually URIs (sanitized: signed query strings stripped).
 */
storage_refs?: Record<string, unknown>, 
/**
 * One RFC 3339 UTC timestamp per return, strictly increasing (not with `index`). With
 * them (or `index`) the default `window` is `first/last`, `periods_per_year` defaults to
 * the one they imply, and computed correlations align strategies by date. Part of the
 * bundle's bytes, so the input digest covers them.
 */
timestamps?: Array<string>, 
/**
 * A regular index `{start, frequency}` instead of `timestamps`.
 */
index?: SeriesIndex, 
/**
 * The time window the series covers (ISO 8601 interval or free text).
 */
window?: string, 
/**
 * P, periods per year for annualising (default: implied by `timestamps`/`index`, else 252).
 */
periods_per_year?: number, 
/**
 * Risk-free rate per year (default 0).
 */
risk_free?: number, 
/**
 * Starting capital of the simulated account (default the metrics engine's).
 */
initial_capital?: number, 
/**
 * Currency of the PnL block (ISO 4217).
 */
reference_currency?: string, 
/**
 * T, the number of strategy variants tried before this one (QMTL's `search_intensity`,
 * the deflated Sharpe ratio's trials; default 1).
 */
search_intensity?: number, };

export type Bundle = { 
/**
 * Always `1`.
 */
bundle_version: number, 
/**
 * The world the submissions are for; safe id (`[A-Za-z0-9._:-]`, 1–128 bytes, no leading dot).
 */
world_id: string, 
/**
 * When the submitter created the bundle (RFC 3339); informative only.
 */
created_at?: string, 
/**
 * One or more strategy submissions; each strategy at most once.
 */
submissions: Array<Submission>, 
/**
 * The world's activation state before this bundle (active set and hysteresis counters),
 * in the policy engine's `previous_state` form.
 */
previous?: unknown, 
/**
 * Pairwise return correlations, in the policy engine's form (`[[a, b, rho], …]` or a matrix).
 */
correlations?: unknown, 
/**
 * Free-form metadata about the upload (sanitized before storage).
 */
meta?: Record<string, unknown>, };

export type SubmissionSeries = { 
/**
 * The strategy.
 */
strategy_id: string, 
/**
 * The submission's `returns`, when it gave them.
 */
returns?: Array<Num>, 
/**
 * The submission's `equity`, when it gave them.
 */
equity?: Array<Num>, 
/**
 * The submission's `pnl`, when it gave them.
 */
pnl?: Array<Num>, 
/**
 * The submission's `timestamps` (an `index` expanded), when it gave a time axis.
 */
timestamps?: Array<string>, };

export type SubmissionReport = { 
/**
 * The strategy.
 */
strategy_id: string, 
/**
 * The report of the submission's `returns` under the submission's P, risk-free rate and
 * time axis, as `computeReport` gives it for the same series and options; `null` for a
 * submission without `returns` (claimed metrics only).
 */
report: Report | null, };

export type RedactionKind = "aws_access_key_id" | "aws_secret_access_key" | "google_api_key" | "azure_key" | "github_token" | "slack_token" | "stripe_key" | "bearer_token" | "jwt" | "private_key" | "secret_pair" | "secret_field" | "signed_url" | "url_credentials" | "local_path";

export type Redaction = { 
/**
 * JSON pointer of the changed string or field.
 */
path: string, 
/**
 * What was removed.
 */
kind: RedactionKind, };

export type SanitizedText = { 
/**
 * The text with every secret replaced (the input itself when nothing was found).
 */
text: string, 
/**
 * One entry per change, at the field's path.
 */
redactions: Array<Redaction>, };

export type DiffOptions = { 
/**
 * Compare evaluations of different worlds.
 */
allow_cross_world?: boolean, 
/**
 * Compare evaluations gated by different policies.
 */
allow_policy_change?: boolean, };

export type DiffSide = { 
/**
 * The world.
 */
world_id: string, 
/**
 * The strategy.
 */
strategy_id: string, 
/**
 * The run.
 */
run_id: string, 
/**
 * The policy hash the side was gated with, when known.
 */
ruleset_hash: string | null, };

export type MetricDelta = { 
/**
 * `<block>.<metric>`, e.g. `returns.sharpe`, `custom.deflated_sharpe_ratio`.
 */
metric: string, 
/**
 * Baseline value.
 */
baseline: Num, 
/**
 * Current value.
 */
current: Num, 
/**
 * `current − baseline`.
 */
delta: Num, 
/**
 * `(current − baseline) / |baseline|`; null when the baseline is 0 or not finite.
 */
relative: Num | null, };

export type Change<T> = { 
/**
 * Baseline value.
 */
baseline: T, 
/**
 * Current value.
 */
current: T, 
/**
 * `baseline != current`.
 */
changed: boolean, };

export type Diff = { 
/**
 * The earlier evaluation.
 */
baseline: DiffSide, 
/**
 * The later evaluation.
 */
current: DiffSide, 
/**
 * Every numeric metric present (and non-null) on both sides, in block order.
 */
metrics: Array<MetricDelta>, 
/**
 * Metrics present on one side only, as `<block>.<metric>`.
 */
only_in_baseline: Array<string>, 
/**
 * Metrics present on the current side only.
 */
only_in_current: Array<string>, 
/**
 * The gating verdict before and after (`pending` when ungated).
 */
verdict: Change<Verdict>, 
/**
 * Violations in current and not in baseline.
 */
violations_added: Array<Violation>, 
/**
 * Violations in baseline and not in current.
 */
violations_removed: Array<Violation>, 
/**
 * Rank before and after.
 */
rank: Change<number | null>, 
/**
 * Weight before and after.
 */
weight: Change<Num | null>, 
/**
 * Caveats, e.g. that the worlds or policies differ (when allowed).
 */
notes: Array<string>, };

export type RunRevision = { 
/**
 * 0 for the creation, then 1, 2, … in order.
 */
revision: number, 
/**
 * The state entered.
 */
status: RunState, 
/**
 * RFC 3339 time of the change.
 */
at: string, };

export type Run = { 
/**
 * The status document (seed §3.1).
 */
status: RunStatus, 
/**
 * The metric bundle, set before `evaluated` and fixed from then on.
 */
metrics?: EvaluationMetrics, 
/**
 * The policy's decision for the strategy, fixed from `evaluated` on.
 */
decision?: Gating, 
/**
 * Every state the run entered, oldest first; only ever appended to.
 */
history: Array<RunRevision>, };

export type RunChange = { 
/**
 * The run in its new state.
 */
run: Run, 
/**
 * Why it changed, for the run's history (e.g. `superseded by run r-…`).
 */
reason: string, };

export type WorldTransition = { 
/**
 * The run in its new state.
 */
run: Run, 
/**
 * The other runs the move changed (activating a run expires the strategy's previously
 * active run), each with the reason to record; empty for every other move.
 */
superseded: Array<RunChange>, };

export type Published = { 
/**
 * The status of each state the run passed through before its final one, in order
 * (`backtest_running`, `evaluating`).
 */
steps: Array<RunStatus>, 
/**
 * The published record: the gate's evaluated record (metrics, decision, digests) with the
 * walked history and the publication time as `updated_at`.
 */
run: Run, };

export type ActiveRun = { 
/**
 * The strategy.
 */
strategy_id: string, 
/**
 * Its activated run.
 */
run_id: string, 
/**
 * The run's weight in the active set as gated (`null` when the run has none).
 */
weight: Num | null, 
/**
 * The run's rank as gated (`null` when the run has none).
 */
rank: number | null, 
/**
 * When the run was activated (its `updated_at`).
 */
since: string, };

export type Tolerance = { 
/**
 * Relative part (default 1e-9).
 */
relative?: number, 
/**
 * Absolute part (default 1e-12).
 */
absolute?: number, };

export type GateOptions = { 
/**
 * Size limits of the upload.
 */
limits?: Limits, 
/**
 * Timestamp written to snapshots and runs (RFC 3339; default the Unix epoch, since the
 * core has no clock).
 */
created_at?: string, 
/**
 * How many leading values of each series the snapshots keep (default 16).
 */
series_head_len?: number, 
/**
 * Tolerance for claimed metrics.
 */
tolerance?: Tolerance, 
/**
 * Evaluation stage for profile selection; default: the submissions' common `stage`.
 */
stage?: string, 
/**
 * Explicit validation profile.
 */
profile?: string, 
/**
 * Computes QMTL's v1.5 metric set (`metrics.v15`) from each returns series under this
 * profile, so that validation profiles (`sharpe_min`, `max_dd_max`, `gain_to_pain_min`,
 * `dsr_min`, `min_effective_years`, `min_trades_total`, `cv_sharpe_gap_max`) find their
 * metrics. Default: `qmtl` for a `qmtl`-dialect policy, none for a `strict` one. The
 * policy reads the v1.5 blocks first: where both define a name (`returns.sharpe`,
 * `returns.max_drawdown`), the v1.5 value is the one it sees.
 */
metrics_profile?: MetricsProfile, 
/**
 * The activation state to gate in, given by the caller (a world service passes its own)
 * instead of inside the bundle; it is not part of the bundle, so `input_digest` does not
 * cover it. A bundle that also carries `previous` is refused (`E_INVALID_VALUE` at
 * `/previous`). Default: none (the bundle's own `previous`, if any).
 */
previous?: ActivationState, 
/**
 * Whether the result carries each submission's full series (`series`), for a caller that
 * stores them; default false (a result the size of the decision, not of the upload).
 */
full_series?: boolean, 
/**
 * Computes each submission's report (`reports`: `distribution`, `drawdowns`, `rolling`,
 * `calendar` with a time axis, `relative` with a benchmark) under this request, with the
 * submission's P (given or implied by its time axis), yearly risk-free rate and time axis
 * (timestamps, or its index expanded): the same report as `computeReport` of its returns
 * with those options. A `benchmark` in the request is every submission's (by date when
 * both are dated, else by position, so as long as each series). Default none: no report
 * is computed, the gate costs what it did.
 */
report?: ReportRequest, };

export type StrategyOutcome = { 
/**
 * The strategy.
 */
strategy_id: string, 
/**
 * Its run (given or minted).
 */
run_id: string, 
/**
 * The policy's verdict.
 */
verdict: Verdict, 
/**
 * Whether the policy selected it.
 */
selected: boolean, 
/**
 * Rules broken.
 */
violations: Array<Violation>, 
/**
 * Rank among the strategies that passed the thresholds.
 */
rank: number | null, 
/**
 * Weight in the active set.
 */
weight: Num | null, 
/**
 * `returns` (recomputed from the series) or `claimed` (taken as sent).
 */
metrics_source: MetricSource, 
/**
 * `.qmtl_snapshots/<world>-<strategy>-<run>.json`.
 */
snapshot_file: string, };

export type GateResult = { 
/**
 * Wire-format version.
 */
schema_version: number, 
/**
 * The world.
 */
world_id: string, 
/**
 * `created_at` of the options.
 */
created_at: string, 
/**
 * `sha256:<hex>` of the canonical JSON of the sanitized bundle.
 */
input_digest: string, 
/**
 * `sha256:<hex>` of the canonical JSON of `decision`.
 */
result_digest: string, 
/**
 * `sha256:<hex>` of the resolved policy.
 */
ruleset_hash: string, 
/**
 * Selected strategy ids, in rank order.
 */
selected: Array<string>, 
/**
 * Ids whose verdict is `invalid` (a CLI exits 1 when this is not empty).
 */
rejected: Array<string>, 
/**
 * One outcome per submission, in bundle order.
 */
strategies: Array<StrategyOutcome>, 
/**
 * The policy engine's full decision (rule results, explanations, next activation state).
 */
decision: Decision, 
/**
 * One snapshot envelope per submission.
 */
snapshots: Array<Snapshot>, 
/**
 * One evaluated run record per submission.
 */
runs: Array<Run>, 
/**
 * Everything the sanitizer removed, by path and kind.
 */
redactions: Array<Redaction>, 
/**
 * Each submission's full series, in bundle order, when the options asked for them
 * (`full_series`); absent otherwise.
 */
series?: Array<SubmissionSeries>, 
/**
 * Each submission's report, in bundle order, when the options asked for them (`report`);
 * absent otherwise.
 */
reports?: Array<SubmissionReport>, };

export type QmtlRunStatus = "evaluating" | "evaluated";

export type QmtlStage = "backtest" | "paper" | "live";

export type QmtlRiskTier = "high" | "medium" | "low";

export type OverrideStatus = "none" | "approved" | "rejected";

export type QmtlRunLinks = { 
/**
 * `/worlds/{w}/strategies/{s}/runs/{r}/metrics`.
 */
metrics: string, 
/**
 * `/worlds/{w}/strategies/{s}/runs/{r}/history`.
 */
history: string, };

export type QmtlValidation = { 
/**
 * The world's policy version the run was gated with, as a decimal string (`"0"`: the
 * world's default policy).
 */
policy_version: string, 
/**
 * `sha256:<hex>` of the resolved policy.
 */
ruleset_hash: string | null, 
/**
 * The validation profile applied, if any.
 */
profile: string | null, 
/**
 * Rule name → result (`data_currency`, `sample`, `performance`, `risk_constraint`,
 * `robustness`, and the extended layers when configured); empty when the decision has no
 * entry for the strategy.
 */
results: { [key in string]: RuleResult }, };

export type QmtlOverride = { 
/**
 * approved | rejected | none.
 */
status: OverrideStatus, 
/**
 * Why (required for `approved`).
 */
reason: string | null, 
/**
 * Who (required for `approved`).
 */
actor: string | null, 
/**
 * When, as the client states it (required for `approved`); the recording time when absent.
 */
timestamp: string | null, };

export type FailureStatus = "candidate" | "confirmed";

export type FailureSeverity = "critical" | "high" | "medium" | "low";

export type FailureSource = "manual" | "auto";

export type QmtlExPostFailure = { 
/**
 * Case id; `case-<n>` (n = 1, 2, … per run) when absent or blank.
 */
case_id: string | null, 
/**
 * candidate | confirmed (default).
 */
status: FailureStatus, 
/**
 * Category (non-empty).
 */
category: string, 
/**
 * Stable reason code (non-empty).
 */
reason_code: string, 
/**
 * critical | high | medium | low.
 */
severity: FailureSeverity | null, 
/**
 * Link to the evidence.
 */
evidence_url: string | null, 
/**
 * Who recorded it (non-empty).
 */
actor: string, 
/**
 * When, as the client states it; the recording time when absent.
 */
recorded_at: string | null, 
/**
 * manual (default) | auto.
 */
source: FailureSource, 
/**
 * Free text.
 */
notes: string | null, };

export type QmtlAnnotation = { "kind": "override" } & QmtlOverride | { "kind": "ex_post_failure" } & QmtlExPostFailure;

export type QmtlAnnotationEntry = { 
/**
 * The run's history revision that recorded it.
 */
revision: number, 
/**
 * RFC 3339 time the service recorded it.
 */
recorded_at: string, 
/**
 * The annotation.
 */
annotation: QmtlAnnotation, };

export type QmtlSummary = { 
/**
 * pass (verdict `valid`) | warn (`warn`) | fail (`invalid`); `null` until evaluated.
 */
status: RuleStatus | null, 
/**
 * `backtest_only` | `paper_only` | `paper_ok_live_candidate`; `null` until evaluated or
 * when the policy names none.
 */
recommended_stage: string | null, 
/**
 * Whether the run is in the world's active set (state `activated`).
 */
active: boolean, 
/**
 * The latest override's status (`none` when there is none).
 */
override_status: OverrideStatus, 
/**
 * The latest override's reason.
 */
override_reason: string | null, 
/**
 * The latest override's actor.
 */
override_actor: string | null, 
/**
 * The latest override's timestamp.
 */
override_timestamp: string | null, 
/**
 * Every ex-post failure recorded, oldest first (omitted when none).
 */
ex_post_failures?: Array<QmtlExPostFailure>, };

export type QmtlRun = { 
/**
 * The world.
 */
world_id: string, 
/**
 * The strategy.
 */
strategy_id: string, 
/**
 * The run.
 */
run_id: string, 
/**
 * `evaluated` exactly when `metrics` is set.
 */
status: QmtlRunStatus, 
/**
 * The submission's `meta.stage` when it is one of QMTL's, else from the world's mode.
 */
stage: QmtlStage, 
/**
 * The submission's `meta.risk_tier` when it is one of QMTL's, else `high`.
 */
risk_tier: QmtlRiskTier, 
/**
 * The submission's `meta.model_card_version`, if a string.
 */
model_card_version: string | null, 
/**
 * QMTL's v1.5 metric set (`returns`, `sample`, `robustness`, `diagnostics`, and `risk` /
 * `benchmark` when supplied); `null` until evaluated.
 */
metrics: V15Metrics | null, 
/**
 * The policy and its rule results; `null` until evaluated.
 */
validation: QmtlValidation | null, 
/**
 * The decision in QMTL's terms and the run's annotations.
 */
summary: QmtlSummary, 
/**
 * RFC 3339 creation time.
 */
created_at: string, 
/**
 * RFC 3339 time of the last change (a transition or an annotation).
 */
updated_at: string, 
/**
 * The metrics and history paths.
 */
links: QmtlRunLinks, };

export type QmtlHistoryItem = { 
/**
 * 1, 2, … in order.
 */
revision: number, 
/**
 * RFC 3339 time of the revision.
 */
recorded_at: string, 
/**
 * The run as of that revision.
 */
payload: QmtlRun, };

export type QmtlRevision = { 
/**
 * 1, 2, … in order.
 */
revision: number, 
/**
 * RFC 3339 time of the revision.
 */
recorded_at: string, 
/**
 * The run's status document as of that revision.
 */
status: RunStatus, };

export type QmtlError = { 
/**
 * `"evaluation run not found"` for a missing run; `{code, message}` otherwise (with
 * `path` and `help` when known).
 */
detail: string | Record<string, unknown>, };

export type QmtlRunInput = { 
/**
 * The stored run record.
 */
run: Run, 
/**
 * The decision of the upload that gated the run (its entry for the run's strategy is read);
 * ignored until the run has metrics.
 */
decision?: Decision, 
/**
 * The world's policy version the run was gated with (0: the default policy).
 */
policy_version?: number, 
/**
 * The submission's `meta` (from its snapshot): `stage`, `risk_tier`, `model_card_version`.
 */
meta?: Record<string, unknown>, 
/**
 * The run's annotations, oldest first.
 */
annotations?: Array<QmtlAnnotationEntry>, };
