//! `distribution`: the shape of the return distribution, win/loss statistics, streaks and the
//! drawdown-based ratios.
//!
//! n = number of finite returns, r̄ their mean, m_k = Σ (r − r̄)^k / n the central moments,
//! τ = `conventions.omega_threshold` (per period), dₜ the drawdown of period t (of all N
//! periods, NaN ones included: flat) on the compounded curve, rf the yearly risk-free rate.
//!
//! | quantity | definition | `null` (+ reason) when |
//! |---|---|---|
//! | `skewness` | G₁ = g₁ · √(n(n − 1)) / (n − 2), the bias-corrected sample skewness (pandas' `skew`, `scipy.stats.skew(bias=False)`) | n < 3; constant returns |
//! | `skewness_population` | g₁ = m₃ / m₂^(3/2) (`scipy.stats.skew`) | n < 2; constant returns |
//! | `excess_kurtosis` | G₂ = ((n + 1) g₂ + 6)(n − 1) / ((n − 2)(n − 3)), the bias-corrected sample excess kurtosis (pandas' `kurt`) | n < 4; constant returns |
//! | `excess_kurtosis_population` | g₂ = m₄ / m₂² − 3 (`scipy.stats.kurtosis`) | n < 2; constant returns |
//! | `best`, `worst` | max r, min r | n = 0 |
//! | `mean_win`, `mean_loss` | mean of the r > 0, of the r < 0 | no such return |
//! | `payoff_ratio` | mean_win / \|mean_loss\| | no win or no loss |
//! | `omega` | Σ max(r − τ, 0) / Σ max(τ − r, 0); `+inf` when no return is below τ and one is above | n = 0; every r = τ |
//! | `tail_ratio` | \|q(0.95)\| / \|q(0.05)\|, q the linear quantile of the r (h = (n − 1)·q) | n = 0; q(0.05) = 0 |
//! | `kelly` | (payoff_ratio · w − (1 − w)) / payoff_ratio, w = #(r > 0) / #(r ≠ 0) (quantstats' `kelly_criterion`) | payoff_ratio null |
//! | `max_consecutive_wins`, `_losses` | longest run of consecutive periods with r > 0 (r < 0); a period with r = 0 or NaN breaks a run | n = 0 |
//! | `ulcer_index` | √(Σₜ dₜ² / N) (fractions, not percent) | n = 0 |
//! | `ulcer_performance_index` | (cagr − rf) / ulcer_index (Martin's UPI) | ulcer_index null or 0 |
//! | `recovery_factor` | total_return / \|max_drawdown\| (compounded) | no drawdown |
//! | `common_sense_ratio` | profit_factor · tail_ratio | either null; +inf · 0 |
//!
//! `cagr`, `total_return`, `max_drawdown` and `profit_factor` are the `returns` block's.
//!
//! Numerics: three passes over the returns (range; sums of the scaled returns, win/loss and
//! omega sums and streaks; central moments about the mean), each compensated (Neumaier) and
//! divided by a power of two near the largest magnitude, so 1e300-sized returns neither
//! overflow nor lose their moments; the second-moment sum carries the correction term
//! (Σd² − (Σd)²/n) for the mean's rounding. A series whose finite values are all equal has
//! zero deviation exactly (no skewness, no kurtosis). The two quantiles select ranks among the
//! returns (O(n) expected time, at most one copy of the series).

use super::super::sum::{Sum, pow2_scale};
use super::super::tail::ranks;
use super::put;
use crate::schema::{DistributionMetrics, Num, ReturnsMetrics};
use indexmap::IndexMap;

/// What the block needs besides the series.
pub(crate) struct Params {
    /// The yearly risk-free rate (UPI's rf).
    pub risk_free: f64,
    /// τ, omega's per-period threshold.
    pub omega_threshold: f64,
}

/// A statistic, or why it is undefined.
type Stat = Result<f64, String>;

