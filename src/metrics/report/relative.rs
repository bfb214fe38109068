//! `relative`: the series r against a benchmark b, matched by position, over the m periods
//! where both are finite.
//!
//! | quantity | definition | `null` (+ reason) when |
//! |---|---|---|
//! | `beta` | β = Σ(r − r̄)(b − b̄) / Σ(b − b̄)² | m < 2; constant b |
//! | `alpha` | (1 + ᾱ)^P − 1 with ᾱ = mean(r − rf_pp − β(b − rf_pp)) (empyrical's `alpha`) | β null; ᾱ < −1 |
//! | `correlation` | Σ(r − r̄)(b − b̄) / √(Σ(r − r̄)² Σ(b − b̄)²) | m < 2; constant r or b |
//! | `r_squared` | correlation² | as correlation |
//! | `tracking_error` | std(a, ddof=1) · √P, a = r − b | m < 2 |
//! | `information_ratio` | mean(a) / std(a, ddof=1) · √P | m < 2; constant a |
//! | `up_capture` | cagr(r over the periods with b > 0) / cagr(b over them), cagr over k periods = (∏(1 + x))^(P/k) − 1 (empyrical's `up_capture`) | no period with b > 0 |
//! | `down_capture` | the same over the periods with b < 0 | no period with b < 0; cagr(b) = 0 |
//! | `benchmark` | the benchmark's own `returns` block, over all its periods | — |
//!
//! Numerics: two passes over the pairs (means of the scaled pairs; centred cross and square
//! sums, with the mean's correction term), compensated and divided by a power of two near the
//! largest magnitude; the capture ratios' growth as compensated sums of `log1p` (a −100 %
//! period makes cagr −1).

use super::super::sum::{Sum, pow2_scale};
use super::super::{MetricsOptions, returns_metrics};
use super::put;
use crate::error::Error;
use crate::schema::RelativeMetrics;
use indexmap::IndexMap;

