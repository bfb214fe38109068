//! The evaluation metric bundle `evaluation.{returns, pnl, risk, gating}` (seed §3.2).
//!
//! Field names are exactly the seed's. Every metric that can be undefined is `Option<Num>`:
//! `null` on the wire, with the reason in the block's `reasons` map (never a silent 0).
//! Non-finite values use the [`Num`] encoding (`"+inf"`, `"-inf"`, `"nan"`).

use super::Num;
use crate::json::fields::{table_enum, table_struct};
use indexmap::IndexMap;
use serde::Serialize;

/// The metric bundle of one strategy for one evaluation run.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct EvaluationMetrics {
    /// Statistics of the returns series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub returns: Option<ReturnsMetrics>,
    /// The long-only compounding account simulated from the returns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub pnl: Option<PnlMetrics>,
    /// Risk indicators supplied by the runner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub risk: Option<RiskMetrics>,
    /// The world policy's verdict on this strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub gating: Option<Gating>,
    /// QMTL's v1.5 metric set (`returns`, `sample`, `robustness`, `diagnostics`: a
    /// [`V15Metrics`](super::V15Metrics) document), computed by the gate from the returns
    /// series when a metrics profile is in force (`GateOptions::metrics_profile`; on by
    /// default for `qmtl`-dialect policies). Held as JSON so that readers of snapshots
    /// (`worldgate/core`) carry no v1.5 decoder; the gate checks a claimed one against the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        schemars(with = "Option<super::V15Metrics>")
    )]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<super::V15Metrics>")
    )]
    pub v15: Option<serde_json::Value>,
    /// Further named metrics a policy may reference (`deflated_sharpe_ratio`,
    /// `effective_history_years`, `n_trades_total`, …). Open map; values are [`Num`].
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, Num>>")
    )]
    pub custom: IndexMap<String, Num>,
}

/// Where a metric block came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MetricSource {
    /// Computed by worldgate from a returns series.
    #[default]
    Returns,
    /// Returns derived from equity or prices, then computed by worldgate.
    AutoReturns,
    /// Supplied by the submitter and not recomputed (no series was given).
    Claimed,
}

/// The conventions a returns block was computed with, recorded in the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Conventions {
    /// P, periods per year used to annualise (252 daily, 525600 minute).
    pub periods_per_year: f64,
    /// Risk-free rate per year; per period it is `(1 + rf)^(1/P) − 1`.
    pub risk_free: f64,
    /// Confidence level of `var`/`cvar` (e.g. 0.95).
    pub var_level: f64,
    /// Sample standard deviations use `ddof = 1`.
    pub ddof: u32,
    /// `"compounded"`: drawdowns on the equity curve ∏(1+r) starting at 1, the start a peak,
    /// reported as values ≤ 0.
    pub drawdown: String,
    /// `"dropped"`: NaN samples are left out of every statistic and count as flat periods in
    /// the equity curve.
    pub nan_policy: String,
}

/// Statistics of a returns series (seed §3.2 `evaluation.returns`, plus extras).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ReturnsMetrics {
    /// Number of finite samples used.
    pub sample_count: u64,
    /// The time window the series covers, ISO 8601 interval (`start/end`) or free text.
    #[serde(default)]
    pub window: Option<String>,
    /// Where the block came from.
    #[serde(default)]
    pub source: MetricSource,
    /// mean(r − rf) / std(r − rf, ddof=1) · √P; null when n < 2 or the deviation is 0.
    #[serde(default)]
    pub sharpe: Option<Num>,
    /// Deepest fall of the compounded equity curve from a running peak, ≤ 0 (−0.12 = −12 %).
    #[serde(default)]
    pub max_drawdown: Option<Num>,
    /// std(r, ddof=1) · √P; null when n < 2.
    #[serde(default)]
    pub volatility: Option<Num>,
    /// #(r > 0) / #(r ≠ 0); null when every return is 0.
    #[serde(default)]
    pub win_rate: Option<Num>,
    /// Σ r≥0 / |Σ r<0|; `"+inf"` with gains and no losses, 0 when all returns are 0.
    #[serde(default)]
    pub profit_factor: Option<Num>,
    /// mean(r − rf) / downside deviation · √P, downside deviation = √(Σ min(r − rf, 0)² / n).
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub sortino: Option<Num>,
    /// cagr / |max_drawdown|; null without a drawdown.
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub calmar: Option<Num>,
    /// (∏(1+r))^(P/n) − 1.
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub cagr: Option<Num>,
    /// ∏(1+r) − 1.
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub total_return: Option<Num>,
    /// Historical value at risk at `conventions.var_level`, as a return (≤ 0 for a loss).
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub var: Option<Num>,
    /// Mean of the returns at or below `var` (expected shortfall).
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub cvar: Option<Num>,
    /// Fraction of periods the equity curve spends below its running peak.
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub time_under_water: Option<Num>,
    /// Longest run of consecutive periods below the running peak.
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub longest_drawdown: Option<u64>,
    /// Number of NaN samples dropped from the statistics.
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub nan_count: Option<u64>,
    /// The conventions used; absent on claimed blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub conventions: Option<Conventions>,
    /// Why a metric is null, keyed by metric name (`"sharpe": "needs at least 2 samples"`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, String>>")
    )]
    pub reasons: IndexMap<String, String>,
}

