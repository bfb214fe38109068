//! Series in unit form (shifted to mean 0, scaled to norm 1) and their dot products: the
//! Pearson ρ of two complete, equally long series is the dot product of their unit forms
//! ([`super::correlation`] takes it for every pair compared by position).
//!
//! The dot product sums in four interleaved partial sums (s₀ += x₀y₀, s₁ += x₁y₁, …, over
//! whole chunks of four), then `((s₀ + s₁) + (s₂ + s₃)) + tail` with the tail's products summed
//! in order. That order is fixed, so the result is the same number, bit for bit, on every
//! platform. Natively the compiler vectorises the loop. In wasm with `simd128` (the shipped
//! package) the values are stored two per `v128`, so each lane pair is one whole-vector load:
//! built from two scalars, a lane pair costs two loads and a shuffle, about 12 % of a
//! 1,000-strategy evaluation with correlation (BENCHMARKS.policy.md, session 18). Each lane is
//! multiplied and added as the scalar sum does (no fused multiply-add).

/// What a unit series stores its whole chunks' samples in: one `f64`, or two per `v128`.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
type Lane = f64;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
type Lane = core::arch::wasm32::v128;

/// A series in unit form: `(x − mean) / ‖x − mean‖` for each sample `x`.
pub(super) struct UnitSeries {
    /// The samples of the whole chunks of four, in order.
    lanes: Vec<Lane>,
    /// The samples after them (`len % 4` of them; the rest 0.0).
    tail: [f64; 3],
    len: usize,
}

impl UnitSeries {
    /// The unit form of `x`; `None` if it has a non-finite sample, fewer than 2 samples, or no
    /// variation (Σ(x − mean)² = 0).
    pub(super) fn of(x: &[f64]) -> Option<Self> {
        if x.len() < 2 {
            return None;
        }
        let sum = x.iter().sum::<f64>();
        // a non-finite sample makes the sum non-finite: the samples are checked only then
        if !sum.is_finite() && x.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let mean = sum / x.len() as f64;
        let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
        if ss <= 0.0 {
            return None;
        }
        let norm = ss.sqrt();
        let (whole, rest) = x.split_at(x.len() - x.len() % 4);
        let mut tail = [0.0; 3];
        for (t, v) in tail.iter_mut().zip(rest) {
            *t = (v - mean) / norm;
        }
        Some(UnitSeries {
            lanes: scaled(whole, mean, norm),
            tail,
            len: x.len(),
        })
    }

    /// How many samples it has.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Σ aᵢbᵢ over `self` and `other` (equally long: the caller checks), summed in the order of
    /// the module's doc.
    pub(super) fn dot(&self, other: &UnitSeries) -> f64 {
        dot(self, other)
    }

    /// (`self.dot(b0)`, `self.dot(b1)`) in one pass over `self`: the same numbers, bit for bit,
    /// at about the cost of one.
    pub(super) fn dot2(&self, b0: &UnitSeries, b1: &UnitSeries) -> (f64, f64) {
        dot2(self, b0, b1)
    }

    /// The samples after the whole chunks of four.
    fn tail(&self) -> &[f64] {
        self.tail.get(..self.len % 4).unwrap_or_default()
    }
}

/// The partial sums' total and the tails' products: `((s₀ + s₁) + (s₂ + s₃)) + Σ aᵢbᵢ` over
/// the tails.
fn total([s0, s1, s2, s3]: [f64; 4], a: &UnitSeries, b: &UnitSeries) -> f64 {
    let tail: f64 = a.tail().iter().zip(b.tail()).map(|(p, q)| p * q).sum();
    ((s0 + s1) + (s2 + s3)) + tail
}

/// `(v - mean) / norm` for each `v` of `x`.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn scaled(x: &[f64], mean: f64, norm: f64) -> Vec<f64> {
    x.iter().map(|v| (v - mean) / norm).collect()
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn dot(a: &UnitSeries, b: &UnitSeries) -> f64 {
    let mut acc = [0.0f64; 4];
    for (x, y) in a
        .lanes
        .as_chunks::<4>()
        .0
        .iter()
        .zip(b.lanes.as_chunks::<4>().0)
    {
        for ((s, p), q) in acc.iter_mut().zip(x).zip(y) {
            *s += p * q;
        }
    }
    total(acc, a, b)
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn dot2(a: &UnitSeries, b0: &UnitSeries, b1: &UnitSeries) -> (f64, f64) {
    (dot(a, b0), dot(a, b1))
}

/// [`scaled`] two lanes at a time (each lane the same IEEE subtraction and division: the same
/// numbers, at about half the cost of the divisions), stored as they are computed (`x` has an
/// even length: whole chunks of four).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn scaled(x: &[f64], mean: f64, norm: f64) -> Vec<Lane> {
    use core::arch::wasm32::{f64x2, f64x2_div, f64x2_splat, f64x2_sub};
    let (m, n) = (f64x2_splat(mean), f64x2_splat(norm));
    let pairs = x.as_chunks::<2>().0.iter();
    pairs
        .map(|&[a, b]| f64x2_div(f64x2_sub(f64x2(a, b), m), n))
        .collect()
}

