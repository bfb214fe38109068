//! The `qmtl` profile: QMTL's v1.5 metric set exactly as QMTL computes it (commit `fc06bd8`:
//! `build_v1_evaluation_metrics` in the SDK, then WorldService's `augment_advanced_metrics`),
//! its conventions and quirks included. Every formula below is QMTL's; r are the returns with
//! NaN and ±∞ dropped (n of them), P = `periods_per_year`, rf = `risk_free` **per period**,
//! T = `search_intensity`.
//!
//! | metric | formula (QMTL) | `null` when |
//! |---|---|---|
//! | `returns.sharpe` | mean(r − rf) / pstdev(r − rf), per period, left-to-right sums; **0.0** when σ = 0 or n = 0 | never |
//! | `returns.max_drawdown` | \|min_t (Eₜ − max_{s≤t} E_s)\| on the **additive** curve E₀ = 0, Eₜ = Eₜ₋₁ + rₜ | never (0.0 for n = 0) |
//! | `returns.gain_to_pain_ratio` | Σr / \|Σ r<0\| | n = 0, no loss |
//! | `returns.time_under_water_ratio` | #(Eₜ < running peak, peak from 0) / n | n = 0 |
//! | `returns.var_p01`, `es_p01` | q = quantile(r, 0.01) (index (n−1)·0.01, linear); var = max(−q, 0); es = max(−fmean(r ≤ q), 0) | n < 2 |
//! | `returns.max_time_under_water_days` | longest run of periods with Eₜ < peak (peak moves when Eₜ ≥ peak): **periods**, not days. With `timestamps`: ⌊the longest span in days from a peak's timestamp (the initial peak E₀ = 0 dated by the first timestamp) to the first timestamp back at the peak (or the last timestamp while under water)⌋ | n = 0 |
//! | `sample.effective_history_years` | n / P. With `timestamps` (n ≥ 2): Y·n/(n − 1), Y the calendar years from the first to the last timestamp (`calendar_years`: whole years by the calendar, the rest as a fraction of the year it falls in, so a leap year counts 366 days) | n = 0 |
//! | `sample.n_trades_total` | n | n = 0 |
//! | `sample.n_trades_per_year` | n / (n / P). With `timestamps` (n ≥ 2): n / `effective_history_years` = (n − 1)/Y | n = 0 |
//! | `sample.regime_coverage` | σₜ = pstdev of the trailing 20 returns (0.0 below 2); fractions of σₜ ≤ q(1/3), > q(2/3), else mid | n < 2 |
//! | `robustness.sharpe_first_half`, `_second_half` | `returns.sharpe` on r[..n/2], r[n/2..] | never |
//! | `robustness.deflated_sharpe_ratio` | σ_SR = √((1 − γ₃·SR + (γ₄ − 1)/4·SR²)/(n − 1)) with population γ₃, γ₄ (sums left to right); SR* = σ_SR·((1 − γ)·z(1 − 1/T) + γ·z(1 − 1/(T·e))) for T > 1 (Acklam's z with QMTL's sign error in the tails: z(p) < 0 for p > 0.97575, so SR* < 0 and DSR > PSR from T = 42 on), else 0; clamp(Φ((SR − SR*)/σ_SR), 0, 1), Φ(z) = ½(1 + erf(z/√2)) | n < 2, m₂ = 0, radicand ≤ 0 |
//! | `robustness.probabilistic_sharpe_ratio` | clamp(Φ(SR/σ_SR), 0, 1), moments by `fmean` (exactly rounded sums) | as DSR |
//! | `robustness.cv_folds`, `cv_sharpe_mean`, `cv_sharpe_std` | k = min(5, ⌊n/30⌋) contiguous folds of ⌊n/k⌋ (the last takes the rest); each fold fmean/pstdev·√P (**annualised**); fmean and pstdev over the folds | n < 60, fewer than 2 fold values |
//! | `diagnostics.strategy_complexity` | 1 + ln(1 + T) | never |
//!
//! **Timestamps.** QMTL has no time axis: it counts periods and divides by P. With `timestamps`
//! (one RFC 3339 UTC instant per return, strictly increasing; a non-finite return's is dropped
//! with it), the three calendar-based fields come from the dates instead, as in the table:
//! each return stands for one period, so n returns span n periods of which their timestamps
//! show n − 1 (hence Y·n/(n − 1)); with fewer than two finite returns the span is unknown and
//! the fields stay QMTL's. `diagnostics.time_axis` is `"timestamps"` then, so the document says
//! which definitions it holds. Without `timestamps` every number (and key) is QMTL's exactly.
//!
//! `pstdev` is Python's `statistics.pstdev`, exactly rounded: here the two-pass deviation
//! from the exactly rounded mean with exactly rounded sums (a constant series gives exactly 0),
//! within an ulp or two of it.

