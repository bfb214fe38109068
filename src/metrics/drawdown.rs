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
//! growths (see `flush`); the growth factor at the running peak is `exp(L)` at that peak,
//! evaluated for the PnL block only for the drawdown episodes a bound cannot rule out (see
//! [`Curve`]). The fused pass (`pass.rs`) walks the curve with [`Hot::run_clean`] (four
//! periods per step of the chains, for returns known finite and within ±½), [`Hot::try_step`]
//! (one common period without calls) and [`Hot::settle`] for the rest.

use super::lanes::F2;
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

/// Growth since the last flush, `g = ∏(1 + r) − 1`, carried like the drawdown
/// (`g·(1 + r) + r`, precise for small g and r; `g` lives in [`Hot`]) and flushed into the
/// compensated log sum as `log1p(g)` at the end of every block of the pass (256 periods, see
/// `pass.rs`), when it leaves [−½, 1], at a return beyond ±½ (taken by `log1p` directly) and
/// whenever the log growth itself is needed: one `log1p` per block instead of per period.
fn flush(flushed: &mut Sum, g: f64) {
    if g != 0.0 {
        flushed.add(libm::log1p(g));
    }
}

fn log_of(mark: (f64, f64)) -> f64 {
    mark.0 + libm::log1p(mark.1)
}

/// The state of [`Curve`] that changes every period, kept apart (and copied in and out of
/// the cold paths as plain numbers) so the pass's loop holds it in registers: the drawdown in
/// its two forms `d` and `u = 1 + d` (see [`Drawdown`]), the growth `g` since the last flush,
/// the current drawdown episode's length and deepest point.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hot {
    d: f64,
    u: f64,
    g: f64,
    low: f64,
    run: u64,
    mode: Mode,
}

/// Which step a period with |r| ≤ ½ takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Drawdown ≥ −½, carried as d.
    Near,
    /// Drawdown < −½, carried as u = 1 + d.
    Deep,
    /// Ruined: every period is flat (the cold path).
    Ruined,
}

impl Default for Hot {
    fn default() -> Self {
        Hot {
            d: 0.0,
            u: 0.0,
            g: 0.0,
            low: 0.0,
            run: 0,
            mode: Mode::Near,
        }
    }
}

impl Hot {
    /// One period's common case, with no call: a return `r ≥ −1` or NaN (a flat period) that
    /// leaves the account under water with nothing to flush. Gives false when the period needs
    /// [`Hot::settle`]: then `stepped` says whether the step itself was taken (the state moved)
    /// or the whole period is left to it. Infinities and returns below −1 give meaningless (but
    /// panic-free) statistics; the pass rejects them.
    #[inline(always)]
    pub(crate) fn try_step(&mut self, r: f64, stepped: &mut bool) -> bool {
        let x = if r.is_nan() { 0.0 } else { r };
        if !((-0.5..=0.5).contains(&x) && self.mode != Mode::Ruined) {
            *stepped = false;
            return false;
        }
        self.g = self.g * (1.0 + x) + x;
        if self.mode == Mode::Near {
            self.d = self.d * (1.0 + x) + x;
            if self.d < -0.5 {
                self.u = 1.0 + self.d;
                self.mode = Mode::Deep;
            }
        } else {
            self.u *= 1.0 + x;
            self.d = self.u - 1.0;
            if self.u >= 0.5 {
                self.mode = Mode::Near;
            }
        }
        *stepped = true;
        if self.d < 0.0 && (-0.5..=1.0).contains(&self.g) {
            self.run += 1;
            // min(low, d) without a branch or a float select (a new low of the episode is a
            // coin flip): both are ≤ 0 (low starts at +0), where a larger bit pattern is a
            // lower value.
            self.low = f64::from_bits(self.low.to_bits().max(self.d.to_bits()));
            true
        } else {
            false
        }
    }

