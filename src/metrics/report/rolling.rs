//! `rolling`: Sharpe ratio, volatility and Sortino ratio over sliding windows, as series.
//!
//! For a window of w periods, element t of each series (one per return) is the statistic of
//! the k finite returns among r_{t−w+1} ..= r_t (NaN ones dropped, as everywhere):
//!
//! | series | definition | `null` when |
//! |---|---|---|
//! | `volatility` | std(r, ddof=1) · √P | t < w − 1; k < 2 |
//! | `sharpe` | (mean(r) − rf_pp) / std(r, ddof=1) · √P | as volatility; zero deviation |
//! | `sortino` | (mean(r) − rf_pp) / √(Σ min(r − rf_pp, 0)² / k) · √P; `+inf` when no return is below rf_pp and the mean is above it | as volatility; no return below rf_pp and mean = rf_pp |
//!
//! A window longer than the series, or of 1 period, gives series of nulls and a `reason`.
//! With no NaN (k = w) these are quantstats' `rolling_sharpe`, `rolling_volatility` and
//! `rolling_sortino` (at rf = 0) and pandas' `rolling(w).std()`.
//!
//! Numerics: running sums, no re-scan of the window per step: each step adds the entering
//! return and subtracts the leaving one from Neumaier-compensated sums of d = r/s − c,
//! d² and the downside squares (s a power of two near the series' largest magnitude, the
//! downside terms with their own, so 1e300 gains and small losses both keep their squares;
//! c a shift, first the first window's mean). The variance is (Σd² − (Σd)²/k) / (k − 1). Two
//! conditions rebuild the sums from the window (O(w), then running again), so the result keeps
//! about 1e-13 relative accuracy whatever the series: the subtraction would cancel more than 8
//! bits (the window's mean drifted far from c: c becomes the window's mean), or a sum fell below
//! 2⁻³⁰ of its peak since the last rebuild (a volatile stretch left the window: the compensated
//! sums' residue of it could show). Whether a window is constant (zero deviation exactly) is
//! read from the last pair of consecutive finite returns that differ (inside the window or not).
//! O(n) time per window, O(1) memory beside the output.

use super::super::sum::pow2_scale;
use crate::schema::{Num, RollingReport, RollingWindow};

/// The rolling block of `returns` for each window (each ≥ 1), P periods per year, rf_pp the
/// per-period risk-free rate.
pub(crate) fn block(returns: &[f64], windows: &[u32], p: f64, rf_pp: f64) -> RollingReport {
    let (mut amax, mut dmax) = (rf_pp.abs(), 0.0f64);
    for &r in returns.iter().filter(|r| !r.is_nan()) {
        amax = amax.max(r.abs());
        dmax = dmax.max(rf_pp - r);
    }
    let scales = Scales {
        inv: 1.0 / pow2_scale(amax),
        down: pow2_scale(dmax),
        rf_pp,
        root_p: p.sqrt(),
    };
    RollingReport {
        windows: windows
            .iter()
            .map(|&w| series(returns, w, &scales))
            .collect(),
    }
}

struct Scales {
    /// 1 / s, the moments' scale.
    inv: f64,
    /// The downside terms' scale.
    down: f64,
    rf_pp: f64,
    root_p: f64,
}

/// A Neumaier-compensated running sum that remembers its peak since the last reset.
#[derive(Clone, Copy, Default)]
struct Running {
    sum: f64,
    comp: f64,
    peak: f64,
}

impl Running {
    #[inline]
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        self.comp += if self.sum.abs() >= x.abs() {
            (self.sum - t) + x
        } else {
            (x - t) + self.sum
        };
        self.sum = t;
        // `f64::max` without the call: on wasm it is a call to `fmax` (NaN rules), in the
        // loop that runs six times a step. Same value: neither operand is NaN (the sums are
        // of finite terms).
        let a = t.abs();
        if a > self.peak {
            self.peak = a;
        }
    }

    #[inline]
    fn value(&self) -> f64 {
        self.sum + self.comp
    }

    /// Whether the sum fell below 2⁻³⁰ of its peak (its rounding residue could then matter).
    #[inline]
    fn faded(&self) -> bool {
        self.value().abs() < self.peak * f64::from_bits((1023 - 30) << 52)
    }
}