use super::V15Options;
use super::stats::{acklam_ppf, dd_sum, fsum, naive_sum, norm_cdf_erf, quantile_select};
use crate::schema::{
    MetricsProfile, RegimeCoverage, V15Diagnostics, V15Metrics, V15Returns, V15Robustness,
    V15Sample,
};

/// γ, the Euler–Mascheroni constant (QMTL's `_EULER_MASCHERONI`).
pub(crate) const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

/// QMTL's v1.5 metric set of `returns` (NaN and ±∞ dropped, as QMTL does, with their
/// `days`, the time axis read); every input QMTL accepts gives a document.
pub fn compute(returns: &[f64], opts: &V15Options, days: Option<Vec<f64>>) -> V15Metrics {
    let dated = days.is_some();
    let (r, days) = super::finite_dated(returns, days, |x| x.is_finite());
    let (p, rf) = (opts.periods_per_year, opts.risk_free);
    let n = r.len();
    let sharpe = sharpe(&r, rf);
    let (first, second) = r.split_at(n / 2);
    let (var_p01, es_p01) = var_es_p01(&r);
    let years = super::history_years(n, p, days.as_deref());
    let dsr = sdk_dsr(&r, sharpe, opts.search_intensity);
    let psr_sharpe = if sharpe.is_finite() {
        Some(sharpe)
    } else {
        simple_sharpe(&r, p)
    };
    let psr = psr_sharpe.and_then(|s| psr(&r, s));
    let (cv_folds, cv_sharpe_mean, cv_sharpe_std) = cv_sharpe(&r, p);
    V15Metrics {
        returns: V15Returns {
            sharpe: Some(sharpe).filter(|s| s.is_finite()),
            max_drawdown: Some(additive_max_drawdown(&r).abs()),
            gain_to_pain_ratio: gain_to_pain(&r),
            var_p01,
            es_p01,
            time_under_water_ratio: time_under_water_ratio(&r),
            max_time_under_water_days: match days.as_deref() {
                Some(d) if n > 0 => Some(max_time_under_water_days(&r, d)),
                _ => max_time_under_water(&r),
            },
            ..V15Returns::default()
        },
        sample: V15Sample {
            effective_history_years: years,
            n_trades_total: (n > 0).then_some(n as u64),
            n_trades_per_year: years.map(|y| n as f64 / y).filter(|x| x.is_finite()),
            regime_coverage: regime_coverage(&r),
        },
        risk: opts.risk.clone(),
        robustness: V15Robustness {
            probabilistic_sharpe_ratio: psr,
            deflated_sharpe_ratio: dsr,
            cv_folds,
            cv_sharpe_mean,
            cv_sharpe_std,
            sharpe_first_half: Some(self::sharpe(first, rf)).filter(|s| s.is_finite()),
            sharpe_second_half: Some(self::sharpe(second, rf)).filter(|s| s.is_finite()),
        },
        diagnostics: V15Diagnostics {
            search_intensity: opts.search_intensity,
            strategy_complexity: Some(strategy_complexity(opts.search_intensity)),
            metrics_profile: MetricsProfile::Qmtl,
            time_axis: dated.then(|| "timestamps".to_string()),
            reasons: Default::default(),
        },
        benchmark: opts.benchmark.clone(),
    }
}

