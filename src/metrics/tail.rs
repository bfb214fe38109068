//! Historical value at risk and conditional value at risk (expected shortfall).
//!
//! At level α (e.g. 0.95), with q = 1 − α and x₀ ≤ x₁ ≤ … ≤ x_{n−1} the finite returns in
//! ascending order:
//! - `var` is the empirical q-quantile with **linear interpolation between closest ranks**,
//!   numpy's default (`np.percentile(r, 100·q)`, `method="linear"`), which empyrical's
//!   `value_at_risk` uses: `h = (n − 1)·q`, `i = ⌊h⌋`, `g = h − i`,
//!   `var = x_i + g·(x_{i+1} − x_i)` (numpy's `_lerp`, which evaluates
//!   `x_{i+1} − (x_{i+1} − x_i)·(1 − g)` when g ≥ ½);
//! - `cvar` is the mean of the returns ≤ `var`: the i + 1 smallest returns plus any ties with
//!   `var` (empyrical's `conditional_value_at_risk` averages the ⌊(n − 1)·q⌋ + 1 smallest,
//!   the same set except for ties).
//!
//! `h` is snapped to the nearest integer when within `(n − 1 + h)·ε` of it (ε = 2⁻⁵²): the
//! level's binary representation error (0.9 is stored as 0.900000000000000022…) must not move
//! the rank, so α = 0.9 with n = 11 gives h = 1 exactly, as numpy's `percentile(r, 10)` does.
//!
//! Both are returns, negative for a loss (−0.03 = a 3 % loss); they are positive only when even
//! the tail returns are gains.
//!
//! Algorithm (O(n)): the fused pass collects the returns at or below an estimated bound, a few
//! percent of the series for usual levels, and selects the ranks among them ([`Window`]).
//! When that fails (the bound missed, an unusual level, ties or a short series) a series of at
//! most 2^[`BUCKET_BITS`] samples has its keys (below) copied and selected directly; a longer
//! one takes the histogram path, with no copy of the series: each finite return maps to an order-preserving
//! `u64` key (the `total_cmp` order: −0 before +0); one pass builds a histogram of the keys'
//! top [`BUCKET_BITS`] bits (sign, exponent and the leading mantissa bits), which locates the
//! bucket(s) holding ranks i and i + 1; a second pass collects only those buckets' keys, and a
//! `select_nth_unstable` on them gives x_i and x_{i+1} exactly as a full sort would. `cvar` is
//! then one pass summing the returns ≤ `var` in series order (Neumaier-compensated, after
//! division by the power of two at or below the largest tail magnitude, max(|x₀|, |x_i|) or
//! |x_{i+1}| when it ties with `var`), so the result does not depend on any partition order.

use super::lanes::{C2, F2};
use super::sum::{Sum, pow2_scale};

/// Samples per block of the pass (`pass.rs` walks the series a block at a time; the picker
/// gathers one block's candidates at a time).
pub(crate) const BLOCK: usize = 256;

/// Bits of the order-preserving key that pick a histogram bucket.
const BUCKET_BITS: u32 = 16;
const SHIFT: u32 = 64 - BUCKET_BITS;

/// The order-preserving key of a non-NaN `f64`: unsigned comparison of keys is `total_cmp`.
#[inline]
fn key(x: f64) -> u64 {
    // Negative: every bit flipped (the sign mask is all ones); else the sign bit set.
    let u = x.to_bits();
    u ^ (((u as i64 >> 63) as u64) | (1 << 63))
}

