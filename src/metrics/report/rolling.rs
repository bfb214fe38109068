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
//! Numerics: running sums without subtraction (van Herk / Gil-Werman): the series is cut into
//! blocks of w periods, so a window is a suffix of one block and a prefix of the next. For
//! each block, one backward scan gives the suffix sums of the block before it and one forward
//! scan the block's own prefix sums; each window's sums are one suffix plus one prefix. The
//! sums are of d = r/s − c, d² and the downside squares (s a power of two near the series'
//! largest magnitude, the downside terms with their own, so 1e300 gains and small losses both
//! keep their squares; c a shift per block: the mean of the block before, the first block's own
//! mean for the first). Nothing ever leaves a sum, so no residue of a volatile stretch stays
//! behind: Σd is Neumaier-compensated (error about ε·|Σd| + 2wε²·Σ|d|); Σd² and the downside
//! sum add non-negative terms plainly, w of them at most, so their relative error is at most
//! w·ε (2.8·10⁻¹⁴ for w = 252). The variance is (Σd² − (Σd)²/k) / (k − 1); when that
//! subtraction would cancel more than 8 bits (the window's mean is far from c, after a regime
//! shift) the window is computed again in two passes about its own mean (compensated, O(w)).
//! Whether a window is constant (zero deviation exactly) is read from the last pair of
//! consecutive finite returns that differ (inside the window or not). O(n) time per window:
//! each return enters two scans (the next block's shift is the block's mean from its prefix
//! sums), O(w) scratch memory beside the output.

use super::super::returns::mask;
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
    let down = pow2_scale(dmax);
    let scale = pow2_scale(amax);
    let scales = Scales {
        scale,
        inv: 1.0 / scale,
        down,
        down_inv: 1.0 / down,
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
    /// s, the moments' scale (a power of two), and 1 / s (exact).
    scale: f64,
    inv: f64,
    /// The downside terms' scale (a power of two) and its inverse (exact).
    down: f64,
    down_inv: f64,
    rf_pp: f64,
    root_p: f64,
}

/// The sums of a run of consecutive periods (a block's suffix or prefix, or a window) about a
/// shift c: Σd (Neumaier: `s` + `comp`), Σd², the downside sum (of (2·min(e, 0))², four times
/// the downside squares: exact), the finite count k and the count below rf_pp.
#[derive(Clone, Copy, Default)]
struct Part {
    s: f64,
    comp: f64,
    q: f64,
    down4: f64,
    k: u64,
    below: u64,
}

impl Part {
    /// Return r enters the run (NaN adds nothing). Branch-free: a return's sign against rf_pp
    /// is a coin flip, so `e − |e|` (= 2·min(e, 0) exactly) replaces the test, and NaN is
    /// masked out through the bits.
    #[inline(always)]
    fn add(&mut self, r: f64, c: f64, sc: &Scales) {
        let keep = mask(!r.is_nan());
        let d = f64::from_bits((r * sc.inv - c).to_bits() & keep);
        self.add_dev(d);
        self.q += d * d;
        let e = (r - sc.rf_pp) * sc.down_inv;
        let m = f64::from_bits((e - e.abs()).to_bits() & keep);
        self.down4 += m * m;
        self.k += u64::from(!r.is_nan());
        self.below += u64::from(r < sc.rf_pp);
    }

    /// Neumaier's step for Σd (selects, not branches, on the magnitudes).
    #[inline(always)]
    fn add_dev(&mut self, x: f64) {
        let t = self.s + x;
        let (big, small) = if self.s.abs() >= x.abs() {
            (self.s, x)
        } else {
            (x, self.s)
        };
        self.comp += (big - t) + small;
        self.s = t;
    }

