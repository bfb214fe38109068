//! The metrics of a returns series, as `computeMetrics` and `worldgate metrics` ask for them:
//! worldgate's `{returns, pnl}` blocks (definitions: [`crate::metrics`]), with the quant's
//! report beside them ([`super::report`]), or QMTL's v1.5 set ([`crate::metrics::v15`]).
//!
//! | input | error |
//! |---|---|
//! | options that are not an object, an unknown option, a wrong type | `E_SCHEMA` at its path (`profile` and `report` are unknown options in `worldgate/core`) |
//! | a bad option value, a bad return | the errors of the operation asked for, at their paths |
//! | a time axis given beside the options' `index` | `E_INVALID_VALUE` at `""` |
//! | a time axis: wrong count, not RFC 3339 UTC or whole epoch milliseconds, not increasing | `E_INVALID_VALUE` at `/timestamps[/<i>]` (`/report/benchmark_timestamps[/<i>]`) |

use crate::error::Error;
use crate::metrics::MetricsOptions;
use crate::schema::EvaluationMetrics;
#[cfg(feature = "engine")]
use crate::schema::{MetricsWithReport, ReportRequest, V15Metrics};
use crate::time::Stamps;
use serde::Serialize;

/// What is asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricsRequest {
    /// worldgate's `{returns, pnl}` blocks under these options.
    Blocks(MetricsOptions),
    /// The blocks and the report the request asks for, under the same conventions.
    #[cfg(feature = "engine")]
    WithReport(MetricsOptions, ReportRequest),
    /// QMTL's v1.5 set under its profile.
    #[cfg(feature = "engine")]
    V15(crate::metrics::V15Options),
}

/// The answer, in the form its request asked for (serialized as the inner document).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Computed {
    /// [`MetricsRequest::Blocks`]' answer.
    Blocks(EvaluationMetrics),
    /// [`MetricsRequest::WithReport`]'s answer.
    #[cfg(feature = "engine")]
    WithReport(Box<MetricsWithReport>),
    /// [`MetricsRequest::V15`]'s answer.
    #[cfg(feature = "engine")]
    V15(V15Metrics),
}

impl MetricsRequest {
    /// Decodes `computeMetrics`' options (`None`: every default): a `profile` key asks for the
    /// v1.5 set (`V15Options`), else the options are `MetricsOptions` and a `report` key (`true`
    /// or a `ReportRequest`; `false` or `null` ask for none) asks for the report beside them.
    ///
    /// # Errors
    /// `E_SCHEMA` at the path of an unknown option or a wrong type (under `/report` for the
    /// report's).
    pub fn from_options(options: Option<serde_json::Value>) -> Result<Self, Error> {
        #[cfg(feature = "engine")]
        if let Some(v) = options.as_ref().filter(|v| v.get("profile").is_some()) {
            return crate::schema::from_value(v).map(MetricsRequest::V15);
        }
        #[cfg(feature = "engine")]
        let (options, report) = super::report::split_report(options)?;
        let opts = match options {
            None => MetricsOptions::default(),
            Some(v) => crate::schema::from_value(&v)?,
        };
        #[cfg(feature = "engine")]
        if let Some(report) = report {
            return Ok(MetricsRequest::WithReport(opts, report));
        }
        Ok(MetricsRequest::Blocks(opts))
    }
}

/// What `request` asks for of `returns`. `timestamps`, when given, are the series' time axis in
/// place of the options' own (a numeric axis is read to days once and never written out as
/// text); `benchmark_timestamps` replace the report request's.
///
/// # Errors
/// See the module's table.
pub fn metrics(
    returns: &[f64],
    request: MetricsRequest,
    timestamps: Option<Stamps>,
    benchmark_timestamps: Option<Stamps>,
) -> Result<Computed, Error> {
    #[cfg(not(feature = "engine"))]
    let _ = benchmark_timestamps;
    match request {
        MetricsRequest::Blocks(opts) => {
            let (opts, days) = with_axis(returns.len(), opts, timestamps)?;
            crate::metrics::compute_on(returns, &opts, days.as_deref()).map(Computed::Blocks)
        }
        #[cfg(feature = "engine")]
        MetricsRequest::WithReport(opts, report) => {
            let (opts, days) = with_axis(returns.len(), opts, timestamps)?;
            super::report::metrics_with_report_on(
                returns,
                &opts,
                days.as_deref(),
                &report,
                benchmark_timestamps.as_ref(),
            )
            .map(|m| Computed::WithReport(Box::new(m)))
        }
        #[cfg(feature = "engine")]
        MetricsRequest::V15(mut opts) => match timestamps {
            Some(Stamps::EpochMs(ms)) => {
                let days = crate::time::parse_all_ms(&ms, returns.len(), "/timestamps")?;
                opts.timestamps = None;
                crate::metrics::compute_v15_on(returns, &opts, Some(days)).map(Computed::V15)
            }
            Some(Stamps::Rfc3339(t)) => {
                opts.timestamps = Some(t);
                crate::metrics::compute_v15(returns, &opts).map(Computed::V15)
            }
            None => crate::metrics::compute_v15(returns, &opts).map(Computed::V15),
        },
    }
}

/// The options and their time axis read to days: `timestamps` when given (strings kept in
/// the options, where they label the report's episodes), else the options' own.
fn with_axis(
    n: usize,
    mut opts: MetricsOptions,
    timestamps: Option<Stamps>,
) -> Result<(MetricsOptions, Option<Vec<f64>>), Error> {
    match timestamps {
        Some(_) if opts.index.is_some() => return Err(crate::time::both_axes("")),
        Some(Stamps::EpochMs(ms)) => {
            opts.timestamps = None;
            let days = crate::time::parse_all_ms(&ms, n, "/timestamps")?;
            return Ok((opts, Some(days)));
        }
        Some(Stamps::Rfc3339(t)) => opts.timestamps = Some(t),
        None => {}
    }
    let days = crate::metrics::timeline::time_axis(
        opts.timestamps.as_deref(),
        opts.index.as_ref(),
        n,
        "",
    )?;
    Ok((opts, days))
}