/// The inverse of [`key`].
#[inline]
fn from_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// The values of ranks `lo` and `lo + 1` (`None` past the end) of the non-NaN samples in the
/// `total_cmp` order, with `n` the number of non-NaN samples (> `lo`).
pub(crate) fn ranks(returns: &[f64], lo: usize) -> Option<(f64, Option<f64>)> {
    // A series no longer than the histogram: selecting among all its keys is cheaper than
    // zeroing and scanning 2^BUCKET_BITS buckets (the bundle gate's rows are a few thousand).
    if returns.len() <= 1 << BUCKET_BITS {
        let mut keys: Vec<u64> = returns
            .iter()
            .filter(|x| !x.is_nan())
            .map(|&x| key(x))
            .collect();
        if lo >= keys.len() {
            return None;
        }
        let (_, &mut a, right) = keys.select_nth_unstable(lo);
        let b = right.iter().copied().min();
        return Some((from_key(a), b.map(from_key)));
    }
    // u32 counts: fewer than 2³² samples per bucket (32 GiB of one bucket's returns).
    let mut hist = vec![0u32; 1 << BUCKET_BITS];
    for &x in returns {
        if !x.is_nan() {
            // The bucket index is < 2^BUCKET_BITS, so `get_mut` always finds it.
            if let Some(c) = hist.get_mut((key(x) >> SHIFT) as usize) {
                *c += 1;
            }
        }
    }
    // The bucket of rank lo and the bucket of rank lo + 1 (the same or a later one).
    let mut below = 0usize;
    let mut first = None;
    let mut last = None;
    let mut seen = 0usize;
    for (b, &c) in hist.iter().enumerate() {
        let c = c as usize;
        if c == 0 {
            continue;
        }
        if first.is_none() && seen + c > lo {
            first = Some(b);
            below = seen;
        }
        if seen + c > lo + 1 {
            last = Some(b);
            break;
        }
        seen += c;
    }
    let first = first? as u64;
    // No rank lo + 1: the candidates run to the last bucket.
    let last = last.map_or(first, |b| b as u64);
    let mut cand: Vec<u64> = Vec::new();
    for &x in returns {
        if !x.is_nan() {
            let k = key(x);
            let b = k >> SHIFT;
            if b >= first && b <= last {
                cand.push(k);
            }
        }
    }
    let (_, &mut a, right) = cand.select_nth_unstable(lo.checked_sub(below)?);
    let b = right.iter().copied().min();
    Some((from_key(a), b.map(from_key)))
}

/// `(var, cvar)` of the finite samples of `returns` at `level` ∈ (0, 1); `None` without a
/// finite sample.
#[cfg(test)]
pub(crate) fn var_cvar(returns: &[f64], level: f64) -> Option<(f64, f64)> {
    let finite = returns.iter().copied().filter(|x| !x.is_nan());
    let n = finite.clone().count() as u64;
    var_cvar_in(returns, n, finite.fold(f64::INFINITY, f64::min), level)
}

/// `var_cvar` (the test reference) given the count `n` and minimum `x0` of the finite samples (from the
/// validation pass); `None` when n = 0.
pub(crate) fn var_cvar_in(returns: &[f64], n: u64, x0: f64, level: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let h = quantile_rank(n, level);
    let lo_f = h.floor();
    let g = h - lo_f;
    // lo_f ∈ [0, n − 1] and integral, so the cast is exact.
    let lo = lo_f as usize;
    let (a, b) = ranks(returns, lo)?;
    let var = match b {
        Some(b) => lerp(a, b, g),
        None => a,
    };

    // The tail is every return ≤ var: x_0..=x_lo (all ≤ a ≤ var) plus any later ones equal to
    // var, which exist only when var = x_{lo+1}.
    let top = match b {
        Some(b) if b <= var => b.abs(),
        _ => 0.0,
    };
    let scale = pow2_scale(x0.abs().max(a.abs()).max(top));
    let inv = 1.0 / scale;
    let mut tail = Sum::default();
    let mut count = 0u64;
    for &x in returns {
        if x <= var {
            tail.add(x * inv);
            count += 1;
        }
    }
    Some((var, tail.value() / count as f64 * scale))
}

/// `h`, snapped to an integer rank within the level's representation error, for n finite
/// samples (n ≥ 1) at `level`: ranks ⌊h⌋ and ⌊h⌋ + 1 interpolate the quantile.
fn quantile_rank(n: u64, level: f64) -> f64 {
    let q = 1.0 - level;
    let last = (n - 1) as f64;
    let h = (last * q).clamp(0.0, last);
    // `level` is usually a decimal (0.9) whose binary value is off by up to half an ulp, and
    // so is q: snap h to an integer rank within that error, as the decimal level intends.
    let k = h.round();
    if (h - k).abs() <= (last + h) * f64::EPSILON {
        k
    } else {
        h
    }
}

/// Series shorter than this take the exact path ([`var_cvar_in`]) instead of a
/// [`Window`].
const WINDOW_MIN: usize = 1 << 11;
/// The window is estimated from every k-th sample, k = n / `WINDOW_SAMPLES` (at least 256
/// samples) but at most [`WINDOW_STRIDE`].
const WINDOW_SAMPLES: usize = 256;
/// The largest stride of the estimate: every 64th sample of a long series.
const WINDOW_STRIDE: usize = 64;

