//! Moments of the finite returns and the statistics built on them: mean, volatility, Sharpe,
//! Sortino, win rate, profit factor.
//!
//! Conventions (P = periods per year, rf the yearly risk-free rate, n the number of finite
//! samples; NaN samples are dropped before anything else):
//! - `rf_pp = (1 + rf)^(1/P) − 1`, evaluated as `expm1(log1p(rf) / P)`;
//! - `volatility = std(r, ddof=1) · √P`;
//! - `sharpe = mean(r − rf_pp) / std(r − rf_pp, ddof=1) · √P`; the deviation of `r − rf_pp` is
//!   the deviation of `r` (a shift does not change it), so it is computed once from `r`;
//! - `sortino = mean(r − rf_pp) / dd · √P` with the downside deviation
//!   `dd = √(Σ min(r − rf_pp, 0)² / n)` (divided by n, not n − 1, as empyrical does);
//! - `win_rate = #(r > 0) / #(r ≠ 0)`;
//! - `profit_factor = Σ_{r ≥ 0} r / |Σ_{r < 0} r|`.
//!
//! Numerics: sums are blocked and compensated (see `sum.rs`). The fast path
//! ([`Moments::from_sums`], from the fused pass's [`MomentSums`]) takes series whose largest
//! magnitude lies in [2⁻⁴⁰⁰, 2⁴⁰⁰] unscaled (squares and their sums can neither overflow nor
//! lose the deviations to underflow there); the variance is `(Σd² − (Σd)²/n) / (n − 1)` with
//! `d = r − c`, c the mean of the first samples, accepted when `Σd² ≥ 2(Σd)²/n` (the
//! subtraction then loses less than a bit), else computed again about the mean in a second
//! pass. Other series take the careful path ([`Moments::of`]): divided first by a power of two
//! near their largest magnitude (exact, and it keeps squares of 1e300 from overflowing; the
//! downside terms, bounded by 1 + |rf_pp|, get their own scale so they do not underflow beside
//! huge gains), variance two-pass with the same correction term, `d = r − mean`. A series whose
//! finite values are all equal has exactly zero deviation.

use super::lanes::{C2, F2};
use super::sum::{BLOCK, Sum, pow2_scale};
use crate::error::{Code, Error};

/// Everything the returns statistics need, from two passes over the finite samples.
///
/// Sums and moments are of the *scaled* series `r / scale`; ratios (Sharpe, Sortino, profit
/// factor) need no unscaling.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moments {
    /// Number of finite samples.
    pub n: u64,
    /// The power of two the series was divided by.
    pub scale: f64,
    /// (mean(r) − rf_pp) / scale.
    pub excess_mean: f64,
    /// var(r, ddof=1) / scale²; `None` when n < 2.
    pub variance: Option<f64>,
    /// √(Σ min(r − rf_pp, 0)² / n) / scale; `None` when n = 0.
    pub downside: Option<f64>,
    /// Σ_{r ≥ 0} r / scale.
    pub gains: f64,
    /// Σ_{r < 0} r / scale (≤ 0).
    pub losses: f64,
    /// #(r > 0).
    pub positive: u64,
    /// #(r ≠ 0).
    pub nonzero: u64,
}

/// The per-period risk-free rate `(1 + rf)^(1/P) − 1`, as `expm1(log1p(rf) / P)`.
pub(crate) fn per_period_rate(rf_per_year: f64, periods_per_year: f64) -> f64 {
    libm::expm1(libm::log1p(rf_per_year) / periods_per_year)
}

/// Count and range of the finite samples, found while validating.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range {
    pub n: u64,
    pub lo: f64,
    pub hi: f64,
}

impl Range {
    /// Checks `returns` (NaN allowed, no ±∞, nothing below −1) and measures the finite ones.
    ///
    /// # Errors
    /// At `/<index>` of the first offending sample: `E_NOT_FINITE` for ±∞, `E_INVALID_VALUE`
    /// for a return below −1.
    pub(crate) fn of(returns: &[f64]) -> Result<Range, Error> {
        let mut range = Range::EMPTY;
        for (i, &r) in returns.iter().enumerate() {
            if (-1.0..f64::INFINITY).contains(&r) {
                range.add(r);
            } else if !r.is_nan() {
                return Err(out_of_domain(i, r));
            }
        }
        Ok(range)
    }

