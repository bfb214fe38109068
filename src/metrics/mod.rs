//! Returns → metric blocks: the `returns` block (Sharpe, drawdown, volatility, …) and the
//! `pnl` block of a long-only compounding account, with every convention explicit; the quant's
//! report (`distribution`, `drawdowns`, `rolling`, `relative`) in [`report`].
//!
//! ```
//! use worldgate::metrics::{compute, MetricsOptions};
//! let m = compute(&[0.01, -0.02, 0.015, f64::NAN, 0.005], &MetricsOptions::default()).unwrap();
//! let r = m.returns.unwrap();
//! assert_eq!((r.sample_count, r.nan_count), (4, Some(1)));
//! assert!(r.max_drawdown.unwrap().get() < 0.0);
//! // One sample: no Sharpe ratio, and the reason says why.
//! let one = compute(&[0.01], &MetricsOptions::default()).unwrap().returns.unwrap();
//! assert_eq!(one.sharpe, None);
//! assert_eq!(one.reasons["sharpe"], "needs at least 2 finite samples, got 1");
//! ```
//!
//! # Conventions
//! P = `periods_per_year`, rf = `risk_free` per year, `rf_pp = (1 + rf)^(1/P) − 1` per period,
//! n = number of finite samples, r the returns as fractions (−0.05 = −5 %).
//!
//! | metric | definition | undefined (`null` + reason) |
//! |---|---|---|
//! | `sharpe` | mean(r − rf_pp) / std(r − rf_pp, ddof=1) · √P | n < 2; zero deviation |
//! | `volatility` | std(r, ddof=1) · √P | n < 2 |
//! | `sortino` | mean(r − rf_pp) / √(Σ min(r − rf_pp, 0)² / n) · √P; `+inf` when no return is below rf_pp and the mean excess is > 0 | n < 2; no downside and zero mean excess |
//! | `max_drawdown` | min_t (Vₜ / max_{s≤t} V_s − 1) on the compounded curve V₀ = 1, Vₜ = Vₜ₋₁(1 + rₜ), the start a peak; in [−1, 0] | n = 0 |
//! | `win_rate` | #(r > 0) / #(r ≠ 0) | n = 0; every r = 0 |
//! | `profit_factor` | Σ_{r≥0} r / \|Σ_{r<0} r\|; `+inf` with gains and no losses; 0 when every r = 0 | n = 0 |
//! | `total_return` | ∏(1 + r) − 1 = expm1(Σ log1p r) | n = 0 |
//! | `cagr` | (∏(1 + r))^(P/n) − 1 = expm1(P/n · Σ log1p r); −1 after a −100 % period | n = 0 |
//! | `calmar` | cagr / \|max_drawdown\| | n = 0; no drawdown |
//! | `var` | historical: the (1 − α)-quantile of r with numpy's default linear interpolation, `h = (n − 1)(1 − α)`, `var = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋)` over the sorted r (as empyrical's `value_at_risk`); ≤ 0 for a loss | n = 0 |
//! | `cvar` | mean of the r ≤ var | n = 0 |
//! | `time_under_water` | #(periods with Vₜ < running peak) / #periods | n = 0 |
//! | `longest_drawdown` | longest run of consecutive periods with Vₜ < running peak | n = 0 |
//!
//! **NaN policy** (`conventions.nan_policy = "dropped"`): a NaN return is left out of every
//! statistic (n counts finite samples only, `cagr` annualises over n) and is a flat period of
//! the equity and PnL curves (it counts in `time_under_water`'s denominator, in drawdown runs
//! and in `pnl.sample_count`). `nan_count` reports how many were dropped.
//!
//! **Input domain**: ±∞ is an error (`E_NOT_FINITE`), a return below −1 too
//! (`E_INVALID_VALUE`: a long-only account cannot lose more than 100 %); −1 exactly is allowed
//! and ends the account (equity 0, drawdown −1 from then on).
//!
//! **Numerics**: O(n) time. One fused pass over blocks of 256 samples (`pass.rs`) validates the
//! series and gathers the curve, the moment sums and the VaR tail candidates; no allocation per
//! sample (VaR selects ranks among the returns below an estimated bound, a few percent of the
//! series, or through a key histogram when that fails); sums blocked (plain within two lanes of 128 samples)
//! and Neumaier-compensated across blocks; variance in one pass of shifted sums when that is
//! well conditioned, else two-pass, both with the correction term; series of extreme
//! magnitude (beyond 2^±400) scaled by an exact power of two so 1e300-sized returns do not
//! overflow; growth through `log1p`/`expm1` (once per block of 256 periods); drawdowns carried
//! as d or 1 + d, exact for tiny returns and deep losses alike; transcendental functions from
//! `libm`, no fused multiply-add, so native and wasm builds give bit-identical results
//! (checked on 10⁶ samples). A series held outside this memory (a JS `Float64Array`) is read
//! into one buffer a chunk of 32,768 samples at a time, each chunk gathered while in cache
//! ([`compute_chunked`]), with the same result to the bit.