    /// The run followed by `o` (same shift).
    #[inline(always)]
    fn then(mut self, o: &Part) -> Part {
        self.add_dev(o.s);
        self.comp += o.comp;
        self.q += o.q;
        self.down4 += o.down4;
        self.k += o.k;
        self.below += o.below;
        self
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

/// The scaled mean and the variance numerator Σ(x − x̄)² of the window ending at t (k ≥ 2
/// finite returns), in two compensated passes about its own mean: the careful path when the
/// running sums' shift is far from the window's mean.
fn direct(returns: &[f64], t: usize, w: usize, inv: f64, k: f64) -> (f64, f64) {
    let mut sum = Part::default();
    for r in window(returns, t, w) {
        sum.add_dev(r * inv);
    }
    let c = (sum.s + sum.comp) / k;
    let (mut dev, mut sq) = (Part::default(), Part::default());
    for r in window(returns, t, w) {
        let d = r * inv - c;
        dev.add_dev(d);
        sq.add_dev(d * d);
    }
    let s = dev.s + dev.comp;
    (c + s / k, (sq.s + sq.comp) - s * s / k)
}

/// The three outputs of a window.
struct Out {
    /// The k of the last window, 1/k and 1/(k − 1).
    k: u64,
    inv_k: f64,
    inv_k1: f64,
    sharpe: Vec<Option<Num>>,
    vol: Vec<Option<Num>>,
    sortino: Vec<Option<Num>>,
}

impl Out {
    /// Appends the statistics of the window ending at t from its sums `p` about the shift c
    /// (k ≥ 2); `constant` when every finite return in it is equal.
    #[allow(clippy::too_many_arguments)]
    fn put(
        &mut self,
        returns: &[f64],
        t: usize,
        w: usize,
        s: &Scales,
        p: &Part,
        c: f64,
        constant: bool,
    ) {
        let kf = p.k as f64;
        if p.k != self.k {
            // 1/k and 1/(k − 1), once per change of k (NaN entering or leaving the window).
            (self.k, self.inv_k, self.inv_k1) = (p.k, 1.0 / kf, 1.0 / (kf - 1.0));
        }
        let dev = p.s + p.comp;
        let mut mean = c + dev * self.inv_k;
        let mut var_num = 0.0;
        if !constant {
            let v = p.q - dev * dev * self.inv_k;
            var_num = if v.is_nan() || v <= p.q * f64::from_bits((1023 - 8) << 52) {
                let (m, v) = direct(returns, t, w, s.inv, kf);
                mean = m;
                nonneg(v)
            } else {
                v
            };
        }
        // Back to return units by the power of two s (exact).
        let excess = (mean - s.rf_pp * s.inv) * s.scale;
        let sd = (var_num * self.inv_k1).sqrt() * s.scale;
        let vol = sd * s.root_p;
        let sharpe = (sd > 0.0).then(|| excess / sd * s.root_p);
        let down = p.down4 * 0.25;
        let sortino = if p.below > 0 && down > 0.0 {
            let dd = (down * self.inv_k).sqrt() * s.down;
            Some(excess / dd * s.root_p)
        } else if excess > 0.0 {
            Some(f64::INFINITY)
        } else {
            None
        };
        self.push(sharpe, Some(vol), sortino);
    }

    /// The next period's values (the series are filled in order).
    #[inline(always)]
    fn push(&mut self, sharpe: Option<f64>, vol: Option<f64>, sortino: Option<f64>) {
        self.sharpe.push(sharpe.map(Num));
        self.vol.push(vol.map(Num));
        self.sortino.push(sortino.map(Num));
    }
}

/// The rolling Sharpe, volatility and Sortino of `returns` over each window of `window`
/// periods ending at every period (null until the first whole window, and where the window
/// holds fewer than 2 finite returns): blocks of `window` periods, each window the suffix
/// sums of the previous block joined to the prefix sums of its own, about a shift (the
/// previous whole block's mean). A window longer than the series, or of 1 period, gives
/// nulls and the reason.
#[inline(never)]
fn series(returns: &[f64], window: u32, s: &Scales) -> RollingWindow {
    let n = returns.len();
    let w = usize::try_from(window).unwrap_or(usize::MAX);
    if let Some(reason) = unfit(window, w, n) {
        return unfilled(window, n, reason);
    }
    let mut c = first_shift(returns, w, s);
    // Filled in order, one push per period: no pass writing nulls first.
    let mut out = Out {
        k: 0,
        inv_k: 0.0,
        inv_k1: 0.0,
        sharpe: Vec::with_capacity(n),
        vol: Vec::with_capacity(n),
        sortino: Vec::with_capacity(n),
    };
    // suffix[i]: the sums of the previous block from its i-th period to its end.
    let mut suffix = vec![Part::default(); w + 1];
    // The window is constant unless two consecutive finite returns in it differ: `changed` is
    // the earlier index of the last such pair, `last` the last finite index.
    let (mut last, mut changed): (Option<usize>, Option<usize>) = (None, None);
    for (b, block) in returns.chunks(w).enumerate() {
        let start = b * w;
        if b > 0 {
            let prev = returns.get(start - w..start).unwrap_or_default();
            fill_suffix(&mut suffix, prev, c, s);
        }
        let mut prefix = Part::default();
        for (i, &r) in block.iter().enumerate() {
            let t = start + i;
            if !r.is_nan() {
                if let Some(p) = last
                    && returns.get(p).is_some_and(|&x| x != r)
                {
                    changed = Some(p);
                }
                last = Some(t);
            }
            prefix.add(r, c, s);
            if t + 1 < w {
                out.push(None, None, None);
                continue;
            }
            // The window starts in the previous block at its period i + 1 (or is this block).
            let sums = match suffix.get(i + 1) {
                Some(suf) if i + 1 < w => suf.then(&prefix),
                _ => prefix,
            };
            if sums.k >= 2 {
                let constant = changed.is_none_or(|p| p + w <= t);
                out.put(returns, t, w, s, &sums, c, constant);
            } else {
                out.push(None, None, None);
            }
        }
        // The next block's shift: this block's mean, when it is whole and has a finite return.
        if block.len() == w && prefix.k > 0 {
            let m = c + (prefix.s + prefix.comp) / prefix.k as f64;
            if m.is_finite() {
                c = m;
            }
        }
    }
    RollingWindow {
        window,
        sharpe: out.sharpe,
        volatility: out.vol,
        sortino: out.sortino,
        reason: None,
    }
}

/// Why a window of `window` (= `w`) periods has no value over `n` periods: it is longer
/// than the series, or of 1 period (no standard deviation); `None` when it can have values.
fn unfit(window: u32, w: usize, n: usize) -> Option<String> {
    if w > n {
        Some(format!(
            "the window of {window} periods is longer than the series ({n} periods)"
        ))
    } else if w < 2 {
        Some("a window of 1 period has no standard deviation".to_string())
    } else {
        None
    }
}

/// A window of `window` periods over `n` periods with no value, and why.
fn unfilled(window: u32, n: usize, reason: String) -> RollingWindow {
    let nulls = || vec![None; n];
    RollingWindow {
        window,
        sharpe: nulls(),
        volatility: nulls(),
        sortino: nulls(),
        reason: Some(reason),
    }
}

/// The first block's shift: the mean of the first `w` periods' finite returns, scaled by
/// `s.inv` (0 when they are all NaN).
#[inline]
fn first_shift(returns: &[f64], w: usize, s: &Scales) -> f64 {
    let (mut c, mut k0) = (0.0, 0u32);
    for r in returns.iter().take(w).filter(|r| !r.is_nan()) {
        c += r * s.inv;
        k0 += 1;
    }
    if k0 > 0 {
        c /= f64::from(k0);
    }
    c
}

/// Sets `suffix[i]` to the sums of the previous block `prev` from its i-th period to its end,
/// about the shift `c` (summed backwards; `suffix[w]` stays as it is).
#[inline]
fn fill_suffix(suffix: &mut [Part], prev: &[f64], c: f64, s: &Scales) {
    let mut acc = Part::default();
    for (slot, &r) in suffix.iter_mut().zip(prev).rev() {
        acc.add(r, c, s);
        *slot = acc;
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
        // The corrected two-pass variance: Σ(r − mean) carries the first pass's rounding of
        // the mean, which matters when the spread is 10⁻⁹ of the level.
        let dev = v.iter().map(|r| r - mean).sum::<f64>();
        let var = (v.iter().map(|r| (r - mean).powi(2)).sum::<f64>() - dev * dev / k) / (k - 1.0);
        let mean = mean + dev / k;
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
    fn long_series_across_blocks_offsets_and_magnitudes_match_the_naive_recomputation() {
        // 12,007 periods in five regimes of 2,500 (a mean offset of 1 with σ 3e-7, about 41
        // bits of cancellation about 0; noise; σ 3e-10 around −0.5; 1e3 ± 3; 1e-3), NaN
        // gaps, a partial last block: windows straddle every block boundary and regime shift.
        let mut seed = 13u64;
        let xs: Vec<f64> = (0..12_007)
            .map(|i| {
                let u = lcg(&mut seed) - 0.5;
                let (level, spread) = [
                    (1.0, 1e-6),
                    (0.0, 1e-2),
                    (-0.5, 1e-9),
                    (1e3, 10.0),
                    (1e-3, 1e-4),
                ][i / 2500];
                if i % 101 == 7 {
                    f64::NAN
                } else {
                    level + spread * u
                }
            })
            .collect();
        check(&xs, &[2, 63, 252, 1000], 0.0, 1e-9);
        check(&xs, &[126], 1e-4, 1e-9);
        // The same series times 2⁻⁹⁹⁷ (≈ 7.5e-301) and 2⁹⁶³ (≈ 1.2e290), exact scalings: ratios
        // unchanged, volatility scaled (the naive squares would underflow or overflow, so it
        // is the reference on the series above).
        let want = block(&xs, &[63, 1000], 252.0, 0.0);
        for f in [2f64.powi(-997), 2f64.powi(963)] {
            let ys: Vec<f64> = xs.iter().map(|x| x * f).collect();
            let got = block(&ys, &[63, 1000], 252.0, 0.0);
            for (g, e) in got.windows.iter().zip(&want.windows) {
                for t in 0..xs.len() {
                    let v = e.volatility[t].map(|v| v.get() * f);
                    assert!(
                        close(g.sharpe[t].map(Num::get), e.sharpe[t].map(Num::get), 1e-9)
                            && close(g.volatility[t].map(Num::get), v, 1e-9)
                            && close(g.sortino[t].map(Num::get), e.sortino[t].map(Num::get), 1e-9),
                        "×{f:e} w {} t {t}",
                        e.window
                    );
                }
            }
        }
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
