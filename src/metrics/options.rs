//! [`MetricsOptions`]: how a returns series is turned into metric blocks.
//!
//! Wire document `metrics-options` (JSON Schema in `pkg-config/schema/metrics-options.json`).
//! Every key is optional and defaults as documented; unknown keys are rejected with their
//! JSON pointer. Decoding checks only the shape; [`MetricsOptions::validate`] checks the values.

use crate::error::{Code, Error};
use crate::json::fields::table_struct;
use crate::json::float::Brief;
use crate::schema::{MetricSource, SeriesIndex};
use serde::Serialize;

/// Options of `worldgate::metrics::compute` and the JS `computeMetrics`: every key optional.
///
/// ```json
/// {"periods_per_year": 252, "risk_free": 0.02, "initial_capital": 10000,
///  "reference_currency": "USD", "var_level": 0.95}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct MetricsOptions {
    /// P, periods per year used to annualise (252 daily, 52 weekly, 525600 minute), finite and
    /// greater than 0. Default: the one the time axis implies (`index`'s frequency, or the
    /// timestamps' median spacing, see `worldgate::time`), else 252. Given together with an
    /// `index` (or day-or-longer timestamps) that implies another value, it is an error at
    /// `/periods_per_year`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub periods_per_year: Option<f64>,
    /// Risk-free rate per year (0.02 = 2 %), de-annualised as `(1 + rf)^(1/P) − 1`. Finite,
    /// > −1. Default 0.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<f64>"))]
    pub risk_free: f64,
    /// The time window the series covers (ISO 8601 interval or free text), copied to the
    /// returns block. Default none.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub window: Option<String>,
    /// Where the series came from, copied to the returns block. Default `returns`.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<MetricSource>"))]
    pub source: MetricSource,
    /// V₀, the account's starting equity in `reference_currency`. Finite, > 0. Default 10000.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<f64>"))]
    pub initial_capital: f64,
    /// ISO 4217 code of the PnL block's amounts: three uppercase letters. Default `USD`.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<String>"))]
    pub reference_currency: String,
    /// Confidence level α of the historical VaR/CVaR, in (0, 1). Default 0.95.
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<f64>"))]
    pub var_level: f64,
    /// One RFC 3339 UTC timestamp per return, strictly increasing (not with `index`). They
    /// give the default `window` (`first/last`) and `periods_per_year`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub timestamps: Option<Vec<String>>,
    /// A regular index `{start, frequency}` instead of `timestamps`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub index: Option<SeriesIndex>,
}

impl Default for MetricsOptions {
    fn default() -> Self {
        MetricsOptions {
            periods_per_year: None,
            risk_free: 0.0,
            window: None,
            source: MetricSource::Returns,
            initial_capital: 10_000.0,
            reference_currency: "USD".to_string(),
            var_level: 0.95,
            timestamps: None,
            index: None,
        }
    }
}

/// P when neither the options nor a time axis give one.
pub const DEFAULT_PERIODS_PER_YEAR: f64 = 252.0;

impl MetricsOptions {
    /// P: `periods_per_year`, or 252 when absent (the time axis is resolved by
    /// `worldgate::metrics::compute`, which fills it in).
    pub fn periods(&self) -> f64 {
        self.periods_per_year.unwrap_or(DEFAULT_PERIODS_PER_YEAR)
    }