/// The state of one window as it slides.
struct Slide<'a> {
    returns: &'a [f64],
    s: &'a Scales,
    /// The shift c (scaled units).
    c: f64,
    k: u64,
    dev: Running,
    sq: Running,
    down: Running,
    below: u64,
}

impl Slide<'_> {
    /// The downside term of r (scaled), 0 unless r < rf_pp.
    #[inline]
    fn down_term(&self, r: f64) -> f64 {
        let e = (r - self.s.rf_pp) / self.s.down;
        e * e
    }

    /// Return `r` enters (+1) or leaves (−1) the window.
    #[inline]
    fn update(&mut self, r: f64, sign: f64) {
        let d = r * self.s.inv - self.c;
        self.dev.add(sign * d);
        self.sq.add(sign * (d * d));
        if r < self.s.rf_pp {
            let t = self.down_term(r);
            self.down.add(sign * t);
            if sign > 0.0 {
                self.below += 1;
            } else {
                self.below -= 1;
                if self.below == 0 {
                    self.down = Running::default();
                }
            }
        }
    }

    /// Recomputes the moment sums of the window ending at t about its own mean.
    fn rebuild_moments(&mut self, t: usize, w: usize) {
        let inv = self.s.inv;
        let mut sum = Running::default();
        for r in window(self.returns, t, w) {
            sum.add(r * inv);
        }
        self.c = sum.value() / self.k as f64;
        self.dev = Running::default();
        self.sq = Running::default();
        for r in window(self.returns, t, w) {
            let d = r * inv - self.c;
            self.dev.add(d);
            self.sq.add(d * d);
        }
    }

    /// Recomputes the downside sum of the window ending at t.
    fn rebuild_down(&mut self, t: usize, w: usize) {
        let mut down = Running::default();
        for r in window(self.returns, t, w).filter(|&r| r < self.s.rf_pp) {
            down.add(self.down_term(r));
        }
        self.down = down;
    }

    /// `(sharpe, volatility, sortino)` of the window ending at t (k ≥ 2); `constant` when
    /// every finite return in it is equal.
    fn stats(
        &mut self,
        t: usize,
        w: usize,
        constant: bool,
    ) -> (Option<f64>, Option<f64>, Option<f64>) {
        let kf = self.k as f64;
        let mut var_num = 0.0;
        if !constant {
            let num = |s: &Self| {
                let (d, q) = (s.dev.value(), s.sq.value());
                (q - d * d / kf, q)
            };
            let (mut v, q) = num(self);
            if v.is_nan() || v <= q * f64::from_bits((1023 - 8) << 52) || self.sq.faded() {
                self.rebuild_moments(t, w);
                v = num(self).0;
            }
            var_num = nonneg(v);
        }
        if self.below > 0 && self.down.faded() {
            self.rebuild_down(t, w);
        }
        let mean = self.c + self.dev.value() / kf;
        let excess = mean - self.s.rf_pp * self.s.inv;
        let sd = (var_num / (kf - 1.0)).sqrt();
        let vol = sd / self.s.inv * self.s.root_p;
        let sharpe = (sd > 0.0).then(|| excess / sd * self.s.root_p);
        let down = nonneg(self.down.value());
        let sortino = if self.below > 0 && down > 0.0 {
            let dd = (down / kf).sqrt() * self.s.down;
            Some(excess / self.s.inv / dd * self.s.root_p)
        } else if excess > 0.0 {
            Some(f64::INFINITY)
        } else {
            None
        };
        (sharpe, Some(vol), sortino)
    }
}

/// `x.max(0.0)` without `f64::max` (a call to `fmax` on wasm, once per step and series): x
/// when x > 0, else +0 (NaN and −0 included, as `max` gives them).
#[inline]
fn nonneg(x: f64) -> f64 {
    if x > 0.0 { x } else { 0.0 }
}

/// The finite returns of the window of w periods ending at t.
fn window(returns: &[f64], t: usize, w: usize) -> impl Iterator<Item = f64> + '_ {
    let from = (t + 1).saturating_sub(w);
    returns
        .get(from..=t)
        .unwrap_or_default()
        .iter()
        .copied()
        .filter(|r| !r.is_nan())
}

