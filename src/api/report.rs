//! The quant's report of a returns series: `distribution`, `drawdowns`, `rolling` and, with a
//! benchmark, `relative` (definitions: [`crate::metrics::report`]).
//!
//! | input | error |
//! |---|---|
//! | an option of the wrong type, an unknown option | `E_SCHEMA` at its path (when decoded with [`crate::schema::from_value`]) |
//! | `periods_per_year` ≤ 0; `risk_free` or `omega_required_return` ≤ −1 | `E_INVALID_VALUE` at the option |
//! | a non-finite option | `E_NOT_FINITE` at the option |
//! | a rolling window of 0 | `E_INVALID_VALUE` at `/rolling_windows/<i>` (a window longer than the series is not an error: its series are nulls with a `reason`) |
//! | a benchmark of another length than the series | `E_INVALID_VALUE` at `/benchmark` |
//! | a return (benchmark return) that is ±∞ or below −1 | `E_NOT_FINITE` / `E_INVALID_VALUE` at `/<i>` (`/benchmark/<i>`); NaN is a missing period, dropped |
//! | timestamps: wrong count, not RFC 3339 UTC, not increasing | `E_INVALID_VALUE` at `/timestamps` or `/timestamps/<i>` |

use crate::error::Error;
use crate::metrics::MetricsOptions;
use crate::metrics::report::Axes;
use crate::schema::{MetricsWithReport, Report, ReportOptions, ReportRequest};
use crate::time::Stamps;

/// The report of `returns` under `opts`.
///
/// # Errors
/// See the module's table.
///
/// ```
/// use worldgate::api::report::report;
/// use worldgate::schema::ReportOptions;
/// let opts = ReportOptions { benchmark: Some(vec![None]), ..ReportOptions::default() };
/// let e = report(&[0.01, 0.02], &opts).unwrap_err();
/// assert_eq!((e.code.as_str(), e.path.as_str()), ("E_INVALID_VALUE", "/benchmark"));
/// ```
pub fn report(returns: &[f64], opts: &ReportOptions) -> Result<Report, Error> {
    crate::metrics::report::compute(returns, opts)
}

/// [`report`] with its time axes given as [`Stamps`]: RFC 3339 strings, or epoch milliseconds
/// (the JS API's numeric form) checked by [`crate::time::parse_all_ms`]: the same days to the
/// bit as the strings they name, so the same report; the episodes' `peak_at`/`trough_at`/`end_at`
/// are then written by [`crate::time::format`]. `None` keeps `opts`' own.
///
/// # Errors
/// The module's table; a numeric axis' own errors (NaN, fractional, outside years 0000–9999,
/// not increasing, a count other than the returns' or the benchmark's) at `/timestamps[/<i>]`
/// and `/benchmark_timestamps[/<i>]`.
pub fn report_stamped(
    returns: &[f64],
    mut opts: ReportOptions,
    timestamps: Option<Stamps>,
    benchmark_timestamps: Option<Stamps>,
) -> Result<Report, Error> {
    let numeric = |t: &Option<Stamps>| matches!(t, Some(Stamps::EpochMs(_)));
    if !numeric(&timestamps) && !numeric(&benchmark_timestamps) {
        // Strings: the report reads them itself and quotes them as given.
        if let Some(Stamps::Rfc3339(t)) = timestamps {
            opts.timestamps = Some(t);
        }
        if let Some(Stamps::Rfc3339(t)) = benchmark_timestamps {
            opts.benchmark_timestamps = Some(t);
        }
        return report(returns, &opts);
    }
    // A numeric axis is read to days once, never written out as text and read back: the
    // episodes' instants are written from the days.
    let labels = match &timestamps {
        Some(Stamps::Rfc3339(t)) => Some(t.as_slice()),
        _ => opts.timestamps.as_deref(),
    };
    let days = match &timestamps {
        Some(t) => Some(t.days(returns.len(), "/timestamps")?),
        None => opts
            .timestamps
            .as_deref()
            .map(|t| crate::time::parse_all(t, returns.len(), "/timestamps"))
            .transpose()?,
    };
    let benchmark_days = benchmark_days(
        opts.benchmark.as_ref().map(Vec::len),
        benchmark_timestamps.as_ref(),
        opts.benchmark_timestamps.as_deref(),
    )?;
    let axes = Axes {
        days: days.as_deref(),
        labels,
        benchmark_days: benchmark_days.as_deref(),
    };
    crate::metrics::report::compute_on(returns, &opts, axes)
}

