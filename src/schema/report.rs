//! The quant's report of a returns series: `distribution`, `drawdowns`, `rolling` and (with a
//! benchmark) `relative` blocks beside the `conventions` they were computed with, as computed
//! by `worldgate::api::report::report` (JS `computeReport`, CLI `worldgate report`).
//!
//! Every quantity that can be undefined is `Option<Num>`: `null` on the wire, with the reason
//! in its block's `reasons` map (never a silent 0). The definitions are in the documentation of
//! `worldgate::metrics::report` (one table per block); `conventions` records the parameters.

use super::{Num, ReturnsMetrics};
use crate::json::fields::table_struct;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Options of the report: every key optional.
///
/// ```json
/// {"periods_per_year": 252, "risk_free": 0.02, "rolling_windows": [63, 126, 252],
///  "top_drawdowns": 10, "omega_required_return": 0, "benchmark": [0.001, -0.002, null],
///  "timestamps": ["2024-01-02T21:00:00Z", "…"]}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct ReportOptions {
    /// P, periods per year used to annualise (252 daily, 52 weekly, 12 monthly). Finite, > 0.
    /// Default 252.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<f64>"))]
    pub periods_per_year: f64,
    /// Risk-free rate per year, de-annualised as `(1 + rf)^(1/P) − 1` per period. Finite,
    /// > −1. Default 0.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<f64>"))]
    pub risk_free: f64,
    /// The rolling windows, in periods, each ≥ 1 (a window longer than the series gives a
    /// series of nulls with a reason). Default `[63, 126, 252]`.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<Vec<u32>>"))]
    pub rolling_windows: Vec<u32>,
    /// How many drawdown episodes to list, deepest first. Default 10.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<u32>"))]
    pub top_drawdowns: u32,
    /// Omega's threshold as a yearly return, de-annualised as `(1 + x)^(1/P) − 1` (empyrical's
    /// and quantstats' `required_return`). Finite, > −1. Default 0.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<f64>"))]
    pub omega_required_return: f64,
    /// The benchmark's returns (`null` or `"nan"` for a missing period). Gives the `relative`
    /// block. Matched to the series by date when both `timestamps` and `benchmark_timestamps`
    /// are given (their common dates only), else by position (one per return).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub benchmark: Option<Vec<Option<Num>>>,
    /// One RFC 3339 UTC timestamp per return (`2024-01-31T16:00:00Z`), strictly increasing:
    /// gives the drawdown episodes' dates and lengths in days.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub timestamps: Option<Vec<String>>,
    /// One RFC 3339 UTC timestamp per benchmark return, strictly increasing: with `timestamps`,
    /// the two series are compared on their common dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub benchmark_timestamps: Option<Vec<String>>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            periods_per_year: 252.0,
            risk_free: 0.0,
            rolling_windows: vec![63, 126, 252],
            top_drawdowns: 10,
            omega_required_return: 0.0,
            benchmark: None,
            timestamps: None,
            benchmark_timestamps: None,
        }
    }
}

/// The `report` option of `computeMetrics` (and `worldgate metrics --report`): the report's own
/// parameters; P, the risk-free rate and the time axis are the metrics options'. `true` stands
/// for every default.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct ReportRequest {
    /// As [`ReportOptions::rolling_windows`]. Default `[63, 126, 252]`.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<Vec<u32>>"))]
    pub rolling_windows: Vec<u32>,
    /// As [`ReportOptions::top_drawdowns`]. Default 10.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<u32>"))]
    pub top_drawdowns: u32,
    /// As [`ReportOptions::omega_required_return`]. Default 0.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<f64>"))]
    pub omega_required_return: f64,
    /// As [`ReportOptions::benchmark`].
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub benchmark: Option<Vec<Option<Num>>>,
    /// As [`ReportOptions::benchmark_timestamps`].
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub benchmark_timestamps: Option<Vec<String>>,
}

impl Default for ReportRequest {
    fn default() -> Self {
        let d = ReportOptions::default();
        ReportRequest {
            rolling_windows: d.rolling_windows,
            top_drawdowns: d.top_drawdowns,
            omega_required_return: d.omega_required_return,
            benchmark: None,
            benchmark_timestamps: None,
        }
    }
}

impl ReportRequest {
    /// The report's options for one series under this request: P, the yearly risk-free rate
    /// and the series' time axis (its timestamps, an index expanded) are the metrics' (as
    /// resolved for the series), the rest is the request's.
    pub fn options(
        &self,
        periods_per_year: f64,
        risk_free: f64,
        timestamps: Option<Vec<String>>,
    ) -> ReportOptions {
        ReportOptions {
            periods_per_year,
            risk_free,
            rolling_windows: self.rolling_windows.clone(),
            top_drawdowns: self.top_drawdowns,
            omega_required_return: self.omega_required_return,
            benchmark: self.benchmark.clone(),
            timestamps,
            benchmark_timestamps: self.benchmark_timestamps.clone(),
        }
    }
}

