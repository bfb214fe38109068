//! Numerical building blocks of the v1.5 metrics: summation in the two orders the profiles
//! need, QMTL's interpolated quantile, the normal CDF and two inverse normal CDFs.
//!
//! - [`naive_sum`]: left to right, one rounding per addition (Python's built-in `sum()` on
//!   floats before 3.12, which QMTL's SDK uses).
//! - [`fsum`]: the exactly rounded sum (Python's `math.fsum`, which `statistics.fmean` uses):
//!   Shewchuk's non-overlapping partials, then one correctly rounded result.
//! - `quantile_sorted` (the tests' reference): `x[⌊h⌋] + (x[⌈h⌉] − x[⌊h⌋])·(h − ⌊h⌋)` with `h = (n − 1)·p`.
//! - [`acklam_ppf`]: Acklam's rational approximation of Φ⁻¹ (relative error ≈ 1.15e-9), as QMTL.
//! - [`ppf`]: Wichura's AS241 (PPND16), Φ⁻¹ to about 1e-16 relative.
//! - [`norm_cdf_erf`]: `0.5·(1 + erf(z/√2))` (QMTL's; loses the lower tail to cancellation);
//!   [`norm_cdf`]: `0.5·erfc(−z/√2)`, accurate in both tails.

/// Left-to-right sum: `((0 + x₀) + x₁) + …`.
pub(crate) fn naive_sum(xs: impl IntoIterator<Item = f64>) -> f64 {
    xs.into_iter().fold(0.0, |s, x| s + x)
}

/// The exactly rounded sum of finite terms (as Python's `math.fsum`); `0.0` for none. The
/// result does not depend on the order of the terms.
pub(crate) fn fsum(xs: impl IntoIterator<Item = f64>) -> f64 {
    // Non-overlapping partials of finite doubles span at most 2098 bits: 40 of 53 bits each.
    let mut partials = [0.0f64; PARTIALS];
    let mut len = 0usize;
    for mut x in xs {
        let mut kept = 0;
        for i in 0..len {
            let mut y = partials.get(i).copied().unwrap_or(0.0);
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                if let Some(slot) = partials.get_mut(kept) {
                    *slot = lo;
                }
                kept += 1;
            }
            x = hi;
        }
        if let Some(slot) = partials.get_mut(kept) {
            *slot = x;
        }
        len = (kept + 1).min(PARTIALS);
    }
    round_partials(partials.get(..len).unwrap_or_default())
}

/// Room for the partials of [`fsum`] (at most 40 are ever non-zero).
const PARTIALS: usize = 48;

/// Adds non-overlapping partials (increasing magnitude) from the top, then corrects the
/// half-way case so the result is the correctly rounded (ties to even) total.
fn round_partials(partials: &[f64]) -> f64 {
    let mut i = partials.len();
    let mut hi = 0.0;
    let mut lo = 0.0;
    while i > 0 {
        i -= 1;
        let x = hi;
        let y = partials.get(i).copied().unwrap_or(0.0);
        hi = x + y;
        let yr = hi - x;
        lo = y - yr;
        if lo != 0.0 {
            break;
        }
    }
    // A half-way rounding of `hi + lo` that the remaining partials push one way.
    if i > 0 {
        let next = partials.get(i - 1).copied().unwrap_or(0.0);
        if (lo < 0.0 && next < 0.0) || (lo > 0.0 && next > 0.0) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
    }
    hi
}

/// A sum in double-double arithmetic (Knuth's branch-free TwoSum): about 106 bits before the
/// final rounding, so for the short sums it is used on (20 terms) the correctly rounded sum
/// except in vanishingly rare half-way cases, at a fraction of [`fsum`]'s cost.
pub(crate) fn dd_sum(xs: impl IntoIterator<Item = f64>) -> f64 {
    let (mut hi, mut lo) = (0.0f64, 0.0f64);
    for x in xs {
        let s = hi + x;
        let bb = s - hi;
        let err = (hi - (s - bb)) + (x - bb);
        hi = s;
        lo += err;
    }
    hi + lo
}

/// QMTL's `_quantile` over ascending `sorted` values: `None` when empty (the reference
/// [`quantile_select`] is tested against).
#[cfg(test)]
pub(crate) fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    let first = *sorted.first()?;
    let last = *sorted.last()?;
    if p <= 0.0 {
        return Some(first);
    }
    if p >= 1.0 {
        return Some(last);
    }
    let idx = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (idx.floor(), idx.ceil());
    let a = *sorted.get(lo as usize)?;
    if lo == hi {
        return Some(a);
    }
    let b = *sorted.get(hi as usize)?;
    Some(a + (b - a) * (idx - lo))
}