/// The metric blocks of `returns` under `opts` and the report `request` asks for, under the
/// same conventions: P as the metrics resolved it (given, or implied by the time axis), the same
/// risk-free rate, and the same time axis (timestamps, or the index expanded).
///
/// # Errors
/// The errors of [`crate::metrics::compute`]; then the report's (see the module's table) with
/// their paths under `/report` (`/report/benchmark`, `/report/rolling_windows/0`, …).
pub fn metrics_with_report(
    returns: &[f64],
    opts: &MetricsOptions,
    request: &ReportRequest,
) -> Result<MetricsWithReport, Error> {
    // Read once (timestamps checked, not both, one per return; an index expanded) for both.
    let days = crate::metrics::timeline::time_axis(
        opts.timestamps.as_deref(),
        opts.index.as_ref(),
        returns.len(),
        "",
    )?;
    metrics_with_report_on(returns, opts, days.as_deref(), request, None)
}

/// [`metrics_with_report`] on the series' time axis already read to `days` (the options' own
/// `timestamps` still label the episodes when given), with the benchmark's axis given as
/// `benchmark_timestamps` in place of the request's own when `Some`.
///
/// # Errors
/// As [`metrics_with_report`]; a numeric benchmark axis' errors at
/// `/report/benchmark_timestamps[/<i>]`.
pub fn metrics_with_report_on(
    returns: &[f64],
    opts: &MetricsOptions,
    days: Option<&[f64]>,
    request: &ReportRequest,
    benchmark_timestamps: Option<&Stamps>,
) -> Result<MetricsWithReport, Error> {
    let metrics = crate::metrics::compute_on(returns, opts, days)?;
    let periods = metrics
        .returns
        .as_ref()
        .and_then(|r| r.conventions.as_ref())
        .map_or(opts.periods(), |c| c.periods_per_year);
    let report_opts = request.options(periods, opts.risk_free, None);
    let within = |e: Error| e.within("/report");
    let benchmark_days = benchmark_days(
        request.benchmark.as_ref().map(Vec::len),
        benchmark_timestamps,
        request.benchmark_timestamps.as_deref(),
    )
    .map_err(within)?;
    let axes = Axes {
        days,
        labels: opts.timestamps.as_deref(),
        benchmark_days: benchmark_days.as_deref(),
    };
    let report = crate::metrics::report::compute_on(returns, &report_opts, axes).map_err(within)?;
    Ok(MetricsWithReport { metrics, report })
}

/// The days of a benchmark's time axis: `stamps` when given, else the request's own `strings`;
/// `None` without an axis or (strings) without a benchmark. A given axis without a benchmark is
/// an empty axis, which the report refuses as timestamps without a benchmark.
///
/// # Errors
/// The axis' errors at `/benchmark_timestamps[/<i>]`.
fn benchmark_days(
    benchmark_len: Option<usize>,
    stamps: Option<&Stamps>,
    strings: Option<&[String]>,
) -> Result<Option<Vec<f64>>, Error> {
    match (stamps, benchmark_len) {
        (Some(_), None) => Ok(Some(Vec::new())),
        (Some(t), Some(n)) => t.days(n, "/benchmark_timestamps").map(Some),
        (None, _) => crate::metrics::report::benchmark_axis(benchmark_len, strings),
    }
}

/// `computeMetrics`' options without their `report` key, and what that key asks for: `true` or
/// an object ([`ReportRequest`]) asks for the report, `false`, `null` or no key does not.
///
/// # Errors
/// `E_SCHEMA` under `/report` when the key is neither a boolean nor a `ReportRequest`.
pub fn split_report(
    options: Option<serde_json::Value>,
) -> Result<(Option<serde_json::Value>, Option<ReportRequest>), Error> {
    use serde_json::Value;
    let Some(Value::Object(mut map)) = options else {
        return Ok((options, None));
    };
    let request = match map.remove("report") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => None,
        Some(Value::Bool(true)) => Some(ReportRequest::default()),
        Some(v) => Some(crate::schema::from_value(&v).map_err(|e| e.within("/report"))?),
    };
    Ok((Some(Value::Object(map)), request))
}
