//! World-policy documents (both dialects) and the decisions the policy engine returns.
//!
//! A [`PolicyDocument`] is what a world declares: thresholds, top-k, correlation, hysteresis,
//! validation profiles by stage, missing-metric handling, weighting and QMTL's extended layers.
//! The same types describe both dialects; the strict dialect rejects unknown keys, the `qmtl`
//! dialect ignores them (see [`crate::policy`]). A [`Decision`] is the engine's answer: the
//! ordered selected ids and, per strategy, QMTL-style rule results plus rank, weight,
//! violations, explanations and the hysteresis state to carry to the next evaluation.

use super::{Num, Verdict, Violation};
use crate::json::fields::{table_enum, table_struct};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The policy dialect: `strict` (default) or `qmtl` (compatible with QMTL's WorldService).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// Unknown keys are errors; NaN or non-numeric metrics fail explicitly; ties break by id;
    /// hysteresis counters; every decision explained.
    #[default]
    Strict,
    /// QMTL WorldService semantics, lenient parsing (unknown keys ignored).
    Qmtl,
}

impl Dialect {
    /// Every dialect, by its wire spelling.
    pub const ALL: [(&'static str, Dialect); 2] =
        [("strict", Dialect::Strict), ("qmtl", Dialect::Qmtl)];

    /// The dialect spelled `name` on the wire (`"strict"`, `"qmtl"`), or `None`.
    pub fn from_name(name: &str) -> Option<Dialect> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, d)| *d)
    }

    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Dialect::Strict => "strict",
            Dialect::Qmtl => "qmtl",
        }
    }
}

/// A world policy document. Every section is optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[cfg_attr(
    not(target_arch = "wasm32"),
    schemars(title = "worldgate world policy")
)]
#[serde(deny_unknown_fields)]
pub struct PolicyDocument {
    /// `strict` (default) or `qmtl`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub dialect: Option<Dialect>,
    /// Threshold rules by label (the label is only a name). Bounds are inclusive.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, ThresholdRule>>")
    )]
    // `null` reads as absent (YAML `key:` with no value), as the policy reader does.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(extend("type" = ["object", "null"])))]
    pub thresholds: IndexMap<String, ThresholdRule>,
    /// Keep the k best strategies by a metric (descending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub top_k: Option<TopKRule>,
    /// Greedy correlation filter in rank order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub correlation: Option<CorrelationRule>,
    /// Enter/exit bands (and counters) against the previously active set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub hysteresis: Option<HysteresisRule>,
    /// QMTL's `selection` block: its `thresholds` lose to top-level ones on the same label; its
    /// `top_k`, `correlation` and `hysteresis` win over top-level ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub selection: Option<SelectionConfig>,
    /// Validation profiles by name; the chosen one is compiled to thresholds.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, ValidationProfile>>")
    )]
    // `null` reads as absent (YAML `key:` with no value), as the policy reader does.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(extend("type" = ["object", "null"])))]
    pub validation_profiles: IndexMap<String, ValidationProfile>,
    /// Stage (`backtest_only`, `paper_only`, …) → profile name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, String>>")
    )]
    // `null` reads as absent (YAML `key:` with no value), as the policy reader does.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(extend("type" = ["object", "null"])))]
    pub default_profile_by_stage: IndexMap<String, String>,
    /// Error and missing-metric handling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub validation: Option<ValidationConfig>,
    /// How the selected strategies are weighted (default: equal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub weighting: Option<WeightingConfig>,
    /// QMTL cohort layer (campaign-wide medians, cohort top-k).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub cohort: Option<CohortRule>,
    /// QMTL portfolio layer (incremental VaR/ES, Sharpe uplift).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub portfolio: Option<PortfolioRule>,
    /// QMTL stress layer (per-scenario drawdown/ES/VaR caps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub stress: Option<StressRule>,
    /// QMTL live-monitoring layer (realised Sharpe, drawdown, decay).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub live_monitoring: Option<LiveMonitoringRule>,
}