    /// No sample yet.
    pub(crate) const EMPTY: Range = Range {
        n: 0,
        lo: f64::INFINITY,
        hi: f64::NEG_INFINITY,
    };

    /// One sample in the domain.
    #[inline(always)]
    fn add(&mut self, r: f64) {
        self.n += 1;
        if r < self.lo {
            self.lo = r;
        }
        if r > self.hi {
            self.hi = r;
        }
    }

    /// Widens the range to a block's lowest and highest non-NaN samples (±∞ for none) without
    /// checking them (see [`Range::in_domain`]); `n` is left to the caller. Comparisons, not
    /// `f64::min`: which zero a tie keeps must not depend on the target.
    #[inline(always)]
    pub(crate) fn widen(&mut self, lo: f64, hi: f64) {
        if lo < self.lo {
            self.lo = lo;
        }
        if hi > self.hi {
            self.hi = hi;
        }
    }

    /// Whether every sample [`widen`](Range::widen) saw is NaN or in [−1, ∞).
    #[inline(always)]
    pub(crate) fn in_domain(&self) -> bool {
        self.lo >= -1.0 && self.hi < f64::INFINITY
    }

    /// The error of the first sample of `block` (at index `offset` of the series) outside the
    /// domain, if any.
    pub(crate) fn first_error(block: &[f64], offset: usize) -> Option<Error> {
        (block.iter().enumerate())
            .find(|(_, r)| !(r.is_nan() || (-1.0..f64::INFINITY).contains(*r)))
            .map(|(i, &r)| out_of_domain(offset + i, r))
    }
}

/// `E_NOT_FINITE` for ±∞, `E_INVALID_VALUE` for a return below −1, at `/<i>`.
fn out_of_domain(i: usize, r: f64) -> Error {
    if r.is_infinite() {
        Error::new(
            Code::NotFinite,
            format!("/{i}"),
            format!(
                "return `{}` is not a finite number",
                crate::json::float::Brief(r)
            ),
        )
        .with_help("use NaN (or null) for a missing period; it is dropped")
    } else {
        Error::new(
            Code::InvalidValue,
            format!("/{i}"),
            format!(
                "return `{}` is below -1, a loss of more than 100 %",
                crate::json::float::Brief(r)
            ),
        )
        .with_help(
            "a long-only account cannot lose more than it holds; returns are fractions \
             (-0.05 is -5 %)",
        )
    }
}

/// Per-sample sums of the fused pass (`pass.rs`): plain within a block ([`BlockSums`]),
/// compensated across blocks. Unscaled: the pass is the fast path for series whose magnitudes
/// lie in [2⁻⁴⁰⁰, 2⁴⁰⁰] (see [`Moments::from_sums`]); other series are redone by
/// [`Moments::of`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct MomentSums {
    /// The shift c of the deviations d = r − c: the mean of the first finite samples.
    shift: f64,
    rf_pp: f64,
    dev: Sum,
    sq: Sum,
    gains: Sum,
    losses: Sum,
    down: Sum,
    positive: u64,
    zeros: u64,
}

/// A block's plain sums: Σd, Σd², Σ_{r>0} r, Σ_{r<0} r, Σ min(r − rf_pp, 0)² (unscaled: the
/// fast path has |rf_pp| ≤ 2⁴⁰⁰), and the counts of r > 0 and r = 0; with the constants of the
/// sums.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlockSums {
    shift: f64,
    rf_pp: f64,
    dev: f64,
    sq: f64,
    gains: f64,
    losses: f64,
    down: f64,
    positive: u32,
    zeros: u32,
}

/// Samples that set the shift of [`MomentSums`].
const SHIFT_SAMPLES: usize = 64;