    /// [`Hot::try_step`] over the leading periods of `xs` that are common cases, for a run of
    /// returns already known to be finite and within ±½ (no NaN), four periods at a time: the
    /// per-period checks of the return and the mode are hoisted out (one loop per mode), and
    /// the four periods' steps are composed so the dependency chain of the drawdown (and of
    /// the growth) is one multiply and one add per *four* periods (see below). Gives how many
    /// periods it took (a multiple of 4); the first period it did not take is for
    /// [`Hot::try_step`] (and [`Hot::settle`]), untouched.
    ///
    /// Both d and g step by the same affine map `y ↦ y·(1 + x) + x`; k steps compose to
    /// `y ↦ y·A_k + B_k` with `A_k = A_{k−1}·(1 + x_k)` and `B_k = B_{k−1}·(1 + x_k) + x_k`
    /// (A₁ = 1 + x₁, B₁ = x₁), computed off the chain. B keeps a small return's relative
    /// precision as the single step does (its terms are scaled by the returns, never added to
    /// 1), and A multiplies d, so the rounding of A is scaled by |d|: a group's error is a few
    /// ulps of d, as four single steps'. The intermediate drawdowns `d·A_k + B_k` (for the
    /// peak, mode and deepest-point checks) are computed beside the chain from the same d.
    /// The deep form steps `u ↦ u·A`. The growth is checked against its flush range at the
    /// group's end.
    #[inline(always)]
    pub(crate) fn run_clean(&mut self, xs: &[f64]) -> usize {
        let (near, more) = match self.mode {
            Mode::Near => self.run_near8(xs),
            Mode::Deep => self.run_deep8(xs),
            Mode::Ruined => (0, false),
        };
        if !more {
            return near;
        }
        let xs = xs.get(near..).unwrap_or_default();
        let (mut d, mut u, mut g, mut low) = (self.d, self.u, self.g, self.low.to_bits());
        // The checks and the lowest point compare bit patterns as integers (no float select:
        // which of two periods is lower is a coin flip, and wasm engines compile a float
        // select to a branch; an integer one is a conditional move). Among values ≤ 0 (low
        // starts at +0) a larger pattern is a lower value; among values ≥ 0 a smaller one.
        const NEG_ZERO: u64 = 0x8000_0000_0000_0000; // −0
        const NEG_HALF: u64 = 0xbfe0_0000_0000_0000; // −½
        const HALF: u64 = 0x3fe0_0000_0000_0000; // ½
        let mut taken = 0;
        if self.mode != Mode::Ruined {
            let deep = self.mode == Mode::Deep;
            for quad in xs.chunks_exact(4) {
                let &[x1, x2, x3, x4] = quad else { break };
                let (a1, a2, a3, a4) = (1.0 + x1, 1.0 + x2, 1.0 + x3, 1.0 + x4);
                let (a12, b12) = (a1 * a2, x1 * a2 + x2);
                let (a123, b123) = (a12 * a3, b12 * a3 + x3);
                let (a, b) = (a123 * a4, b123 * a4 + x4);
                let g4 = g * a + b;
                let growing = (-0.5..=1.0).contains(&g4);
                if deep {
                    let (u1, u2) = ((u * a1).to_bits(), (u * a12).to_bits());
                    let (u3, u4) = ((u * a123).to_bits(), (u * a).to_bits());
                    // u > 0: the largest pattern is the highest u, the smallest the lowest.
                    let highest = u1.max(u2).max(u3.max(u4));
                    // Deep stays deep (u < ½, so d = u − 1 < −½ is under water).
                    if !(highest < HALF && growing) {
                        break;
                    }
                    let lowest = f64::from_bits(u1.min(u2).min(u3.min(u4)));
                    (u, g) = (f64::from_bits(u4), g4);
                    // u − 1 is monotone in u: the lowest u gives the lowest d.
                    low = low.max((lowest - 1.0).to_bits());
                } else {
                    let (d1, d2, d3, d4) = (d * a1 + x1, d * a12 + b12, d * a123 + b123, d * a + b);
                    let (b1, b2, b3, b4) = (d1.to_bits(), d2.to_bits(), d3.to_bits(), d4.to_bits());
                    // With every d < 0 the largest pattern is the lowest d and the smallest the
                    // highest; a d ≥ +0 (a pattern below −0's) makes `highest` one too.
                    let (lowest, highest) =
                        (b1.max(b2).max(b3.max(b4)), b1.min(b2).min(b3.min(b4)));
                    // Near stays near (d ≥ −½), under water (d < 0, −0 is not), nothing to flush.
                    if !(lowest <= NEG_HALF && highest > NEG_ZERO && growing) {
                        break;
                    }
                    (d, g) = (d4, g4);
                    low = low.max(lowest);
                }
                taken += 4;
            }
            if deep && taken > 0 {
                d = u - 1.0;
            }
        }
        let low = f64::from_bits(low);
        (self.d, self.u, self.g, self.low) = (d, u, g, low);
        self.run += taken as u64;
        near + taken
    }