/// `{metric, min?, max?}`: inclusive bounds on one metric. A bound on a drawdown metric
/// (name containing `drawdown`) compares the magnitude `|value|`, whatever sign the data uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ThresholdRule {
    /// Metric name: a leaf name (`sharpe`) or a dotted path (`returns.sharpe`).
    pub metric: String,
    /// Inclusive lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub min: Option<f64>,
    /// Inclusive upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub max: Option<f64>,
}

/// `{metric, k}`: the k best by `metric`, descending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct TopKRule {
    /// Ranking metric.
    pub metric: String,
    /// How many to keep, ≥ 1.
    pub k: u32,
}

/// What to do with a pair whose correlation is unknown (no data, too little overlap, a flat
/// series).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum UnknownCorrelation {
    /// Keep the candidate; report the pair (strict default).
    Warn,
    /// Drop the candidate.
    Fail,
    /// Treat ρ as 0 without a report (QMTL behaviour, the `qmtl` dialect default).
    Ignore,
}

/// `{max}`: keep a candidate iff `|ρ| ≤ max` against every already-kept one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CorrelationRule {
    /// Largest allowed |ρ|, in −1..1.
    pub max: f64,
    /// Fewest overlapping samples for a correlation computed from returns (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub min_overlap: Option<u32>,
    /// Unknown pairs: `warn` (strict default), `fail`, or `ignore` (qmtl default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub on_unknown: Option<UnknownCorrelation>,
}

/// `{metric, enter, exit}` plus optional counters. A previously active strategy stays while
/// `value ≥ exit`; a new one enters when `value ≥ enter`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct HysteresisRule {
    /// Band metric.
    pub metric: String,
    /// Entry level.
    pub enter: f64,
    /// Exit level (≤ `enter` in the strict dialect).
    pub exit: f64,
    /// Consecutive qualifying evaluations before an entrant is activated (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub promote_after: Option<u32>,
    /// Consecutive evaluations below `exit` before an incumbent is deactivated (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub demote_after: Option<u32>,
    /// Fewest evaluations a strategy stays in a state before the bands may change it
    /// (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub min_dwell: Option<u32>,
}

/// QMTL's `selection` block.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SelectionConfig {
    /// Thresholds (top-level labels win).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, ThresholdRule>>")
    )]
    // `null` reads as absent (YAML `key:` with no value), as the policy reader does.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(extend("type" = ["object", "null"])))]
    pub thresholds: IndexMap<String, ThresholdRule>,
    /// Top-k (wins over the top-level one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub top_k: Option<TopKRule>,
    /// Correlation (wins over the top-level one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub correlation: Option<CorrelationRule>,
    /// Hysteresis (wins over the top-level one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub hysteresis: Option<HysteresisRule>,
}

/// Rule severity: a `blocking` failure fails the strategy; `soft` and `info` only warn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A failure rejects the strategy.
    Blocking,
    /// A failure is a warning.
    Soft,
    /// Informational.
    Info,
}

/// Who owns a rule's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// Research.
    Quant,
    /// Risk management.
    Risk,
    /// Operations.
    Ops,
}

/// One section of a validation profile: its bounds plus optional severity/owner overrides.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SampleProfile {
    /// Minimum `effective_history_years`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub min_effective_years: Option<f64>,
    /// Minimum `n_trades_total`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub min_trades_total: Option<f64>,
    /// Severity override (default `soft`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub severity: Option<Severity>,
    /// Owner override (default `quant`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub owner: Option<Owner>,
}

/// Performance section of a validation profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PerformanceProfile {
    /// Minimum `sharpe`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub sharpe_min: Option<f64>,
    /// Maximum `max_drawdown` magnitude (e.g. 0.25).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub max_dd_max: Option<f64>,
    /// Minimum `gain_to_pain_ratio`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub gain_to_pain_min: Option<f64>,
    /// Severity override (default `blocking`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub severity: Option<Severity>,
    /// Owner override (default `quant`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub owner: Option<Owner>,
}