/// The block of `returns` against `bench` (same length, both validated), P periods per year,
/// rf_pp the per-period risk-free rate; `mopts` for the benchmark's returns block.
///
/// # Errors
/// The benchmark block's errors (none for a validated benchmark), at `/benchmark/…`.
pub(crate) fn block(
    returns: &[f64],
    bench: &[f64],
    p: f64,
    rf_pp: f64,
    mopts: &MetricsOptions,
) -> Result<RelativeMetrics, Error> {
    let benchmark = returns_metrics(bench, mopts).map_err(|mut e| {
        e.path = format!("/benchmark{}", e.path);
        e
    })?;
    let pairs = || {
        returns
            .iter()
            .zip(bench)
            .map(|(&r, &b)| (r, b))
            .filter(|(r, b)| !r.is_nan() && !b.is_nan())
    };
    // Pass 1: count, magnitude and means.
    let (mut m, mut amax) = (0u64, 0.0f64);
    for (r, b) in pairs() {
        m += 1;
        amax = amax.max(r.abs()).max(b.abs());
    }
    let scale = pow2_scale(amax);
    let inv = 1.0 / scale;
    let (mut sr, mut sb, mut sa) = (Sum::default(), Sum::default(), Sum::default());
    // Growth over the periods with b > 0 (up) and b < 0 (down): log sums, counts, ruin.
    let mut cap = [Capture::default(), Capture::default()];
    for (r, b) in pairs() {
        sr.add(r * inv);
        sb.add(b * inv);
        sa.add(r * inv - b * inv);
        if let Some(c) = if b > 0.0 {
            cap.get_mut(0)
        } else if b < 0.0 {
            cap.get_mut(1)
        } else {
            None
        } {
            c.add(r, b);
        }
    }
    let mf = m as f64;
    let (mr, mb, ma) = (sr.value() / mf, sb.value() / mf, sa.value() / mf);
    // Pass 2: centred sums.
    let [mut dr, mut db, mut da, mut rr, mut bb, mut rb, mut aa] = [Sum::default(); 7];
    for (r, b) in pairs() {
        let (x, y) = (r * inv - mr, b * inv - mb);
        let a = (r * inv - b * inv) - ma;
        dr.add(x);
        db.add(y);
        da.add(a);
        rr.add(x * x);
        bb.add(y * y);
        rb.add(x * y);
        aa.add(a * a);
    }
    let corrected = |q: Sum, d: Sum| (q.value() - d.value() * d.value() / mf).max(0.0);
    let (vr, vb, va) = (corrected(rr, dr), corrected(bb, db), corrected(aa, da));
    let cov = rb.value() - dr.value() * db.value() / mf;

    let mut reasons = IndexMap::new();
    let two = || {
        if m < 2 {
            Err(format!(
                "needs at least 2 periods where both returns are finite, got {m}"
            ))
        } else {
            Ok(())
        }
    };
    let beta = two().and_then(|()| {
        if vb == 0.0 {
            Err("the benchmark's returns are constant".to_string())
        } else {
            Ok(cov / vb)
        }
    });
    let alpha = beta.clone().and_then(|beta| {
        let rf = rf_pp * inv;
        let per_period = ((mr - rf) - beta * (mb - rf)) * scale;
        if per_period < -1.0 {
            Err("the mean alpha per period is below -100 %".to_string())
        } else {
            Ok(libm::expm1(p * libm::log1p(per_period)))
        }
    });
    let correlation = two().and_then(|()| {
        if vr == 0.0 || vb == 0.0 {
            Err("the returns or the benchmark's are constant".to_string())
        } else {
            Ok((cov / (vr.sqrt() * vb.sqrt())).clamp(-1.0, 1.0))
        }
    });
    let r_squared = correlation.clone().map(|c| c * c);
    let sd_a = (va / (mf - 1.0)).sqrt();
    let tracking_error = two().map(|()| sd_a * scale * p.sqrt());
    let information_ratio = two().and_then(|()| {
        if sd_a == 0.0 {
            Err("the active returns are constant".to_string())
        } else {
            Ok(ma / sd_a * p.sqrt())
        }
    });
    let [up, down] = cap;
    let up_capture = up.ratio(p, "no period with a positive benchmark return");
    let down_capture = down.ratio(p, "no period with a negative benchmark return");
    Ok(RelativeMetrics {
        sample_count: m,
        beta: put(&mut reasons, "beta", beta),
        alpha: put(&mut reasons, "alpha", alpha),
        correlation: put(&mut reasons, "correlation", correlation),
        r_squared: put(&mut reasons, "r_squared", r_squared),
        tracking_error: put(&mut reasons, "tracking_error", tracking_error),
        information_ratio: put(&mut reasons, "information_ratio", information_ratio),
        up_capture: put(&mut reasons, "up_capture", up_capture),
        down_capture: put(&mut reasons, "down_capture", down_capture),
        benchmark,
        reasons,
    })
}

/// Compounded growth of r and b over a subset of periods.
#[derive(Default, Clone, Copy)]
struct Capture {
    k: u64,
    log_r: Sum,
    log_b: Sum,
    ruined_r: bool,
    ruined_b: bool,
}

impl Capture {
    fn add(&mut self, r: f64, b: f64) {
        self.k += 1;
        if r <= -1.0 {
            self.ruined_r = true;
        } else {
            self.log_r.add(libm::log1p(r));
        }
        if b <= -1.0 {
            self.ruined_b = true;
        } else {
            self.log_b.add(libm::log1p(b));
        }
    }

    fn ratio(&self, p: f64, empty: &str) -> Result<f64, String> {
        if self.k == 0 {
            return Err(empty.to_string());
        }
        let e = p / self.k as f64;
        let cagr = |ruined: bool, log: Sum| {
            if ruined {
                -1.0
            } else {
                libm::expm1(log.value() * e)
            }
        };
        let (r, b) = (
            cagr(self.ruined_r, self.log_r),
            cagr(self.ruined_b, self.log_b),
        );
        if b == 0.0 {
            Err("the benchmark's growth over these periods is 0".to_string())
        } else {
            Ok(r / b)
        }
    }
}