/// The report of one submission of a gated bundle (`GateOptions.report`), in bundle order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SubmissionReport {
    /// The strategy.
    pub strategy_id: String,
    /// The report of the submission's `returns` under the submission's P, risk-free rate and
    /// time axis, as `computeReport` gives it for the same series and options; `null` for a
    /// submission without `returns` (claimed metrics only).
    pub report: Option<Report>,
}

/// `computeMetrics` with a `report` option: the metric blocks and, beside them, the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricsWithReport {
    /// The `returns` and `pnl` blocks.
    #[serde(flatten)]
    pub metrics: super::EvaluationMetrics,
    /// The report, under the same P, risk-free rate and time axis.
    pub report: Report,
}

/// The report of one returns series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The parameters and conventions every block was computed with.
    pub conventions: ReportConventions,
    /// The shape of the return distribution, streaks and drawdown-based ratios.
    pub distribution: DistributionMetrics,
    /// The drawdown episodes of the compounded equity curve.
    pub drawdowns: DrawdownReport,
    /// Sharpe ratio, volatility and Sortino ratio over rolling windows.
    pub rolling: RollingReport,
    /// Benchmark-relative statistics; absent without a benchmark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub relative: Option<RelativeMetrics>,
    /// Monthly and yearly compounded returns and trailing periods; present with `timestamps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub calendar: Option<super::Calendar>,
}

/// The parameters of a report, recorded in the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ReportConventions {
    /// P, periods per year.
    pub periods_per_year: f64,
    /// Risk-free rate per year; per period `(1 + rf)^(1/P) − 1`.
    pub risk_free: f64,
    /// Omega's yearly threshold and its per-period value `(1 + x)^(1/P) − 1`.
    pub omega_required_return: f64,
    /// Omega's per-period threshold τ.
    pub omega_threshold: f64,
    /// Sample standard deviations (volatility, Sharpe, tracking error) use `ddof = 1`.
    pub ddof: u32,
    /// `"compounded"`: drawdowns on V₀ = 1, Vₜ = Vₜ₋₁(1 + rₜ), the start a peak, values ≤ 0.
    pub drawdown: String,
    /// `"dropped"`: NaN returns are left out of every statistic and are flat periods of the
    /// equity curve (they count in drawdown lengths and rolling windows' spans).
    pub nan_policy: String,
    /// `"linear"`: quantiles interpolate linearly between order statistics at h = (n − 1)·q
    /// (numpy's default).
    pub quantiles: String,
    /// The rolling windows, in periods.
    pub rolling_windows: Vec<u32>,
    /// How many drawdown episodes are listed.
    pub top_drawdowns: u32,
    /// `"days"` when timestamps were given (drawdown lengths in days too), else `"periods"`.
    pub time: String,
    /// How the benchmark is matched to the series: `"date"` (common dates, with both series'
    /// timestamps) or `"positional"`; absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub alignment: Option<String>,
}

/// `distribution`: moments, extremes, win/loss statistics, streaks and drawdown-based ratios.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DistributionMetrics {
    /// Number of finite returns used.
    pub sample_count: u64,
    /// Sample (bias-corrected) skewness G₁ = g₁·√(n(n − 1))/(n − 2), as pandas' `skew`.
    pub skewness: Option<Num>,
    /// Population skewness g₁ = m₃ / m₂^(3/2), as `scipy.stats.skew`.
    pub skewness_population: Option<Num>,
    /// Sample (bias-corrected) excess kurtosis G₂, as pandas' `kurt`.
    pub excess_kurtosis: Option<Num>,
    /// Population excess kurtosis g₂ = m₄ / m₂² − 3, as `scipy.stats.kurtosis`.
    pub excess_kurtosis_population: Option<Num>,
    /// The highest return.
    pub best: Option<Num>,
    /// The lowest return.
    pub worst: Option<Num>,
    /// Mean of the returns > 0.
    pub mean_win: Option<Num>,
    /// Mean of the returns < 0 (≤ 0).
    pub mean_loss: Option<Num>,
    /// mean_win / |mean_loss|.
    pub payoff_ratio: Option<Num>,
    /// Σ max(r − τ, 0) / Σ max(τ − r, 0), τ = `conventions.omega_threshold`.
    pub omega: Option<Num>,
    /// |q(0.95)| / |q(0.05)|, linear quantiles.
    pub tail_ratio: Option<Num>,
    /// Kelly fraction win_rate − (1 − win_rate) / payoff_ratio, win_rate = #(r > 0)/#(r ≠ 0).
    pub kelly: Option<Num>,
    /// Longest run of consecutive periods with r > 0 (a period with r = 0 or NaN breaks a run).
    pub max_consecutive_wins: Option<u64>,
    /// Longest run of consecutive periods with r < 0 (a period with r = 0 or NaN breaks a run).
    pub max_consecutive_losses: Option<u64>,
    /// √(Σ dₜ² / N) over the N periods' drawdowns dₜ (fractions).
    pub ulcer_index: Option<Num>,
    /// (cagr − rf) / ulcer_index.
    pub ulcer_performance_index: Option<Num>,
    /// total_return / |max_drawdown|.
    pub recovery_factor: Option<Num>,
    /// profit_factor · tail_ratio.
    pub common_sense_ratio: Option<Num>,
    /// Why a quantity is null, keyed by its name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, String>>")
    )]
    pub reasons: IndexMap<String, String>,
}