/// The block of `returns` with its drawdown curve `dd` (`[0, d₁, …, d_N]`) and returns block.
pub(crate) fn block(
    returns: &[f64],
    dd: &[f64],
    own: &ReturnsMetrics,
    params: &Params,
) -> DistributionMetrics {
    let (n, lo, hi) = range(returns);
    let mut reasons = IndexMap::new();
    let scale = pow2_scale(lo.abs().max(hi.abs()));
    let tau = params.omega_threshold;
    let o_scale = pow2_scale(lo.abs().max(hi.abs()).max(tau.abs()));
    let t = tally(returns, 1.0 / scale, tau, 1.0 / o_scale);
    let constant = n > 0 && lo == hi;
    let shape = shape(returns, n, constant, lo, &t.sum, 1.0 / scale);
    let has = |v: f64| if n == 0 { Err(none()) } else { Ok(v) };
    let (mean_win, mean_loss, payoff, kelly) = win_loss(&t, n, scale);
    let omega = omega(t.up.value(), t.down.value(), n);
    let tail_ratio = tail_ratio(returns, n);
    let dd_ratios = drawdown_ratios(dd, n, own, params, &tail_ratio);
    let streak = |v: u64| if n == 0 { None } else { Some(v) };
    if n == 0 {
        for k in ["max_consecutive_wins", "max_consecutive_losses"] {
            reasons.insert(k.to_string(), none());
        }
    }
    let [
        skewness,
        skewness_population,
        excess_kurtosis,
        excess_kurtosis_population,
    ] = shape;
    let [ulcer, upi, recovery, csr] = dd_ratios;
    DistributionMetrics {
        sample_count: n,
        skewness: put(&mut reasons, "skewness", skewness),
        skewness_population: put(&mut reasons, "skewness_population", skewness_population),
        excess_kurtosis: put(&mut reasons, "excess_kurtosis", excess_kurtosis),
        excess_kurtosis_population: put(
            &mut reasons,
            "excess_kurtosis_population",
            excess_kurtosis_population,
        ),
        best: put(&mut reasons, "best", has(hi)),
        worst: put(&mut reasons, "worst", has(lo)),
        mean_win: put(&mut reasons, "mean_win", mean_win),
        mean_loss: put(&mut reasons, "mean_loss", mean_loss),
        payoff_ratio: put(&mut reasons, "payoff_ratio", payoff),
        omega: put(&mut reasons, "omega", omega),
        tail_ratio: put(&mut reasons, "tail_ratio", tail_ratio),
        kelly: put(&mut reasons, "kelly", kelly),
        max_consecutive_wins: streak(t.max_w),
        max_consecutive_losses: streak(t.max_l),
        ulcer_index: put(&mut reasons, "ulcer_index", ulcer),
        ulcer_performance_index: put(&mut reasons, "ulcer_performance_index", upi),
        recovery_factor: put(&mut reasons, "recovery_factor", recovery),
        common_sense_ratio: put(&mut reasons, "common_sense_ratio", csr),
        reasons,
    }
}

/// The reason of every statistic of an input without finite returns.
fn none() -> String {
    "no finite samples".to_string()
}

/// Pass 1: the number of finite returns, their minimum and maximum (`+inf`, `-inf` when
/// there are none).
#[inline]
fn range(returns: &[f64]) -> (u64, f64, f64) {
    let (mut n, mut lo, mut hi) = (0u64, f64::INFINITY, f64::NEG_INFINITY);
    for &r in returns.iter().filter(|r| !r.is_nan()) {
        n += 1;
        lo = lo.min(r);
        hi = hi.max(r);
    }
    (n, lo, hi)
}

/// What pass 2 sums and counts.
struct Tally {
    /// Σ r · inv over the finite returns.
    sum: Sum,
    /// Σ r · inv over the r > 0, and their count.
    wins: Sum,
    n_win: u64,
    /// Σ r · inv over the r < 0 (negative), and their count.
    losses: Sum,
    n_loss: u64,
    /// Σ max(r − τ, 0) and Σ max(τ − r, 0), both scaled by `o_inv`.
    up: Sum,
    down: Sum,
    /// The longest runs of r > 0 and of r < 0 (0 and NaN break both).
    max_w: u64,
    max_l: u64,
}

