//! The `strict` profile: the quantities of QMTL's v1.5 set with sound definitions, each one
//! `null` with a reason (in `diagnostics.reasons`) where it is undefined. r are the finite
//! returns (NaN dropped; ±∞ and r < −1 are errors), n of them; P = `periods_per_year`;
//! rf_pp = (1 + rf)^(1/P) − 1 with rf the **annual** `risk_free`; x = r − rf_pp;
//! s = the sample standard deviation (ddof = 1); sums compensated. The table of every
//! difference from the `qmtl` profile is in the README ("QMTL v1.5 metrics: qmtl vs strict").
//!
//! | metric | formula | `null` when |
//! |---|---|---|
//! | `returns.sharpe_per_period` | SR = mean(x) / s(x) | n < 2; s = 0 |
//! | `returns.sharpe` | SR·√P (annualised) | as above |
//! | `returns.max_drawdown` | max_t (1 − Vₜ / max_{s≤t} V_s) on the **compounded** curve V₀ = 1, Vₜ = Vₜ₋₁(1 + rₜ); in [0, 1] | n = 0 |
//! | `returns.gain_to_pain_ratio` | Σr / \|Σ r<0\| | n = 0; no losing period |
//! | `returns.var_p01`, `es_p01` | as `qmtl` (q the interpolated 1 % quantile; var = max(−q, 0); es = max(−mean(r ≤ q), 0)) | n < 2 |
//! | `returns.time_under_water_ratio` | #(Vₜ < running peak) / n, compounded curve | n = 0 |
//! | `returns.max_time_under_water_periods` | longest run of consecutive periods with Vₜ < running peak | n = 0 |
//! | `returns.max_time_under_water_days` | with `timestamps`: ⌊longest calendar span from a peak's timestamp to the first period back at the peak (or the last timestamp)⌋ in days, the start dated by the first timestamp | no timestamps; n = 0 |
//! | `sample.effective_history_years` | n / P; with `timestamps` (n ≥ 2) Y·n/(n − 1), Y the calendar years from the first to the last timestamp (as `qmtl`'s) | n = 0 |
//! | `sample.n_trades_total` | n (periods) | n = 0 |
//! | `sample.n_trades_per_year` | P; with `timestamps` (n ≥ 2) n / `effective_history_years` = (n − 1)/Y | n = 0 |
//! | `sample.regime_coverage` | as `qmtl` | n < 2 |
//! | `robustness.probabilistic_sharpe_ratio` | Φ(SR/σ_SR), σ_SR = √((1 − G₁·SR + (K − 1)/4·SR²)/(n − 1)) with the sample skewness G₁ = g₁·√(n(n−1))/(n−2) and kurtosis K = 3 + ((n+1)g₂ + 6)(n−1)/((n−2)(n−3)), g₁ = m₃/m₂^1.5, g₂ = m₄/m₂² − 3; Φ(z) = ½·erfc(−z/√2) | n < 4; s = 0; radicand ≤ 0 |
//! | `robustness.deflated_sharpe_ratio` | Φ((SR − SR*)/σ_SR), SR* = σ_SR·((1 − γ)·z(1 − 1/T) + γ·z(1 − 1/(T·e))) for T > 1 else 0, z = Φ⁻¹ exact (AS241) | as PSR |
//! | `robustness.cv_folds`, `cv_sharpe_mean`, `cv_sharpe_std` | folds as `qmtl`; each fold's `returns.sharpe` (annualised, ddof = 1); mean and sample σ over the folds | n < 60; fewer than 2 fold values |
//! | `robustness.sharpe_first_half`, `_second_half` | `returns.sharpe` of r[..n/2], r[n/2..] | as `returns.sharpe` |
//! | `diagnostics.strategy_complexity` | 1 + ln(1 + T) | never |

use super::V15Options;
use super::qmtl::{EULER_GAMMA, folds, regime_coverage, strategy_complexity, var_es_p01};
use super::stats::{norm_cdf, ppf};
use crate::error::Error;
use crate::metrics::returns::per_period_rate;
use crate::metrics::sum::Sum;
use crate::schema::{
    MetricsProfile, V15Diagnostics, V15Metrics, V15Returns, V15Robustness, V15Sample,
};
use indexmap::IndexMap;

/// A value or why it is undefined.
type Val<T> = Result<T, String>;