/// `drawdowns`: the episodes of the compounded equity curve below its running peak.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DrawdownReport {
    /// Number of episodes (all of them, not only those listed).
    pub count: u64,
    /// The deepest `conventions.top_drawdowns` episodes, deepest first (ties: earlier first).
    pub episodes: Vec<DrawdownEpisode>,
    /// Mean depth of all episodes (≤ 0).
    pub average_depth: Option<Num>,
    /// Mean length of all episodes, in periods.
    pub average_length: Option<Num>,
    /// Mean length of all episodes, in days (with timestamps).
    pub average_length_days: Option<Num>,
    /// Why a quantity is null, keyed by its name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, String>>")
    )]
    pub reasons: IndexMap<String, String>,
}

/// One drawdown episode. Indices are positions in the returns series (0-based): the episode's
/// peak is the period before `start` (the initial capital when `start` is 0).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DrawdownEpisode {
    /// The first period below the peak.
    pub start: u64,
    /// The period of the deepest point (the first one, on ties).
    pub trough: u64,
    /// The period that regains the peak; `null` while the episode is open at the series' end.
    pub end: Option<u64>,
    /// The deepest drawdown, Vₜ/peak − 1 (≤ 0).
    pub depth: Num,
    /// Periods below the peak: `end − start`, or `n − start` while open.
    pub length: u64,
    /// Periods from the trough to the recovery, `end − trough`; `null` while open.
    pub recovery: Option<u64>,
    /// With timestamps: the peak's timestamp (the first one when `start` is 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub peak_at: Option<String>,
    /// With timestamps: the trough's timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub trough_at: Option<String>,
    /// With timestamps: the recovery's timestamp (absent while open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub end_at: Option<String>,
    /// With timestamps: days from the peak's timestamp to the recovery's (or the last one
    /// while open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub length_days: Option<Num>,
    /// With timestamps: days from the trough's timestamp to the recovery's (absent while
    /// open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub recovery_days: Option<Num>,
}

/// `rolling`: one entry per window of `conventions.rolling_windows`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RollingReport {
    /// The windows, in the order given.
    pub windows: Vec<RollingWindow>,
}

/// Rolling statistics over windows of `window` periods: element t (one per return) is the
/// statistic of the returns t − window + 1 ..= t, `null` before the window is full and where
/// undefined (fewer than 2 finite returns in it, zero deviation, no downside).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RollingWindow {
    /// The window, in periods.
    pub window: u32,
    /// mean(r − rf_pp) / std(r, ddof=1) · √P per window.
    pub sharpe: Vec<Option<Num>>,
    /// std(r, ddof=1) · √P per window.
    pub volatility: Vec<Option<Num>>,
    /// mean(r − rf_pp) / √(Σ min(r − rf_pp, 0)² / k) · √P per window (k finite returns).
    pub sortino: Vec<Option<Num>>,
    /// Why the whole series is null (the window is longer than the series, or 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub reason: Option<String>,
}

/// `relative`: the series against a benchmark, over the periods where both are finite.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RelativeMetrics {
    /// Number of periods where both returns are finite.
    pub sample_count: u64,
    /// cov(r, b) / var(b).
    pub beta: Option<Num>,
    /// Jensen's alpha, annualised by compounding: (1 + mean(r − rf_pp − β(b − rf_pp)))^P − 1.
    pub alpha: Option<Num>,
    /// Pearson correlation of r and b.
    pub correlation: Option<Num>,
    /// correlation².
    pub r_squared: Option<Num>,
    /// std(r − b, ddof=1) · √P.
    pub tracking_error: Option<Num>,
    /// mean(r − b) / std(r − b, ddof=1) · √P.
    pub information_ratio: Option<Num>,
    /// cagr(r | b > 0) / cagr(b | b > 0), each over the periods with b > 0.
    pub up_capture: Option<Num>,
    /// cagr(r | b < 0) / cagr(b | b < 0), each over the periods with b < 0.
    pub down_capture: Option<Num>,
    /// The benchmark's own returns block (over all its periods).
    pub benchmark: ReturnsMetrics,
    /// Why a quantity is null, keyed by its name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, String>>")
    )]
    pub reasons: IndexMap<String, String>,
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(ReportRequest default {
    rolling_windows, top_drawdowns, omega_required_return, benchmark, benchmark_timestamps
});
table_struct!(ReportOptions default {
    periods_per_year, risk_free, rolling_windows, top_drawdowns, omega_required_return, benchmark,
    timestamps, benchmark_timestamps,
});
