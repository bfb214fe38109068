//! QMTL's v1.5 metric set (`returns`, `sample`, `robustness`, `diagnostics`; `risk` and
//! `benchmark` copied through) from a returns series, in two profiles:
//!
//! - [`MetricsProfile::Qmtl`] ([`qmtl`]): QMTL's numbers exactly, its quirks included (the
//!   additive curve, the per-period population Sharpe ratio, 0.0 for constant input, Acklam's
//!   inverse normal, clamping, annualised cross-validation folds, …);
//! - [`MetricsProfile::Strict`] ([`strict`], the default): the same quantities with sound
//!   definitions, `null` plus a reason in `diagnostics.reasons` where undefined.
//!
//! Each submodule's documentation gives every formula; the README section "QMTL v1.5 metrics:
//! qmtl vs strict" lists every difference.
//!
//! ```
//! use worldgate::metrics::{compute_v15, V15Options};
//! use worldgate::schema::MetricsProfile;
//! let r = [0.1, -0.1, -0.1];
//! let q = compute_v15(&r, &V15Options { profile: MetricsProfile::Qmtl, ..V15Options::default() }).unwrap();
//! assert_eq!(q.returns.max_drawdown, Some(0.2));     // additive curve: 0.1, 0.0, −0.1
//! let s = compute_v15(&r, &V15Options::default()).unwrap();
//! let dd = s.returns.max_drawdown.unwrap();           // compounded: 1 − 0.891/1.1
//! assert!((dd - 0.19).abs() < 1e-15);
//! // A constant series: QMTL says Sharpe 0.0, strict says null and why.
//! let c = [0.01; 5];
//! let q = compute_v15(&c, &V15Options { profile: MetricsProfile::Qmtl, ..V15Options::default() }).unwrap();
//! assert_eq!(q.returns.sharpe, Some(0.0));
//! let s = compute_v15(&c, &V15Options::default()).unwrap();
//! assert_eq!(s.returns.sharpe, None);
//! assert_eq!(s.diagnostics.reasons["returns.sharpe"], "zero standard deviation: the returns are constant");
//! ```

pub mod qmtl;
mod stats;
pub mod strict;

use super::options;
use crate::error::Error;
use crate::json::fields::table_struct;
use crate::schema::{MetricsProfile, V15Benchmark, V15Metrics, V15Risk};
use serde::Serialize;

/// Options of [`compute_v15`] and of the JS `computeMetrics` when a `profile` is given: every
/// key optional.
///
/// ```json
/// {"profile": "qmtl", "periods_per_year": 252, "risk_free": 0, "search_intensity": 20,
///  "timestamps": ["2024-01-02T00:00:00Z", "…"]}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct V15Options {
    /// Which definitions: `"strict"` (default) or `"qmtl"`.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<MetricsProfile>")
    )]
    pub profile: MetricsProfile,
    /// P, periods per year (QMTL's `periods_per_year`). Finite, > 0. Default 252.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<f64>"))]
    pub periods_per_year: f64,
    /// Risk-free rate: **per period** under `qmtl` (QMTL's `risk_free_rate`, subtracted from
    /// each return), **per year** under `strict` (de-annualised as `(1 + rf)^(1/P) − 1`).
    /// Finite (and > −1 under `strict`). Default 0.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<f64>"))]
    pub risk_free: f64,
    /// T, the number of strategy variants tried (QMTL's `search_intensity`): DSR's trials.
    /// Default 1.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<u64>"))]
    pub search_intensity: u64,
    /// One RFC 3339 UTC timestamp per return (`2024-01-31T16:00:00Z`), strictly increasing.
    /// The calendar-based fields then come from the dates, under both profiles:
    /// `returns.max_time_under_water_days` in calendar days, `sample.effective_history_years`
    /// from the span (Y·n/(n − 1), Y the calendar years from the first to the last
    /// timestamp), `sample.n_trades_per_year` = n / those years. Without them `qmtl` counts
    /// periods and divides by P, as QMTL does.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub timestamps: Option<Vec<String>>,
    /// The `risk` block to copy into the result.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub risk: Option<V15Risk>,
    /// The `benchmark` block to copy into the result.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub benchmark: Option<V15Benchmark>,
}

impl Default for V15Options {
    fn default() -> Self {
        V15Options {
            profile: MetricsProfile::Strict,
            periods_per_year: 252.0,
            risk_free: 0.0,
            search_intensity: 1,
            timestamps: None,
            risk: None,
            benchmark: None,
        }
    }
}

impl V15Options {
    /// Checks every value's domain.
    ///
    /// # Errors
    /// `E_NOT_FINITE` at `/periods_per_year` or `/risk_free` for NaN or ±∞; `E_INVALID_VALUE`
    /// at `/periods_per_year` when ≤ 0, at `/risk_free` when ≤ −1 under `strict`.
    pub fn validate(&self) -> Result<(), Error> {
        options::finite("/periods_per_year", self.periods_per_year)?;
        options::finite("/risk_free", self.risk_free)?;
        options::positive_periods(self.periods_per_year)?;
        if self.profile == MetricsProfile::Strict {
            options::yearly_rate("/risk_free", self.risk_free, options::RISK_FREE)?;
        }
        Ok(())
    }
}