/// The one-pass VaR/CVaR of the fused pass (`pass.rs`): the pass collects every return at
/// or below a bound `t_hi`, estimated from every k-th sample (k = n/256, at most 64) to lie ±5 standard errors of the
/// sample quantile (plus a few ranks) above rank ⌊h⌋ + 1, so for a typical level the
/// collection is a few percent of the series. Every return not collected is above every
/// collected one (float order, hence `total_cmp` order too), so ranks ⌊h⌋ and ⌊h⌋ + 1 of the
/// series are those of the collection: [`Window::finish`] selects them there (first among the
/// collected at or above a second estimated bound `t`, when rank ⌊h⌋ lies there) and sums the
/// collected returns ≤ var in series order. When rank ⌊h⌋ + 1 was not collected, the
/// collection outgrew a fifth of the series, or the series is short, it gives `None` and the
/// exact path ([`var_cvar_in`]) runs instead.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    t: f64,
    t_hi: f64,
    /// The returns ≤ t_hi, in series order.
    inside: Vec<f64>,
    /// The current block's returns ≤ t_hi (the first few): written
    /// unconditionally, so the loop has neither a branch on the sample nor a call.
    buf: [f64; BLOCK],
    cap: usize,
    usable: bool,
}

impl Window {
    /// The window for `returns` at `level` (an unusable one for short series).
    pub(crate) fn estimate(returns: &[f64], level: f64) -> Window {
        if returns.len() < WINDOW_MIN {
            return Window::unusable();
        }
        let sample: Vec<f64> = (returns.iter().step_by(stride_of(returns.len())))
            .copied()
            .filter(|x| !x.is_nan())
            .collect();
        Window::from_sample(sample, returns.len(), level)
    }

    /// [`Window::estimate`] from its sample: the non-NaN samples at every k-th position of a
    /// series of `len` returns (k = [`stride_of`]`(len)`), in series order.
    fn from_sample(sample: Vec<f64>, len: usize, level: f64) -> Window {
        let unusable = Window::unusable();
        if len < WINDOW_MIN {
            return unusable;
        }
        let m = sample.len();
        if m < 64 {
            return unusable;
        }
        let q = (1.0 - level).clamp(0.0, 1.0);
        let mf = m as f64;
        let j = q * (mf - 1.0);
        let margin = 5.0 * (mf * q * (1.0 - q)).sqrt() + 4.0;
        // Sample ranks below 0 or past the end leave that side of the window open.
        let lo_rank = (j - margin).floor();
        let hi_rank = (j + 1.0 + margin).ceil();
        // The two sample ranks as order-preserving keys: rank hi_rank first, then rank
        // lo_rank (< hi_rank) among the keys the first selection left before it, which are
        // the hi_rank lowest (the whole sample when hi_rank is past the end).
        let mut keys: Vec<u64> = sample.into_iter().map(key).collect();
        // rank ≥ 0 and integral: the cast is exact (or saturates past the end).
        let at = |rank: f64| (rank >= 0.0 && (rank as usize) < m).then_some(rank as usize);
        let (t_hi, below) = match at(hi_rank) {
            Some(i) => {
                let (left, &mut k, _) = keys.select_nth_unstable(i);
                (from_key(k), left)
            }
            None => (f64::INFINITY, keys.as_mut_slice()),
        };
        let t = at(lo_rank).map_or(f64::NEG_INFINITY, |i| {
            from_key(*below.select_nth_unstable(i).1)
        });
        let expect = (hi_rank.min(mf) / mf * len as f64) as usize;
        let cap = len / 5 + 1024;
        Window {
            t,
            t_hi,
            inside: Vec::with_capacity((expect + expect / 4 + 256).min(cap + BLOCK)),
            cap,
            usable: true,
            ..unusable
        }
    }

    /// A window that collects nothing ([`Window::finish`] gives `None`).
    fn unusable() -> Window {
        Window {
            t: f64::NEG_INFINITY,
            t_hi: f64::NEG_INFINITY,
            inside: Vec::new(),
            buf: [0.0; BLOCK],
            cap: 0,
            usable: false,
        }
    }

    #[cold]
    fn give_up(&mut self) {
        self.usable = false;
        self.inside = Vec::new();
        self.t_hi = f64::NEG_INFINITY;
    }