/// Robustness section of a validation profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RobustnessProfile {
    /// Minimum `deflated_sharpe_ratio`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub dsr_min: Option<f64>,
    /// Maximum `|sharpe_first_half − sharpe_second_half|`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub cv_sharpe_gap_max: Option<f64>,
    /// Severity override (default `soft`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub severity: Option<Severity>,
    /// Owner override (default `quant`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub owner: Option<Owner>,
}

/// Risk section of a validation profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RiskProfile {
    /// Maximum `adv_utilization_p95`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub adv_utilization_p95_max: Option<f64>,
    /// Maximum `participation_rate_p95`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub participation_rate_p95_max: Option<f64>,
    /// Severity override of the `risk_constraint` rule (default `blocking`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub severity: Option<Severity>,
    /// Owner override of the `risk_constraint` rule (default `risk`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub owner: Option<Owner>,
}

/// A named validation profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ValidationProfile {
    /// Sample depth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub sample: Option<SampleProfile>,
    /// Performance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub performance: Option<PerformanceProfile>,
    /// Robustness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub robustness: Option<RobustnessProfile>,
    /// Liquidity risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub risk: Option<RiskProfile>,
}

/// What a rule does when a metric it needs is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MissingMetric {
    /// Blocking failure.
    #[default]
    Fail,
    /// Warning; the strategy may still be selected.
    Warn,
    /// Not checked (reported with severity `info`).
    Ignore,
}

/// What a rule that errors does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OnError {
    /// Fail the rule.
    #[default]
    Fail,
    /// Warn.
    Warn,
}

/// `validation: {on_error, on_missing_metric}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ValidationConfig {
    /// Default `fail`.
    #[serde(default)]
    // `null` reads as the default, as the policy reader does.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "Option<OnError>"))]
    pub on_error: OnError,
    /// Default `fail`.
    #[serde(default)]
    // `null` reads as the default, as the policy reader does.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "Option<MissingMetric>"))]
    pub on_missing_metric: MissingMetric,
}

/// How selected strategies are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WeightMethod {
    /// 1/n each.
    #[default]
    Equal,
    /// ∝ 1 / `volatility` (or `metric`).
    InverseVolatility,
    /// ∝ max(score, 0), score = `metric` (default the top-k metric).
    Score,
}

/// `weighting: {method, max_weight?, metric?}`. Weights of the selected sum to 1; a cap is
/// enforced by redistributing the excess over the uncapped strategies.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct WeightingConfig {
    /// Method, default `equal`.
    #[serde(default)]
    // `null` reads as the default, as the policy reader does.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "Option<WeightMethod>"))]
    pub method: WeightMethod,
    /// Largest weight of one strategy, in (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub max_weight: Option<f64>,
    /// Metric the method reads (`volatility` / the top-k metric by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub metric: Option<String>,
}

/// QMTL cohort layer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CohortRule {
    /// Minimum median `sharpe` of the cohort.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub sharpe_median_min: Option<f64>,
    /// Minimum median `deflated_sharpe_ratio` of the cohort.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub dsr_median_min: Option<f64>,
    /// Only the cohort's top k by `sharpe` pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub top_k: Option<u32>,
    /// Default `soft`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub severity: Option<Severity>,
    /// Default `risk`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub owner: Option<Owner>,
}

/// QMTL portfolio layer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PortfolioRule {
    /// Maximum `incremental_var_99`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub max_incremental_var_99: Option<f64>,
    /// Maximum `incremental_es_99`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub max_incremental_es_99: Option<f64>,
    /// Minimum `portfolio_sharpe_uplift`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub min_portfolio_sharpe_uplift: Option<f64>,
    /// Default `soft`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub severity: Option<Severity>,
    /// Default `risk`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub owner: Option<Owner>,
}