/// The `strict` v1.5 metric set of `returns` on their time axis `days` (read).
///
/// # Errors
/// `E_NOT_FINITE` at `/<i>` for ±∞, `E_INVALID_VALUE` at `/<i>` for a return below −1.
pub fn compute(
    returns: &[f64],
    opts: &V15Options,
    days: Option<Vec<f64>>,
) -> Result<V15Metrics, Error> {
    crate::metrics::validate_returns(returns)?;
    let dated = days.is_some();
    // NaN periods are dropped with their timestamps.
    let keep: Vec<usize> = (0..returns.len())
        .filter(|i| returns.get(*i).is_some_and(|x| !x.is_nan()))
        .collect();
    let r: Vec<f64> = keep
        .iter()
        .filter_map(|i| returns.get(*i).copied())
        .collect();
    let days: Option<Vec<f64>> =
        days.map(|d| keep.iter().filter_map(|i| d.get(*i).copied()).collect());
    let p = opts.periods_per_year;
    let rf_pp = per_period_rate(opts.risk_free, p);
    let mut why = Reasons::default();
    Ok(V15Metrics {
        returns: returns_block(&r, days.as_deref(), rf_pp, p, &mut why),
        sample: sample_block(&r, p, days.as_deref(), &mut why),
        risk: opts.risk.clone(),
        robustness: robustness_block(&r, rf_pp, p, opts.search_intensity, &mut why),
        diagnostics: V15Diagnostics {
            search_intensity: opts.search_intensity,
            strategy_complexity: Some(strategy_complexity(opts.search_intensity)),
            metrics_profile: MetricsProfile::Strict,
            time_axis: dated.then(|| "timestamps".to_string()),
            reasons: why.0,
        },
        benchmark: opts.benchmark.clone(),
    })
}

/// The reasons for `null` metrics, by dotted path.
#[derive(Debug, Default)]
struct Reasons(IndexMap<String, String>);

impl Reasons {
    /// The value, or `None` with its reason recorded (a non-finite value included).
    fn put(&mut self, name: &str, v: Val<f64>) -> Option<f64> {
        match v {
            Ok(x) if x.is_finite() => Some(x),
            Ok(_) => self.note(name, "not a finite number".into()),
            Err(why) => self.note(name, why),
        }
    }

    fn note<T>(&mut self, name: &str, why: String) -> Option<T> {
        self.0.insert(name.to_string(), why);
        None
    }
}

/// `returns`: Sharpe (annualised and per period), compounded drawdown, gain to pain, tail,
/// time under water.
fn returns_block(
    r: &[f64],
    days: Option<&[f64]>,
    rf: f64,
    p: f64,
    why: &mut Reasons,
) -> V15Returns {
    let n = r.len();
    let sr = sharpe_per_period(r, rf);
    let curve = Curve::of(r, days);
    let (var, es) = var_es_p01(r);
    let tail = |v: Option<f64>| v.ok_or_else(|| needs(2, n));
    let has = |v: f64| if n == 0 { Err(needs(1, 0)) } else { Ok(v) };
    let periods = match n {
        0 => why.note("returns.max_time_under_water_periods", needs(1, 0)),
        _ => Some(curve.longest_periods),
    };
    V15Returns {
        sharpe: why.put("returns.sharpe", sr.clone().map(|s| s * libm::sqrt(p))),
        sharpe_per_period: why.put("returns.sharpe_per_period", sr),
        max_drawdown: why.put("returns.max_drawdown", has(curve.max_drawdown)),
        gain_to_pain_ratio: why.put("returns.gain_to_pain_ratio", gain_to_pain(r)),
        var_p01: why.put("returns.var_p01", tail(var)),
        es_p01: why.put("returns.es_p01", tail(es)),
        time_under_water_ratio: why.put(
            "returns.time_under_water_ratio",
            has(curve.under_water as f64 / n.max(1) as f64),
        ),
        max_time_under_water_days: why
            .put("returns.max_time_under_water_days", curve.days_value(n))
            .map(|d| d as u64),
        max_time_under_water_periods: periods,
    }
}

/// `sample`: history length in years and periods, regime coverage; the years from the time
/// axis when there is one.
fn sample_block(r: &[f64], p: f64, days: Option<&[f64]>, why: &mut Reasons) -> V15Sample {
    let n = r.len();
    let years = super::history_years(n, p, days).ok_or_else(|| needs(1, n));
    let dated = days.is_some() && n >= 2;
    let has = |v: f64| if n == 0 { Err(needs(1, 0)) } else { Ok(v) };
    let regime = regime_coverage(r);
    if regime.is_none() {
        why.note::<()>("sample.regime_coverage", needs(2, n));
    }
    let total = match n {
        0 => why.note("sample.n_trades_total", needs(1, 0)),
        _ => Some(n as u64),
    };
    V15Sample {
        effective_history_years: why.put("sample.effective_history_years", years.clone()),
        n_trades_total: total,
        n_trades_per_year: why.put(
            "sample.n_trades_per_year",
            if dated {
                years.map(|y| n as f64 / y)
            } else {
                has(p)
            },
        ),
        regime_coverage: regime,
    }
}