/// mean(r − rf) / pstdev(r − rf) with left-to-right sums; 0.0 when n = 0 or σ = 0.
pub(crate) fn sharpe(r: &[f64], rf: f64) -> f64 {
    if r.is_empty() {
        return 0.0;
    }
    let n = r.len() as f64;
    let mean = naive_sum(r.iter().map(|x| x - rf)) / n;
    let var = naive_sum(r.iter().map(|x| {
        let d = (x - rf) - mean;
        d * d
    })) / n;
    let sd = libm::sqrt(var);
    if sd != 0.0 { mean / sd } else { 0.0 }
}

/// min_t (Eₜ − running max) on the additive curve from 0 (≤ 0).
fn additive_max_drawdown(r: &[f64]) -> f64 {
    let (mut equity, mut peak, mut dd) = (0.0f64, 0.0f64, 0.0f64);
    for x in r {
        equity += x;
        peak = peak.max(equity);
        dd = dd.min(equity - peak);
    }
    dd
}

/// Σr / |Σ r<0| (left-to-right sums); `None` for n = 0, no loss or a non-finite ratio.
pub(crate) fn gain_to_pain(r: &[f64]) -> Option<f64> {
    let losses = naive_sum(r.iter().copied().filter(|x| *x < 0.0)).abs();
    if r.is_empty() || losses <= 0.0 {
        return None;
    }
    Some(naive_sum(r.iter().copied()) / losses).filter(|x| x.is_finite())
}

/// #(Eₜ < running peak) / n on the additive curve.
fn time_under_water_ratio(r: &[f64]) -> Option<f64> {
    if r.is_empty() {
        return None;
    }
    let (mut equity, mut peak, mut under) = (0.0f64, 0.0f64, 0usize);
    for x in r {
        equity += x;
        peak = peak.max(equity);
        under += usize::from(equity < peak);
    }
    Some(under as f64 / r.len() as f64)
}

/// The longest run of periods below the additive curve's peak.
fn max_time_under_water(r: &[f64]) -> Option<u64> {
    if r.is_empty() {
        return None;
    }
    let (mut equity, mut peak, mut current, mut longest) = (0.0f64, 0.0f64, 0u64, 0u64);
    for x in r {
        equity += x;
        if equity < peak {
            current += 1;
            longest = longest.max(current);
        } else {
            peak = equity;
            current = 0;
        }
    }
    Some(longest)
}

/// With `days` (one per return): ⌊the longest span in days from a peak of the additive curve
/// (the initial E₀ = 0 dated `days[0]`) to the first period back at it (Eₜ ≥ peak), or to the
/// last period while under water⌋; 0 when never under water.
fn max_time_under_water_days(r: &[f64], days: &[f64]) -> u64 {
    let (mut equity, mut peak, mut under) = (0.0f64, 0.0f64, false);
    let mut peak_day = days.first().copied().unwrap_or(0.0);
    let mut longest = 0.0f64;
    for (x, &day) in r.iter().zip(days) {
        equity += x;
        if equity < peak {
            under = true;
            longest = longest.max(day - peak_day);
        } else {
            if under {
                longest = longest.max(day - peak_day);
            }
            peak = equity;
            peak_day = day;
            under = false;
        }
    }
    longest.floor() as u64
}

/// (var, es) at 1 %: q the interpolated 1 % quantile; var = −q if q < 0 else 0; es = −fmean(r ≤ q)
/// if that mean is < 0 else 0. `(None, None)` for n < 2.
pub(crate) fn var_es_p01(r: &[f64]) -> (Option<f64>, Option<f64>) {
    if r.len() < 2 {
        return (None, None);
    }
    let Some(q) = quantile_select(&mut r.to_vec(), 0.01) else {
        return (None, None);
    };
    let var = if q < 0.0 { -q } else { 0.0 };
    let tail: Vec<f64> = r.iter().copied().filter(|x| *x <= q).collect();
    let es_raw = fmean(&tail);
    let es = es_raw.map(|m| if m < 0.0 { -m } else { 0.0 });
    (
        Some(var).filter(|v| v.is_finite()),
        es.filter(|v| v.is_finite()),
    )
}

