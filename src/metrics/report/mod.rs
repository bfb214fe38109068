//! The quant's report of a returns series: the `distribution`, `drawdowns`, `rolling` and (with
//! a benchmark) `relative` blocks of [`Report`], with the conventions recorded in
//! `conventions`.
//!
//! ```
//! use worldgate::metrics::report::compute;
//! use worldgate::schema::ReportOptions;
//! // Equity 1.1, 0.99, 0.891, 1.11375: one drawdown from the peak 1.1 to 0.891 (−19 %),
//! // recovered by the fourth period.
//! let r = compute(&[0.1, -0.1, -0.1, 0.25], &ReportOptions::default()).unwrap();
//! let e = &r.drawdowns.episodes[0];
//! assert_eq!((e.start, e.trough, e.end, e.length, e.recovery), (1, 2, Some(3), 2, Some(1)));
//! assert!((e.depth.get() + 0.19).abs() < 1e-15);
//! // Four samples are too few for a 63-period window: nulls, and the reason says why.
//! assert!(r.rolling.windows[0].sharpe.iter().all(Option::is_none));
//! assert!(r.rolling.windows[0].reason.is_some());
//! ```
//!
//! Each block is computed in one pass or a small fixed number of passes over the series, in
//! O(n) memory at most; definitions are in each submodule's table:
//! [`distribution`] (moments, extremes, wins and losses, omega, tail ratio, Kelly, streaks,
//! ulcer, recovery and common-sense ratios), [`drawdowns`] (episodes), [`rolling`] (Sharpe,
//! volatility and Sortino over sliding windows, by running sums), [`relative`] (beta, alpha,
//! correlation, tracking error, information ratio, capture ratios).
//!
//! **Conventions shared by the blocks** (as the `returns` block's, `metrics` module docs):
//! P = `periods_per_year`; rf the yearly risk-free rate, `rf_pp = (1 + rf)^(1/P) − 1` per
//! period; NaN returns are dropped from every statistic and are flat periods of the equity
//! curve (they count in drawdown lengths and in the span of a rolling window); ±∞ and returns
//! below −1 are errors; standard deviations use ddof = 1; quantiles are numpy's linear ones.

pub mod distribution;
pub mod drawdowns;
pub mod relative;
pub mod rolling;

use super::drawdown::drawdowns_of;
use super::options;
use super::returns::per_period_rate;
use super::{MetricsOptions, returns_metrics, validate_returns};
use crate::error::{Code, Error};
use crate::schema::{Report, ReportConventions, ReportOptions};

/// Checks the options' values against a series of `n` returns.
///
/// # Errors
/// - `E_NOT_FINITE` at `/periods_per_year`, `/risk_free` or `/omega_required_return` for NaN
///   or ±∞;
/// - `E_INVALID_VALUE` at `/periods_per_year` when ≤ 0, at `/risk_free` or
///   `/omega_required_return` when ≤ −1, at `/rolling_windows/<i>` for a window of 0, at
///   `/benchmark` when the benchmark's length differs from the series'.
pub fn validate(opts: &ReportOptions, n: usize) -> Result<(), Error> {
    check_values(opts)?;
    check_axes(
        opts,
        n,
        opts.timestamps.is_some(),
        opts.benchmark_timestamps.is_some(),
    )
}

/// The checks of [`validate`] on the options' own values (not the series' length).
fn check_values(opts: &ReportOptions) -> Result<(), Error> {
    for (path, v) in [
        ("/periods_per_year", opts.periods_per_year),
        ("/risk_free", opts.risk_free),
        ("/omega_required_return", opts.omega_required_return),
    ] {
        options::finite(path, v)?;
    }
    options::positive_periods(opts.periods_per_year)?;
    options::yearly_rate("/risk_free", opts.risk_free, options::RISK_FREE)?;
    options::yearly_rate(
        "/omega_required_return",
        opts.omega_required_return,
        "omega's yearly required return",
    )?;
    if let Some(i) = opts.rolling_windows.iter().position(|&w| w == 0) {
        return Err(Error::new(
            Code::InvalidValue,
            format!("/rolling_windows/{i}"),
            "a rolling window must span at least 1 period, got `0`",
        )
        .with_help("give windows in periods, e.g. [63, 126, 252] for daily returns"));
    }
    Ok(())
}