/// QMTL's v1.5 metric set of `returns` under `opts.profile`.
///
/// NaN samples are dropped under both profiles. `qmtl` drops ±∞ too and accepts any value, as
/// QMTL does; `strict` rejects them.
///
/// # Errors
/// - the errors of [`V15Options::validate`];
/// - `strict` only: `E_NOT_FINITE` at `/<i>` for ±∞, `E_INVALID_VALUE` at `/<i>` for a return
///   below −1, and the timestamps' errors (`/timestamps`, `/timestamps/<i>`).
pub fn compute_v15(returns: &[f64], opts: &V15Options) -> Result<V15Metrics, Error> {
    opts.validate()?;
    let days = opts
        .timestamps
        .as_deref()
        .map(|ts| crate::time::parse_all(ts, returns.len(), "/timestamps"))
        .transpose()?;
    by_profile(returns, opts, days)
}

/// [`compute_v15`] on a time axis already read to `days` (one per return, strictly increasing:
/// a numeric axis read by [`crate::time::parse_all_ms`]) in place of `opts.timestamps`.
///
/// # Errors
/// As [`compute_v15`], without the timestamps' own.
pub fn compute_v15_on(
    returns: &[f64],
    opts: &V15Options,
    days: Option<Vec<f64>>,
) -> Result<V15Metrics, Error> {
    opts.validate()?;
    by_profile(returns, opts, days)
}

fn by_profile(
    returns: &[f64],
    opts: &V15Options,
    days: Option<Vec<f64>>,
) -> Result<V15Metrics, Error> {
    match opts.profile {
        MetricsProfile::Qmtl => Ok(qmtl::compute(returns, opts, days)),
        MetricsProfile::Strict => strict::compute(returns, opts, days),
    }
}

/// The finite returns (`keep`: which ones QMTL's or strict's rule keeps) and their days, the
/// days of the dropped returns dropped with them.
pub(crate) fn finite_dated(
    returns: &[f64],
    days: Option<Vec<f64>>,
    keep: fn(&f64) -> bool,
) -> (Vec<f64>, Option<Vec<f64>>) {
    let r: Vec<f64> = returns.iter().copied().filter(keep).collect();
    let days = days.map(|d| {
        returns
            .iter()
            .zip(d)
            .filter_map(|(x, day)| keep(x).then_some(day))
            .collect()
    });
    (r, days)
}

/// The calendar years from day `a` to day `b` (days since the epoch, `b ≥ a`) as
/// `(whole, rest, length)`: `whole` calendar years from `a` (`a` moved by 12·`whole` months,
/// the day of month clamped: 2024-02-29 + 1 year = 2025-02-28) stay at or before `b`, `rest`
/// days remain, and the year they fall in is `length` days long (366 across a 29 February).
/// The span in years is `whole + rest / length`.
pub(crate) fn calendar_years(a: f64, b: f64) -> (f64, f64, f64) {
    use crate::time::add_months;
    if b <= a || !(a.is_finite() && b.is_finite()) {
        return (0.0, 0.0, add_months(a, 12) - a);
    }
    // A lower bound (no year is longer than 366 days), then up to the exact count.
    let mut whole = ((b - a) / 366.0).floor() as i64;
    while add_months(a, 12 * (whole + 1)) <= b {
        whole += 1;
    }
    while whole > 0 && add_months(a, 12 * whole) > b {
        whole -= 1;
    }
    let anchor = add_months(a, 12 * whole);
    let next = add_months(a, 12 * (whole + 1));
    (whole as f64, b - anchor, next - anchor)
}

/// `sample.effective_history_years` of n finite returns: n / P without a time axis (QMTL's);
/// with their `days` and n ≥ 2, Y·n/(n − 1) with Y the calendar years from the first to the
/// last day ([`calendar_years`]), written (whole·length + rest)·n / (length·(n − 1)) so that
/// whole days give exact quotients (366 daily returns over 2024 are exactly 1 year). `None`
/// for n = 0 or a non-finite value.
pub(crate) fn history_years(n: usize, p: f64, days: Option<&[f64]>) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let span = days
        .filter(|d| n >= 2 && d.len() == n)
        .and_then(|d| Some((*d.first()?, *d.last()?)));
    let years = match span {
        Some((a, b)) => {
            let (whole, rest, length) = calendar_years(a, b);
            let nf = n as f64;
            (whole * length + rest) * nf / (length * (nf - 1.0))
        }
        None => n as f64 / p,
    };
    Some(years).filter(|y| y.is_finite() && *y > 0.0)
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(V15Options default {
    profile, periods_per_year, risk_free, search_intensity, timestamps, risk, benchmark
});
