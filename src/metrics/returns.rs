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
//! Numerics: the series is first divided by a power of two near its largest magnitude (exact,
//! and it keeps squares of 1e300 from overflowing; the downside terms, bounded by 1 + |rf_pp|,
//! get their own scale so they do not underflow beside huge gains); sums are blocked and
//! compensated (see `sum.rs`); the variance is two-pass with the compensated correction term
//! `(Σd² − (Σd)²/n) / (n − 1)`, `d = r − mean`. A series whose finite values are all equal has
//! exactly zero deviation.

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
        let mut range = Range {
            n: 0,
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
        };
        for (i, &r) in returns.iter().enumerate() {
            if (-1.0..f64::INFINITY).contains(&r) {
                range.n += 1;
                if r < range.lo {
                    range.lo = r;
                }
                if r > range.hi {
                    range.hi = r;
                }
                continue;
            }
            if r.is_nan() {
                continue;
            }
            if r.is_infinite() {
                return Err(Error::new(
                    Code::NotFinite,
                    format!("/{i}"),
                    format!("return `{r}` is not a finite number"),
                )
                .with_help("use NaN (or null) for a missing period; it is dropped"));
            }
            if r < -1.0 {
                return Err(Error::new(
                    Code::InvalidValue,
                    format!("/{i}"),
                    format!("return `{r}` is below -1, a loss of more than 100 %"),
                )
                .with_help(
                    "a long-only account cannot lose more than it holds; returns are fractions \
                     (-0.05 is -5 %)",
                ));
            }
        }
        Ok(range)
    }
}

impl Moments {
    /// The moments of the non-NaN samples of `returns` (which must hold no infinity), given
    /// their range from [`Range::of`].
    pub(crate) fn of(returns: &[f64], range: Range, rf_pp: f64) -> Moments {
        let Range { n, lo, hi } = range;
        let scale = pow2_scale(lo.abs().max(hi.abs()).max(rf_pp.abs()));
        let inv = 1.0 / scale;
        let rf = rf_pp * inv;
        // Excesses below rf_pp lie in [−1 − |rf_pp|, 0) since r ≥ −1: their own scale keeps
        // their squares from underflowing when the series also holds huge gains.
        let down_scale = pow2_scale(1.0 + rf_pp.abs());
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
            Some(((sq.value() - dv * dv / nf) / (nf - 1.0)).max(0.0))
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

pub(crate) fn needs_two(n: u64) -> String {
    format!("needs at least 2 finite samples, got {n}")
}

pub(crate) fn no_samples() -> String {
    "no finite samples".to_string()
}
