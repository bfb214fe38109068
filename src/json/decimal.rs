//! Exact decimal → `f64` for the common case, without a second pass over the text.
//!
//! The reader accumulates a number's digits into a [`Decimal`] while it scans them. When the
//! significand `m` has at most 19 digits, `m ≤ 2^53` and the power of ten `|e| ≤ 22`, both `m`
//! and `10^|e|` are exact doubles and one IEEE multiplication or division rounds their product
//! or quotient correctly (Clinger's fast path), so [`Decimal::fast_value`] gives exactly the
//! double `str::parse::<f64>` gives. Anything else answers `None` and the caller parses the
//! text; the result is the same bits either way, in every runtime.

/// Exact powers of ten as doubles (10^22 is the largest that is exact).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Digits of a decimal number as read: `(−1)^negative · significand · 10^(exponent − frac_len)`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Decimal {
    /// The integer and fraction digits as one integer (exact while `digits ≤ 19`).
    pub significand: u64,
    /// How many digits went into `significand` (leading zeros included).
    pub digits: u32,
    /// Fraction digits.
    pub frac_len: u32,
    /// The explicit exponent (saturated at ±100,000).
    pub exponent: i32,
    /// A leading `-`.
    pub negative: bool,
}

impl Decimal {
    /// Appends one digit (`0`–`9`) to the significand.
    #[inline(always)]
    pub(crate) fn push_digit(&mut self, d: u8) {
        self.significand = self.significand.wrapping_mul(10).wrapping_add(u64::from(d));
        self.digits += 1;
    }

    /// The exact double when the fast path applies.
    #[inline(always)]
    pub(crate) fn fast_value(&self) -> Option<f64> {
        if self.digits > 19 || self.significand > 1 << 53 {
            return None;
        }
        let m = self.significand as f64;
        let e = i64::from(self.exponent) - i64::from(self.frac_len);
        let x = if e >= 0 {
            m * POW10.get(usize::try_from(e).ok()?)?
        } else {
            m / POW10.get(usize::try_from(-e).ok()?)?
        };
        Some(if self.negative { -x } else { x })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` (JSON number grammar) the way the reader does.
    fn decimal(text: &str) -> Decimal {
        let mut d = Decimal {
            negative: text.starts_with('-'),
            ..Decimal::default()
        };
        let body = text.trim_start_matches('-');
        let (mant, exp) = match body.split_once(['e', 'E']) {
            Some((m, e)) => (m, e.parse::<i32>().unwrap()),
            None => (body, 0),
        };
        d.exponent = exp;
        let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
        for b in int.bytes().chain(frac.bytes()) {
            d.push_digit(b - b'0');
        }
        d.frac_len = frac.len() as u32;
        d
    }

    #[test]
    fn fast_path_gives_the_correctly_rounded_double() {
        for t in [
            "0",
            "-0",
            "-0.0",
            "1",
            "0.1",
            "-0.01234567",
            "0.3",
            "123456789012345678",
            "9007199254740992",
            "1e22",
            "1.5e-10",
            "-7E+3",
            "0.000001",
            "2.2250738585072014e-308",
        ] {
            let expected: f64 = t.parse().unwrap();
            if let Some(x) = decimal(t).fast_value() {
                assert_eq!(x.to_bits(), expected.to_bits(), "{t}");
            }
        }
        // Those the fast path must take (so the test above is not vacuous).
        for t in ["-0", "0.1", "-0.01234567", "1e22", "1.5e-10"] {
            assert!(decimal(t).fast_value().is_some(), "{t}");
        }
        // And those it must leave to the full parser.
        for t in [
            "9007199254740993",
            "1e23",
            "1e-23",
            "12345678901234567890",
            "2.2250738585072014e-308",
        ] {
            assert!(decimal(t).fast_value().is_none(), "{t}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_with_std_parse(
            m in 0u64..(1 << 54),
            frac in 0usize..24,
            e in -30i32..30,
            neg in proptest::prelude::any::<bool>(),
            exp in proptest::prelude::any::<bool>(),
        ) {
            let digits = m.to_string();
            let (int, fr) = digits.split_at(digits.len().saturating_sub(frac));
            let int = if int.is_empty() { "0" } else { int };
            let mut t = String::new();
            if neg { t.push('-'); }
            t.push_str(int);
            if !fr.is_empty() { t.push('.'); t.push_str(fr); }
            if exp { t.push_str(&format!("e{e}")); }
            let expected: f64 = t.parse().unwrap();
            if let Some(x) = decimal(&t).fast_value() {
                proptest::prop_assert_eq!(x.to_bits(), expected.to_bits(), "{}", t);
            }
        }
    }
}