    /// `(var, cvar)` of the n finite samples (n ≥ 1) at `level` when rank ⌊h⌋ + 1 was
    /// collected, for a series of magnitudes ≤ 2⁴⁰⁰ (sums unscaled); `None` otherwise.
    pub(crate) fn finish(self, n: u64, level: f64) -> Option<(f64, f64)> {
        if !self.usable || n == 0 {
            return None;
        }
        let h = quantile_rank(n, level);
        let lo_f = h.floor();
        let g = h - lo_f;
        // lo_f ∈ [0, n − 1] and integral, so the cast is exact.
        let lo = usize::try_from(lo_f as u64).ok()?;
        let has_next = (lo as u64) + 1 < n;
        if lo + usize::from(has_next) >= self.inside.len() {
            return None;
        }
        // Select among the collected at or above t when rank lo lies there (every one below
        // t ranks before them), else among all.
        let t = self.t;
        let mut cand = at_or_above(&self.inside, t);
        let below = self.inside.len() - cand.len();
        let k = match lo.checked_sub(below) {
            Some(k) => k,
            None => {
                cand.clone_from(&self.inside);
                lo
            }
        };
        let (_, &mut a, right) = cand.select_nth_unstable_by(k, f64::total_cmp);
        let var = if has_next {
            let b = right.iter().copied().min_by(f64::total_cmp)?;
            lerp(a, b, g)
        } else {
            a
        };
        // The tail: the collected returns ≤ var (the others exceed x_{lo+1} ≥ var).
        let (tail, count) = sum_at_or_below(&self.inside, var);
        Some((var, tail / count as f64))
    }
}

impl Window {
    /// The collector of one block's returns ≤ `t_hi` ([`Window::keep`] takes them).
    #[inline(always)]
    pub(crate) fn picker(&mut self) -> Picker<'_> {
        Picker {
            t_hi: self.t_hi,
            len: 0,
            buf: &mut self.buf,
        }
    }

    /// Keeps the `len` returns a [`Picker`] collected; gives up (collects nothing more) past
    /// the cap.
    #[inline(always)]
    pub(crate) fn keep(&mut self, len: usize) {
        self.inside
            .extend_from_slice(self.buf.get(..len).unwrap_or_default());
        if self.inside.len() > self.cap {
            self.give_up();
        }
    }
}

/// The stride of [`Window::estimate`]'s sample of a series of `len` returns.
fn stride_of(len: usize) -> usize {
    (len / WINDOW_SAMPLES).clamp(1, WINDOW_STRIDE)
}

/// [`Window`] for a series read in chunks (`pass::Chunked`), whose estimate's sample is
/// known only at the end: the chunks are collected at or below a provisional bound, estimated
/// from the first chunk above where [`Window::estimate`]'s bound will lie, and the samples of
/// the estimate gathered on the way ([`Deferred::see`]); [`Deferred::resolve`] then computes
/// the estimate exactly as [`Window::estimate`] does and keeps the collected returns at or
/// below its bound, in series order: the window a pass over the whole series collects, to the
/// bit. When the provisional bound turns out below the estimate's (the first chunk's tail was
/// lighter than the series'), nothing is resolved (`None`).
pub(crate) struct Deferred {
    len: usize,
    level: f64,
    stride: usize,
    sample: Vec<f64>,
}

/// The provisional bound of [`Deferred`] is estimated from every `FIRST_STRIDE`-th return
/// of the first chunk.
const FIRST_STRIDE: usize = 8;

impl Deferred {
    /// The deferred window of a series of `len` returns at `level` whose first chunk is
    /// `first`, and the window collecting at or below the provisional bound (the pass fills
    /// it, [`Deferred::resolve`] takes it back); `None` when [`Window::estimate`] gives an unusable window for any series of
    /// this length or the first chunk is too short or sparse for a bound.
    pub(crate) fn new(first: &[f64], len: usize, level: f64) -> Option<(Deferred, Window)> {
        let stride = stride_of(len);
        if len < WINDOW_MIN || len.div_ceil(stride) < 64 {
            return None;
        }
        let mut probe: Vec<f64> = (first.iter().step_by(FIRST_STRIDE))
            .copied()
            .filter(|x| !x.is_nan())
            .collect();
        let m1 = probe.len() as f64;
        if m1 < 256.0 {
            return None;
        }
        // The quantile at which the estimate's bound lies (its rank over its sample size,
        // every sample finite), then that quantile of the probe plus 6 standard errors.
        let q = (1.0 - level).clamp(0.0, 1.0);
        let mg = len.div_ceil(stride) as f64;
        let qg = ((q * (mg - 1.0) + 1.0 + 5.0 * (mg * q * (1.0 - q)).sqrt() + 4.0) / mg).min(1.0);
        let rank = (qg * m1 + 6.0 * (m1 * qg * (1.0 - qg)).sqrt() + 4.0).ceil();
        if rank >= m1 {
            return None;
        }
        // rank ∈ [0, m1) and integral: the cast is exact.
        let t_hi = *probe
            .select_nth_unstable_by(rank as usize, f64::total_cmp)
            .1;
        let cap = len / 5 + 1024;
        let expect = ((rank + 1.0) / m1 * len as f64) as usize;
        let window = Window {
            t: f64::NEG_INFINITY,
            t_hi,
            inside: Vec::with_capacity((expect + expect / 4 + 256).min(cap + BLOCK)),
            cap,
            usable: true,
            ..Window::unusable()
        };
        let deferred = Deferred {
            len,
            level,
            stride,
            sample: Vec::with_capacity(len.div_ceil(stride)),
        };
        Some((deferred, window))
    }