/// QMTL stress layer: scenario name → `{dd_max?, es_99?, var_99?}` read from metrics
/// `stress.<scenario>.max_drawdown` (or `.dd_max`), `.es_99`, `.var_99`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StressRule {
    /// Scenario caps.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, IndexMap<String, f64>>>")
    )]
    // `null` reads as absent (YAML `key:` with no value), as the policy reader does.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(extend("type" = ["object", "null"])))]
    pub scenarios: IndexMap<String, IndexMap<String, f64>>,
    /// Default `info`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub severity: Option<Severity>,
    /// Default `ops`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub owner: Option<Owner>,
}

/// QMTL live-monitoring layer (one result shared by every strategy).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct LiveMonitoringRule {
    /// Reported only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub lookback_days: Option<u32>,
    /// Minimum mean `live_vs_backtest_sharpe_ratio`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub decay_threshold: Option<f64>,
    /// Minimum mean live Sharpe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub sharpe_min: Option<f64>,
    /// Maximum mean live drawdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub dd_max: Option<f64>,
    /// Default `soft`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub severity: Option<Severity>,
    /// Default `risk`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub owner: Option<Owner>,
}

// ---------------------------------------------------------------------------------------------
// Decisions

/// Outcome of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    /// Satisfied.
    Pass,
    /// Not satisfied, or not checkable, without rejecting.
    Warn,
    /// Not satisfied.
    Fail,
}

/// One rule's result, in QMTL's shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RuleResult {
    /// pass | warn | fail.
    pub status: RuleStatus,
    /// blocking | soft | info.
    pub severity: Severity,
    /// quant | risk | ops.
    pub owner: Owner,
    /// Stable code (`performance_thresholds_failed`, `correlation_constraint_failed`, …).
    pub reason_code: String,
    /// Human text.
    pub reason: String,
    /// Tags (QMTL's), e.g. `["performance", "thresholds"]`.
    pub tags: Vec<String>,
    /// Rule-specific details (QMTL's keys).
    #[cfg_attr(not(target_arch = "wasm32"), ts(type = "Record<string, unknown>"))]
    pub details: serde_json::Map<String, serde_json::Value>,
}

/// The five per-strategy rules, plus QMTL's extended layers when configured.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RuleResults {
    /// Required metrics present.
    pub data_currency: RuleResult,
    /// Sample depth.
    pub sample: RuleResult,
    /// Thresholds and ranking.
    pub performance: RuleResult,
    /// Correlation and hysteresis.
    pub risk_constraint: RuleResult,
    /// Deflated Sharpe and split-half stability.
    pub robustness: RuleResult,
    /// Cohort layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub cohort: Option<RuleResult>,
    /// Portfolio layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub portfolio: Option<RuleResult>,
    /// Stress layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub stress: Option<RuleResult>,
    /// Live-monitoring layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub live_monitoring: Option<RuleResult>,
}

impl RuleResults {
    /// Every present result with its rule name, in a fixed order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &RuleResult)> {
        [
            ("data_currency", Some(&self.data_currency)),
            ("sample", Some(&self.sample)),
            ("performance", Some(&self.performance)),
            ("risk_constraint", Some(&self.risk_constraint)),
            ("robustness", Some(&self.robustness)),
            ("cohort", self.cohort.as_ref()),
            ("portfolio", self.portfolio.as_ref()),
            ("stress", self.stress.as_ref()),
            ("live_monitoring", self.live_monitoring.as_ref()),
        ]
        .into_iter()
        .filter_map(|(n, r)| r.map(|r| (n, r)))
    }
}