/// The checks that depend on which time axes the report has: a benchmark matched by position
/// has one return per return; benchmark timestamps need a benchmark.
fn check_axes(opts: &ReportOptions, n: usize, dated: bool, bench_dated: bool) -> Result<(), Error> {
    let dated = dated && bench_dated;
    if let Some(b) = &opts.benchmark
        && b.len() != n
        && !dated
    {
        return Err(Error::new(
            Code::InvalidValue,
            "/benchmark",
            format!(
                "expected one benchmark return per return ({n}), got {}",
                b.len()
            ),
        )
        .with_help("benchmark returns are matched to the series by position"));
    }
    if bench_dated && opts.benchmark.is_none() {
        return Err(Error::new(
            Code::InvalidValue,
            "/benchmark_timestamps",
            "benchmark timestamps without a `benchmark`",
        ));
    }
    Ok(())
}

/// The report of `returns` (see the module documentation and each block's).
///
/// # Errors
/// - the errors of [`validate`];
/// - `E_NOT_FINITE` / `E_INVALID_VALUE` at `/<i>` for a return that is ±∞ or below −1, and at
///   `/benchmark/<i>` for such a benchmark return;
/// - the timestamps' errors: `E_INVALID_VALUE` at `/timestamps` (count) or `/timestamps/<i>`
///   (not RFC 3339 UTC, not increasing).
pub fn compute(returns: &[f64], opts: &ReportOptions) -> Result<Report, Error> {
    validate(opts, returns.len())?;
    let days = match &opts.timestamps {
        Some(ts) => Some(crate::time::parse_all(ts, returns.len(), "/timestamps")?),
        None => None,
    };
    let bench_days = benchmark_axis_of(opts)?;
    let axes = Axes {
        days: days.as_deref(),
        labels: opts.timestamps.as_deref(),
        benchmark_days: bench_days.as_deref(),
    };
    compute_on(returns, opts, axes)
}

/// The days of a benchmark's timestamps (`None` without them or without a benchmark, whose
/// length is `benchmark_len`).
///
/// # Errors
/// Those of [`crate::time::parse_all`] at `/benchmark_timestamps[/<i>]`.
pub fn benchmark_axis(
    benchmark_len: Option<usize>,
    timestamps: Option<&[String]>,
) -> Result<Option<Vec<f64>>, Error> {
    match (timestamps, benchmark_len) {
        (Some(t), Some(n)) => crate::time::parse_all(t, n, "/benchmark_timestamps").map(Some),
        _ => Ok(None),
    }
}

/// [`benchmark_axis`] of the options' benchmark.
fn benchmark_axis_of(opts: &ReportOptions) -> Result<Option<Vec<f64>>, Error> {
    benchmark_axis(
        opts.benchmark.as_ref().map(Vec::len),
        opts.benchmark_timestamps.as_deref(),
    )
}

/// A report's time axes, already read: the returns' days since the epoch, the strings the
/// episodes' instants are quoted from (`None`: written by [`crate::time::format`]), and the
/// benchmark's days. `opts.timestamps` and `opts.benchmark_timestamps` are not read again.
#[derive(Debug, Clone, Copy, Default)]
pub struct Axes<'a> {
    /// Days since 1970-01-01T00:00:00Z, one per return, strictly increasing.
    pub days: Option<&'a [f64]>,
    /// The returns' timestamps as the caller wrote them (same length as `days`).
    pub labels: Option<&'a [String]>,
    /// Days since the epoch, one per benchmark return, strictly increasing.
    pub benchmark_days: Option<&'a [f64]>,
}