/// The four partial sums held as two `v128`s.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn sums(lo: Lane, hi: Lane) -> [f64; 4] {
    use core::arch::wasm32::f64x2_extract_lane;
    [
        f64x2_extract_lane::<0>(lo),
        f64x2_extract_lane::<1>(lo),
        f64x2_extract_lane::<0>(hi),
        f64x2_extract_lane::<1>(hi),
    ]
}

/// The lanes of `u` in pairs: one chunk of four samples each.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn chunks(u: &UnitSeries) -> &[[Lane; 2]] {
    u.lanes.as_chunks::<2>().0
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn dot(a: &UnitSeries, b: &UnitSeries) -> f64 {
    use core::arch::wasm32::{f64x2_add, f64x2_mul, f64x2_splat};
    let (mut lo, mut hi) = (f64x2_splat(0.0), f64x2_splat(0.0));
    for (&[x0, x1], &[y0, y1]) in chunks(a).iter().zip(chunks(b)) {
        lo = f64x2_add(lo, f64x2_mul(x0, y0));
        hi = f64x2_add(hi, f64x2_mul(x1, y1));
    }
    total(sums(lo, hi), a, b)
}

/// [`dot`] of `a` with `b0` and with `b1`: four independent `v128` sums, each summed as
/// [`dot`] sums it.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn dot2(a: &UnitSeries, b0: &UnitSeries, b1: &UnitSeries) -> (f64, f64) {
    use core::arch::wasm32::{f64x2_add, f64x2_mul, f64x2_splat};
    let zero = f64x2_splat(0.0);
    let (mut lo0, mut hi0, mut lo1, mut hi1) = (zero, zero, zero, zero);
    let pairs = chunks(a).iter().zip(chunks(b0)).zip(chunks(b1));
    for ((&[x0, x1], &[y0, y1]), &[z0, z1]) in pairs {
        lo0 = f64x2_add(lo0, f64x2_mul(x0, y0));
        hi0 = f64x2_add(hi0, f64x2_mul(x1, y1));
        lo1 = f64x2_add(lo1, f64x2_mul(x0, z0));
        hi1 = f64x2_add(hi1, f64x2_mul(x1, z1));
    }
    (total(sums(lo0, hi0), a, b0), total(sums(lo1, hi1), a, b1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;

    /// Σ aᵢbᵢ in the documented order, written out from the definition.
    fn by_definition(a: &[f64], b: &[f64]) -> f64 {
        let q = a.len() / 4;
        let mut s = [0.0f64; 4];
        for i in 0..4 * q {
            s[i % 4] += a[i] * b[i];
        }
        let mut tail = 0.0;
        for i in 4 * q..a.len() {
            tail += a[i] * b[i];
        }
        ((s[0] + s[1]) + (s[2] + s[3])) + tail
    }

    /// The samples of `u`, in order.
    fn values(u: &UnitSeries) -> Vec<f64> {
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
        let mut v = u.lanes.clone();
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let mut v: Vec<f64> = {
            use core::arch::wasm32::f64x2_extract_lane;
            let lanes = u.lanes.iter();
            lanes
                .flat_map(|l| [f64x2_extract_lane::<0>(*l), f64x2_extract_lane::<1>(*l)])
                .collect()
        };
        v.extend_from_slice(u.tail());
        v
    }

    #[test]
    fn every_length_sums_in_the_documented_order() {
        for n in 2..=13 {
            let x: Vec<f64> = (0..n)
                .map(|i| ((i * 37 % 11) as f64).sin() * 1e3 + 0.1)
                .collect();
            let y: Vec<f64> = (0..n)
                .map(|i| ((i * 53 % 7) as f64).cos() / 3.0 - 0.2)
                .collect();
            let (ux, uy) = (UnitSeries::of(&x).unwrap(), UnitSeries::of(&y).unwrap());
            let (vx, vy) = (values(&ux), values(&uy));
            let mean = x.iter().sum::<f64>() / n as f64;
            let norm = x
                .iter()
                .map(|v| (v - mean) * (v - mean))
                .sum::<f64>()
                .sqrt();
            for (got, v) in vx.iter().zip(&x) {
                assert_eq!(*got, (v - mean) / norm, "n = {n}");
            }
            assert_eq!(ux.dot(&uy), by_definition(&vx, &vy), "n = {n}");
            let (d0, d1) = ux.dot2(&uy, &ux);
            assert_eq!(d0, ux.dot(&uy), "n = {n}");
            assert_eq!(d1, ux.dot(&ux), "n = {n}");
            assert!((d1 - 1.0).abs() < 1e-12, "n = {n}: ‖unit‖² = {d1}");
        }
    }

    #[test]
    fn no_unit_form_for_short_flat_or_non_finite_series() {
        assert!(UnitSeries::of(&[]).is_none());
        assert!(UnitSeries::of(&[1.0]).is_none());
        assert!(UnitSeries::of(&[2.0, 2.0, 2.0]).is_none());
        assert!(UnitSeries::of(&[1.0, f64::NAN, 2.0]).is_none());
        assert!(UnitSeries::of(&[1.0, f64::INFINITY]).is_none());
        assert!(UnitSeries::of(&[1.0, 2.0]).is_some());
    }
}