    /// The near-mode groups of [`Hot::run_clean`] two at a time, eight periods per step: the
    /// two groups' compositions (A, B) and their intermediate prefixes in the two lanes of
    /// [`F2`] (lane 0 the first four periods, lane 1 the next four), the drawdowns between
    /// them as `[d, d₄]·A_k + B_k` and their lowest and highest in lanes too. The chains (d and
    /// the growth g) step once per eight periods, by the composed map `y ↦ y·A₈ + B₈` with
    /// `A₈ = A·A′` and `B₈ = B·A′ + B′` (A, B and A′, B′ the two groups'), computed off the
    /// chain: as for a group of four (see `run_clean`), B₈ keeps a small return's relative
    /// precision and A₈'s rounding is scaled by |d|, so d moves by an ulp or so against two
    /// four-period steps (the drawdowns in between are exactly those of `run_clean`). A pair
    /// of groups that is not all near, under water and growing is left to `run_clean`'s loop,
    /// untouched, but for the groups of four `run_clean`'s loop would take next: the pair's
    /// first group when it is near, under water and growing (its drawdowns are lane 0's, its
    /// chain step `d ↦ d·A + B` is `d₄`'s, its growth `g₄`), and then its second (lane 1's
    /// drawdowns from `d₄`, growth `g₄·A′ + B′`), exactly as that loop steps them. Gives the
    /// periods taken (a multiple of 4) and whether `run_clean`'s loop goes on after them (the
    /// series ran out of pairs, or both groups of a declined pair were taken).
    #[inline(always)]
    fn run_near8(&mut self, xs: &[f64]) -> (usize, bool) {
        let (mut d, mut g, mut low) = (self.d, self.g, F2::splat(self.low));
        let mut taken = 0;
        let mut more = true;
        let growing = |g: f64| (-0.5..=1.0).contains(&g);
        for oct in xs.chunks_exact(8) {
            let &[x1, x2, x3, x4, x5, x6, x7, x8] = oct else {
                break;
            };
            let c = Composed::of([x1, x2, x3, x4, x5, x6, x7, x8]);
            let ([a_first, a_next], [b_first, b_next]) = (c.a.lanes(), c.b.lanes());
            let (a8, b8) = (a_first * a_next, b_first * a_next + b_next);
            let (d4, g4) = (d * a_first + b_first, g * a_first + b_first);
            let g8 = g * a8 + b8;
            let start = F2::new(d, d4);
            let (e1, e2) = (start.mul(c.a1).add(c.p1), start.mul(c.a12).add(c.b12));
            let (e3, e4) = (start.mul(c.a123).add(c.b123), start.mul(c.a).add(c.b));
            let (lanes_low, lanes_high) = lane_extremes(e1, e2, e3, e4);
            let (lowest, highest) = (
                lanes_low.min(lanes_low.swap()),
                lanes_high.max(lanes_high.swap()),
            );
            let ([lo, _], [hi, _]) = (lowest.lanes(), highest.lanes());
            // Near stays near (d ≥ −½), under water (d < 0), nothing to flush: one branch for
            // the checks (see `flushless`).
            if !((lo >= -0.5) & (hi < 0.0) & flushless(g4) & flushless(g8)) {
                // The groups of four run_clean's loop would try next, from the same values.
                let ([lo1, lo2], [hi1, hi2]) = (lanes_low.lanes(), lanes_high.lanes());
                more = false;
                if lo1 >= -0.5 && hi1 < 0.0 && growing(g4) {
                    (d, g, low) = (d4, g4, low.min(F2::splat(lo1)));
                    taken += 4;
                    let g44 = g4 * a_next + b_next;
                    if lo2 >= -0.5 && hi2 < 0.0 && growing(g44) {
                        (d, g, low) = (d4 * a_next + b_next, g44, low.min(F2::splat(lo2)));
                        taken += 4;
                        more = true;
                    }
                }
                break;
            }
            (d, g, low) = (d * a8 + b8, g8, low.min(lowest));
            taken += 8;
        }
        let [low, _] = low.lanes();
        (self.d, self.g, self.low) = (d, g, low);
        self.run += taken as u64;
        (taken, more)
    }