/// How one check came out, for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// Satisfied.
    Pass,
    /// Not satisfied.
    Fail,
    /// Not checkable (missing metric, unknown correlation) and not rejecting.
    Warn,
    /// Not applied (the strategy left earlier in the pipeline, or the check is ignored).
    Skipped,
}

/// One check of one rule: what was observed, the bound, and the outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    /// `thresholds.<label>`, `top_k`, `correlation`, `hysteresis`, `robustness.dsr_min`, …
    pub rule: String,
    /// The metric read, if any.
    #[serde(default)]
    pub metric: Option<String>,
    /// The value observed, as found in the data (`null` when missing or not a number).
    #[serde(default)]
    pub observed: Option<Num>,
    /// `|observed|`, for drawdown bounds (compared as magnitudes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub magnitude: Option<Num>,
    /// The bound compared with.
    #[serde(default)]
    pub bound: Option<Num>,
    /// The comparison that must hold: `>=`, `<=`, `rank<=`, `|rho|<=`.
    #[serde(default)]
    pub comparison: Option<String>,
    /// Outcome.
    pub outcome: CheckOutcome,
    /// Stable code of the outcome (`ok`, `threshold_min`, `metric_missing`, …).
    pub code: String,
    /// Lowercase explanation.
    pub message: String,
    /// For `correlation` checks over computed correlations: how the series were paired,
    /// `date` (the intersection of both strategies' timestamps), `position` (from the end;
    /// a strategy without timestamps) or `mixed` (some pairs each way). Absent for given
    /// correlations and other rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub alignment: Option<String>,
}

/// The engine's answer for one strategy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StrategyDecision {
    /// Summary: a blocking failure → `fail`; any other failure or warning → `warn`; else `pass`.
    pub status: RuleStatus,
    /// `valid` (selected, clean), `warn` (selected with warnings), `invalid` (not selected).
    pub verdict: Verdict,
    /// Whether the strategy is in the active set.
    pub selected: bool,
    /// 1-based rank by the top-k metric among the strategies that passed the thresholds.
    #[serde(default)]
    pub rank: Option<u32>,
    /// Weight in the active set (selected strategies only; they sum to 1).
    #[serde(default)]
    pub weight: Option<Num>,
    /// Per-rule results.
    pub rule_results: RuleResults,
    /// Every rule broken.
    pub violations: Vec<Violation>,
    /// Every check made, passing or not.
    pub explanations: Vec<Explanation>,
}

/// Hysteresis state of one strategy, carried from one evaluation to the next.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StrategyState {
    /// In the active set.
    pub active: bool,
    /// Consecutive evaluations that qualified (to enter when inactive, to stay when active).
    #[serde(default)]
    pub passes: u32,
    /// Consecutive evaluations that did not qualify.
    #[serde(default)]
    pub fails: u32,
    /// Epoch at which `active` last changed; `null` when unknown.
    #[serde(default)]
    pub since: Option<u64>,
}

/// Activation state of a world: an evaluation counter and per-strategy hysteresis state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ActivationState {
    /// Evaluations so far; each evaluation returns `epoch + 1`.
    #[serde(default)]
    pub epoch: u64,
    /// Per strategy.
    #[serde(default)]
    pub strategies: IndexMap<String, StrategyState>,
}

impl ActivationState {
    /// A state in which exactly `ids` are active, counters and dwell unknown.
    pub fn from_active<I: IntoIterator<Item = S>, S: Into<String>>(ids: I) -> Self {
        ActivationState {
            epoch: 0,
            strategies: ids
                .into_iter()
                .map(|id| {
                    (
                        id.into(),
                        StrategyState {
                            active: true,
                            ..StrategyState::default()
                        },
                    )
                })
                .collect(),
        }
    }