impl MomentSums {
    /// Sums for `returns` (the shift is read from its first samples).
    pub(crate) fn new(returns: &[f64], rf_pp: f64) -> MomentSums {
        let (mut s, mut k) = (0.0, 0u32);
        for &r in returns.iter().filter(|r| !r.is_nan()).take(SHIFT_SAMPLES) {
            s += r;
            k += 1;
        }
        let shift = if k > 0 && s.is_finite() {
            s / f64::from(k)
        } else {
            0.0
        };
        MomentSums {
            shift,
            rf_pp,
            dev: Sum::default(),
            sq: Sum::default(),
            gains: Sum::default(),
            losses: Sum::default(),
            down: Sum::default(),
            positive: 0,
            zeros: 0,
        }
    }
}

impl BlockSums {
    fn new(shift: f64, rf_pp: f64) -> BlockSums {
        BlockSums {
            shift,
            rf_pp,
            dev: 0.0,
            sq: 0.0,
            gains: 0.0,
            losses: 0.0,
            down: 0.0,
            positive: 0,
            zeros: 0,
        }
    }

    /// One sample (NaN contributes nothing). Branch- and select-free (a random sign would
    /// mispredict half the time, and wasm engines may compile a float `select` to a branch):
    /// `r + |r|` is `2·max(r, 0)` and `r − |r|` is `2·min(r, 0)` exactly, NaN is masked out
    /// through the bits.
    #[inline(always)]
    fn add(&mut self, r: f64) {
        let keep = mask(!r.is_nan());
        let x = f64::from_bits(r.to_bits() & keep);
        let d = f64::from_bits((r - self.shift).to_bits() & keep);
        self.dev += d;
        self.sq += d * d;
        self.gains += x + x.abs();
        self.losses += x - x.abs();
        let e = r - self.rf_pp;
        let m = f64::from_bits((e - e.abs()).to_bits() & keep);
        self.down += m * m;
        self.positive += u32::from(r > 0.0);
        self.zeros += u32::from(r == 0.0);
    }

    /// The sums of two halves of a block.
    #[inline(always)]
    fn merge(self, o: BlockSums) -> BlockSums {
        BlockSums {
            dev: self.dev + o.dev,
            sq: self.sq + o.sq,
            gains: self.gains + o.gains,
            losses: self.losses + o.losses,
            down: self.down + o.down,
            positive: self.positive + o.positive,
            zeros: self.zeros + o.zeros,
            ..self
        }
    }
}

impl MomentSums {
    /// Empty lane sums for a block ([`MomentSums::fold`] takes them back).
    #[inline(always)]
    pub(crate) fn lanes(&self) -> LaneSums {
        let zero = F2::splat(0.0);
        LaneSums {
            shift: F2::splat(self.shift),
            rf2: F2::splat(2.0 * self.rf_pp),
            dev: zero,
            sq: zero,
            gains: zero,
            losses: zero,
            down: zero,
            positive: C2::zero(),
            zeros: C2::zero(),
            lo: F2::splat(f64::INFINITY),
            hi: F2::splat(f64::NEG_INFINITY),
        }
    }