/// The same quantile without sorting: selects the (at most two) order statistics it needs.
/// Reorders `values`.
pub(crate) fn quantile_select(values: &mut [f64], p: f64) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let p = p.clamp(0.0, 1.0);
    let idx = (n - 1) as f64 * p;
    let (lo, hi) = (idx.floor() as usize, idx.ceil() as usize);
    let (left, a, _) = values.select_nth_unstable_by(hi, f64::total_cmp);
    let b = *a;
    if lo == hi {
        return Some(b);
    }
    // The largest value left of `hi` is the order statistic `lo`.
    let a = left.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if p <= 0.0 {
        return Some(a);
    }
    Some(a + (b - a) * (idx - lo as f64))
}

/// Acklam's inverse normal CDF for `p` in (0, 1), as QMTL's `_norm_ppf`, **with its sign error
/// in the tails**: for p < 0.02425 and p > 0.97575 QMTL returns −x (so z(0.98) ≈ −2.054), which
/// makes its DSR threshold negative for T ≥ 42 trials. `None` outside (0, 1).
#[allow(clippy::excessive_precision)] // the coefficients as published
pub(crate) fn acklam_ppf(p: f64) -> Option<f64> {
    const A: [f64; 6] = [
        -39.69683028665376,
        220.9460984245205,
        -275.9285104469687,
        138.3577518672690,
        -30.66479806614716,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -54.47609879822406,
        161.5858368580409,
        -155.6989798598866,
        66.80131188771972,
        -13.28068155288572,
    ];
    const C: [f64; 6] = [
        -0.007784894002430293,
        -0.3223964580411365,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        0.007784695709041462,
        0.3224671290700398,
        2.445134137142996,
        3.754408661907416,
    ];
    let [a1, a2, a3, a4, a5, a6] = A;
    let [b1, b2, b3, b4, b5] = B;
    let [c1, c2, c3, c4, c5, c6] = C;
    let [d1, d2, d3, d4] = D;
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let plow = 0.02425;
    let tail = |q: f64| {
        let num = ((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6;
        let den = (((d1 * q + d2) * q + d3) * q + d4) * q + 1.0;
        num / den
    };
    if p < plow {
        return Some(-tail(libm::sqrt(-2.0 * libm::log(p))));
    }
    if p > 1.0 - plow {
        return Some(tail(libm::sqrt(-2.0 * libm::log(1.0 - p))));
    }
    let q = p - 0.5;
    let r = q * q;
    let num = (((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q;
    let den = ((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1.0;
    Some(num / den)
}

/// Evaluates the polynomial with coefficients `c` (constant first) at `x` (Horner).
fn poly(c: &[f64], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}

/// Φ⁻¹(p) for `p` in (0, 1) by Wichura's AS241 (PPND16, about 1e-16 relative); `None`
/// outside (0, 1) or for NaN.
#[allow(clippy::excessive_precision)] // the coefficients as published (Wichura 1988)
pub(crate) fn ppf(p: f64) -> Option<f64> {
    const A: [f64; 8] = [
        3.387_132_872_796_366_608,
        133.141_667_891_784_377_45,
        1_971.590_950_306_551_442_7,
        13_731.693_765_509_461_125,
        45_921.953_931_549_871_457,
        67_265.770_927_008_700_853,
        33_430.575_583_588_128_105,
        2_509.080_928_730_122_672_7,
    ];
    const B: [f64; 8] = [
        1.0,
        42.313_330_701_600_911_252,
        687.187_007_492_057_908_30,
        5_394.196_021_424_751_107_7,
        21_213.794_301_586_595_867,
        39_307.895_800_092_710_610,
        28_729.085_735_721_942_674,
        5_226.495_278_852_854_561_0,
    ];
    const C: [f64; 8] = [
        1.423_437_110_749_683_577_34,
        4.630_337_846_156_545_295_90,
        5.769_497_221_460_691_405_50,
        3.647_848_324_763_204_605_04,
        1.270_458_252_452_368_382_58,
        0.241_780_725_177_450_611_770,
        0.022_723_844_989_269_184_583_3,
        7.745_450_142_783_414_076_40e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053_191_626_637_758_821_87,
        1.676_384_830_183_803_849_40,
        0.689_767_334_985_100_004_550,
        0.148_103_976_427_480_074_590,
        0.015_198_666_563_616_457_196_6,
        5.475_938_084_995_344_946_00e-4,
        1.050_750_071_644_416_843_24e-9,
    ];
    const E: [f64; 8] = [
        6.657_904_643_501_103_777_20,
        5.463_784_911_164_114_369_90,
        1.784_826_539_917_291_335_80,
        0.296_560_571_828_504_891_230,
        0.026_532_189_526_576_123_093_0,
        0.001_242_660_947_388_078_438_60,
        2.711_555_568_743_487_578_15e-5,
        2.010_334_399_292_288_132_65e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        0.599_832_206_555_887_937_690,
        0.136_929_880_922_735_805_310,
        0.014_875_361_290_850_614_852_5,
        7.868_691_311_456_132_591_00e-4,
        1.846_318_317_510_054_681_80e-5,
        1.421_511_758_316_445_888_70e-7,
        2.044_263_103_389_939_785_64e-15,
    ];
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return Some(q * poly(&A, r) / poly(&B, r));
    }
    let r = libm::sqrt(-libm::log(if q < 0.0 { p } else { 1.0 - p }));
    let x = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    Some(if q < 0.0 { -x } else { x })
}

/// QMTL's normal CDF: `0.5·(1 + erf(z/√2))`.
pub(crate) fn norm_cdf_erf(z: f64) -> f64 {
    0.5 * (1.0 + libm::erf(z / libm::sqrt(2.0)))
}

/// The standard normal CDF, `0.5·erfc(−z/√2)`: full relative accuracy in both tails.
pub(crate) fn norm_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn fsum_is_exactly_rounded() {
        assert_eq!(fsum([0.1; 10]), 1.0);
        assert_eq!(fsum([1e100, 1.0, -1e100, 1e-100]), 1.0);
        // Half-way case: 1 + 2⁻⁵³ + 2⁻¹⁰⁶ rounds up only because of the last partial.
        let t = 2f64.powi(-53);
        assert_eq!(fsum([1.0, t, t * t]), 1.0 + 2.0 * t);
        assert_eq!(fsum([1.0, t]), 1.0);
        assert_eq!(fsum([]), 0.0);
        assert_eq!(naive_sum([0.1; 10]), 0.9999999999999999);
    }

    #[test]
    fn quantile_by_selection_equals_quantile_of_the_sorted_values() {
        let v = [0.3, -0.1, 0.2, 0.05, -0.4, 0.0, 0.11];
        let mut s = v.to_vec();
        s.sort_by(f64::total_cmp);
        for p in [0.0, 0.01, 1.0 / 3.0, 0.5, 2.0 / 3.0, 0.99, 1.0] {
            let mut w = v.to_vec();
            assert_eq!(quantile_select(&mut w, p), quantile_sorted(&s, p), "{p}");
        }
        assert_eq!(quantile_sorted(&[], 0.5), None);
        assert_eq!(quantile_sorted(&s, 0.01), Some(-0.4 + 0.3 * 0.06));
    }

    #[test]
    fn as241_matches_python_statistics_normal_dist() {
        // Python 3.11 `statistics.NormalDist().inv_cdf(p)` (its own AS241 implementation).
        for (p, z) in [
            (0.975, 1.9599639845400536),
            (0.99, 2.3263478740408408),
            (0.5, 0.0),
            (0.98, 2.053748910631822),
            (1e-10, -6.361340902404056),
            (1.0 - 1.0 / (50.0 * std::f64::consts::E), 2.4393139538578943),
        ] {
            let got = ppf(p).unwrap();
            assert!(
                (got - z).abs() <= 5e-16 * z.abs().max(1.0),
                "{p}: {got} vs {z}"
            );
        }
        assert_eq!(ppf(0.0), None);
        assert_eq!(ppf(f64::NAN), None);
        // Round trip through the CDF.
        for p in [1e-300, 1e-20, 0.001, 0.3, 0.77, 0.999_999] {
            let back = norm_cdf(ppf(p).unwrap());
            assert!((back - p).abs() <= 1e-13 * p, "{p}: {back}");
        }
    }

    #[test]
    fn acklam_as_qmtl_has_its_tails_sign_swapped() {
        // Central region (0.02425 ≤ p ≤ 0.97575): Acklam's published 1.15e-9 relative error.
        for p in [0.03, 0.3, 0.5, 0.9, 0.97] {
            let (a, e) = (acklam_ppf(p).unwrap(), ppf(p).unwrap());
            assert!((a - e).abs() <= 1.2e-9 * e.abs().max(1e-9), "{p}");
        }
        // Tails: QMTL returns −x where Acklam returns x, so z(0.98) < 0 (Python's
        // `statistics.NormalDist().inv_cdf(0.98)` = 2.053748910631822).
        for p in [0.001, 0.02, 0.98, 0.999] {
            let (a, e) = (acklam_ppf(p).unwrap(), ppf(p).unwrap());
            assert!((a + e).abs() <= 1.2e-9 * e.abs(), "{p}: {a} vs {e}");
        }
        assert!(acklam_ppf(0.98).unwrap() < 0.0);
        assert_eq!(acklam_ppf(1.0), None);
    }

    #[test]
    fn double_double_sum_is_exact_for_short_sums() {
        // Twenty return-sized terms in three orders: the exactly rounded sum each time.
        let v: Vec<f64> = (0..20)
            .map(|i| ((i * 37) % 23) as f64 / 997.0 - 0.01)
            .collect();
        let mut rev = v.clone();
        rev.reverse();
        let mut rot = v.clone();
        rot.rotate_left(7);
        for w in [&v, &rev, &rot] {
            assert_eq!(dd_sum(w.iter().copied()), fsum(v.iter().copied()));
        }
        assert_eq!(dd_sum([0.1; 10]), 1.0);
    }
}