    /// Ids of the active strategies, in state order.
    pub fn active_ids(&self) -> Vec<String> {
        self.strategies
            .iter()
            .filter(|(_, s)| s.active)
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// A decision-level observation that belongs to no single strategy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Stable code: `incumbent_absent`, `weighting_fallback_equal`, `correlation_data_missing`.
    pub code: String,
    /// The strategy concerned, if any.
    #[serde(default)]
    pub strategy_id: Option<String>,
    /// Lowercase explanation.
    pub message: String,
}

/// The engine's answer for a batch of strategies.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[cfg_attr(
    not(target_arch = "wasm32"),
    schemars(title = "worldgate policy decision")
)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The dialect that decided.
    pub dialect: Dialect,
    /// Selected ids, in rank order (QMTL: pipeline order).
    pub selected: Vec<String>,
    /// The validation profile applied, if any.
    #[serde(default)]
    pub profile: Option<String>,
    /// `backtest_only`, `paper_only` or `paper_ok_live_candidate`, from the stage or profile.
    #[serde(default)]
    pub recommended_stage: Option<String>,
    /// `sha256:<hex>` of the canonical JSON of the resolved policy.
    pub ruleset_hash: String,
    /// Per strategy: input order (qmtl) or by id (strict).
    pub strategies: IndexMap<String, StrategyDecision>,
    /// Activation state to pass to the next evaluation.
    pub state: ActivationState,
    /// Decision-level observations.
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// One strategy's verdict: its [`StrategyDecision`] without the details (`rule_results`,
/// `violations`, `explanations`). Each member is the decision's, with the same JSON text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StrategyVerdict {
    /// Summary: a blocking failure → `fail`; any other failure or warning → `warn`; else `pass`.
    pub status: RuleStatus,
    /// `valid` (selected, clean), `warn` (selected with warnings), `invalid` (not selected).
    pub verdict: Verdict,
    /// Whether the strategy is in the active set.
    pub selected: bool,
    /// 1-based rank by the top-k metric among the strategies that passed the thresholds.
    #[serde(default)]
    pub rank: Option<u32>,
    /// Weight in the active set (selected strategies only; they sum to 1).
    #[serde(default)]
    pub weight: Option<Num>,
}

/// What a caller acting on a decision reads: the [`Decision`] with every member but each
/// strategy's details (rule results, violations, explanations) — the same members in the same
/// order (the selection in rank order, the strategies in the decision's order, the state to
/// carry to the next evaluation, the notes), each with the same JSON text as in the decision.
/// The package's `CompiledPolicy.verdicts` returns it as plain data.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[cfg_attr(
    not(target_arch = "wasm32"),
    schemars(title = "worldgate policy verdicts")
)]
#[serde(deny_unknown_fields)]
pub struct Verdicts {
    /// The dialect that decided.
    pub dialect: Dialect,
    /// Selected ids, in rank order (QMTL: pipeline order).
    pub selected: Vec<String>,
    /// The validation profile applied, if any.
    #[serde(default)]
    pub profile: Option<String>,
    /// `backtest_only`, `paper_only` or `paper_ok_live_candidate`, from the stage or profile.
    #[serde(default)]
    pub recommended_stage: Option<String>,
    /// `sha256:<hex>` of the canonical JSON of the resolved policy.
    pub ruleset_hash: String,
    /// Per strategy: input order (qmtl) or by id (strict).
    pub strategies: IndexMap<String, StrategyVerdict>,
    /// Activation state to pass to the next evaluation.
    pub state: ActivationState,
    /// Decision-level observations.
    #[serde(default)]
    pub notes: Vec<Note>,
}

impl From<&StrategyDecision> for StrategyVerdict {
    fn from(d: &StrategyDecision) -> Self {
        StrategyVerdict {
            status: d.status,
            verdict: d.verdict,
            selected: d.selected,
            rank: d.rank,
            weight: d.weight,
        }
    }
}