    /// Checks every value's domain.
    ///
    /// # Errors
    /// The first offending option, with its JSON pointer (`/periods_per_year`, …):
    /// - `E_NOT_FINITE` when `periods_per_year`, `risk_free`, `initial_capital` or `var_level`
    ///   is NaN or infinite;
    /// - `E_INVALID_VALUE` when `periods_per_year ≤ 0`, `risk_free ≤ −1`,
    ///   `initial_capital ≤ 0`, `var_level` outside (0, 1), or `reference_currency` is not
    ///   three uppercase ASCII letters.
    pub fn validate(&self) -> Result<(), Error> {
        let p = self.periods();
        finite("/periods_per_year", p)?;
        positive_periods(p)?;
        finite("/risk_free", self.risk_free)?;
        yearly_rate("/risk_free", self.risk_free, RISK_FREE)?;
        finite("/initial_capital", self.initial_capital)?;
        if self.initial_capital <= 0.0 {
            return Err(invalid(
                "/initial_capital",
                format!(
                    "initial capital must be greater than 0, got `{}`",
                    Brief(self.initial_capital)
                ),
            ));
        }
        let c = self.reference_currency.as_bytes();
        if c.len() != 3 || !c.iter().all(u8::is_ascii_uppercase) {
            return Err(invalid(
                "/reference_currency",
                format!(
                    "reference currency must be three uppercase letters, got `{}`",
                    self.reference_currency
                ),
            )
            .with_help("use an ISO 4217 code such as `USD`, `EUR` or `KRW`"));
        }
        finite("/var_level", self.var_level)?;
        if !(self.var_level > 0.0 && self.var_level < 1.0) {
            return Err(invalid(
                "/var_level",
                format!(
                    "var level must be between 0 and 1 exclusive, got `{}`",
                    Brief(self.var_level)
                ),
            )
            .with_help("0.95 is the 95 % level: the loss exceeded in 5 % of periods"));
        }
        Ok(())
    }
}

/// `E_NOT_FINITE` at `path` when `v` is NaN or ±∞: the first check of every numeric option
/// (of the metrics, the report and the v1.5 set).
pub(crate) fn finite(path: &str, v: f64) -> Result<(), Error> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(Error::new(
            Code::NotFinite,
            path,
            format!("expected a finite number, got `{}`", Brief(v)),
        ))
    }
}

fn invalid(path: &str, message: String) -> Error {
    Error::new(Code::InvalidValue, path, message)
}

/// `E_INVALID_VALUE` at `/periods_per_year` unless `p > 0` (a NaN is [`finite`]'s error, and
/// fails here too).
pub(crate) fn positive_periods(p: f64) -> Result<(), Error> {
    if p > 0.0 {
        return Ok(());
    }
    Err(invalid(
        "/periods_per_year",
        format!(
            "periods per year must be greater than 0, got `{}`",
            Brief(p)
        ),
    )
    .with_help("use 252 for daily, 52 for weekly, 12 for monthly returns"))
}

/// How [`yearly_rate`] names the risk-free rate.
pub(crate) const RISK_FREE: &str = "the yearly risk-free rate";

