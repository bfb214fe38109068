//! The compounded equity curve and its drawdowns.
//!
//! The curve starts at 1 (or at V₀ for [`equity_curve`]) and moves by `Vₜ = Vₜ₋₁ · (1 + rₜ)`;
//! a NaN return is a flat period (`Vₜ = Vₜ₋₁`). The start counts as a peak. The drawdown at t is
//! `Vₜ / max_{s ≤ t} V_s − 1`, a value in [−1, 0]; a return of −1 (−100 %) sends the equity to
//! 0 for good and the drawdown to −1.
//!
//! - `max_drawdown` = min over t of the drawdown (≤ 0);
//! - `time_under_water` = #(periods with drawdown < 0) / #periods, NaN periods included;
//! - `longest_drawdown` = the longest run of consecutive periods with drawdown < 0.
//!
//! Numerics: the drawdown is carried directly (reset to 0 on a new peak), as `d` near the peak
//! and as `1 + d` deep below it (see `Drawdown`), so returns of 1e-12 and recoveries from
//! −99.9999 % both keep their precision; |d| ≤ 1, so nothing overflows, however large the
//! equity grows. The total growth `L = log ∏(1 + r)` is a compensated sum of `log1p` of block
//! growths (see `Growth`); the growth factor at the running peak is `exp(L)` at that peak,
//! evaluated once per drawdown episode for the PnL block.

use super::sum::Sum;

/// The drawdown below the running peak, `d = V / peak − 1`, carried in the form that keeps
/// its precision: `d` itself while d ≥ −½ (`d ← d·(1 + r) + r`: `1 + r` only multiplies d, so
/// its rounding is scaled by |d| and tiny returns keep their relative precision), and
/// `u = 1 + d` below that (`u ← u·(1 + r)`: relative precision of u however close to 0 the
/// account falls, so a recovery from −99.9999 % is exact to a few ulps). The switches are
/// exact: `1 + d` for d ∈ [−1, −½] and `u − 1` for u ∈ [½, 2] (Sterbenz). A return ≤ −½ is
/// always taken in the u form, where `1 + r` is exact.
#[derive(Debug, Clone, Copy, Default)]
struct Drawdown {
    /// The drawdown, ≤ 0 (≥ 0 right after a step that makes a new peak).
    d: f64,
    /// `1 + d`, meaningful while `deep`.
    u: f64,
    deep: bool,
}

impl Drawdown {
    /// The drawdown after a finite return `r > −1`; a non-negative result is a new peak (call
    /// [`Drawdown::reset`]).
    #[inline]
    fn step(&mut self, r: f64) -> f64 {
        if self.deep || r < -0.5 {
            let u = if self.deep { self.u } else { 1.0 + self.d };
            self.u = u * (1.0 + r);
            self.deep = self.u < 0.5;
            self.d = self.u - 1.0;
        } else {
            self.d = self.d * (1.0 + r) + r;
            if self.d < -0.5 {
                self.deep = true;
                self.u = 1.0 + self.d;
            }
        }
        self.d
    }

    /// A new peak: drawdown 0.
    fn reset(&mut self) {
        *self = Drawdown::default();
    }

    /// A −100 % return: the account is at 0 for good.
    fn ruin(&mut self) {
        *self = Drawdown {
            d: -1.0,
            u: 0.0,
            deep: true,
        };
    }
}

/// What one pass over the curve yields.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CurveStats {
    /// All periods, NaN ones included.
    pub periods: u64,
    /// Whether a −100 % return sent the equity to 0.
    pub ruined: bool,
    /// `Σ log1p(r)` over finite returns before ruin: the log of the final growth factor.
    pub log_growth: f64,
    /// The log of the highest growth factor reached (≥ 0; the start is a peak).
    pub peak_log_growth: f64,
    /// min over t of the drawdown, in [−1, 0].
    pub max_drawdown: f64,
    /// Periods with drawdown < 0.
    pub under_water: u64,
    /// Longest run of consecutive periods with drawdown < 0.
    pub longest_drawdown: u64,
    /// min over t of (growth factor − peak growth factor), ≤ 0: the worst drawdown in units of
    /// V₀.
    pub worst_drop: f64,
}

/// Growth since the last flush, `g = ∏(1 + r) − 1` over the block, carried like the drawdown
/// (`g·(1 + r) + r`, precise for small g and r) and flushed into the compensated log sum as
/// `log1p(g)` every [`GROWTH_BLOCK`] periods, when it leaves [−½, 1], at a return beyond ±½
/// (taken by `log1p` directly) and whenever the log growth itself is needed: one `log1p` per
/// block instead of per period.
#[derive(Debug, Clone, Copy, Default)]
struct Growth {
    flushed: Sum,
    g: f64,
    steps: u32,
}

/// Periods per `log1p` of [`Growth`].
const GROWTH_BLOCK: u32 = 64;