/// Fractions of periods in the low / mid / high tercile of the trailing 20-period population
/// σ (0.0 while fewer than 2 returns); `None` for n < 2. Each σ from double-double sums, so
/// windows holding the same values in another order get the same σ and tie as in Python.
pub(crate) fn regime_coverage(r: &[f64]) -> Option<RegimeCoverage> {
    if r.len() < 2 {
        return None;
    }
    let vols: Vec<f64> = (0..r.len())
        .map(|i| {
            let window = r.get(i.saturating_sub(19)..=i).unwrap_or_default();
            if window.len() < 2 {
                0.0
            } else {
                pstdev_window(window)
            }
        })
        .collect();
    let q33 = quantile_select(&mut vols.clone(), 1.0 / 3.0)?;
    let q66 = quantile_select(&mut vols.clone(), 2.0 / 3.0)?;
    let (mut low, mut high) = (0usize, 0usize);
    for v in &vols {
        if *v <= q33 {
            low += 1;
        } else if *v > q66 {
            high += 1;
        }
    }
    let total = vols.len() as f64;
    Some(RegimeCoverage {
        low_vol: low as f64 / total,
        mid_vol: (vols.len() - low - high) as f64 / total,
        high_vol: high as f64 / total,
    })
}

/// `statistics.fmean`: the exactly rounded sum over n; `None` when empty.
pub(crate) fn fmean(x: &[f64]) -> Option<f64> {
    (!x.is_empty()).then(|| fsum(x.iter().copied()) / x.len() as f64)
}

/// `statistics.pstdev` (population σ), from exactly rounded sums; exactly 0 for a constant
/// series. `None` when empty.
pub(crate) fn pstdev(x: &[f64]) -> Option<f64> {
    let c = fmean(x)?;
    if x.iter().all(|v| *v == x.first().copied().unwrap_or(0.0)) {
        return Some(0.0);
    }
    let n = x.len() as f64;
    let s = fsum(x.iter().map(|v| v - c));
    let ss = fsum(x.iter().map(|v| (v - c) * (v - c)));
    Some(libm::sqrt((ss - s * s / n).max(0.0) / n))
}

/// [`pstdev`] of a short rolling window with double-double sums ([`dd_sum`]): the same
/// terms as `pstdev`, summed to ~106 bits, so windows holding the same values in another order
/// give the same σ (as Python's exact `pstdev`); exactly 0 for a constant window.
fn pstdev_window(x: &[f64]) -> f64 {
    let first = x.first().copied().unwrap_or(0.0);
    if x.iter().all(|v| *v == first) {
        return 0.0;
    }
    let n = x.len() as f64;
    let c = dd_sum(x.iter().copied()) / n;
    let s = dd_sum(x.iter().map(|v| v - c));
    let ss = dd_sum(x.iter().map(|v| (v - c) * (v - c)));
    libm::sqrt((ss - s * s / n).max(0.0) / n)
}

/// (γ₃, γ₄): population skewness and kurtosis (not excess), every mean taken with `sum`
/// (left to right for the SDK's DSR, exactly rounded for WorldService's PSR) over n;
/// `None` for n < 2, m₂ ≤ 0 or non-finite values. `d³` and `d⁴` are products (within an ulp
/// of Python's `d**3`, `d**4`).
fn moments(x: &[f64], sum: fn(&mut dyn Iterator<Item = f64>) -> f64) -> Option<(f64, f64)> {
    if x.len() < 2 {
        return None;
    }
    let n = x.len() as f64;
    let mu = sum(&mut x.iter().copied()) / n;
    let m2 = sum(&mut x.iter().map(|v| (v - mu) * (v - mu))) / n;
    if m2.is_nan() || m2 <= 0.0 {
        return None;
    }
    let sigma = libm::sqrt(m2);
    let m3 = sum(&mut x.iter().map(|v| (v - mu) * (v - mu) * (v - mu))) / n;
    let m4 = sum(&mut x.iter().map(|v| {
        let d2 = (v - mu) * (v - mu);
        d2 * d2
    })) / n;
    let skew = m3 / libm::pow(sigma, 3.0);
    let kurt = m4 / libm::pow(sigma, 4.0);
    (skew.is_finite() && kurt.is_finite()).then_some((skew, kurt))
}