    /// Folds a block's lane sums (of its samples but the `last` of an odd-length block) into
    /// the compensated totals; gives the block's lowest and highest non-NaN sample (±∞ when it
    /// has none) and its NaN count. A block holding a NaN (or an infinity, or whose sums
    /// overflow) has its lane sums dropped and is summed again sample by sample, NaNs masked.
    #[inline(always)]
    pub(crate) fn fold(
        &mut self,
        lanes: LaneSums,
        block: &[f64],
        last: Option<f64>,
    ) -> (f64, f64, u32) {
        let ([mut b, odd], mut lo, mut hi) = lanes.split(self.shift, self.rf_pp);
        if let Some(r) = last {
            (lo, hi) = (if r < lo { r } else { lo }, if r > hi { r } else { hi });
            b.add(r);
        }
        let mut nans = 0;
        if (b.dev + odd.dev).is_finite() && !last.is_some_and(f64::is_nan) {
            b = b.merge(odd);
        } else {
            b = BlockSums::new(self.shift, self.rf_pp);
            (lo, hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for &r in block {
                b.add(r);
                nans += u32::from(r.is_nan());
                (lo, hi) = (if r < lo { r } else { lo }, if r > hi { r } else { hi });
            }
        }
        self.dev.add(b.dev);
        self.sq.add(b.sq);
        // The block sums are of 2·max(r, 0), 2·min(r, 0) and (2·min(e, 0))²: halved and
        // quartered (exactly) here.
        self.gains.add(b.gains * 0.5);
        self.losses.add(b.losses * 0.5);
        self.down.add(b.down * 0.25);
        self.positive += u64::from(b.positive);
        self.zeros += u64::from(b.zeros);
        (lo, hi, nans)
    }
}

/// A block's [`BlockSums`] in two lanes, the even and the odd samples (independent chains,
/// one vector register each where the target has them: see `lanes.rs`), with the block's
/// lowest and highest sample.
#[derive(Clone, Copy)]
pub(crate) struct LaneSums {
    shift: F2,
    /// 2·rf_pp (exact).
    rf2: F2,
    dev: F2,
    sq: F2,
    gains: F2,
    losses: F2,
    down: F2,
    positive: C2,
    zeros: C2,
    lo: F2,
    hi: F2,
}

impl LaneSums {
    /// Two samples `r`, one per lane: d = r − c into Σd and Σd²; `max(2r, 0)` and `min(2r, 0)`
    /// (exactly `r + |r|` and `r − |r|`, [`BlockSums::add`]'s terms), `min(2r − 2rf_pp, 0)²`
    /// (exactly `(e − |e|)²` with e = r − rf_pp: doubling commutes with rounding); the counts
    /// of r > 0 and r = 0; the lowest and highest r. A NaN (or an infinity) makes Σd NaN (or
    /// infinite): [`MomentSums::fold`] then drops the block's lane sums and range and rescans
    /// it.
    #[inline(always)]
    pub(crate) fn add(&mut self, r: F2) {
        let zero = F2::splat(0.0);
        let d = r.sub(self.shift);
        self.dev = self.dev.add(d);
        self.sq = self.sq.add(d.mul(d));
        let r2 = r.add(r);
        self.gains = self.gains.add(r2.max(zero));
        self.losses = self.losses.add(r2.min(zero));
        let m = r2.sub(self.rf2).min(zero);
        self.down = self.down.add(m.mul(m));
        self.positive = self.positive.count(r.gt(zero));
        self.zeros = self.zeros.count(r.eq(zero));
        // `lo < r ? lo : r`, not `r < lo ? r : lo`: the running value is the select's first
        // operand, so x86's destructive `minpd`/`maxpd` update it in place (no register
        // copies). A NaN sample makes the lane's extreme NaN (and the next sample its extreme
        // again), but a block holding one is rescanned by [`MomentSums::fold`].
        self.lo = r.min(self.lo);
        self.hi = r.max(self.hi);
    }