fn series(returns: &[f64], window: u32, s: &Scales) -> RollingWindow {
    let n = returns.len();
    let w = usize::try_from(window).unwrap_or(usize::MAX);
    let nulls = || vec![None; n];
    let empty = |reason: String| RollingWindow {
        window,
        sharpe: nulls(),
        volatility: nulls(),
        sortino: nulls(),
        reason: Some(reason),
    };
    if w > n {
        return empty(format!(
            "the window of {window} periods is longer than the series ({n} periods)"
        ));
    }
    if w < 2 {
        return empty("a window of 1 period has no standard deviation".to_string());
    }
    let (mut c, mut k0) = (0.0, 0u32);
    for r in returns.iter().take(w).filter(|r| !r.is_nan()) {
        c += r * s.inv;
        k0 += 1;
    }
    let mut slide = Slide {
        returns,
        s,
        c: if k0 > 0 { c / f64::from(k0) } else { 0.0 },
        k: 0,
        dev: Running::default(),
        sq: Running::default(),
        down: Running::default(),
        below: 0,
    };
    // The window is constant unless two consecutive finite returns in it differ: `changed` is
    // the earlier index of the last such pair, `last` the last finite index.
    let (mut last, mut changed): (Option<usize>, Option<usize>) = (None, None);
    let (mut sharpe, mut vol, mut sortino) = (nulls(), nulls(), nulls());
    for (t, &r) in returns.iter().enumerate() {
        if !r.is_nan() {
            slide.k += 1;
            slide.update(r, 1.0);
            if let Some(p) = last
                && returns.get(p).is_some_and(|&x| x != r)
            {
                changed = Some(p);
            }
            last = Some(t);
        }
        if let Some(&y) = t.checked_sub(w).and_then(|i| returns.get(i))
            && !y.is_nan()
        {
            slide.k -= 1;
            slide.update(y, -1.0);
        }
        if t + 1 < w || slide.k < 2 {
            continue;
        }
        let constant = changed.is_none_or(|p| p + w <= t);
        let (sh, v, so) = slide.stats(t, w, constant);
        let put = |out: &mut Vec<Option<Num>>, x: Option<f64>| {
            if let Some(slot) = out.get_mut(t) {
                *slot = x.map(Num);
            }
        };
        put(&mut sharpe, sh);
        put(&mut vol, v);
        put(&mut sortino, so);
    }
    RollingWindow {
        window,
        sharpe,
        volatility: vol,
        sortino,
        reason: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window's statistics recomputed naively: two passes over its finite returns.
    fn naive(xs: &[f64], p: f64, rf: f64) -> (Option<f64>, Option<f64>, Option<f64>) {
        let v: Vec<f64> = xs.iter().copied().filter(|r| !r.is_nan()).collect();
        let k = v.len() as f64;
        if v.len() < 2 {
            return (None, None, None);
        }
        // A constant window has zero deviation exactly (the naive mean may round off it).
        let constant = v.iter().all(|&x| x == v[0]);
        let mean = if constant {
            v[0]
        } else {
            v.iter().sum::<f64>() / k
        };
        let var = v.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (k - 1.0);
        let sd = var.sqrt();
        let down = v.iter().map(|r| (r - rf).min(0.0).powi(2)).sum::<f64>() / k;
        let sortino = if down > 0.0 {
            Some((mean - rf) / down.sqrt() * p.sqrt())
        } else if mean > rf {
            Some(f64::INFINITY)
        } else {
            None
        };
        (
            (sd > 0.0).then(|| (mean - rf) / sd * p.sqrt()),
            Some(sd * p.sqrt()),
            sortino,
        )
    }

    fn lcg(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }

    fn close(a: Option<f64>, b: Option<f64>, tol: f64) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) if a == b => true,
            (Some(a), Some(b)) => ((a - b) / b).abs() <= tol,
            _ => false,
        }
    }

    fn check(xs: &[f64], windows: &[u32], rf: f64, tol: f64) {
        let r = block(xs, windows, 252.0, rf);
        for win in &r.windows {
            let w = win.window as usize;
            for t in 0..xs.len() {
                let want = if t + 1 < w {
                    (None, None, None)
                } else {
                    naive(&xs[t + 1 - w..=t], 252.0, rf)
                };
                let got = (
                    win.sharpe[t].map(Num::get),
                    win.volatility[t].map(Num::get),
                    win.sortino[t].map(Num::get),
                );
                assert!(
                    close(got.0, want.0, tol)
                        && close(got.1, want.1, tol)
                        && close(got.2, want.2, tol),
                    "w {w} t {t}: {got:?} vs {want:?}"
                );
            }
        }
    }

    #[test]
    fn running_sums_equal_a_naive_recomputation() {
        let mut seed = 5u64;
        let noise: Vec<f64> = (0..3000).map(|_| 0.02 * (lcg(&mut seed) - 0.48)).collect();
        check(&noise, &[2, 3, 63, 250], 0.0, 1e-10);
        check(&noise, &[20], 1e-4, 1e-10);
        // NaN gaps, zeros and a −100 % period.
        let holes: Vec<f64> = (noise.iter().enumerate())
            .map(|(i, &x)| match i % 17 {
                0 => f64::NAN,
                1 | 2 => 0.0,
                _ if i == 1500 => -1.0,
                _ => x,
            })
            .collect();
        check(&holes, &[5, 64], 0.0, 1e-10);
    }

    #[test]
    fn regime_shifts_and_quiet_stretches_keep_their_precision() {
        // The mean jumps by 10⁴ deviations, then a huge-volatility stretch leaves the window
        // and a quiet one (σ 1e-9) follows: cancellation and residue would show without the
        // rebuilds. The naive two-pass recomputation is the reference.
        let mut seed = 9u64;
        let mut xs: Vec<f64> = (0..500).map(|_| 1e-4 * (lcg(&mut seed) - 0.5)).collect();
        xs.extend((0..500).map(|_| 1.0 + 1e-4 * (lcg(&mut seed) - 0.5)));
        xs.extend((0..200).map(|_| 50.0 * lcg(&mut seed) - 0.9));
        xs.extend((0..500).map(|_| 0.001 + 1e-9 * (lcg(&mut seed) - 0.5)));
        xs.extend([0.01; 100]);
        check(&xs, &[10, 100], 0.0, 1e-9);
        // Huge and tiny magnitudes.
        let huge: Vec<f64> = (0..300).map(|_| 1e300 * lcg(&mut seed)).collect();
        let r = block(&huge, &[30], 252.0, 0.0);
        let v = r.windows[0].volatility[299].unwrap().get();
        // The naive squares would overflow: recompute on the series divided by 1e300.
        let down: Vec<f64> = huge[270..].iter().map(|x| x / 1e300).collect();
        let want = naive(&down, 252.0, 0.0).1.unwrap_or(0.0) * 1e300;
        assert!(
            v.is_finite() && ((v - want) / want).abs() < 1e-12,
            "{v} {want}"
        );
        let tiny: Vec<f64> = (0..300).map(|_| 1e-300 * (lcg(&mut seed) - 0.5)).collect();
        let r = block(&tiny, &[30], 252.0, 0.0);
        let sh = r.windows[0].sharpe[299].unwrap().get();
        let scaled: Vec<f64> = tiny[270..].iter().map(|x| x * 1e300).collect();
        let want = naive(&scaled, 252.0, 0.0).0.unwrap_or(0.0);
        assert!(((sh - want) / want).abs() < 1e-12, "{sh} {want}");
    }

    #[test]
    fn constant_windows_have_no_deviation_and_long_windows_a_reason() {
        let xs = [0.1 + 0.2; 10];
        let r = block(&xs, &[3, 11, 1], 252.0, 0.0);
        assert!(r.windows[0].sharpe.iter().all(Option::is_none));
        assert_eq!(r.windows[0].volatility[5], Some(Num(0.0)));
        assert_eq!(r.windows[0].sortino[5], Some(Num(f64::INFINITY)));
        assert!(r.windows[1].reason.as_deref().unwrap().contains("longer"));
        assert!(r.windows[2].reason.is_some());
        // Constant stretches between NaN gaps and changes at the windows' edges.
        let nan = f64::NAN;
        let xs = [
            0.1, nan, 0.1, 0.2, nan, 0.2, 0.2, nan, nan, 0.3, 0.3, 0.1, 0.1, 0.1,
        ];
        check(&xs, &[2, 3, 4], 0.0, 1e-12);
        let r = block(&xs, &[3], 252.0, 0.0);
        // t = 6 holds NaN, 0.2, 0.2: constant; t = 3 holds NaN, 0.1, 0.2: not.
        assert_eq!(r.windows[0].volatility[6], Some(Num(0.0)));
        assert!(r.windows[0].volatility[3].unwrap().get() > 0.0);
    }
}