fn sum_left_to_right(x: &mut dyn Iterator<Item = f64>) -> f64 {
    naive_sum(x)
}

fn sum_exactly_rounded(x: &mut dyn Iterator<Item = f64>) -> f64 {
    fsum(x)
}

/// σ_SR = √((1 − γ₃·SR + (γ₄ − 1)/4·SR²)/(n − 1)); `None` when the radicand is ≤ 0.
fn sigma_sr(n: usize, (skew, kurt): (f64, f64), sharpe: f64) -> Option<f64> {
    let numerator = 1.0 - skew * sharpe + ((kurt - 1.0) / 4.0) * (sharpe * sharpe);
    if numerator.is_nan() || numerator <= 0.0 {
        return None;
    }
    let s = libm::sqrt(numerator / (n as f64 - 1.0));
    (s > 0.0 && s.is_finite()).then_some(s)
}

/// The SDK's deflated Sharpe ratio (moments with left-to-right sums).
fn sdk_dsr(r: &[f64], sharpe: f64, trials: u64) -> Option<f64> {
    let sharpe = if sharpe.is_finite() { sharpe } else { 0.0 };
    let sigma = sigma_sr(r.len(), moments(r, sum_left_to_right)?, sharpe)?;
    let mut threshold = 0.0;
    if trials > 1 {
        let t = trials as f64;
        let z1 = acklam_ppf(1.0 - 1.0 / t);
        let z2 = acklam_ppf(1.0 - 1.0 / (t * std::f64::consts::E));
        if let (Some(z1), Some(z2)) = (z1, z2) {
            threshold = sigma * ((1.0 - EULER_GAMMA) * z1 + EULER_GAMMA * z2);
        }
    }
    let prob = norm_cdf_erf((sharpe - threshold) / sigma);
    prob.is_finite().then(|| prob.clamp(0.0, 1.0))
}

/// WorldService's probabilistic Sharpe ratio against 0 (moments by `fmean`).
fn psr(r: &[f64], sharpe: f64) -> Option<f64> {
    let sigma = sigma_sr(r.len(), moments(r, sum_exactly_rounded)?, sharpe)?;
    let prob = norm_cdf_erf(sharpe / sigma);
    prob.is_finite().then(|| prob.clamp(0.0, 1.0))
}

/// WorldService's `_simple_sharpe`: fmean / pstdev · √P; `None` for n < 2 or σ = 0.
fn simple_sharpe(r: &[f64], p: f64) -> Option<f64> {
    if r.len() < 2 {
        return None;
    }
    let sd = pstdev(r)?;
    if sd.is_nan() || sd <= 0.0 {
        return None;
    }
    Some(fmean(r)? / sd * libm::sqrt(p)).filter(|s| s.is_finite())
}

/// (folds, mean, σ) of the folds' annualised Sharpe ratios; all `None` for n < 60 or fewer than
/// 2 fold values.
pub(crate) fn cv_sharpe(r: &[f64], p: f64) -> (Option<u32>, Option<f64>, Option<f64>) {
    let values: Vec<f64> = folds(r.len())
        .filter_map(|range| r.get(range).and_then(|f| simple_sharpe(f, p)))
        .collect();
    if values.len() < 2 {
        return (None, None, None);
    }
    let mean = fmean(&values).filter(|m| m.is_finite());
    let std = pstdev(&values).filter(|s| s.is_finite());
    (Some(values.len() as u32), mean, std)
}

/// The cross-validation folds of n periods: none below 60; else k = min(5, ⌊n/30⌋) contiguous
/// folds of ⌊n/k⌋ periods, the last one taking the remainder.
pub(crate) fn folds(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let k = if n < 60 { 0 } else { (n / 30).min(5) };
    let size = n.checked_div(k).unwrap_or(0);
    (0..k).map(move |i| {
        let start = i * size;
        let end = if i + 1 == k { n } else { (i + 1) * size };
        start..end
    })
}

/// 1 + ln(1 + T).
pub(crate) fn strategy_complexity(trials: u64) -> f64 {
    1.0 + libm::log1p(trials as f64)
}