/// A long-only compounding account simulated from returns (seed §3.2 `evaluation.pnl`):
/// V₀ = initial capital, Vₜ = Vₜ₋₁ · (1 + rₜ).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PnlMetrics {
    /// Number of periods simulated (NaN periods count as flat).
    pub sample_count: u64,
    /// Currency of every amount in the block (ISO 4217 code).
    pub reference_currency: String,
    /// V_n − V₀.
    #[serde(default)]
    pub pnl_total: Option<Num>,
    /// Largest fall of V from a running peak (V₀ a peak), in currency, ≤ 0.
    #[serde(default)]
    pub pnl_max_drawdown: Option<Num>,
    /// Highest equity level reached, V₀ included.
    #[serde(default)]
    pub pnl_equity_peak: Option<Num>,
    /// V₀.
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub initial_capital: Option<Num>,
    /// V_n.
    #[serde(default)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub final_equity: Option<Num>,
}

/// Risk indicators (seed §3.2 `evaluation.risk`), supplied by the runner.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RiskMetrics {
    /// Turnover proxy, fraction of the book traded per period.
    #[serde(default)]
    pub turnover_proxy: Option<Num>,
    /// Whether exposure stayed inside its bounds.
    #[serde(default)]
    pub exposure_bounds_ok: Option<bool>,
    /// Free-text concentration warnings.
    #[serde(default)]
    pub concentration_warnings: Vec<String>,
}

/// The policy's verdict on a strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Passed every blocking rule and was selected.
    Valid,
    /// Passed, with soft failures or warnings.
    Warn,
    /// Failed a blocking rule or was not selected.
    Invalid,
    /// Not evaluated yet.
    #[default]
    Pending,
}

/// One rule a strategy broke.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Violation {
    /// Stable code, e.g. `threshold_min`, `rank_outside_top_k`, `metric_missing`.
    pub code: String,
    /// The rule: `thresholds.<label>`, `top_k`, `correlation`, `hysteresis`, …
    pub rule: String,
    /// The metric involved, if any.
    #[serde(default)]
    pub metric: Option<String>,
    /// The observed value.
    #[serde(default)]
    pub observed: Option<Num>,
    /// The bound it was compared with.
    #[serde(default)]
    pub bound: Option<Num>,
    /// Lowercase explanation.
    pub message: String,
}

/// Hysteresis counters in force for the strategy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct HysteresisCounters {
    /// Consecutive passing evaluations needed to enter.
    #[serde(default)]
    pub promote_after: u32,
    /// Consecutive failing evaluations needed to leave.
    #[serde(default)]
    pub demote_after: u32,
}

/// `evaluation.gating`: the policy's decision about this strategy.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Gating {
    /// The verdict.
    pub verdict: Verdict,
    /// Every rule broken.
    #[serde(default)]
    pub violations: Vec<Violation>,
    /// Hysteresis counters, when the policy uses them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub hysteresis: Option<HysteresisCounters>,
    /// 1-based rank by the top-k metric among the strategies that passed the thresholds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub rank: Option<u32>,
    /// Weight in the active set (weights of the selected sum to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub weight: Option<Num>,
    /// `sha256:<hex>` of the resolved policy that produced the verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub ruleset_hash: Option<String>,
}

// The decoders of the metric bundle, from their field tables (`crate::json::fields`): the
// derived ones were 11 KB of wasm for the bundle with its blocks. Same messages and paths.
table_struct!(EvaluationMetrics { returns, pnl, risk, gating, v15, custom } required []);
table_struct!(Conventions {
    periods_per_year, risk_free, var_level, ddof, drawdown, nan_policy
} required [periods_per_year, risk_free, var_level, ddof, drawdown, nan_policy]);
table_struct!(ReturnsMetrics {
    sample_count, window, source, sharpe, max_drawdown, volatility, win_rate, profit_factor,
    sortino, calmar, cagr, total_return, var, cvar, time_under_water, longest_drawdown,
    nan_count, conventions, reasons,
} required [sample_count]);
table_struct!(PnlMetrics {
    sample_count, reference_currency, pnl_total, pnl_max_drawdown, pnl_equity_peak,
    initial_capital, final_equity,
} required [sample_count, reference_currency]);
table_struct!(RiskMetrics { turnover_proxy, exposure_bounds_ok, concentration_warnings } required []);
table_struct!(Violation { code, rule, metric, observed, bound, message } required [code, rule, message]);
table_struct!(HysteresisCounters { promote_after, demote_after } required []);
table_struct!(Gating { verdict, violations, hysteresis, rank, weight, ruleset_hash } required [verdict]);

// Unit-enum decoders from their variant tables (`crate::json::fields`).
table_enum!(MetricSource { Returns = "returns", AutoReturns = "auto_returns", Claimed = "claimed" });
table_enum!(Verdict { Valid = "valid", Warn = "warn", Invalid = "invalid", Pending = "pending" });