    /// The chunk of the series starting at index `start`: keeps the estimate's samples among
    /// it (the chunks come in series order).
    pub(crate) fn see(&mut self, chunk: &[f64], start: usize) {
        let mut i = (self.stride - start % self.stride) % self.stride;
        while let Some(&x) = chunk.get(i) {
            if !x.is_nan() {
                self.sample.push(x);
            }
            i += self.stride;
        }
    }

    /// The window [`Window::estimate`] and a pass over the whole series would have given;
    /// `None` when the provisional bound was below the estimate's.
    pub(crate) fn resolve(self, collected: Window) -> Option<Window> {
        let mut exact = Window::from_sample(self.sample, self.len, self.level);
        if !exact.usable {
            return Some(exact);
        }
        if !collected.usable || exact.t_hi > collected.t_hi {
            // The collection outgrew the cap (whether the exact window's, a subset, would
            // have is unknown), or the provisional bound was below the exact one.
            return None;
        }
        exact.inside = collected.inside;
        keep_at_or_below(&mut exact.inside, exact.t_hi);
        if exact.inside.len() > exact.cap {
            exact.give_up();
        }
        Some(exact)
    }
}

/// Collects a block's returns ≤ `t_hi` (NaN is not collected) into the window's buffer: every
/// sample is written to the next free slot and the slot taken when the sample is collected, so
/// the loop has no branch on the sample.
pub(crate) struct Picker<'a> {
    t_hi: f64,
    /// Slots taken.
    pub len: usize,
    buf: &'a mut [f64; BLOCK],
}

impl Picker<'_> {
    /// The same picker, borrowed (its count copied: write it back).
    #[inline(always)]
    pub(crate) fn reborrow(&mut self) -> Picker<'_> {
        Picker {
            t_hi: self.t_hi,
            len: self.len,
            buf: self.buf,
        }
    }

    /// One sample (at most [`BLOCK`] per block).
    #[inline(always)]
    pub(crate) fn add(&mut self, r: f64) {
        // len < BLOCK: the mask changes nothing and lets the compiler drop the bounds check.
        if let Some(slot) = self.buf.get_mut(self.len & (BLOCK - 1)) {
            *slot = r;
        }
        self.len += usize::from(r <= self.t_hi);
    }
}

/// Keeps the values of `xs` at or below `t`, in order. Branch-free, as [`at_or_above`] (which
/// values near the bound are kept is a coin flip).
fn keep_at_or_below(xs: &mut Vec<f64>, t: f64) {
    let mut len = 0;
    for i in 0..xs.len() {
        // len ≤ i < xs.len(): both slots exist.
        let x = xs.get(i).copied().unwrap_or_default();
        if let Some(slot) = xs.get_mut(len) {
            *slot = x;
        }
        len += usize::from(x <= t);
    }
    xs.truncate(len);
}

/// The values of `xs` at or above `t`, in order. Branch-free (whether a value near the
/// quantile is kept is a coin flip): every value is written to the next free slot, and the
/// slot taken when the value is kept.
fn at_or_above(xs: &[f64], t: f64) -> Vec<f64> {
    let mut out = vec![0.0; xs.len()];
    let mut len = 0;
    for &x in xs {
        // len ≤ the index of x < out.len(): the slot exists.
        if let Some(slot) = out.get_mut(len) {
            *slot = x;
        }
        len += usize::from(x >= t);
    }
    out.truncate(len);
    out
}

/// `(Σ x, #x)` over the values of `xs` (no NaN) at or below `v`: the masked values summed in the
/// two lanes of [`F2`] (even and odd positions) within blocks of 32, the blocks' totals
/// Neumaier-compensated ([`Sum`]); the error is a few ulps of the sum of the magnitudes, as
/// the blocked sums of `sum.rs`.
fn sum_at_or_below(xs: &[f64], v: f64) -> (f64, u64) {
    let (bound, mut total, mut count) = (F2::splat(v), Sum::default(), C2::zero());
    let mut odd = 0;
    for block in xs.chunks(32) {
        let mut s = F2::splat(0.0);
        let mut pairs = block.chunks_exact(2);
        for pair in pairs.by_ref() {
            let &[x0, x1] = pair else { continue };
            let x = F2::new(x0, x1);
            let m = x.le(bound);
            (s, count) = (s.add(x.keep(m)), count.count(m));
        }
        let [s0, s1] = s.lanes();
        let mut s = s0 + s1;
        for &x in pairs.remainder().iter().filter(|&&x| x <= v) {
            (s, odd) = (s + x, odd + 1);
        }
        total.add(s);
    }
    let [c0, c1] = count.lanes();
    (total.value(), c0 + c1 + odd)
}