pub mod calendar;
mod convert;
mod drawdown;
mod lanes;
pub(crate) mod options;
mod pass;
mod pnl;
#[cfg(feature = "engine")]
pub mod report;
mod returns;
mod sum;
mod tail;
pub mod timeline;
#[cfg(feature = "engine")]
pub mod v15;

pub use convert::{ReturnKind, returns_from_equity, returns_from_prices};
pub use drawdown::{drawdown_curve, equity_curve};
pub use options::MetricsOptions;
#[cfg(feature = "engine")]
pub use v15::{V15Options, compute_v15, compute_v15_on};

use crate::error::Error;
use crate::schema::{Conventions, EvaluationMetrics, Num, PnlMetrics, ReturnsMetrics};
use indexmap::IndexMap;
use pass::Scan;
use returns::{Moments, Range, no_samples};

/// Checks that a returns series is in the metrics' domain: NaN allowed (dropped), no ±∞, no
/// return below −1.
///
/// # Errors
/// At `/<index>` of the first offending sample: `E_NOT_FINITE` for ±∞, `E_INVALID_VALUE` for a
/// return below −1.
pub fn validate_returns(returns: &[f64]) -> Result<(), Error> {
    Range::of(returns).map(|_| ())
}

/// The `returns` and `pnl` blocks of a returns series (`risk`, `gating` and `custom` are left
/// empty for the caller).
///
/// With `timestamps` or an `index` in the options, the time axis supplies the defaults of
/// `periods_per_year` and `window` ([`timeline`]).
///
/// # Errors
/// - the errors of [`MetricsOptions::validate`] (paths `/periods_per_year`, …);
/// - the errors of [`timeline::time_axis`] (`/timestamps/<i>`, `/index/…`, `""` for both);
/// - `E_INVALID_VALUE` at `/periods_per_year` when it disagrees with the time axis
///   ([`timeline::check_periods_per_year`]);
/// - the errors of [`validate_returns`] (paths `/<index>`).
pub fn compute(returns: &[f64], opts: &MetricsOptions) -> Result<EvaluationMetrics, Error> {
    compute_on(returns, opts, time_axis(returns.len(), opts)?.as_deref())
}

/// [`compute`] on the options' time axis already read to `days` (one per return, strictly
/// increasing: what [`timeline::time_axis`] gives, or a numeric axis read by
/// [`crate::time::parse_all_ms`]); the options' own `timestamps` and `index` are not read again.
///
/// # Errors
/// As [`compute`], without the time axis' own.
pub fn compute_on(
    returns: &[f64],
    opts: &MetricsOptions,
    days: Option<&[f64]>,
) -> Result<EvaluationMetrics, Error> {
    let (resolved, rf_pp) = on_axis(opts, days)?;
    let opts = &*resolved;
    let scan = pass::full(returns, rf_pp, opts.var_level)?;
    let pnl = pnl::block(&scan.curve, opts);
    Ok(EvaluationMetrics {
        returns: Some(returns_block(returns, scan, opts)),
        pnl: Some(pnl),
        ..EvaluationMetrics::default()
    })
}