    /// The even and the odd lane's sums, and the range of both.
    #[inline(always)]
    fn split(self, shift: f64, rf_pp: f64) -> ([BlockSums; 2], f64, f64) {
        let lane = |i: usize| {
            let at = |v: F2| v.lanes().get(i).copied().unwrap_or_default();
            BlockSums {
                dev: at(self.dev),
                sq: at(self.sq),
                gains: at(self.gains),
                losses: at(self.losses),
                down: at(self.down),
                ..BlockSums::new(shift, rf_pp)
            }
        };
        let [mut even, mut odd] = [lane(0), lane(1)];
        // At most BLOCK samples per lane: the counts fit.
        let ([p0, p1], [z0, z1]) = (self.positive.lanes(), self.zeros.lanes());
        (even.positive, odd.positive) = (p0 as u32, p1 as u32);
        (even.zeros, odd.zeros) = (z0 as u32, z1 as u32);
        let ([l0, l1], [h0, h1]) = (self.lo.lanes(), self.hi.lanes());
        let lo = if l1 < l0 { l1 } else { l0 };
        let hi = if h1 > h0 { h1 } else { h0 };
        ([even, odd], lo, hi)
    }
}

/// All ones when `keep`, else zero: an `and` with it keeps or zeroes a float's bits.
#[inline(always)]
pub(crate) fn mask(keep: bool) -> u64 {
    u64::from(keep).wrapping_neg()
}

/// The scale of the downside terms: excesses below rf_pp lie in [−1 − |rf_pp|, 0) since
/// r ≥ −1, so dividing by this power of two keeps their squares from underflowing when the
/// series also holds huge gains.
fn down_scale(rf_pp: f64) -> f64 {
    pow2_scale(1.0 + rf_pp.abs())
}

/// Magnitudes the unscaled fast path handles: squares and sums of 2⁶⁰ squares stay finite, and
/// the largest deviation of a non-constant series (≥ half an ulp of the largest magnitude)
/// squares to a normal number.
pub(crate) const FAST_MAX: f64 = f64::from_bits((1023 + 400) << 52); // 2⁴⁰⁰
const FAST_MIN: f64 = f64::from_bits((1023 - 400) << 52); // 2⁻⁴⁰⁰

impl Moments {
    /// The moments from the fused pass's sums; `None` when the series' magnitudes (or rf_pp's)
    /// lie outside [2⁻⁴⁰⁰, 2⁴⁰⁰] (all zeros is fine) and [`Moments::of`] must scale them, or
    /// when the variance needs a second pass and `returns` (the series) is not given.
    ///
    /// The variance is `(Σd² − (Σd)²/n) / (n − 1)` with d = r − c, c the mean of the first
    /// samples: one pass, accepted when `Σd² ≥ 2(Σd)²/n` (the subtraction then loses less than
    /// a bit); otherwise a second pass about the mean ([`two_pass_variance`]).
    #[inline(never)]
    pub(crate) fn from_sums(
        returns: Option<&[f64]>,
        range: Range,
        sums: &MomentSums,
        rf_pp: f64,
    ) -> Option<Moments> {
        let Range { n, lo, hi } = range;
        let amax = lo.abs().max(hi.abs());
        let in_range = |x: f64| x == 0.0 || (FAST_MIN..=FAST_MAX).contains(&x);
        if n > 0 && !(in_range(amax) && rf_pp.abs() <= FAST_MAX) {
            return None;
        }
        let nf = n as f64;
        let constant = n > 0 && lo == hi;
        let dev = sums.dev.value();
        let mean = if n == 0 {
            0.0
        } else if constant {
            lo
        } else {
            sums.shift + dev / nf
        };
        let variance = if n < 2 {
            None
        } else if constant {
            Some(0.0)
        } else {
            let sq = sums.sq.value();
            let correction = dev * dev / nf;
            Some(if sq >= 2.0 * correction {
                ((sq - correction) / (nf - 1.0)).max(0.0)
            } else {
                two_pass_variance(returns?, 1.0, mean, nf)
            })
        };
        Some(Moments {
            n,
            scale: 1.0,
            excess_mean: mean - rf_pp,
            variance,
            downside: (n > 0).then(|| (sums.down.value() / nf).sqrt()),
            gains: sums.gains.value(),
            losses: sums.losses.value(),
            positive: sums.positive,
            nonzero: n - sums.zeros,
        })
    }

    /// The moments of the non-NaN samples of `returns` (which must hold no infinity), given
    /// their range from [`Range::of`]: the careful path, for any magnitude.
    pub(crate) fn of(returns: &[f64], range: Range, rf_pp: f64) -> Moments {
        let Range { n, lo, hi } = range;
        let scale = pow2_scale(lo.abs().max(hi.abs()).max(rf_pp.abs()));
        let inv = 1.0 / scale;
        let rf = rf_pp * inv;
        let down_scale = down_scale(rf_pp);
        let down_inv = 1.0 / down_scale;

        // Pass 1: sums, plain within blocks, compensated across them (see `sum.rs`).
        // Branch-free (a random sign would mispredict half the time); NaN samples contribute 0
        // to every sum and count.
        let [mut sum, mut gains, mut losses, mut down] = [Sum::default(); 4];
        let mut positive = 0u64;
        let mut nonzero = 0u64;
        for block in returns.chunks(BLOCK) {
            let (mut s, mut g, mut l, mut dn) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
            for &r in block {
                let x = if r.is_nan() { 0.0 } else { r * inv };
                s += x;
                g += if x > 0.0 { x } else { 0.0 };
                l += if x < 0.0 { x } else { 0.0 };
                let e = (r - rf_pp) * down_inv;
                dn += if e < 0.0 { e * e } else { 0.0 };
                positive += u64::from(r > 0.0);
                nonzero += u64::from(r != 0.0 && !r.is_nan());
            }
            sum.add(s);
            gains.add(g);
            losses.add(l);
            down.add(dn);
        }
        let nf = n as f64;
        let constant = n > 0 && lo == hi;
        let mean = if n == 0 {
            0.0
        } else if constant {
            lo * inv
        } else {
            sum.value() / nf
        };

        // Pass 2: deviations from the mean.
        let variance = if n < 2 {
            None
        } else if constant {
            Some(0.0)
        } else {
            Some(two_pass_variance(returns, inv, mean, nf))
        };
        let downside = (n > 0).then(|| (down.value() / nf).sqrt() * down_scale * inv);
        Moments {
            n,
            scale,
            excess_mean: mean - rf,
            variance,
            downside,
            gains: gains.value(),
            losses: losses.value(),
            positive,
            nonzero,
        }
    }