/// numpy's `_lerp(a, b, t)`: `a + (b − a)·t`, or `b − (b − a)·(1 − t)` when t ≥ ½; exact at
/// both ends and monotone.
fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_quantile_matches_hand_worked_ranks() {
        // 21 values 0..=20 (shuffled): h = 20·0.05 = 1, so var = x₁ = 1 and
        // cvar = mean(0, 1) = 0.5.
        let xs: Vec<f64> = (0..21).map(|i| f64::from((i * 8) % 21)).collect();
        assert_eq!(var_cvar(&xs, 0.95), Some((1.0, 0.5)));
        // 5 values: h = 4·0.1 = 0.4 at level 0.9 → var = −5 + 0.4·(−3 − −5) = −4.2;
        // returns ≤ −4.2: only −5.
        let (var, cvar) = var_cvar(&[3.0, -3.0, 1.0, -5.0, 2.0], 0.9).unwrap();
        assert!((var + 4.2).abs() < 1e-12, "{var}");
        assert_eq!(cvar, -5.0);
        // The g ≥ ½ branch: level 0.35, h = 4·0.65 = 2.6, var = x₂ + 0.6·(x₃ − x₂)
        // = 1 + 0.6·(2 − 1) = 1.6; returns ≤ 1.6: −5, −3, 1, mean −7/3.
        let (var, cvar) = var_cvar(&[3.0, -3.0, 1.0, -5.0, 2.0], 0.35).unwrap();
        assert!((var - 1.6).abs() < 1e-12, "{var}");
        assert!((cvar + 7.0 / 3.0).abs() < 1e-15, "{cvar}");
    }

    #[test]
    fn decimal_levels_hit_integer_ranks() {
        // α = 0.9, n = 11: 1 − 0.9 = 0.09999999999999998, 10·q = 0.9999999999999998 unsnapped
        // (var just below x₁, cvar = x₀); snapped h = 1: var = x₁ = 1, cvar = mean(0, 1).
        let xs: Vec<f64> = (0..11).rev().map(f64::from).collect();
        assert_eq!(var_cvar(&xs, 0.9), Some((1.0, 0.5)));
        // α = 0.95, n = 21: h = 20·0.05000000000000004 = 1.0000000000000009 → 1.
        let xs: Vec<f64> = (0..21).map(f64::from).collect();
        assert_eq!(var_cvar(&xs, 0.95), Some((1.0, 0.5)));
    }

    #[test]
    fn one_sample_nan_and_empty() {
        assert_eq!(var_cvar(&[], 0.95), None);
        assert_eq!(var_cvar(&[f64::NAN], 0.95), None);
        assert_eq!(var_cvar(&[f64::NAN, -0.02], 0.95), Some((-0.02, -0.02)));
    }

    #[test]
    fn ties_with_var_are_in_the_tail() {
        // h = 3·0.5 = 1.5 at level 0.5 → var = −1 + 0.5·0 = −1; returns ≤ −1: −2, −1, −1.
        let (var, cvar) = var_cvar(&[-1.0, 4.0, -2.0, -1.0], 0.5).unwrap();
        assert_eq!(var, -1.0);
        assert_eq!(cvar, -4.0 / 3.0);
    }

    #[test]
    fn huge_values_do_not_overflow_the_tail_mean() {
        let (var, cvar) = var_cvar(&[1e308, 1.5e308, 1.7e308], 0.5).unwrap();
        assert_eq!(var, 1.5e308);
        assert!((cvar / 1.25e308 - 1.0).abs() < 1e-15, "{cvar}");
    }
}

#[cfg(test)]
mod select_tests {
    use super::*;

    /// Ranks lo and lo + 1 of the non-NaN values by a full `total_cmp` sort.
    fn by_sort(xs: &[f64], lo: usize) -> (f64, Option<f64>) {
        let mut s: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
        s.sort_by(f64::total_cmp);
        (s[lo], s.get(lo + 1).copied())
    }

