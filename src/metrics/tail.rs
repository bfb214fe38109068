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
//! Algorithm (O(n), no copy of the series): each finite return maps to an order-preserving
//! `u64` key (the `total_cmp` order: −0 before +0); one pass builds a histogram of the keys'
//! top [`BUCKET_BITS`] bits (sign, exponent and the leading mantissa bits), which locates the
//! bucket(s) holding ranks i and i + 1; a second pass collects only those buckets' keys, and a
//! `select_nth_unstable` on them gives x_i and x_{i+1} exactly as a full sort would. `cvar` is
//! then one pass summing the returns ≤ `var` in series order (Neumaier-compensated, after
//! division by the power of two at or below the largest tail magnitude, max(|x₀|, |x_i|) or
//! |x_{i+1}| when it ties with `var`), so the result does not depend on any partition order.

use super::sum::{Sum, pow2_scale};

/// Bits of the order-preserving key that pick a histogram bucket.
const BUCKET_BITS: u32 = 16;
const SHIFT: u32 = 64 - BUCKET_BITS;

/// The order-preserving key of a non-NaN `f64`: unsigned comparison of keys is `total_cmp`.
#[inline]
fn key(x: f64) -> u64 {
    let u = x.to_bits();
    if u >> 63 == 1 { !u } else { u | (1 << 63) }
}

/// The inverse of [`key`].
#[inline]
fn from_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// The values of ranks `lo` and `lo + 1` (`None` past the end) of the non-NaN samples in the
/// `total_cmp` order, with `n` the number of non-NaN samples (> `lo`).
pub(crate) fn ranks(returns: &[f64], lo: usize) -> Option<(f64, Option<f64>)> {
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

/// [`var_cvar`] given the count `n` and minimum `x0` of the finite samples (from the
/// validation pass); `None` when n = 0.
pub(crate) fn var_cvar_in(returns: &[f64], n: u64, x0: f64, level: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let q = 1.0 - level;
    let last = (n - 1) as f64;
    let mut h = (last * q).clamp(0.0, last);
    // `level` is usually a decimal (0.9) whose binary value is off by up to half an ulp, and
    // so is q: snap h to an integer rank within that error, as the decimal level intends.
    let k = h.round();
    if (h - k).abs() <= (last + h) * f64::EPSILON {
        h = k;
    }
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

    fn lcg(seed: &mut u64) -> f64 {
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