    /// `std(r, ddof=1) · √P`.
    ///
    /// # Errors
    /// The reason when undefined: fewer than 2 samples.
    pub(crate) fn volatility(&self, periods_per_year: f64) -> Result<f64, String> {
        let var = self.variance.ok_or_else(|| needs_two(self.n))?;
        Ok(var.sqrt() * periods_per_year.sqrt() * self.scale)
    }

    /// `mean(r − rf_pp) / std(r − rf_pp, ddof=1) · √P`.
    ///
    /// # Errors
    /// The reason when undefined: fewer than 2 samples, or zero deviation.
    pub(crate) fn sharpe(&self, periods_per_year: f64) -> Result<f64, String> {
        let var = self.variance.ok_or_else(|| needs_two(self.n))?;
        if var == 0.0 {
            return Err("the returns have zero standard deviation".to_string());
        }
        Ok(self.excess_mean / var.sqrt() * periods_per_year.sqrt())
    }

    /// `mean(r − rf_pp) / √(Σ min(r − rf_pp, 0)² / n) · √P`; `+∞` when no return is below
    /// `rf_pp` and the mean excess return is positive.
    ///
    /// # Errors
    /// The reason when undefined: fewer than 2 samples, or no downside and a zero mean excess
    /// return (every return equals `rf_pp`).
    pub(crate) fn sortino(&self, periods_per_year: f64) -> Result<f64, String> {
        if self.n < 2 {
            return Err(needs_two(self.n));
        }
        let dd = self.downside.unwrap_or(0.0);
        if dd > 0.0 {
            Ok(self.excess_mean / dd * periods_per_year.sqrt())
        } else if self.excess_mean > 0.0 {
            Ok(f64::INFINITY)
        } else {
            Err("no return is below the risk-free rate and the mean excess return is 0".to_string())
        }
    }

    /// `#(r > 0) / #(r ≠ 0)`.
    ///
    /// # Errors
    /// The reason when undefined: no finite sample, or every return is 0.
    pub(crate) fn win_rate(&self) -> Result<f64, String> {
        if self.n == 0 {
            return Err(no_samples());
        }
        if self.nonzero == 0 {
            return Err("every return is 0".to_string());
        }
        Ok(self.positive as f64 / self.nonzero as f64)
    }

    /// `Σ_{r ≥ 0} r / |Σ_{r < 0} r|`: `+∞` with gains and no losses, 0 when every return
    /// is 0.
    ///
    /// # Errors
    /// The reason when undefined: no finite sample.
    pub(crate) fn profit_factor(&self) -> Result<f64, String> {
        if self.n == 0 {
            return Err(no_samples());
        }
        if self.losses < 0.0 {
            Ok(self.gains / -self.losses)
        } else if self.gains > 0.0 {
            Ok(f64::INFINITY)
        } else {
            Ok(0.0)
        }
    }
}

/// `var(r·inv, ddof=1)` about the given `mean` (of the scaled samples; n ≥ 2 of them):
/// `(Σd² − (Σd)²/n) / (n − 1)`, d = r·inv − mean, the correction term absorbing the mean's
/// rounding.
fn two_pass_variance(returns: &[f64], inv: f64, mean: f64, nf: f64) -> f64 {
    let (mut sq, mut dev) = (Sum::default(), Sum::default());
    for block in returns.chunks(BLOCK) {
        let (mut q, mut e) = (0.0f64, 0.0f64);
        for &r in block {
            let d = if r.is_nan() { 0.0 } else { r * inv - mean };
            q += d * d;
            e += d;
        }
        sq.add(q);
        dev.add(e);
    }
    let dv = dev.value();
    ((sq.value() - dv * dv / nf) / (nf - 1.0)).max(0.0)
}

pub(crate) fn needs_two(n: u64) -> String {
    format!("needs at least 2 finite samples, got {n}")
}

pub(crate) fn no_samples() -> String {
    "no finite samples".to_string()
}

#[cfg(test)]
mod tests {
    use super::{BlockSums, F2, MomentSums};
    use crate::metrics::{MetricsOptions, returns_metrics};