/// [`compute_on`] of a series of `len` returns that `read(start, out)` copies in, a chunk at a
/// time (`out` the samples `start..start + out.len()`; every sample is read at least once, in
/// order): for a caller whose series is outside this memory (a JS `Float64Array` read into
/// wasm), so it is read once, each chunk gathered while in cache, without a copy of the whole.
/// The same result as [`compute_on`] of the whole series, to the bit: the rare series whose
/// statistics need a second look (a variance that needs a second pass, magnitudes beyond
/// 2^±400, a VaR window not resolved, a short series) are read whole and computed by
/// [`compute_on`].
///
/// # Errors
/// As [`compute_on`].
pub fn compute_chunked(
    len: usize,
    read: &mut dyn FnMut(usize, &mut [f64]),
    opts: &MetricsOptions,
    days: Option<&[f64]>,
) -> Result<EvaluationMetrics, Error> {
    {
        let (resolved, rf_pp) = on_axis(opts, days)?;
        let opts = &*resolved;
        if let Some(scan) = pass::full_chunked(len, read, rf_pp, opts.var_level)? {
            let curve = scan.curve;
            if let Some(block) = returns_block_fast(scan, opts) {
                return Ok(EvaluationMetrics {
                    returns: Some(block),
                    pnl: Some(pnl::block(&curve, opts)),
                    ..EvaluationMetrics::default()
                });
            }
        }
    }
    let mut whole = vec![0.0; len];
    read(0, &mut whole);
    compute_on(&whole, opts, days)
}

/// `opts` on the time axis `days` (the periods per year and window it implies, when given),
/// checked, and the per-period risk-free rate they give.
///
/// # Errors
/// The axis' disagreement with the options, and the options' own errors.
fn on_axis<'o>(
    opts: &'o MetricsOptions,
    days: Option<&[f64]>,
) -> Result<(std::borrow::Cow<'o, MetricsOptions>, f64), Error> {
    let opts = match days {
        Some(d) => std::borrow::Cow::Owned(with_time_axis(opts, d)?),
        None => std::borrow::Cow::Borrowed(opts),
    };
    opts.validate()?;
    let rf_pp = returns::per_period_rate(opts.risk_free, opts.periods());
    Ok((opts, rf_pp))
}

/// The `returns` block alone (see the module documentation for every definition).
///
/// # Errors
/// As [`compute`].
pub fn returns_metrics(returns: &[f64], opts: &MetricsOptions) -> Result<ReturnsMetrics, Error> {
    let days = time_axis(returns.len(), opts)?;
    let (resolved, rf_pp) = on_axis(opts, days.as_deref())?;
    let opts = &*resolved;
    let scan = pass::full(returns, rf_pp, opts.var_level)?;
    Ok(returns_block(returns, scan, opts))
}

/// The `pnl` block alone (see [`pnl`](self) conventions in the module documentation).
///
/// # Errors
/// As [`compute`].
pub fn pnl_metrics(returns: &[f64], opts: &MetricsOptions) -> Result<PnlMetrics, Error> {
    opts.validate()?;
    Ok(pnl::block(&pass::curve(returns)?, opts))
}

/// The options' time axis (`timestamps` or `index`) of `n` returns as days, `None` without one
/// (the errors of [`timeline::time_axis`]).
fn time_axis(n: usize, opts: &MetricsOptions) -> Result<Option<Vec<f64>>, Error> {
    timeline::time_axis(opts.timestamps.as_deref(), opts.index.as_ref(), n, "")
}

/// The options with `periods_per_year` and `window` filled in from the time axis `days` (and
/// the axis itself dropped).
fn with_time_axis(opts: &MetricsOptions, days: &[f64]) -> Result<MetricsOptions, Error> {
    let implied = timeline::implied_periods_per_year(Some(days), opts.index.as_ref());
    // Intraday spacing implies P only when none is given: trading sessions vary.
    let checked = match (&opts.index, implied) {
        (None, Some(p)) if p > 365.0 => None,
        _ => implied,
    };
    if let Some(given) = opts.periods_per_year {
        timeline::check_periods_per_year(given, checked, "/periods_per_year")?;
    }
    Ok(MetricsOptions {
        periods_per_year: opts.periods_per_year.or(implied),
        risk_free: opts.risk_free,
        window: opts.window.clone().or_else(|| timeline::window_of(days)),
        source: opts.source,
        initial_capital: opts.initial_capital,
        reference_currency: opts.reference_currency.clone(),
        var_level: opts.var_level,
        timestamps: None,
        index: None,
    })
}

/// The conventions recorded in every computed returns block.
pub fn conventions(opts: &MetricsOptions) -> Conventions {
    Conventions {
        periods_per_year: opts.periods(),
        risk_free: opts.risk_free,
        var_level: opts.var_level,
        ddof: 1,
        drawdown: "compounded".to_string(),
        nan_policy: "dropped".to_string(),
    }
}