/// `E_INVALID_VALUE` at `path` unless the yearly rate `v` (`what`, e.g. [`RISK_FREE`]) is
/// greater than −1: a rate of −100 % or less leaves no per-period rate (a NaN fails here too).
pub(crate) fn yearly_rate(path: &str, v: f64, what: &str) -> Result<(), Error> {
    if v > -1.0 {
        return Ok(());
    }
    Err(invalid(
        path,
        format!("{what} must be greater than -1, got `{}`", Brief(v)),
    )
    .with_help("give the rate as a fraction: 0.02 for 2 %"))
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(MetricsOptions default {
    periods_per_year, risk_free, window, source, initial_capital, reference_currency, var_level,
    timestamps, index,
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::from_slice;

    /// The metrics, the report and the strict v1.5 set check their shared options with the
    /// same functions: the same code, path, message and help for the same bad value.
    #[test]
    fn shared_option_checks_answer_alike_on_every_surface() {
        use crate::metrics::v15::V15Options;
        use crate::schema::{MetricsProfile, ReportOptions};
        let shown = |e: Error| (e.code, e.path.clone(), e.message.clone(), e.help.clone());
        for (periods, rf) in [
            (0.0, 0.0),
            (-3.0, 0.0),
            (f64::NAN, 0.0),
            (252.0, -1.0),
            (252.0, f64::INFINITY),
        ] {
            let m = MetricsOptions {
                periods_per_year: Some(periods),
                risk_free: rf,
                ..MetricsOptions::default()
            };
            let r = ReportOptions {
                periods_per_year: periods,
                risk_free: rf,
                ..ReportOptions::default()
            };
            let v = V15Options {
                profile: MetricsProfile::Strict,
                periods_per_year: periods,
                risk_free: rf,
                ..V15Options::default()
            };
            let want = shown(m.validate().unwrap_err());
            assert_eq!(
                shown(crate::metrics::report::validate(&r, 1000).unwrap_err()),
                want
            );
            assert_eq!(shown(v.validate().unwrap_err()), want);
        }
    }

    #[test]
    fn empty_object_gives_the_documented_defaults() {
        let o: MetricsOptions = from_slice(b"{}").unwrap();
        assert_eq!(o.periods(), 252.0);
        assert_eq!(o.risk_free, 0.0);
        assert_eq!(o.window, None);
        assert_eq!(o.source, MetricSource::Returns);
        assert_eq!(o.initial_capital, 10_000.0);
        assert_eq!(o.reference_currency, "USD");
        assert_eq!(o.var_level, 0.95);
        assert_eq!(o, MetricsOptions::default());
        o.validate().unwrap();
    }

    #[test]
    fn keys_are_snake_case_and_unknown_keys_are_rejected_with_a_suggestion() {
        let o: MetricsOptions = from_slice(
            br#"{"periods_per_year": 12, "risk_free": 0.03, "window": "2024-01-01/2024-12-31",
                 "source": "auto_returns", "initial_capital": 5e5, "reference_currency": "KRW",
                 "var_level": 0.99}"#,
        )
        .unwrap();
        assert_eq!(o.periods_per_year, Some(12.0));
        assert_eq!(o.source, MetricSource::AutoReturns);
        assert_eq!(o.initial_capital, 500_000.0);
        o.validate().unwrap();

        let e = from_slice::<MetricsOptions>(br#"{"periods_per_yr": 12}"#).unwrap_err();
        assert_eq!(e.code, Code::Schema);
        assert_eq!(e.path, "/periods_per_yr");
        assert_eq!(e.help.as_deref(), Some("did you mean `periods_per_year`?"));
        let e = from_slice::<MetricsOptions>(br#"{"risk_free": "2%"}"#).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::Schema, "/risk_free"));
    }

    #[test]
    fn validation_names_the_offending_option() {
        let cases: Vec<(MetricsOptions, Code, &str)> = vec![
            (
                MetricsOptions {
                    periods_per_year: Some(0.0),
                    ..Default::default()
                },
                Code::InvalidValue,
                "/periods_per_year",
            ),
            (
                MetricsOptions {
                    periods_per_year: Some(f64::INFINITY),
                    ..Default::default()
                },
                Code::NotFinite,
                "/periods_per_year",
            ),
            (
                MetricsOptions {
                    risk_free: -1.0,
                    ..Default::default()
                },
                Code::InvalidValue,
                "/risk_free",
            ),
            (
                MetricsOptions {
                    risk_free: f64::NAN,
                    ..Default::default()
                },
                Code::NotFinite,
                "/risk_free",
            ),
            (
                MetricsOptions {
                    initial_capital: -5.0,
                    ..Default::default()
                },
                Code::InvalidValue,
                "/initial_capital",
            ),
            (
                MetricsOptions {
                    reference_currency: "usd".into(),
                    ..Default::default()
                },
                Code::InvalidValue,
                "/reference_currency",
            ),
            (
                MetricsOptions {
                    reference_currency: "EURO".into(),
                    ..Default::default()
                },
                Code::InvalidValue,
                "/reference_currency",
            ),
            (
                MetricsOptions {
                    var_level: 1.0,
                    ..Default::default()
                },
                Code::InvalidValue,
                "/var_level",
            ),
            (
                MetricsOptions {
                    var_level: 0.0,
                    ..Default::default()
                },
                Code::InvalidValue,
                "/var_level",
            ),
        ];
        for (o, code, path) in cases {
            let e = o.validate().unwrap_err();
            assert_eq!((e.code, e.path.as_str()), (code, path), "{o:?}");
        }
        // −1 < rf and tiny positive P are fine.
        MetricsOptions {
            risk_free: -0.5,
            periods_per_year: Some(1e-3),
            ..Default::default()
        }
        .validate()
        .unwrap();
    }
}