    /// The lane loop's sums of a NaN-free block are those of [`BlockSums::add`] over its even
    /// and its odd samples, to the bit (the doubled terms are exact), and its range is the
    /// block's; a NaN is signalled through Σd.
    #[test]
    fn lane_sums_equal_the_per_sample_sums_to_the_bit() {
        let xs: Vec<f64> = (0..255)
            .map(|i| match i % 9 {
                0 => 0.0,
                1 => -0.0,
                _ => (f64::from(i) * 0.618).sin() * 0.03,
            })
            .collect();
        let sums = MomentSums::new(&xs, 7.9e-5);
        let mut lanes = sums.lanes();
        for pair in xs.chunks_exact(2) {
            lanes.add(F2::new(pair[0], pair[1]));
        }
        let ([even, odd], lo, hi) = lanes.split(sums.shift, sums.rf_pp);
        let mut want = [BlockSums::new(sums.shift, sums.rf_pp); 2];
        for (i, &r) in xs.iter().take(254).enumerate() {
            want[i % 2].add(r);
        }
        for (got, want) in [(even, want[0]), (odd, want[1])] {
            let bits = |b: BlockSums| [b.dev, b.sq, b.gains, b.losses, b.down].map(f64::to_bits);
            assert_eq!(bits(got), bits(want));
            assert_eq!((got.positive, got.zeros), (want.positive, want.zeros));
        }
        let finite = xs.iter().take(254);
        assert_eq!(lo, finite.clone().copied().fold(f64::INFINITY, f64::min));
        assert_eq!(hi, finite.copied().fold(f64::NEG_INFINITY, f64::max));
        let mut lanes = sums.lanes();
        lanes.add(F2::new(0.01, f64::NAN));
        let ([even, odd], lo, hi) = lanes.split(sums.shift, sums.rf_pp);
        assert!(odd.dev.is_nan() && !even.dev.is_nan());
        assert_eq!((lo, hi), (0.01, 0.01));
    }

    /// 64 samples of `a`, then `m` alternating b ± δ: closed-form sample variance.
    fn two_levels(a: f64, b: f64, delta: f64, m: usize) -> (Vec<f64>, f64) {
        let mut xs = vec![a; 64];
        xs.extend((0..m).map(|i| if i % 2 == 0 { b + delta } else { b - delta }));
        let (k, mf) = (64.0, m as f64);
        let nf = k + mf;
        let mean = (k * a + mf * b) / nf;
        let var = (k * (a - mean).powi(2) + mf * ((b - mean).powi(2) + delta * delta)) / (nf - 1.0);
        (xs, var)
    }

    #[test]
    fn one_pass_variance_and_its_two_pass_fallback_agree_with_the_closed_form() {
        // The shift (the first samples' mean, a) is far from the mean: the one-pass formula
        // would cancel, so the second pass runs; then a shift near the mean (one pass).
        for (a, b) in [(0.5, 0.001), (0.001, 0.001)] {
            let (xs, var) = two_levels(a, b, 1e-4, 9936);
            let rm = returns_metrics(&xs, &MetricsOptions::default()).unwrap();
            let vol = rm.volatility.unwrap().get();
            let want = var.sqrt() * 252f64.sqrt();
            assert!((vol - want).abs() <= 1e-12 * want, "{a}: {vol} vs {want}");
        }
    }
}