impl From<&Decision> for Verdicts {
    /// The decision's projection: every member but each strategy's details.
    fn from(d: &Decision) -> Self {
        Verdicts {
            dialect: d.dialect,
            selected: d.selected.clone(),
            profile: d.profile.clone(),
            recommended_stage: d.recommended_stage.clone(),
            ruleset_hash: d.ruleset_hash.clone(),
            strategies: d
                .strategies
                .iter()
                .map(|(id, s)| (id.clone(), StrategyVerdict::from(s)))
                .collect(),
            state: d.state.clone(),
            notes: d.notes.clone(),
        }
    }
}

// The decision's decoders from their field tables (`crate::json::fields`): the derived ones
// were 14 KB of wasm. A required field whose type has no `Default` starts as a placeholder
// that a decoded value always replaces (a missing one is an error).
table_struct!(Decision {
    dialect, selected, profile, recommended_stage, ruleset_hash, strategies, state, notes
} required [dialect, selected, ruleset_hash, strategies, state]);
table_struct!(StrategyDecision {
    status = RuleStatus::Pass,
    verdict,
    selected,
    rank,
    weight,
    rule_results = RuleResults::placeholder(),
    violations,
    explanations,
} required [status, verdict, selected, rule_results, violations, explanations]);
table_struct!(RuleResults {
    data_currency = RuleResult::placeholder(),
    sample = RuleResult::placeholder(),
    performance = RuleResult::placeholder(),
    risk_constraint = RuleResult::placeholder(),
    robustness = RuleResult::placeholder(),
    cohort,
    portfolio,
    stress,
    live_monitoring,
} required [data_currency, sample, performance, risk_constraint, robustness]);
table_struct!(RuleResult {
    status = RuleStatus::Pass,
    severity = Severity::Info,
    owner = Owner::Ops,
    reason_code,
    reason,
    tags,
    details,
} required [status, severity, owner, reason_code, reason, tags, details]);
table_struct!(ActivationState { epoch, strategies } required []);
table_struct!(StrategyState { active, passes, fails, since } required [active]);
table_struct!(Explanation {
    rule,
    metric,
    observed,
    magnitude,
    bound,
    comparison,
    outcome = CheckOutcome::Pass,
    code,
    message,
    alignment,
} required [rule, outcome, code, message]);
table_struct!(Note { code, strategy_id, message } required [code, message]);

impl RuleResult {
    /// The initial value of a required rule result while its decoder reads the members.
    fn placeholder() -> Self {
        RuleResult {
            status: RuleStatus::Pass,
            severity: Severity::Info,
            owner: Owner::Ops,
            reason_code: String::new(),
            reason: String::new(),
            tags: Vec::new(),
            details: serde_json::Map::new(),
        }
    }
}

impl Decision {
    /// The initial value of a required decision while its container's decoder reads the members.
    pub(crate) fn placeholder() -> Self {
        Decision {
            dialect: Dialect::default(),
            selected: Vec::new(),
            profile: None,
            recommended_stage: None,
            ruleset_hash: String::new(),
            strategies: IndexMap::new(),
            state: ActivationState::default(),
            notes: Vec::new(),
        }
    }
}

impl RuleResults {
    /// The initial value of a required rule-results block while its decoder reads the members.
    fn placeholder() -> Self {
        RuleResults {
            data_currency: RuleResult::placeholder(),
            sample: RuleResult::placeholder(),
            performance: RuleResult::placeholder(),
            risk_constraint: RuleResult::placeholder(),
            robustness: RuleResult::placeholder(),
            cohort: None,
            portfolio: None,
            stress: None,
            live_monitoring: None,
        }
    }
}

// Unit-enum decoders from their variant tables (`crate::json::fields`).
table_enum!(Dialect { Strict = "strict", Qmtl = "qmtl" });
table_enum!(Severity { Blocking = "blocking", Soft = "soft", Info = "info" });
table_enum!(Owner { Quant = "quant", Risk = "risk", Ops = "ops" });
table_enum!(RuleStatus { Pass = "pass", Warn = "warn", Fail = "fail" });
table_enum!(CheckOutcome { Pass = "pass", Fail = "fail", Warn = "warn", Skipped = "skipped" });