    /// [`Hot::run_near8`] in the deep form: `u ↦ u·A_k` (the intermediate `[u, u₄]·A_k`, the
    /// chain `u ↦ u·A₈`), the deepest point `min u − 1`; a pair of groups that is not all deep
    /// (u < ½) and growing is left to `run_clean`'s loop, but for its groups of four that loop
    /// would take next, taken here as [`Hot::run_near8`] does.
    #[inline(always)]
    fn run_deep8(&mut self, xs: &[f64]) -> (usize, bool) {
        let (mut u, mut g, mut low) = (self.u, self.g, F2::splat(self.low));
        let one = F2::splat(1.0);
        let mut taken = 0;
        let mut more = true;
        let growing = |g: f64| (-0.5..=1.0).contains(&g);
        for oct in xs.chunks_exact(8) {
            let &[x1, x2, x3, x4, x5, x6, x7, x8] = oct else {
                break;
            };
            let c = Composed::of([x1, x2, x3, x4, x5, x6, x7, x8]);
            let ([a_first, a_next], [b_first, b_next]) = (c.a.lanes(), c.b.lanes());
            let (a8, b8) = (a_first * a_next, b_first * a_next + b_next);
            let (u4, g4) = (u * a_first, g * a_first + b_first);
            let g8 = g * a8 + b8;
            let start = F2::new(u, u4);
            let (e1, e2) = (start.mul(c.a1), start.mul(c.a12));
            let (e3, e4) = (start.mul(c.a123), start.mul(c.a));
            let (lanes_low, lanes_high) = lane_extremes(e1, e2, e3, e4);
            let (lowest, highest) = (
                lanes_low.min(lanes_low.swap()),
                lanes_high.max(lanes_high.swap()),
            );
            let [hi, _] = highest.lanes();
            // Deep stays deep (u < ½, so d = u − 1 < −½ is under water).
            if !((hi < 0.5) & flushless(g4) & flushless(g8)) {
                // The groups of four run_clean's loop would try next, from the same values.
                let ([lo1, lo2], [hi1, hi2]) = (lanes_low.lanes(), lanes_high.lanes());
                more = false;
                if hi1 < 0.5 && growing(g4) {
                    (u, g, low) = (u4, g4, low.min(F2::splat(lo1 - 1.0)));
                    taken += 4;
                    let g44 = g4 * a_next + b_next;
                    if hi2 < 0.5 && growing(g44) {
                        (u, g, low) = (u4 * a_next, g44, low.min(F2::splat(lo2 - 1.0)));
                        taken += 4;
                        more = true;
                    }
                }
                break;
            }
            (u, g, low) = (u * a8, g8, low.min(lowest.sub(one)));
            taken += 8;
        }
        if taken > 0 {
            let [low, _] = low.lanes();
            (self.d, self.u, self.g, self.low) = (u - 1.0, u, g, low);
            self.run += taken as u64;
        }
        (taken, more)
    }

