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
//! sums, with the mean's correction term), divided by a power of two near the largest
//! magnitude and blocked (plain additions within a block of 16 or 64 pairs, the block totals
//! Neumaier-compensated: error at most about 64ε·Σ|x|, see `sum.rs`), NaN pairs masked out
//! without a branch. The capture ratios' growth is a compensated sum of logs: within a block of
//! 16 pairs whose returns add up to at most ½ in magnitude, each of the four growths (r and b,
//! over the periods with b > 0 and with b < 0) is carried as g = ∏(1 + x) − 1 by
//! `g ← g·(1 + x) + x` (a pair outside the subset is x = 0, which leaves g exactly as it is;
//! |g| ≤ e^½ − 1, so 1 + g never cancels and g keeps the relative precision of tiny returns)
//! and added as one `log1p(g)` at the block's end; any other block takes `log1p` of each
//! return (a −100 % period makes cagr −1).

use super::super::returns::mask;
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
    let (m, amax) = pair_range(returns, bench);
    let scale = pow2_scale(amax);
    let inv = 1.0 / scale;
    let ([sr, sb, sa], cap) = sums_and_growth(returns, bench, inv);
    let mf = m as f64;
    let (mr, mb, ma) = (sr.value() / mf, sb.value() / mf, sa.value() / mf);
    let [dr, db, da, rr, bb, rb, aa] = centred_sums(returns, bench, inv, (mr, mb, ma));
    let corrected = |q: Sum, d: Sum| (q.value() - d.value() * d.value() / mf).max(0.0);
    let moments = Moments {
        m,
        scale,
        means: (mr, mb, ma),
        vr: corrected(rr, dr),
        vb: corrected(bb, db),
        va: corrected(aa, da),
        cov: rb.value() - dr.value() * db.value() / mf,
    };
    let [
        beta,
        alpha,
        correlation,
        r_squared,
        tracking_error,
        information_ratio,
    ] = statistics(&moments, p, rf_pp);
    let [up, down] = cap;
    let up_capture = up.ratio(p, "no period with a positive benchmark return");
    let down_capture = down.ratio(p, "no period with a negative benchmark return");
    let mut reasons = IndexMap::new();
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

/// Pass 1a: the number m of pairs where both returns are finite and the largest magnitude
/// among them (0 when m = 0).
#[inline]
fn pair_range(returns: &[f64], bench: &[f64]) -> (u64, f64) {
    let (mut m, mut amax) = (0u64, 0.0f64);
    for (&r, &b) in returns.iter().zip(bench) {
        if !r.is_nan() && !b.is_nan() {
            m += 1;
            amax = amax.max(r.abs()).max(b.abs());
        }
    }
    (m, amax)
}

/// Pass 1b: the sums of r, b and r − b scaled by `inv` over the finite pairs (plain within a
/// block of [`GROWTH_BLOCK`] pairs, the block totals compensated), and the growth over the
/// periods with b > 0 and with b < 0: [`grow_block`] for a block whose returns add up to at
/// most ½ in magnitude, `log1p` of each return otherwise.
#[inline]
fn sums_and_growth(returns: &[f64], bench: &[f64], inv: f64) -> ([Sum; 3], [Capture; 2]) {
    let (mut sr, mut sb, mut sa) = (Sum::default(), Sum::default(), Sum::default());
    // Growth over the periods with b > 0 (up) and b < 0 (down): log sums, counts, ruin.
    let mut cap = [Capture::default(), Capture::default()];
    for (rs, bs) in returns.chunks(GROWTH_BLOCK).zip(bench.chunks(GROWTH_BLOCK)) {
        let (mut x_sum, mut y_sum, mut a_sum, mut span) = (0.0, 0.0, 0.0, 0.0);
        for (&r, &b) in rs.iter().zip(bs) {
            let keep = mask(!r.is_nan() && !b.is_nan());
            let (x, y) = (masked(r * inv, keep), masked(b * inv, keep));
            x_sum += x;
            y_sum += y;
            a_sum += x - y;
            span += masked(r, keep).abs() + masked(b, keep).abs();
        }
        sr.add(x_sum);
        sb.add(y_sum);
        sa.add(a_sum);
        if span <= 0.5 {
            grow_block(rs, bs, &mut cap);
        } else {
            grow_each(rs, bs, &mut cap);
        }
    }
    ([sr, sb, sa], cap)
}

