//! QMTL's v1.5 `EvaluationMetrics` document (`returns`, `sample`, `risk`, `robustness`,
//! `diagnostics`, `benchmark`), as computed by [`crate::metrics::compute_v15`].
//!
//! Field names are QMTL's (`services/worldservice/schemas.py`). A metric that cannot be
//! computed is `null`; under the `strict` profile `diagnostics.reasons` says why, keyed by the
//! metric's dotted path. Fields only the `strict` profile fills (`returns.sharpe_per_period`,
//! `returns.max_time_under_water_periods`) are left out of `qmtl` documents. `risk` and
//! `benchmark` are never computed: they are copied from the options when given. Every field
//! may be left out when reading (a claim may state only some metrics); written documents have
//! them all.

use crate::json::fields::table_struct;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Which definitions a v1.5 metric set follows. Read from a string: `null`, a number or an
/// unknown name is a schema error at the field (`E_SCHEMA`, never a silent default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MetricsProfile {
    /// QMTL's numbers exactly, quirks included (README "QMTL v1.5 metrics: qmtl vs strict").
    Qmtl,
    /// worldgate's sound definitions of the same quantities (the default).
    #[default]
    Strict,
}

impl<'de> Deserialize<'de> for MetricsProfile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Through a string, so that `null` or a number is a type error, not a syntax error.
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        match name.as_ref() {
            "qmtl" => Ok(MetricsProfile::Qmtl),
            "strict" => Ok(MetricsProfile::Strict),
            other => Err(serde::de::Error::unknown_variant(
                other,
                &["qmtl", "strict"],
            )),
        }
    }
}

/// The v1.5 metric set of one returns series.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct V15Metrics {
    /// Return statistics.
    pub returns: V15Returns,
    /// Sample size.
    pub sample: V15Sample,
    /// Risk block, copied from the options (never computed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub risk: Option<V15Risk>,
    /// Overfitting and stability statistics.
    pub robustness: V15Robustness,
    /// Search intensity, complexity, the profile and the reasons for `null` metrics.
    pub diagnostics: V15Diagnostics,
    /// Benchmark block, copied from the options (never computed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub benchmark: Option<V15Benchmark>,
}

/// `returns`: performance of the series.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct V15Returns {
    /// `qmtl`: per-period population Sharpe ratio; `strict`: annualised, sample σ.
    pub sharpe: Option<f64>,
    /// `strict` only: the per-period Sharpe ratio (sample σ), the one PSR and DSR use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub sharpe_per_period: Option<f64>,
    /// Largest peak-to-trough loss as a positive number (`qmtl`: additive curve; `strict`:
    /// compounded, in [0, 1]).
    pub max_drawdown: Option<f64>,
    /// Σr / |Σ r<0|.
    pub gain_to_pain_ratio: Option<f64>,
    /// Historical 1 % value at risk, a loss as a positive number.
    pub var_p01: Option<f64>,
    /// Historical 1 % expected shortfall, a loss as a positive number.
    pub es_p01: Option<f64>,
    /// Fraction of periods below the running peak.
    pub time_under_water_ratio: Option<f64>,
    /// Longest time below the running peak (`qmtl`: in periods; `strict`: calendar days,
    /// from the timestamps).
    pub max_time_under_water_days: Option<u64>,
    /// `strict` only: the longest run of consecutive periods below the running peak.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub max_time_under_water_periods: Option<u64>,
}

/// `sample`: how much history the series holds.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct V15Sample {
    /// n / P, in years.
    pub effective_history_years: Option<f64>,
    /// n, the number of finite periods (QMTL counts periods as trades).
    pub n_trades_total: Option<u64>,
    /// n / years.
    pub n_trades_per_year: Option<f64>,
    /// Fractions of periods in each rolling-volatility tercile.
    pub regime_coverage: Option<RegimeCoverage>,
}

/// Fractions of periods whose trailing 20-period volatility is in the low, middle or high
/// tercile.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct RegimeCoverage {
    /// σ ≤ the 1/3 quantile.
    pub low_vol: f64,
    /// Neither low nor high.
    pub mid_vol: f64,
    /// σ > the 2/3 quantile.
    pub high_vol: f64,
}

