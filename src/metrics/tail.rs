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
//! the tail returns are gains. One copy of the finite returns is made and partially ordered in
//! O(n) with `select_nth_unstable_by(total_cmp)`.

use super::sum::{Sum, pow2_scale};

/// `(var, cvar)` of the finite samples of `returns` at `level` ∈ (0, 1); `None` without a
/// finite sample.
pub(crate) fn var_cvar(returns: &[f64], level: f64) -> Option<(f64, f64)> {
    let mut xs = Vec::with_capacity(returns.len());
    xs.extend(returns.iter().copied().filter(|r| !r.is_nan()));
    let n = xs.len();
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
    let (left, &mut a, right) = xs.select_nth_unstable_by(lo, f64::total_cmp);
    // x_{lo+1} is the minimum of the right part; count how many of the right part equal it.
    let mut b = f64::INFINITY;
    let mut ties = 0u64;
    for &x in right.iter() {
        if x < b {
            b = x;
            ties = 0;
        }
        ties += u64::from(x == b);
    }
    let var = if right.is_empty() { a } else { lerp(a, b, g) };

    // The tail: x_0..=x_lo (all ≤ a ≤ var) plus the right part's values equal to var, which
    // exist only when var = b.
    let right_ties = if !right.is_empty() && b <= var {
        ties
    } else {
        0
    };
    let start = a.abs().max(if right_ties > 0 { b.abs() } else { 0.0 });
    let max_abs = left.iter().fold(start, |m, x| m.max(x.abs()));
    let scale = pow2_scale(max_abs);
    let inv = 1.0 / scale;
    let mut tail = Sum::default();
    for &x in left.iter() {
        tail.add(x * inv);
    }
    tail.add(a * inv);
    for _ in 0..right_ties {
        tail.add(b * inv);
    }
    let count = (lo as u64 + 1 + right_ties) as f64;
    Some((var, tail.value() / count * scale))
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