/// The growth of a block of pairs one `log1p` per return (a block with large returns: a
/// −100 % period marks its subset ruined).
#[inline]
fn grow_each(rs: &[f64], bs: &[f64], cap: &mut [Capture; 2]) {
    for (&r, &b) in rs.iter().zip(bs) {
        if r.is_nan() || b.is_nan() {
            continue;
        }
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
}

/// Pass 2: over the finite pairs, with x = r·inv − r̄, y = b·inv − b̄, a = (r − b)·inv − ā
/// (`means` = (r̄, b̄, ā) of the scaled pairs): `[Σx, Σy, Σa, Σx², Σy², Σxy, Σa²]`, plain
/// within a block of [`SUM_BLOCK`] pairs, the block totals compensated.
#[inline]
fn centred_sums(returns: &[f64], bench: &[f64], inv: f64, means: (f64, f64, f64)) -> [Sum; 7] {
    let (mr, mb, ma) = means;
    let [mut dr, mut db, mut da, mut rr, mut bb, mut rb, mut aa] = [Sum::default(); 7];
    for (rs, bs) in returns.chunks(SUM_BLOCK).zip(bench.chunks(SUM_BLOCK)) {
        let mut acc = [0.0f64; 7];
        for (&r, &b) in rs.iter().zip(bs) {
            let keep = mask(!r.is_nan() && !b.is_nan());
            let (x, y) = (masked(r * inv - mr, keep), masked(b * inv - mb, keep));
            let a = masked((r * inv - b * inv) - ma, keep);
            let [s0, s1, s2, s3, s4, s5, s6] = &mut acc;
            *s0 += x;
            *s1 += y;
            *s2 += a;
            *s3 += x * x;
            *s4 += y * y;
            *s5 += x * y;
            *s6 += a * a;
        }
        for (sum, v) in [
            &mut dr, &mut db, &mut da, &mut rr, &mut bb, &mut rb, &mut aa,
        ]
        .into_iter()
        .zip(acc)
        {
            sum.add(v);
        }
    }
    [dr, db, da, rr, bb, rb, aa]
}

/// The pairs' moments, of the returns scaled by 1 / `scale`.
struct Moments {
    /// The number of finite pairs.
    m: u64,
    scale: f64,
    /// The means (r̄, b̄, ā) of r, b and a = r − b.
    means: (f64, f64, f64),
    /// Σ(r − r̄)², Σ(b − b̄)², Σ(a − ā)², each with the mean's correction term, at least 0.
    vr: f64,
    vb: f64,
    va: f64,
    /// Σ(r − r̄)(b − b̄), with the mean's correction term.
    cov: f64,
}

/// `[beta, alpha, correlation, r_squared, tracking_error, information_ratio]` from the
/// pairs' moments, P = `p` periods per year, `rf_pp` the per-period risk-free rate (see the
/// module's table for when each is null).
fn statistics(mo: &Moments, p: f64, rf_pp: f64) -> [Result<f64, String>; 6] {
    let &Moments {
        m,
        scale,
        means: (mr, mb, ma),
        vr,
        vb,
        va,
        cov,
    } = mo;
    let (mf, inv) = (m as f64, 1.0 / scale);
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
    [
        beta,
        alpha,
        correlation,
        r_squared,
        tracking_error,
        information_ratio,
    ]
}

/// Pairs per block of the first pass (sums and growth).
const GROWTH_BLOCK: usize = 16;
/// Pairs per block of the second pass (centred sums).
const SUM_BLOCK: usize = 64;

/// `x`, or +0 when `keep` is all zeros (a NaN pair).
#[inline(always)]
fn masked(x: f64, keep: u64) -> f64 {
    f64::from_bits(x.to_bits() & keep)
}

/// The growth of a block of pairs whose returns add up to at most ½ in magnitude (no ruin, no
/// return beyond ±½): four chains `g ← g·(1 + x) + x` with x = 0 outside each subset, one
/// `log1p` each at the end.
fn grow_block(rs: &[f64], bs: &[f64], cap: &mut [Capture; 2]) {
    let (mut ur, mut ub, mut dr, mut db) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let (mut ku, mut kd) = (0u64, 0u64);
    for (&r, &b) in rs.iter().zip(bs) {
        let keep = !r.is_nan() && !b.is_nan();
        let (is_up, is_down) = (keep && b > 0.0, keep && b < 0.0);
        let (up, down) = (mask(is_up), mask(is_down));
        let (xr, xb) = (masked(r, up), masked(b, up));
        ur = ur * (1.0 + xr) + xr;
        ub = ub * (1.0 + xb) + xb;
        let (yr, yb) = (masked(r, down), masked(b, down));
        dr = dr * (1.0 + yr) + yr;
        db = db * (1.0 + yb) + yb;
        ku += u64::from(is_up);
        kd += u64::from(is_down);
    }
    let [up, down] = cap;
    for (c, k, gr, gb) in [(up, ku, ur, ub), (down, kd, dr, db)] {
        c.k += k;
        if gr != 0.0 {
            c.log_r.add(libm::log1p(gr));
        }
        if gb != 0.0 {
            c.log_b.add(libm::log1p(gb));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }

    /// up and down capture recomputed naively: a plain sum of `log1p` per subset, one term
    /// per pair (a product of 1 + x would lose tiny returns' digits).
    fn naive_captures(r: &[f64], b: &[f64], p: f64) -> (f64, f64) {
        let cagr = |xs: &[f64]| {
            let log: f64 = xs.iter().map(|&x| libm::log1p(x)).sum();
            libm::expm1(log * p / xs.len() as f64)
        };
        let pick = |up: bool| -> (Vec<f64>, Vec<f64>) {
            (r.iter().zip(b))
                .filter(|(x, y)| {
                    !x.is_nan() && !y.is_nan() && if up { **y > 0.0 } else { **y < 0.0 }
                })
                .map(|(x, y)| (*x, *y))
                .unzip()
        };
        let (ur, ub) = pick(true);
        let (dr, db) = pick(false);
        (cagr(&ur) / cagr(&ub), cagr(&dr) / cagr(&db))
    }

    #[test]
    fn blocked_growth_equals_a_product_per_pair() {
        // Quiet stretches (the blocked growth), loud ones (log1p per return: blocks whose
        // returns add up to more than ½), NaN on either side, and tiny returns.
        let mut seed = 21u64;
        for (scale, n) in [(0.01, 5000), (0.2, 3000), (1e-9, 2000)] {
            let r: Vec<f64> = (0..n)
                .map(|i| {
                    if i % 37 == 5 {
                        f64::NAN
                    } else {
                        scale * (lcg(&mut seed) - 0.48)
                    }
                })
                .collect();
            let b: Vec<f64> = (0..n)
                .map(|i| {
                    if i % 41 == 9 {
                        f64::NAN
                    } else {
                        scale * (lcg(&mut seed) - 0.49)
                    }
                })
                .collect();
            let m = block(&r, &b, 252.0, 0.0, &MetricsOptions::default()).unwrap();
            let (up, down) = naive_captures(&r, &b, 252.0);
            let (gu, gd) = (m.up_capture.unwrap().get(), m.down_capture.unwrap().get());
            assert!(((gu - up) / up).abs() < 1e-9, "{scale}: up {gu} vs {up}");
            assert!(
                ((gd - down) / down).abs() < 1e-9,
                "{scale}: down {gd} vs {down}"
            );
        }
    }
}