/// [`compute`] on time axes already read (a numeric axis, a gate's parsed submission): no
/// timestamp is written out and read back.
///
/// # Errors
/// As [`compute`]; `E_INVALID_VALUE` at `/timestamps` (`/benchmark_timestamps`) when an axis'
/// length is not the returns' (the benchmark's).
pub fn compute_on(returns: &[f64], opts: &ReportOptions, axes: Axes) -> Result<Report, Error> {
    check_values(opts)?;
    check_axes(
        opts,
        returns.len(),
        axes.days.is_some(),
        axes.benchmark_days.is_some(),
    )?;
    let p = opts.periods_per_year;
    let mopts = MetricsOptions {
        periods_per_year: Some(p),
        risk_free: opts.risk_free,
        ..MetricsOptions::default()
    };
    // Validates the returns (the errors of `validate_returns`) as it computes their block.
    let own = returns_metrics(returns, &mopts)?;
    let bench = benchmark_values(opts)?;
    check_axis_lengths(&axes, returns.len(), bench.as_ref().map_or(0, Vec::len))?;
    let days = axes.days;
    let bench_days = if bench.is_some() {
        axes.benchmark_days
    } else {
        None
    };
    let rf_pp = per_period_rate(opts.risk_free, p);
    let omega_threshold = per_period_rate(opts.omega_required_return, p);
    let dd = drawdowns_of(returns);
    let distribution = distribution::block(
        returns,
        &dd,
        &own,
        &distribution::Params {
            risk_free: opts.risk_free,
            omega_threshold,
        },
    );
    let time = days.map(|d| (d, axes.labels));
    let drawdowns = drawdowns::block(&dd, time, opts.top_drawdowns);
    let rolling = rolling::block(returns, &opts.rolling_windows, p, rf_pp);
    let by_date = days.zip(bench_days);
    let relative = match (&bench, by_date) {
        (Some(b), Some((a_days, b_days))) => {
            let (own, theirs) = super::timeline::align_values(returns, a_days, b, b_days);
            Some(relative::block(&own, &theirs, p, rf_pp, &mopts)?)
        }
        (Some(b), None) => Some(relative::block(returns, b, p, rf_pp, &mopts)?),
        (None, _) => None,
    };
    let calendar = match days {
        Some(d) => Some(super::calendar::calendar(returns, d)?),
        None => None,
    };
    let alignment = bench.as_ref().map(|_| {
        if by_date.is_some() {
            "date"
        } else {
            "positional"
        }
    });
    Ok(Report {
        conventions: conventions(opts, omega_threshold, days.is_some(), alignment),
        distribution,
        drawdowns,
        rolling,
        relative,
        calendar,
    })
}

/// The benchmark of `opts` as floats (`null` read as NaN), validated.
///
/// # Errors
/// The errors of [`validate_returns`], at `/benchmark/<index>`.
fn benchmark_values(opts: &ReportOptions) -> Result<Option<Vec<f64>>, Error> {
    let bench: Option<Vec<f64>> = opts
        .benchmark
        .as_ref()
        .map(|b| b.iter().map(|x| x.map_or(f64::NAN, |n| n.get())).collect());
    if let Some(b) = &bench {
        validate_returns(b).map_err(|mut e| {
            e.path = format!("/benchmark{}", e.path);
            e
        })?;
    }
    Ok(bench)
}

/// Checks that each axis given has one entry per value: `days` and `labels` per return (of
/// `n_returns`), `benchmark_days` per benchmark return (of `n_bench`).
///
/// # Errors
/// `E_INVALID_VALUE` at `/timestamps` or `/benchmark_timestamps`, the first that differs.
fn check_axis_lengths(axes: &Axes, n_returns: usize, n_bench: usize) -> Result<(), Error> {
    let axis_len = |path: &str, got: Option<usize>, want: usize| match got {
        Some(k) if k != want => Err(Error::new(
            Code::InvalidValue,
            path,
            format!("expected one timestamp per return ({want}), got {k}"),
        )),
        _ => Ok(()),
    };
    axis_len("/timestamps", axes.days.map(<[f64]>::len), n_returns)?;
    axis_len("/timestamps", axes.labels.map(<[String]>::len), n_returns)?;
    axis_len(
        "/benchmark_timestamps",
        axes.benchmark_days.map(<[f64]>::len),
        n_bench,
    )
}

/// The report's conventions under `opts`: `dated` when the returns have a time axis,
/// `alignment` (`date` or `positional`) when there is a benchmark.
fn conventions(
    opts: &ReportOptions,
    omega_threshold: f64,
    dated: bool,
    alignment: Option<&str>,
) -> ReportConventions {
    ReportConventions {
        periods_per_year: opts.periods_per_year,
        risk_free: opts.risk_free,
        omega_required_return: opts.omega_required_return,
        omega_threshold,
        ddof: 1,
        drawdown: "compounded".to_string(),
        nan_policy: "dropped".to_string(),
        quantiles: "linear".to_string(),
        rolling_windows: opts.rolling_windows.clone(),
        top_drawdowns: opts.top_drawdowns,
        time: if dated { "days" } else { "periods" }.to_string(),
        alignment: alignment.map(str::to_string),
    }
}

/// Puts `v` into a block: the value, or `None` with the reason recorded under `name`.
pub(crate) fn put(
    reasons: &mut indexmap::IndexMap<String, String>,
    name: &str,
    v: Result<f64, String>,
) -> Option<crate::schema::Num> {
    match v {
        Ok(x) => Some(crate::schema::Num(x)),
        Err(why) => {
            reasons.insert(name.to_string(), why);
            None
        }
    }
}