/// `robustness`: PSR, DSR, cross-validation folds, half-sample Sharpe ratios.
fn robustness_block(r: &[f64], rf: f64, p: f64, trials: u64, why: &mut Reasons) -> V15Robustness {
    let (psr, dsr) = psr_dsr(r, rf, trials);
    let (folds, cv_mean, cv_std) = match cv_sharpe(r, rf, p) {
        Ok((k, m, s)) => (Some(k), Some(m), Some(s)),
        Err(e) => {
            for k in ["cv_folds", "cv_sharpe_mean", "cv_sharpe_std"] {
                why.note::<()>(&format!("robustness.{k}"), e.clone());
            }
            (None, None, None)
        }
    };
    let (first, second) = r.split_at(r.len() / 2);
    let annual = |x: &[f64]| sharpe_per_period(x, rf).map(|s| s * libm::sqrt(p));
    V15Robustness {
        probabilistic_sharpe_ratio: why.put("robustness.probabilistic_sharpe_ratio", psr),
        deflated_sharpe_ratio: why.put("robustness.deflated_sharpe_ratio", dsr),
        cv_folds: folds,
        cv_sharpe_mean: cv_mean,
        cv_sharpe_std: cv_std,
        sharpe_first_half: why.put("robustness.sharpe_first_half", annual(first)),
        sharpe_second_half: why.put("robustness.sharpe_second_half", annual(second)),
    }
}

/// "needs at least k finite samples, got n".
fn needs(k: usize, n: usize) -> String {
    format!("needs at least {k} finite samples, got {n}")
}

/// Compensated mean and sample variance (ddof = 1) of `x − shift`, two-pass.
fn mean_var(x: &[f64], shift: f64) -> (f64, f64) {
    let n = x.len() as f64;
    let mut s = Sum::default();
    x.iter().for_each(|v| s.add(v - shift));
    let mean = s.value() / n;
    let (mut d, mut ss) = (Sum::default(), Sum::default());
    for v in x {
        let e = (v - shift) - mean;
        d.add(e);
        ss.add(e * e);
    }
    let d = d.value();
    (mean, ((ss.value() - d * d / n) / (n - 1.0)).max(0.0))
}

/// SR = mean(x − rf) / s(x − rf), per period.
pub(crate) fn sharpe_per_period(x: &[f64], rf: f64) -> Val<f64> {
    if x.len() < 2 {
        return Err(needs(2, x.len()));
    }
    let (mean, var) = mean_var(x, rf);
    // A constant series has no deviation, whatever the rounding of its mean.
    let first = x.first().copied().unwrap_or(0.0);
    if var == 0.0 || x.iter().all(|v| *v == first) {
        return Err("zero standard deviation: the returns are constant".into());
    }
    Ok(mean / libm::sqrt(var))
}

/// Σr / |Σ r<0|, compensated sums.
fn gain_to_pain(r: &[f64]) -> Val<f64> {
    if r.is_empty() {
        return Err(needs(1, 0));
    }
    let (mut all, mut losses) = (Sum::default(), Sum::default());
    for x in r {
        all.add(*x);
        if *x < 0.0 {
            losses.add(*x);
        }
    }
    let l = losses.value().abs();
    if l == 0.0 {
        return Err("no losing period".into());
    }
    Ok(all.value() / l)
}

/// The compounded curve's drawdown and time under water.
#[derive(Debug, Default)]
struct Curve {
    max_drawdown: f64,
    under_water: usize,
    longest_periods: u64,
    longest_days: Option<f64>,
}

