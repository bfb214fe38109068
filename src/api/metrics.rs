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

/// The series and time axes given beside the options (the JS API's numeric forms: no string
/// crosses), each in place of the options' own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Given {
    /// The series' time axis.
    pub timestamps: Option<Stamps>,
    /// The report's benchmark returns (NaN: a missing period).
    pub benchmark: Option<Vec<f64>>,
    /// The report's benchmark's time axis.
    pub benchmark_timestamps: Option<Stamps>,
}

/// What `request` asks for of `returns`, with `given`'s axes and benchmark in place of the
/// options' (a numeric axis is read to days once and never written out as text).
///
/// # Errors
/// See the module's table.
pub fn metrics(returns: &[f64], request: MetricsRequest, given: Given) -> Result<Computed, Error> {
    let Given {
        timestamps,
        benchmark,
        benchmark_timestamps,
    } = given;
    #[cfg(not(feature = "engine"))]
    let _ = (benchmark, benchmark_timestamps);
    match request {
        MetricsRequest::Blocks(opts) => {
            let (opts, days) = with_axis(returns.len(), opts, timestamps)?;
            crate::metrics::compute_on(returns, &opts, days.as_deref()).map(Computed::Blocks)
        }
        #[cfg(feature = "engine")]
        MetricsRequest::WithReport(opts, mut report) => {
            let (opts, days) = with_axis(returns.len(), opts, timestamps)?;
            if let Some(b) = benchmark {
                report.benchmark =
                    Some(b.into_iter().map(|x| Some(crate::schema::Num(x))).collect());
            }
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

/// [`metrics`] of a series of `len` returns that `read(start, out)` copies in (`out` the
/// samples `start..start + out.len()`), for a caller whose series is outside this memory (a JS
/// `Float64Array`): the `{returns, pnl}` blocks read it a chunk at a time while they compute
/// ([`crate::metrics::compute_chunked`], the same result to the bit); every other request reads
/// it whole first.
///
/// # Errors
/// As [`metrics`].
pub fn metrics_chunked(
    len: usize,
    read: &mut dyn FnMut(usize, &mut [f64]),
    request: MetricsRequest,
    given: Given,
) -> Result<Computed, Error> {
    match request {
        MetricsRequest::Blocks(opts) => {
            let (opts, days) = with_axis(len, opts, given.timestamps)?;
            crate::metrics::compute_chunked(len, read, &opts, days.as_deref()).map(Computed::Blocks)
        }
        #[cfg(feature = "engine")]
        other => {
            let mut whole = vec![0.0; len];
            read(0, &mut whole);
            metrics(&whole, other, given)
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SeriesIndex;

    #[test]
    fn a_numeric_axis_gives_what_its_strings_give_and_never_beside_an_index() {
        let r = [0.01, -0.02, 0.005, 0.03];
        let strings: Vec<String> = (1..=4).map(|d| format!("2024-01-0{d}T00:00:00Z")).collect();
        let ms: Vec<f64> = (0..4)
            .map(|d| 1_704_067_200_000.0 + f64::from(d) * 86_400_000.0)
            .collect();
        let run = |t: Stamps| {
            let given = Given {
                timestamps: Some(t),
                ..Given::default()
            };
            metrics(&r, MetricsRequest::Blocks(MetricsOptions::default()), given)
        };
        let a = run(Stamps::Rfc3339(strings)).expect("strings");
        assert_eq!(run(Stamps::EpochMs(ms.clone())), Ok(a.clone()));
        let Computed::Blocks(m) = a else {
            panic!("blocks")
        };
        let window = m.returns.and_then(|b| b.window);
        assert_eq!(
            window.as_deref(),
            Some("2024-01-01T00:00:00Z/2024-01-04T00:00:00Z")
        );

        let indexed = MetricsOptions {
            index: Some(SeriesIndex {
                start: "2024-01-01".into(),
                frequency: "1D".into(),
            }),
            ..MetricsOptions::default()
        };
        let given = Given {
            timestamps: Some(Stamps::EpochMs(ms)),
            ..Given::default()
        };
        let e = metrics(&r, MetricsRequest::Blocks(indexed), given).expect_err("both");
        assert_eq!((e.code.as_str(), e.path.as_str()), ("E_INVALID_VALUE", ""));
    }

    #[test]
    fn options_pick_the_request() {
        use serde_json::json;
        let req = |v| MetricsRequest::from_options(Some(v));
        assert!(matches!(req(json!({})), Ok(MetricsRequest::Blocks(_))));
        assert!(matches!(
            req(json!({"report": true})),
            Ok(MetricsRequest::WithReport(..))
        ));
        assert!(matches!(
            req(json!({"report": false})),
            Ok(MetricsRequest::Blocks(_))
        ));
        assert!(matches!(
            req(json!({"profile": "qmtl"})),
            Ok(MetricsRequest::V15(_))
        ));
        let e = req(json!({"report": {"top_drawdowns": "x"}})).expect_err("bad report");
        assert!(e.path.starts_with("/report"), "{}", e.path);
        let e = req(json!({"bogus": 1})).expect_err("unknown");
        assert_eq!((e.code.as_str(), e.path.as_str()), ("E_SCHEMA", "/bogus"));
    }
}