/// `robustness`: overfitting and stability statistics.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct V15Robustness {
    /// PSR: P(true Sharpe > 0), in [0, 1].
    pub probabilistic_sharpe_ratio: Option<f64>,
    /// DSR: PSR against the expected best Sharpe of `search_intensity` trials, in [0, 1].
    pub deflated_sharpe_ratio: Option<f64>,
    /// Number of contiguous folds (n ≥ 60).
    pub cv_folds: Option<u32>,
    /// Mean of the folds' annualised Sharpe ratios.
    pub cv_sharpe_mean: Option<f64>,
    /// Standard deviation of the folds' annualised Sharpe ratios.
    pub cv_sharpe_std: Option<f64>,
    /// `returns.sharpe` of the first ⌊n/2⌋ periods.
    pub sharpe_first_half: Option<f64>,
    /// `returns.sharpe` of the remaining periods.
    pub sharpe_second_half: Option<f64>,
}

/// `diagnostics`: how the set was computed (an open object in QMTL).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct V15Diagnostics {
    /// T, the number of strategy variants tried.
    pub search_intensity: u64,
    /// 1 + ln(1 + T).
    pub strategy_complexity: Option<f64>,
    /// Which definitions computed the set.
    pub metrics_profile: MetricsProfile,
    /// `"timestamps"` when the series was dated: the calendar-based fields
    /// (`returns.max_time_under_water_days`, and with two or more returns
    /// `sample.effective_history_years` and `sample.n_trades_per_year`) come from its dates;
    /// absent when they are counted in periods and P (QMTL's definitions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub time_axis: Option<String>,
    /// Why a metric is `null` (`strict` only), keyed by its dotted path (`returns.sharpe`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, String>>")
    )]
    pub reasons: IndexMap<String, String>,
}

/// `risk`: supplied by the runner, copied through.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct V15Risk {
    /// Factor name → exposure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub factor_exposures: Option<IndexMap<String, f64>>,
    /// Incremental 99 % VaR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub incremental_var_99: Option<f64>,
    /// Incremental 99 % expected shortfall.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub incremental_es_99: Option<f64>,
    /// 95th percentile of ADV utilisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub adv_utilization_p95: Option<f64>,
    /// 95th percentile of the participation rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub participation_rate_p95: Option<f64>,
    /// Base capacity estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub capacity_estimate_base: Option<f64>,
}

/// `benchmark`: supplied by the runner, copied through.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct V15Benchmark {
    /// The benchmark's Sharpe ratio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub sharpe: Option<f64>,
    /// The benchmark's maximum drawdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub max_drawdown: Option<f64>,
    /// The benchmark's volatility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub volatility: Option<f64>,
}

// The v1.5 decoders from their field tables (`crate::json::fields`; every field defaults to
// the container's derived `Default`, as `#[serde(default)]` on the struct says).
table_struct!(V15Metrics { returns, sample, risk, robustness, diagnostics, benchmark } required []);
table_struct!(V15Returns {
    sharpe, sharpe_per_period, max_drawdown, gain_to_pain_ratio, var_p01, es_p01,
    time_under_water_ratio, max_time_under_water_days, max_time_under_water_periods,
} required []);
table_struct!(V15Sample {
    effective_history_years, n_trades_total, n_trades_per_year, regime_coverage
} required []);
table_struct!(RegimeCoverage { low_vol, mid_vol, high_vol } required []);
table_struct!(V15Robustness {
    probabilistic_sharpe_ratio, deflated_sharpe_ratio, cv_folds, cv_sharpe_mean, cv_sharpe_std,
    sharpe_first_half, sharpe_second_half,
} required []);
table_struct!(V15Diagnostics {
    search_intensity, strategy_complexity, metrics_profile, time_axis, reasons
} required []);
table_struct!(V15Risk {
    factor_exposures, incremental_var_99, incremental_es_99, adv_utilization_p95,
    participation_rate_p95, capacity_estimate_base,
} required []);
table_struct!(V15Benchmark { sharpe, max_drawdown, volatility } required []);
