//! Compensated summation and power-of-two scaling, the numerical building blocks of the
//! metrics.
//!
//! [`Sum`] is Neumaier's variant of Kahan summation: the rounding error of every addition is
//! carried in a second accumulator, so a sum of n terms is accurate to about one rounding of
//! the result instead of n of them, whatever the order of magnitudes. The long per-sample sums
//! of the moments are *blocked*: plain additions over blocks of [`BLOCK`] samples (256 in the
//! fused pass, `pass.rs`, as two lanes of 128), each block's total added to a [`Sum`]; the
//! error is at most about 128ε·Σ|x| (the bound of pairwise summation at n ≈ 10³⁸) at a fraction of a compensated
//! addition's cost. [`pow2_scale`] picks an
//! exact power of two to divide a series by so that squares and sums of huge values cannot
//! overflow; dividing by a power of two is exact for normal numbers, so scaling never changes a
//! result that did not overflow.

/// A Neumaier-compensated running sum.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sum {
    sum: f64,
    compensation: f64,
}

impl Sum {
    /// Adds one finite term.
    #[inline]
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.sum + x;
        // Selects rather than branches: the larger magnitude's low bits are what `t` lost.
        let (big, small) = if self.sum.abs() >= x.abs() {
            (self.sum, x)
        } else {
            (x, self.sum)
        };
        self.compensation += (big - t) + small;
        self.sum = t;
    }

    /// The compensated total.
    #[inline]
    pub(crate) fn value(self) -> f64 {
        self.sum + self.compensation
    }
}

/// Samples per block of a blocked sum: plain additions inside a block, the block totals added
/// to a [`Sum`].
pub(crate) const BLOCK: usize = 32;

/// The largest power of two not above `max_abs` (`1` when `max_abs` is zero, subnormal or not
/// finite): dividing values of magnitude ≤ `max_abs` by it leaves them below 2 in magnitude.
pub(crate) fn pow2_scale(max_abs: f64) -> f64 {
    if max_abs.is_normal() {
        f64::from_bits(max_abs.abs().to_bits() & 0x7ff0_0000_0000_0000)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensated_sum_recovers_what_naive_summation_loses() {
        // 1 + 1e100 + 1 − 1e100 = 2 exactly; naive f64 summation gives 0.
        let mut s = Sum::default();
        for x in [1.0, 1e100, 1.0, -1e100] {
            s.add(x);
        }
        assert_eq!(s.value(), 2.0);
        // 0.1 added ten times: naive gives 0.9999999999999999.
        let mut s = Sum::default();
        for _ in 0..10 {
            s.add(0.1);
        }
        assert_eq!(s.value(), 1.0);
    }

    #[test]
    fn scale_is_a_power_of_two_at_or_below_the_magnitude() {
        assert_eq!(pow2_scale(0.0), 1.0);
        assert_eq!(pow2_scale(f64::MIN_POSITIVE / 2.0), 1.0);
        assert_eq!(pow2_scale(1.0), 1.0);
        assert_eq!(pow2_scale(3.0), 2.0);
        assert_eq!(pow2_scale(0.001), 2f64.powi(-10));
        assert_eq!(pow2_scale(f64::MAX), 2f64.powi(1023));
    }
}