impl Growth {
    #[inline]
    fn step(&mut self, r: f64) {
        if r.abs() > 0.5 {
            self.flush();
            self.flushed.add(libm::log1p(r));
            return;
        }
        self.g = self.g * (1.0 + r) + r;
        self.steps += 1;
        if self.steps >= GROWTH_BLOCK || !(-0.5..=1.0).contains(&self.g) {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.g != 0.0 {
            self.flushed.add(libm::log1p(self.g));
        }
        self.g = 0.0;
        self.steps = 0;
    }

    /// `(flushed log sum, g)`: the log growth is `flushed + log1p(g)`.
    fn mark(&self) -> (f64, f64) {
        (self.flushed.value(), self.g)
    }
}

fn log_of(mark: (f64, f64)) -> f64 {
    mark.0 + libm::log1p(mark.1)
}

impl CurveStats {
    /// One pass over `returns` (no infinities, nothing below −1).
    pub(crate) fn of(returns: &[f64]) -> CurveStats {
        let mut s = CurveStats::default();
        let mut growth = Growth::default();
        let mut dd = Drawdown::default();
        let mut d = 0.0f64;
        // The current drawdown episode: its length so far and deepest point.
        let mut run = 0u64;
        let mut low = 0.0f64;
        // The growth at the running peak, kept unevaluated until an episode needs it.
        let mut peak = (0.0, 0.0);
        for &r in returns {
            s.periods += 1;
            if r.is_nan() || s.ruined {
                // Flat period (a ruined account stays at 0).
            } else if r <= -1.0 {
                s.ruined = true;
                dd.ruin();
                d = -1.0;
            } else {
                growth.step(r);
                d = dd.step(r);
                if d >= 0.0 {
                    if run > 0 {
                        s.close_episode(run, low, log_of(peak));
                        run = 0;
                        low = 0.0;
                    }
                    dd.reset();
                    d = 0.0;
                    peak = growth.mark();
                }
            }
            if d < 0.0 {
                run += 1;
                low = low.min(d);
            }
        }
        s.peak_log_growth = log_of(peak).max(0.0);
        if run > 0 {
            s.close_episode(run, low, s.peak_log_growth);
        }
        s.log_growth = log_of(growth.mark());
        s
    }

    /// Records a drawdown episode of `run` periods whose deepest point is `low` below a peak
    /// of log growth `peak_log`.
    fn close_episode(&mut self, run: u64, low: f64, peak_log: f64) {
        self.under_water += run;
        self.longest_drawdown = self.longest_drawdown.max(run);
        self.max_drawdown = self.max_drawdown.min(low);
        self.worst_drop = self.worst_drop.min(libm::exp(peak_log) * low);
    }
}

/// The account equity `[V₀, V₁, …, V_n]` (n + 1 values) of a long-only compounding account:
/// `Vₜ = Vₜ₋₁ · (1 + rₜ)`, evaluated as `Vₜ₋₁ + Vₜ₋₁·rₜ` (or `Vₜ₋₁·(1 + rₜ)` for a loss
/// beyond ½, where `1 + rₜ` is exact), so each period adds at most about one rounding however
/// small the return or deep the loss; exactly 0 after a −100 % return. A NaN return is a flat
/// period. Amounts beyond the `f64` range saturate to `+∞`.
///
/// # Errors
/// - `E_INVALID_VALUE` at `""` when `initial` is not a finite number > 0;
/// - the errors of [`validate_returns`](super::validate_returns) (`E_NOT_FINITE` for ±∞,
///   `E_INVALID_VALUE` for a return below −1, at `/<index>`).
///
/// ```
/// let v = worldgate::metrics::equity_curve(&[0.1, f64::NAN, -0.5], 100.0).unwrap();
/// assert_eq!(v, vec![100.0, 110.0, 110.0, 55.0]);
/// ```
pub fn equity_curve(returns: &[f64], initial: f64) -> Result<Vec<f64>, crate::Error> {
    super::validate_returns(returns)?;
    if !(initial.is_finite() && initial > 0.0) {
        return Err(crate::Error::new(
            crate::Code::InvalidValue,
            "",
            format!("initial capital must be a finite number greater than 0, got `{initial}`"),
        ));
    }
    let mut out = Vec::with_capacity(returns.len() + 1);
    let mut v = initial;
    out.push(v);
    for &r in returns {
        // As `Drawdown`: `V + V·r` keeps a small return's low bits, `V·(1 + r)` is exact in
        // its `1 + r` for a loss beyond ½.
        if r < -0.5 {
            v *= 1.0 + r;
        } else if !r.is_nan() {
            v += v * r;
        }
        out.push(v);
    }
    Ok(out)
}

/// The drawdown curve `[0, d₁, …, d_n]` (n + 1 values, aligned with [`equity_curve`]) of the
/// compounded equity curve: `dₜ = Vₜ / max_{s ≤ t} V_s − 1 ∈ [−1, 0]`, the start a peak, NaN
/// returns flat.
///
/// # Errors
/// The errors of [`validate_returns`](super::validate_returns).
///
/// ```
/// let d = worldgate::metrics::drawdown_curve(&[0.25, -0.2, 0.1, -1.0]).unwrap();
/// // equity 1, 1.25, 1, 1.1, 0; peak 1.25 → drawdowns 0, 0, −0.2, −0.12, −1.
/// assert_eq!(d.len(), 5);
/// assert!((d[3] + 0.12).abs() < 1e-15 && d[4] == -1.0);
/// ```
pub fn drawdown_curve(returns: &[f64]) -> Result<Vec<f64>, crate::Error> {
    super::validate_returns(returns)?;
    let mut out = Vec::with_capacity(returns.len() + 1);
    let mut dd = Drawdown::default();
    out.push(0.0);
    for &r in returns {
        // A ruined account has u = 0, which no later return changes.
        if r.is_nan() {
            // flat
        } else if r <= -1.0 {
            dd.ruin();
        } else if dd.step(r) >= 0.0 {
            dd.reset();
        }
        out.push(dd.d.max(-1.0));
    }
    Ok(out)
}