    fn check(xs: &[f64]) {
        let n = xs.iter().filter(|x| !x.is_nan()).count();
        let mut los: Vec<usize> = vec![0, n / 2, n.saturating_sub(1), n.saturating_sub(2)];
        los.extend([n / 20, n / 100, (n * 95) / 100]);
        for lo in los.into_iter().filter(|&lo| lo < n) {
            let (a, b) = ranks(xs, lo).unwrap();
            let (ea, eb) = by_sort(xs, lo);
            assert_eq!(a.to_bits(), ea.to_bits(), "rank {lo} of {xs:?}");
            assert_eq!(
                b.map(f64::to_bits),
                eb.map(f64::to_bits),
                "rank {} of {xs:?}",
                lo + 1
            );
        }
    }

    pub(super) fn lcg(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn key_orders_like_total_cmp() {
        let xs = [-1.0, -0.5, -1e-300, -0.0, 0.0, 1e-310, 1e-300, 0.5, 1e308];
        for w in xs.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{w:?}");
            assert_eq!(from_key(key(w[0])).to_bits(), w[0].to_bits());
        }
    }

    #[test]
    fn fast_select_equals_a_full_sort() {
        let mut seed = 7u64;
        // random: small returns, wide magnitudes, NaNs sprinkled in
        for n in [1usize, 2, 3, 10, 1000, 100_000] {
            let xs: Vec<f64> = (0..n).map(|_| 0.02 * (lcg(&mut seed) - 0.5)).collect();
            check(&xs);
            let xs: Vec<f64> = (0..n)
                .map(|_| {
                    let u = lcg(&mut seed);
                    if u < 0.05 {
                        f64::NAN
                    } else {
                        (u - 0.4) * 10f64.powi((lcg(&mut seed) * 40.0) as i32 - 20)
                    }
                })
                .collect();
            check(&xs);
        }
        // adversarial: ties, ±0, all equal, one bucket, NaN only around the values
        check(&[0.0, -0.0, 0.0, -0.0, 0.0]);
        check(&[-0.0, 0.0]);
        check(&[0.0, -0.0]);
        check(&[f64::NAN, 0.01, f64::NAN]);
        check(&[0.01; 1000]);
        check(&[-1.0, -1.0, 5.0, 5.0, 5.0, f64::NAN, -1.0]);
        let xs: Vec<f64> = (0..10_000)
            .map(|i| 1.0 + f64::from(i % 97) * 1e-15)
            .collect();
        check(&xs);
        let xs: Vec<f64> = (0..10_000)
            .map(|i| [-0.0, 0.0, 1e-320, -1e-320][i % 4])
            .collect();
        check(&xs);
        assert_eq!(ranks(&[f64::NAN], 0), None);
    }

    #[test]
    fn tail_is_every_return_at_or_below_var() {
        let mut seed = 11u64;
        let xs: Vec<f64> = (0..5001).map(|_| 0.1 * (lcg(&mut seed) - 0.45)).collect();
        for level in [0.5, 0.9, 0.95, 0.99, 0.999] {
            let (var, cvar) = var_cvar(&xs, level).unwrap();
            let mut s = xs.clone();
            s.sort_by(f64::total_cmp);
            let h = 5000.0 * (1.0 - level);
            let i = h.floor() as usize;
            assert!(s[i] <= var && var <= s[i + 1]);
            let tail: Vec<f64> = s.iter().copied().filter(|&x| x <= var).collect();
            // a naive sum of a few hundred terms: a few ulps off the compensated one
            let mean = tail.iter().sum::<f64>() / tail.len() as f64;
            assert!((cvar - mean).abs() <= 1e-13 * mean.abs(), "{cvar} {mean}");
        }
    }
}

#[cfg(test)]
mod window_tests {
    use super::select_tests::lcg;
    use super::*;

    #[test]
    fn lane_tail_sum_counts_and_sums_every_value_at_or_below() {
        let mut seed = 5u64;
        for n in [0usize, 1, 2, 31, 32, 33, 1001] {
            let mut xs: Vec<f64> = (0..n).map(|_| 0.04 * (lcg(&mut seed) - 0.5)).collect();
            if n > 2 {
                xs[1] = xs[0]; // a tie with the bound
            }
            let v = xs.first().copied().unwrap_or(0.0);
            let tail: Vec<f64> = xs.iter().copied().filter(|&x| x <= v).collect();
            let (sum, count) = sum_at_or_below(&xs, v);
            assert_eq!(count, tail.len() as u64, "n {n}");
            let mut exact = Sum::default();
            tail.iter().for_each(|&x| exact.add(x));
            let want = exact.value();
            assert!(
                (sum - want).abs() <= 1e-15 * tail.iter().map(|x| x.abs()).sum::<f64>(),
                "n {n}: {sum} vs {want}"
            );
            assert_eq!(
                at_or_above(&xs, v),
                xs.iter().copied().filter(|&x| x >= v).collect::<Vec<_>>()
            );
        }
    }