/// Pass 2: the sums of the returns scaled by `inv`, the win/loss sums and counts, omega's
/// sums about `tau` (scaled by `o_inv`) and the streaks.
#[inline]
fn tally(returns: &[f64], inv: f64, tau: f64, o_inv: f64) -> Tally {
    let (mut sum, mut wins, mut losses, mut up, mut down) = (
        Sum::default(),
        Sum::default(),
        Sum::default(),
        Sum::default(),
        Sum::default(),
    );
    let (mut n_win, mut n_loss) = (0u64, 0u64);
    let (mut run_w, mut run_l, mut max_w, mut max_l) = (0u64, 0u64, 0u64, 0u64);
    for &r in returns {
        if r > 0.0 {
            run_w += 1;
            run_l = 0;
            max_w = max_w.max(run_w);
        } else if r < 0.0 {
            run_l += 1;
            run_w = 0;
            max_l = max_l.max(run_l);
        } else {
            // 0 or NaN: a flat period ends both runs.
            run_w = 0;
            run_l = 0;
        }
        if r.is_nan() {
            continue;
        }
        let x = r * inv;
        sum.add(x);
        if r > 0.0 {
            wins.add(x);
            n_win += 1;
        } else if r < 0.0 {
            losses.add(x);
            n_loss += 1;
        }
        let e = r * o_inv - tau * o_inv;
        if e > 0.0 {
            up.add(e);
        } else if e < 0.0 {
            down.add(-e);
        }
    }
    Tally {
        sum,
        wins,
        n_win,
        losses,
        n_loss,
        up,
        down,
        max_w,
        max_l,
    }
}

/// Pass 3 and the shape: `[skewness, skewness_population, excess_kurtosis,
/// excess_kurtosis_population]` of the `n` finite returns (least `lo`, scaled sum `sum`)
/// from their central moments about the mean of the scaled returns (`inv`). Each is an
/// error when n is below its minimum (3, 2, 4, 2) or the returns are `constant`
/// (the moments are then not summed) or have zero deviation.
#[inline]
fn shape(returns: &[f64], n: u64, constant: bool, lo: f64, sum: &Sum, inv: f64) -> [Stat; 4] {
    let nf = n as f64;
    let mean = if constant { lo * inv } else { sum.value() / nf };
    let (mut s1, mut s2, mut s3, mut s4) = (
        Sum::default(),
        Sum::default(),
        Sum::default(),
        Sum::default(),
    );
    if n >= 2 && !constant {
        for &r in returns.iter().filter(|r| !r.is_nan()) {
            let d = r * inv - mean;
            let d2 = d * d;
            s1.add(d);
            s2.add(d2);
            s3.add(d2 * d);
            s4.add(d2 * d2);
        }
    }
    let d1 = s1.value();
    let m2 = ((s2.value() - d1 * d1 / nf) / nf).max(0.0);
    let m3 = s3.value() / nf;
    let m4 = s4.value() / nf;
    let moments_ok = |min: u64| -> Result<(), String> {
        if n < min {
            Err(format!("needs at least {min} finite samples, got {n}"))
        } else if constant || m2 == 0.0 {
            Err("zero deviation: the returns are constant".to_string())
        } else {
            Ok(())
        }
    };
    let g1 = m3 / (m2 * m2.sqrt());
    let g2 = m4 / (m2 * m2) - 3.0;
    [
        moments_ok(3).map(|()| g1 * (nf * (nf - 1.0)).sqrt() / (nf - 2.0)),
        moments_ok(2).map(|()| g1),
        moments_ok(4).map(|()| ((nf + 1.0) * g2 + 6.0) * (nf - 1.0) / ((nf - 2.0) * (nf - 3.0))),
        moments_ok(2).map(|()| g2),
    ]
}

/// `(mean_win, mean_loss, payoff_ratio, kelly)` from pass 2's win/loss sums (scaled back by
/// `scale`) of `n` finite returns: each mean an error without such a return (or without
/// returns), the payoff and Kelly the first error of the two means.
fn win_loss(t: &Tally, n: u64, scale: f64) -> (Stat, Stat, Stat, Stat) {
    let mean_win = if t.n_win > 0 {
        Ok(t.wins.value() / t.n_win as f64 * scale)
    } else if n == 0 {
        Err(none())
    } else {
        Err("no return is above 0".to_string())
    };
    let mean_loss = if t.n_loss > 0 {
        Ok(t.losses.value() / t.n_loss as f64 * scale)
    } else if n == 0 {
        Err(none())
    } else {
        Err("no return is below 0".to_string())
    };
    let payoff = match (&mean_win, &mean_loss) {
        (Err(why), _) | (_, Err(why)) => Err(why.clone()),
        (Ok(w), Ok(l)) => Ok(w / l.abs()),
    };
    let kelly = payoff.clone().map(|p| {
        let w = t.n_win as f64 / (t.n_win + t.n_loss) as f64;
        (p * w - (1.0 - w)) / p
    });
    (mean_win, mean_loss, payoff, kelly)
}

