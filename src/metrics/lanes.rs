//! Two `f64` lanes, [`F2`], for the fused pass's per-sample sums: each operation is the IEEE
//! operation on each lane (no fused multiply-add, no reassociation), so a sum accumulated in
//! lanes is the same number on every target; only the instructions differ. With wasm's
//! `simd128` enabled (the shipped package) the lanes are a `v128` and each operation one
//! instruction; elsewhere they are a pair of `f64`s written lane by lane, which LLVM's
//! vectoriser pairs into one SSE2 register on x86-64 (a native build cannot use the x86
//! intrinsics without `unsafe`, which the crate forbids).
//!
//! `min` and `max` are the comparison selects `b < a ? b : a` and `a < b ? b : a` (wasm's
//! `pmin`/`pmax`, x86's `minpd`/`maxpd` with the operands swapped): which zero a tie keeps and
//! what a NaN gives are fixed, not left to the target.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::{
        f64x2, f64x2_add, f64x2_eq, f64x2_extract_lane, f64x2_gt, f64x2_le, f64x2_mul, f64x2_pmax,
        f64x2_pmin, f64x2_splat, f64x2_sub, i64x2_extract_lane, i64x2_shuffle, i64x2_splat,
        i64x2_sub, v128, v128_and,
    };

    /// Two `f64` lanes.
    #[derive(Clone, Copy)]
    pub(crate) struct F2(v128);

    /// Two lane masks (all ones or zero per lane), from a comparison.
    #[derive(Clone, Copy)]
    pub(crate) struct M2(v128);

    /// Two `u64` counters.
    #[derive(Clone, Copy)]
    pub(crate) struct C2(v128);

    impl F2 {
        #[inline(always)]
        pub(crate) fn new(a: f64, b: f64) -> F2 {
            F2(f64x2(a, b))
        }
        #[inline(always)]
        pub(crate) fn splat(a: f64) -> F2 {
            F2(f64x2_splat(a))
        }
        #[inline(always)]
        pub(crate) fn add(self, o: F2) -> F2 {
            F2(f64x2_add(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn sub(self, o: F2) -> F2 {
            F2(f64x2_sub(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn mul(self, o: F2) -> F2 {
            F2(f64x2_mul(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn min(self, o: F2) -> F2 {
            F2(f64x2_pmin(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn max(self, o: F2) -> F2 {
            F2(f64x2_pmax(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn gt(self, o: F2) -> M2 {
            M2(f64x2_gt(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn eq(self, o: F2) -> M2 {
            M2(f64x2_eq(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn le(self, o: F2) -> M2 {
            M2(f64x2_le(self.0, o.0))
        }
        /// Each lane where `m` is set, +0 elsewhere.
        #[inline(always)]
        pub(crate) fn keep(self, m: M2) -> F2 {
            F2(v128_and(self.0, m.0))
        }
        #[inline(always)]
        pub(crate) fn lanes(self) -> [f64; 2] {
            [
                f64x2_extract_lane::<0>(self.0),
                f64x2_extract_lane::<1>(self.0),
            ]
        }
        /// The lanes swapped.
        #[inline(always)]
        pub(crate) fn swap(self) -> F2 {
            F2(i64x2_shuffle::<1, 0>(self.0, self.0))
        }
    }

    impl C2 {
        #[inline(always)]
        pub(crate) fn zero() -> C2 {
            C2(i64x2_splat(0))
        }
        /// Adds one to each lane whose mask is set.
        #[inline(always)]
        pub(crate) fn count(self, m: M2) -> C2 {
            C2(i64x2_sub(self.0, m.0))
        }
        #[inline(always)]
        pub(crate) fn lanes(self) -> [u64; 2] {
            [
                i64x2_extract_lane::<0>(self.0) as u64,
                i64x2_extract_lane::<1>(self.0) as u64,
            ]
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    /// Two `f64` lanes.
    #[derive(Clone, Copy)]
    pub(crate) struct F2([f64; 2]);

    /// Two lane masks (all ones or zero per lane), from a comparison.
    #[derive(Clone, Copy)]
    pub(crate) struct M2([u64; 2]);

    /// Two `u64` counters.
    #[derive(Clone, Copy)]
    pub(crate) struct C2([u64; 2]);

    /// `f` on each pair of lanes.
    #[inline(always)]
    fn each(a: [f64; 2], b: [f64; 2], f: impl Fn(f64, f64) -> f64) -> [f64; 2] {
        let ([a0, a1], [b0, b1]) = (a, b);
        [f(a0, b0), f(a1, b1)]
    }

    /// The mask of `f` on each pair of lanes.
    #[inline(always)]
    fn mask(a: [f64; 2], b: [f64; 2], f: impl Fn(f64, f64) -> bool) -> M2 {
        let ([a0, a1], [b0, b1]) = (a, b);
        M2([
            u64::from(f(a0, b0)).wrapping_neg(),
            u64::from(f(a1, b1)).wrapping_neg(),
        ])
    }

    impl F2 {
        #[inline(always)]
        pub(crate) fn new(a: f64, b: f64) -> F2 {
            F2([a, b])
        }
        #[inline(always)]
        pub(crate) fn splat(a: f64) -> F2 {
            F2([a, a])
        }
        #[inline(always)]
        pub(crate) fn add(self, o: F2) -> F2 {
            F2(each(self.0, o.0, |a, b| a + b))
        }
        #[inline(always)]
        pub(crate) fn sub(self, o: F2) -> F2 {
            F2(each(self.0, o.0, |a, b| a - b))
        }
        #[inline(always)]
        pub(crate) fn mul(self, o: F2) -> F2 {
            F2(each(self.0, o.0, |a, b| a * b))
        }
        #[inline(always)]
        pub(crate) fn min(self, o: F2) -> F2 {
            F2(each(self.0, o.0, |a, b| if b < a { b } else { a }))
        }
        #[inline(always)]
        pub(crate) fn max(self, o: F2) -> F2 {
            F2(each(self.0, o.0, |a, b| if a < b { b } else { a }))
        }
        #[inline(always)]
        pub(crate) fn gt(self, o: F2) -> M2 {
            mask(self.0, o.0, |a, b| a > b)
        }
        #[inline(always)]
        pub(crate) fn eq(self, o: F2) -> M2 {
            mask(self.0, o.0, |a, b| a == b)
        }
        #[inline(always)]
        pub(crate) fn le(self, o: F2) -> M2 {
            mask(self.0, o.0, |a, b| a <= b)
        }
        /// Each lane where `m` is set, +0 elsewhere.
        #[inline(always)]
        pub(crate) fn keep(self, m: M2) -> F2 {
            let ([a0, a1], [m0, m1]) = (self.0, m.0);
            F2([
                f64::from_bits(a0.to_bits() & m0),
                f64::from_bits(a1.to_bits() & m1),
            ])
        }
        #[inline(always)]
        pub(crate) fn lanes(self) -> [f64; 2] {
            self.0
        }
        /// The lanes swapped.
        #[inline(always)]
        pub(crate) fn swap(self) -> F2 {
            let [a, b] = self.0;
            F2([b, a])
        }
    }

    impl C2 {
        #[inline(always)]
        pub(crate) fn zero() -> C2 {
            C2([0, 0])
        }
        /// Adds one to each lane whose mask is set.
        #[inline(always)]
        pub(crate) fn count(self, m: M2) -> C2 {
            let ([c0, c1], [m0, m1]) = (self.0, m.0);
            C2([c0.wrapping_sub(m0), c1.wrapping_sub(m1)])
        }
        #[inline(always)]
        pub(crate) fn lanes(self) -> [u64; 2] {
            self.0
        }
    }
}

pub(crate) use imp::{C2, F2};