    /// The leading periods of `xs` (returns known finite and within ±½, no NaN) that are new
    /// peaks in a row, taken while the curve stands at its peak (near form, no drawdown
    /// episode open, d = 0): each return r ≥ 0 (−0 included) steps d to `0·(1 + r) + r = r ≥ 0`,
    /// a new peak, and the growth to `g·(1 + r) + r`, while g stays within its flush range
    /// [−½, 1]. These are exactly the steps [`Hot::try_step`] and [`Hot::try_peak`] take one
    /// period at a time (the same operations, so the same numbers), without the group of
    /// [`Hot::run_clean`] that each of them would attempt and abandon first. Marks the last peak
    /// in `curve` and gives the periods taken (0 when the curve is not at its peak).
    #[inline(always)]
    pub(crate) fn peak_run(&mut self, xs: &[f64], curve: &mut Curve) -> usize {
        if !(self.run == 0 && self.mode == Mode::Near) {
            return 0;
        }
        let (mut g, mut taken) = (self.g, 0);
        for &x in xs {
            let next = g * (1.0 + x) + x;
            if !(x >= 0.0 && (-0.5..=1.0).contains(&next)) {
                break;
            }
            (g, taken) = (next, taken + 1);
        }
        if taken > 0 {
            curve.peak = (curve.flushed.value(), g);
            *self = Hot {
                g,
                ..Hot::default()
            };
        }
        taken
    }

    /// A period [`Hot::try_step`] declined because it stepped to a new peak (with nothing to
    /// flush): marks the peak as [`Hot::settle`] does, without its call (and with no call at
    /// all when no drawdown episode ends here, a peak right after another). False, with
    /// nothing done, for any other declined period.
    #[inline(always)]
    pub(crate) fn try_peak(&mut self, curve: &mut Curve, stepped: bool) -> bool {
        if !(stepped && self.d >= 0.0 && (-0.5..=1.0).contains(&self.g)) {
            return false;
        }
        if self.run == 0 {
            curve.peak = (curve.flushed.value(), self.g);
        } else {
            curve.at_peak(self.run, self.low, self.g);
        }
        *self = Hot {
            g: self.g,
            ..Hot::default()
        };
        true
    }

    /// The rest of a period [`Hot::try_step`] declined: the step when not `stepped`, the
    /// growth's flush, the episode's bookkeeping or the new peak.
    #[cold]
    #[inline(never)]
    pub(crate) fn settle(mut self, curve: &mut Curve, r: f64, stepped: bool) -> Hot {
        if !stepped {
            let x = if r.is_nan() { 0.0 } else { r };
            let deep = self.mode == Mode::Deep;
            (self.d, self.u, self.g) = curve.rare_step(self.d, self.u, deep, self.g, x);
            // Deep exactly when d < −½ (u = 1 + d).
            self.mode = if curve.s.ruined {
                Mode::Ruined
            } else if self.d < -0.5 {
                Mode::Deep
            } else {
                Mode::Near
            };
        }
        if !(-0.5..=1.0).contains(&self.g) {
            self.g = curve.flush(self.g);
        }
        if self.d < 0.0 {
            self.run += 1;
            self.low = self.low.min(self.d);
            self
        } else {
            curve.at_peak(self.run, self.low, self.g);
            Hot {
                g: self.g,
                ..Hot::default()
            }
        }
    }
}

/// Whether the growth `g` is within its flush range [−½, 1] (nothing to flush): the two
/// comparisons joined by `&`, not `&&`, so a check made of several of these (and other
/// comparisons joined by `&`) is one branch. With `&&` (as `RangeInclusive::contains` has it)
/// LLVM kept the short circuits in the wasm and V8 compiled each test to its own
/// compare-and-branch: the eight-period loops had six branches per step instead of one
/// (`computeMetrics` ≈ 1.5 % slower; BENCHMARKS.metrics.md, session 11).
#[inline(always)]
#[allow(clippy::manual_range_contains)] // `contains` short-circuits
fn flushless(g: f64) -> bool {
    (g >= -0.5) & (g <= 1.0)
}