/// Omega from its sums above (`up`) and below (`down`) the threshold: `+inf` when only
/// `up` is positive; an error without returns or when every return equals the threshold.
fn omega(up: f64, down: f64, n: u64) -> Stat {
    if n == 0 {
        Err(none())
    } else if down > 0.0 {
        Ok(up / down)
    } else if up > 0.0 {
        Ok(f64::INFINITY)
    } else {
        Err("every return equals the threshold".to_string())
    }
}

/// The drawdown-based ratios `[ulcer_index, ulcer_performance_index, recovery_factor,
/// common_sense_ratio]` from the drawdown curve `dd` (`[0, d₁, …, d_N]`), the returns
/// block `own` (its `cagr`, `total_return`, `max_drawdown`, `profit_factor`, or their
/// reasons) and the tail ratio. Each takes the first reason of its inputs; UPI and the
/// recovery factor are errors without a drawdown, the common-sense ratio for +inf · 0.
fn drawdown_ratios(
    dd: &[f64],
    n: u64,
    own: &ReturnsMetrics,
    params: &Params,
    tail_ratio: &Stat,
) -> [Stat; 4] {
    let periods = dd.len().saturating_sub(1);
    let mut sq = Sum::default();
    for &d in dd.iter().skip(1) {
        sq.add(d * d);
    }
    let ulcer = if n == 0 {
        Err(none())
    } else {
        Ok((sq.value() / periods.max(1) as f64).sqrt())
    };
    let get = |name: &str, v: Option<Num>| -> Stat {
        v.map(Num::get).ok_or_else(|| {
            own.reasons
                .get(name)
                .cloned()
                .unwrap_or_else(|| format!("`{name}` is undefined"))
        })
    };
    let upi = match (ulcer.clone(), get("cagr", own.cagr)) {
        (Err(why), _) | (_, Err(why)) => Err(why),
        (Ok(u), Ok(c)) if u > 0.0 => Ok((c - params.risk_free) / u),
        (Ok(_), Ok(_)) => Err("no drawdown".to_string()),
    };
    let recovery = match (
        get("total_return", own.total_return),
        get("max_drawdown", own.max_drawdown),
    ) {
        (Err(why), _) | (_, Err(why)) => Err(why),
        (Ok(t), Ok(d)) if d < 0.0 => Ok(t / d.abs()),
        (Ok(_), Ok(_)) => Err("no drawdown".to_string()),
    };
    let csr = match (get("profit_factor", own.profit_factor), tail_ratio.clone()) {
        (Err(why), _) | (_, Err(why)) => Err(why),
        (Ok(pf), Ok(t)) if pf.is_infinite() && t == 0.0 => {
            Err("the profit factor is +inf and the tail ratio 0".to_string())
        }
        (Ok(pf), Ok(t)) => Ok(pf * t),
    };
    [ulcer, upi, recovery, csr]
}

/// numpy's linear quantile q of the n finite returns (n ≥ 1): ranks ⌊h⌋ and ⌊h⌋ + 1 at
/// h = (n − 1)·q, interpolated as numpy's `_lerp`.
pub(crate) fn quantile(returns: &[f64], n: u64, q: f64) -> Option<f64> {
    let h = (n.checked_sub(1)? as f64) * q;
    let lo = h.floor();
    let g = h - lo;
    // lo ∈ [0, n − 1] and integral: the cast is exact.
    let (a, b) = ranks(returns, lo as usize)?;
    Some(match b {
        Some(b) if g > 0.0 => {
            let diff = b - a;
            if g >= 0.5 {
                b - diff * (1.0 - g)
            } else {
                a + diff * g
            }
        }
        _ => a,
    })
}

fn tail_ratio(returns: &[f64], n: u64) -> Result<f64, String> {
    let (Some(hi), Some(lo)) = (quantile(returns, n, 0.95), quantile(returns, n, 0.05)) else {
        return Err("no finite samples".to_string());
    };
    if lo == 0.0 {
        return Err("the 5 % quantile is 0".to_string());
    }
    Ok(hi.abs() / lo.abs())
}