impl Curve {
    /// V₀ = 1, Vₜ = Vₜ₋₁(1 + rₜ); drawdown 1 − V/peak. `days[t]` dates period t; the initial
    /// peak is dated `days[0]`.
    fn of(r: &[f64], days: Option<&[f64]>) -> Curve {
        let (mut v, mut peak) = (1.0f64, 1.0f64);
        let mut c = Curve {
            longest_days: days.map(|_| 0.0),
            ..Curve::default()
        };
        let day = |t: usize| days.and_then(|d| d.get(t).copied());
        let (mut run, mut peak_day) = (0u64, day(0));
        for (t, x) in r.iter().enumerate() {
            v *= 1.0 + x;
            if v < peak {
                run += 1;
                c.under_water += 1;
                c.longest_periods = c.longest_periods.max(run);
                c.max_drawdown = c.max_drawdown.max(1.0 - v / peak);
                c.stretch(peak_day, day(t));
            } else {
                if run > 0 {
                    c.stretch(peak_day, day(t));
                }
                peak = v;
                run = 0;
                peak_day = day(t);
            }
        }
        c
    }

    fn stretch(&mut self, from: Option<f64>, to: Option<f64>) {
        if let (Some(a), Some(b), Some(best)) = (from, to, self.longest_days.as_mut()) {
            *best = best.max(b - a);
        }
    }

    fn days_value(&self, n: usize) -> Val<f64> {
        match self.longest_days {
            _ if n == 0 => Err(needs(1, 0)),
            Some(d) => Ok(d.floor()),
            None => Err("needs `timestamps`: without them only periods are known (`max_time_under_water_periods`)".into()),
        }
    }
}

/// (PSR, DSR) from the per-period Sharpe ratio with sample-corrected skewness and kurtosis.
fn psr_dsr(r: &[f64], rf: f64, trials: u64) -> (Val<f64>, Val<f64>) {
    let sigma = sigma_sr(r, rf);
    let (sr, sigma) = match sigma {
        Ok(x) => x,
        Err(why) => return (Err(why.clone()), Err(why)),
    };
    let psr = norm_cdf(sr / sigma);
    let threshold = if trials > 1 {
        let t = trials as f64;
        let z1 = ppf(1.0 - 1.0 / t).unwrap_or(f64::NAN);
        let z2 = ppf(1.0 - 1.0 / (t * std::f64::consts::E)).unwrap_or(f64::NAN);
        sigma * ((1.0 - EULER_GAMMA) * z1 + EULER_GAMMA * z2)
    } else {
        0.0
    };
    (Ok(psr), Ok(norm_cdf((sr - threshold) / sigma)))
}

/// (SR, σ_SR): the per-period Sharpe ratio and its standard error under the sample skewness
/// G₁ and kurtosis K (see the module table).
fn sigma_sr(r: &[f64], rf: f64) -> Val<(f64, f64)> {
    let n = r.len();
    if n < 4 {
        return Err(needs(4, n));
    }
    let sr = sharpe_per_period(r, rf)?;
    let (mean, _) = mean_var(r, 0.0);
    let (mut m2, mut m3, mut m4) = (Sum::default(), Sum::default(), Sum::default());
    for x in r {
        let d = x - mean;
        m2.add(d * d);
        m3.add(d * d * d);
        m4.add(d * d * d * d);
    }
    let nf = n as f64;
    let (m2, m3, m4) = (m2.value() / nf, m3.value() / nf, m4.value() / nf);
    let g1 = m3 / (m2 * libm::sqrt(m2));
    let g2 = m4 / (m2 * m2) - 3.0;
    let skew = g1 * libm::sqrt(nf * (nf - 1.0)) / (nf - 2.0);
    let kurt = 3.0 + ((nf + 1.0) * g2 + 6.0) * (nf - 1.0) / ((nf - 2.0) * (nf - 3.0));
    let radicand = 1.0 - skew * sr + (kurt - 1.0) / 4.0 * sr * sr;
    if radicand.is_nan() || radicand <= 0.0 {
        return Err("the Sharpe ratio's variance estimate is not positive".into());
    }
    Ok((sr, libm::sqrt(radicand / (nf - 1.0))))
}

/// (folds, mean, sample σ) of the folds' annualised Sharpe ratios.
fn cv_sharpe(r: &[f64], rf: f64, p: f64) -> Val<(u32, f64, f64)> {
    if r.len() < 60 {
        return Err(needs(60, r.len()));
    }
    let values: Vec<f64> = folds(r.len())
        .filter_map(|range| r.get(range))
        .filter_map(|f| sharpe_per_period(f, rf).ok())
        .map(|s| s * libm::sqrt(p))
        .collect();
    if values.len() < 2 {
        return Err("fewer than 2 folds have a Sharpe ratio".into());
    }
    let (mean, var) = mean_var(&values, 0.0);
    Ok((values.len() as u32, mean, libm::sqrt(var)))
}