/// The compositions of two groups of four periods, side by side in the lanes of [`F2`] (lane 0
/// the first four returns x₁…x₄, lane 1 the next four): the prefixes `A_k = ∏_{i≤k}(1 + x_i)`
/// and `B_k = B_{k−1}·(1 + x_k) + x_k` (B₁ = x₁) for k = 1…4, as [`Hot::run_clean`] composes
/// a group.
struct Composed {
    p1: F2,
    a1: F2,
    a12: F2,
    b12: F2,
    a123: F2,
    b123: F2,
    a: F2,
    b: F2,
}

impl Composed {
    /// The compositions of `oct`'s two groups.
    #[inline(always)]
    fn of(oct: [f64; 8]) -> Composed {
        let [x1, x2, x3, x4, x5, x6, x7, x8] = oct;
        let (p1, p2, p3, p4) = (
            F2::new(x1, x5),
            F2::new(x2, x6),
            F2::new(x3, x7),
            F2::new(x4, x8),
        );
        let one = F2::splat(1.0);
        let (a1, a2, a3, a4) = (one.add(p1), one.add(p2), one.add(p3), one.add(p4));
        let (a12, b12) = (a1.mul(a2), p1.mul(a2).add(p2));
        let (a123, b123) = (a12.mul(a3), b12.mul(a3).add(p3));
        let (a, b) = (a123.mul(a4), b123.mul(a4).add(p4));
        Composed {
            p1,
            a1,
            a12,
            b12,
            a123,
            b123,
            a,
            b,
        }
    }
}

/// The lowest and the highest of `e1`…`e4`, lane by lane (each lane's group of four).
#[inline(always)]
fn lane_extremes(e1: F2, e2: F2, e3: F2, e4: F2) -> (F2, F2) {
    let lowest = e1.min(e2).min(e3.min(e4));
    let highest = e1.max(e2).max(e3.max(e4));
    (lowest, highest)
}

/// The curve walked one period at a time ([`Hot::try_step`] and [`Hot::settle`], blocks closed by
/// [`Curve::end_block`]), yielding [`CurveStats`] at the end.
///
/// The common period (no ruin, drawdown above −½, |r| ≤ ½) is two multiply-adds, the drawdown's
/// and the growth's, independent chains a CPU overlaps; everything else takes a cold path. The
/// PnL drawdown of an episode (peak growth factor × deepest drawdown) needs `exp` of the peak's
/// log growth: it is evaluated only when a bound says the episode may be the worst so far
/// (`exp(P) ≤ exp(P′) / (1 − (P − P′))` from the last evaluated P′ ≤ P, with a 10⁻⁹ margin),
/// so the result is the same as evaluating every episode.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Curve {
    s: CurveStats,
    /// The compensated `Σ log1p` of the flushed growth.
    flushed: Sum,
    /// The growth at the running peak, kept unevaluated until an episode needs it.
    peak: (f64, f64),
    /// The last evaluated peak log growth and its `exp`.
    known: (f64, f64),
}

impl Default for Curve {
    fn default() -> Self {
        Curve {
            s: CurveStats::default(),
            flushed: Sum::default(),
            peak: (0.0, 0.0),
            known: (0.0, 1.0),
        }
    }
}

impl Curve {
    /// Flushes the growth `g`; gives the new g, 0.
    #[cold]
    #[inline(never)]
    fn flush(&mut self, g: f64) -> f64 {
        flush(&mut self.flushed, g);
        0.0
    }