fn returns_block(returns: &[f64], scan: Scan, opts: &MetricsOptions) -> ReturnsMetrics {
    let rf_pp = returns::per_period_rate(opts.risk_free, opts.periods());
    let Scan {
        range,
        curve,
        sums,
        window,
    } = scan;
    // The pass's fast paths, else the careful (scaled, multi-pass) ones.
    let m = Moments::from_sums(Some(returns), range, &sums, rf_pp)
        .unwrap_or_else(|| Moments::of(returns, range, rf_pp));
    let tail = (fast_tail(&m, range)
        .then(|| window.finish(range.n, opts.var_level))
        .flatten())
    .or_else(|| tail::var_cvar_in(returns, range.n, range.lo, opts.var_level))
    .ok_or_else(no_samples);
    assemble(m, tail, curve, opts)
}

/// [`returns_block`] from the pass's fast paths alone (a scan of [`pass::full_chunked`]);
/// `None` when a careful path needs the whole series.
#[inline(never)]
fn returns_block_fast(scan: Scan, opts: &MetricsOptions) -> Option<ReturnsMetrics> {
    let rf_pp = returns::per_period_rate(opts.risk_free, opts.periods());
    let Scan {
        range,
        curve,
        sums,
        window,
    } = scan;
    let m = Moments::from_sums(None, range, &sums, rf_pp)?;
    let tail = fast_tail(&m, range)
        .then(|| window.finish(range.n, opts.var_level))
        .flatten()?;
    Some(assemble(m, Ok(tail), curve, opts))
}

/// Whether the VaR window's unscaled sums hold for the series.
fn fast_tail(m: &Moments, range: Range) -> bool {
    m.scale == 1.0 && range.lo.abs().max(range.hi.abs()) <= returns::FAST_MAX
}

/// The returns block from its moments, VaR/CVaR (or why there are none) and curve.
fn assemble(
    m: Moments,
    tail: Result<(f64, f64), String>,
    curve: drawdown::CurveStats,
    opts: &MetricsOptions,
) -> ReturnsMetrics {
    let p = opts.periods();
    let n = m.n;
    let mut reasons = IndexMap::new();
    let mut put = |name: &str, v: Result<f64, String>| match v {
        Ok(x) => Some(Num(x)),
        Err(why) => {
            reasons.insert(name.to_string(), why);
            None
        }
    };
    let has = |v: f64| if n == 0 { Err(no_samples()) } else { Ok(v) };

    let max_drawdown = has(curve.max_drawdown);
    let cagr = has(if curve.ruined {
        -1.0
    } else {
        libm::expm1(curve.log_growth * (p / n as f64))
    });
    let calmar = match (&cagr, &max_drawdown) {
        (Err(why), _) | (_, Err(why)) => Err(why.clone()),
        (Ok(_), Ok(dd)) if *dd == 0.0 => Err("no drawdown".to_string()),
        (Ok(c), Ok(dd)) => Ok(c / dd.abs()),
    };
    let total_return = has(if curve.ruined {
        -1.0
    } else {
        libm::expm1(curve.log_growth)
    });
    let periods = curve.periods as f64;

    let sharpe = put("sharpe", m.sharpe(p));
    let max_drawdown = put("max_drawdown", max_drawdown);
    let volatility = put("volatility", m.volatility(p));
    let win_rate = put("win_rate", m.win_rate());
    let profit_factor = put("profit_factor", m.profit_factor());
    let sortino = put("sortino", m.sortino(p));
    let calmar = put("calmar", calmar);
    let cagr = put("cagr", cagr);
    let total_return = put("total_return", total_return);
    let var = put("var", tail.clone().map(|t| t.0));
    let cvar = put("cvar", tail.map(|t| t.1));
    let time_under_water = put(
        "time_under_water",
        has(curve.under_water as f64 / periods.max(1.0)),
    );
    let longest_drawdown = put("longest_drawdown", has(0.0)).map(|_| curve.longest_drawdown);
    ReturnsMetrics {
        sample_count: n,
        window: opts.window.clone(),
        source: opts.source,
        sharpe,
        max_drawdown,
        volatility,
        win_rate,
        profit_factor,
        sortino,
        calmar,
        cagr,
        total_return,
        var,
        cvar,
        time_under_water,
        longest_drawdown,
        nan_count: Some(curve.periods - n),
        conventions: Some(conventions(opts)),
        reasons,
    }
}