    /// The window's answer for `xs`, fed block by block as the pass does.
    fn window(xs: &[f64], level: f64) -> Option<(f64, f64)> {
        let mut w = Window::estimate(xs, level);
        for block in xs.chunks(BLOCK) {
            let mut pick = w.picker();
            for &r in block {
                pick.add(r);
            }
            let len = pick.len;
            w.keep(len);
        }
        w.finish(xs.iter().filter(|x| !x.is_nan()).count() as u64, level)
    }

    #[test]
    fn window_equals_the_exact_path() {
        let mut seed = 3u64;
        let n = 40_000;
        let noise: Vec<f64> = (0..n).map(|_| 0.02 * (lcg(&mut seed) - 0.48)).collect();
        let mut sorted = noise.clone();
        sorted.sort_by(f64::total_cmp);
        let mut descending = sorted.clone();
        descending.reverse();
        // NaN, many zeros (ties at the quantile), and few distinct levels.
        let holes: Vec<f64> = (noise.iter().enumerate())
            .map(|(i, &x)| match i % 31 {
                0 => f64::NAN,
                1..=8 => 0.0,
                _ => x,
            })
            .collect();
        let levels: Vec<f64> = (0..n).map(|i| [-0.02, -0.01, 0.0, 0.01][i % 4]).collect();
        let mut used = 0;
        for xs in [&noise, &sorted, &descending, &holes, &levels] {
            let n_fin = xs.iter().filter(|x| !x.is_nan()).count() as u64;
            let x0 = xs.iter().copied().fold(f64::INFINITY, f64::min);
            for level in [0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.99999] {
                let want = var_cvar_in(xs, n_fin, x0, level).unwrap();
                if let Some(got) = window(xs, level) {
                    used += 1;
                    assert_eq!(got.0.to_bits(), want.0.to_bits(), "var at {level}");
                    assert!(
                        (got.1 - want.1).abs() <= 1e-14 * want.1.abs(),
                        "cvar at {level}: {} vs {}",
                        got.1,
                        want.1
                    );
                }
            }
        }
        // Levels 0.5 and 0.8 collect more than the cap (a fifth of the series), and so does
        // every level of the four-value series (a quarter of it ties at each value): those
        // take the exact path.
        assert_eq!(used, 4 * 5);
    }

    #[test]
    fn short_series_estimate_from_a_denser_sample() {
        // From 2,048 samples on the estimate takes every (n / 256)-th: the bundle gate's rows
        // of a few thousand returns go through the window too, with the same answers.
        let mut seed = 11u64;
        for n in [2_048usize, 4_500, 10_000, 16_383] {
            let xs: Vec<f64> = (0..n).map(|_| 0.02 * (lcg(&mut seed) - 0.48)).collect();
            let x0 = xs.iter().copied().fold(f64::INFINITY, f64::min);
            for level in [0.9, 0.95, 0.99] {
                let want = var_cvar_in(&xs, n as u64, x0, level).unwrap();
                let got = window(&xs, level).unwrap_or_else(|| panic!("n {n} level {level}"));
                assert_eq!(
                    got.0.to_bits(),
                    want.0.to_bits(),
                    "var, n {n} level {level}"
                );
                assert!(
                    (got.1 - want.1).abs() <= 1e-14 * want.1.abs(),
                    "cvar, n {n}"
                );
            }
        }
        // Shorter series keep the exact path.
        assert_eq!(window(&[0.01; 2_047], 0.95), None);
    }

    #[test]
    fn an_unrepresentative_sample_falls_back() {
        // Every 64th sample (the estimate's) is a big gain: the bound lets in everything and
        // the collection outgrows its cap.
        let mut seed = 9u64;
        let xs: Vec<f64> = (0..40_000)
            .map(|i| {
                if i % 64 == 0 {
                    1.0
                } else {
                    0.01 * lcg(&mut seed)
                }
            })
            .collect();
        assert_eq!(window(&xs, 0.95), None);
        // Every 64th sample is a big loss: the bound is far too low to reach rank ⌊h⌋.
        let xs: Vec<f64> = (0..40_000)
            .map(|i| {
                if i % 64 == 0 {
                    -0.9
                } else {
                    0.01 * lcg(&mut seed)
                }
            })
            .collect();
        assert_eq!(window(&xs, 0.95), None);
        // Short series never use the window.
        assert_eq!(window(&xs[..1000], 0.95), None);
    }
}