    /// A step off the common path: ruined account or a return beyond ±½ (or any return, for
    /// drawdown `d`, `u` = 1 + d when `deep`, and growth `g`): the new (d, u, g).
    #[cold]
    #[inline(never)]
    fn rare_step(&mut self, d: f64, u: f64, deep: bool, mut g: f64, x: f64) -> (f64, f64, f64) {
        let mut dd = Drawdown { d, u, deep };
        if self.s.ruined {
            // Flat: a ruined account stays at 0.
        } else if x <= -1.0 {
            self.s.ruined = true;
            dd.ruin();
        } else {
            if x.abs() > 0.5 {
                flush(&mut self.flushed, g);
                self.flushed.add(libm::log1p(x));
                g = 0.0;
            } else {
                g = g * (1.0 + x) + x;
                if !(-0.5..=1.0).contains(&g) {
                    g = self.flush(g);
                }
            }
            dd.step(x);
        }
        // Deep exactly when d < −½ (u = 1 + d); the near form keeps u at 0.
        (dd.d, if dd.deep { dd.u } else { 0.0 }, g)
    }

    /// A period at or above the running peak (growth g since the last flush): closes the
    /// episode of `run` periods down to `low` before it, marks the peak. Inline in the walk, so
    /// an episode's end costs one call ([`Curve::close_episode`]), not two: −1.3 % for
    /// `returns` + `pnl` in wasm, where a call is dearer than natively (BENCHMARKS.metrics.md,
    /// session 19).
    #[inline(always)]
    fn at_peak(&mut self, run: u64, low: f64, g: f64) {
        if run > 0 {
            self.close_episode(run, low, None);
        }
        self.peak = (self.flushed.value(), g);
    }

    /// The end of a block of `periods` periods: the growth is folded into its log sum.
    #[inline(always)]
    pub(crate) fn end_block(&mut self, hot: &mut Hot, periods: usize) {
        self.s.periods += periods as u64;
        flush(&mut self.flushed, hot.g);
        hot.g = 0.0;
    }

    /// The statistics of the whole curve.
    pub(crate) fn finish(mut self, hot: Hot) -> CurveStats {
        self.s.peak_log_growth = log_of(self.peak).max(0.0);
        if hot.run > 0 {
            self.close_episode(hot.run, hot.low, Some(self.s.peak_log_growth));
        }
        self.s.log_growth = log_of((self.flushed.value(), hot.g));
        self.s
    }

    /// Records a drawdown episode of `run` periods whose deepest point is `low` (< 0) below
    /// the peak (of log growth `peak_log`, or `log_of(self.peak)` when `None`).
    fn close_episode(&mut self, run: u64, low: f64, peak_log: Option<f64>) {
        self.s.under_water += run;
        self.s.longest_drawdown = self.s.longest_drawdown.max(run);
        // A comparison, not `f64::min` (a call to `fmin` in wasm): `low` is never NaN.
        if low < self.s.max_drawdown {
            self.s.max_drawdown = low;
        }
        // Upper bound of the peak's log growth (log1p(g) ≤ g), then of the episode's drop
        // |exp(P)·low| from the last evaluated exp (e^δ ≤ 1/(1 − δ) for δ < 1), compared
        // multiplied out by 1 − δ > ½ rather than divided by it (a division's latency on
        // every episode's end): the 10⁻⁹ margin dwarfs the few roundings either way, and a
        // right side past the `f64` range is past every finite left side too, as it should.
        let (known_log, known_exp) = self.known;
        let delta = peak_log.unwrap_or(self.peak.0 + self.peak.1) - known_log;
        if delta < 0.5 && known_exp * -low * (1.0 + 1e-9) <= -self.s.worst_drop * (1.0 - delta) {
            return; // cannot be the worst drop
        }
        let p = peak_log.unwrap_or_else(|| log_of(self.peak));
        let e = libm::exp(p);
        self.s.worst_drop = self.s.worst_drop.min(e * low);
        self.known = (p, e);
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
            format!(
                "initial capital must be a finite number greater than 0, got `{}`",
                crate::json::float::Brief(initial)
            ),
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
    Ok(drawdowns_of(returns))
}

/// [`drawdown_curve`] of a series already validated (by a caller that checked it).
pub(crate) fn drawdowns_of(returns: &[f64]) -> Vec<f64> {
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
    out
}
