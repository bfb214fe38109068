//! `f64` text exactly as Rust's `{}`, `{:e}` and `{:?}` write it, from the crate's one
//! shortest-digits formatter (`zmij`, which serde_json links anyway), so that no message in the
//! wasm pulls in core's float formatting (`flt2dec`: Grisu, Dragon and their tables, about 14 KB
//! of code; BENCHMARKS.size.md, session 8).
//!
//! Rust and `zmij` pick the same digits, the shortest that read back as the value and of those
//! the closest, except for an exact tie between two shortest candidates (the value lies exactly
//! half-way between them, as 1424953923781206.25 does between …206.2 and …206.3): `zmij` takes
//! the even one, Rust the upper one. [`F64`] redoes that one choice, then lays the digits out
//! as `core` does. Width, fill and precision flags are not supported: `{:.3}` of an [`F64`]
//! writes the shortest digits (no call site uses them; the tests compare against `core`).

use std::fmt;

/// An `f64` whose `Display`, `LowerExp` and `Debug` write what `f64`'s own do (`1`, `-0`,
/// `0.000001`, `1e300` for `{:e}`, `1.0` and `1e16` for `{:?}`, `NaN`, `inf`, `-inf`) without
/// linking core's float formatting.
#[derive(Clone, Copy)]
pub struct F64(pub f64);

impl fmt::Display for F64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_rust(self.0, Layout::Plain { frac: 0 }, f)
    }
}

/// An `f64` for a message: [`F64`]'s `{}` for magnitudes from 10⁻⁴ to below 10¹⁶ (and for
/// zero and the non-finite values), its `{:e}` form otherwise: `1e308` and `5e-324`, which `{}`
/// writes with every digit (309 of them for `1e308`).
#[derive(Clone, Copy)]
pub struct Brief(pub f64);

impl fmt::Display for Brief {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0.abs();
        let layout = if a == 0.0 || !a.is_finite() || (1e-4..1e16).contains(&a) {
            Layout::Plain { frac: 0 }
        } else {
            Layout::Exp
        };
        write_rust(self.0, layout, f)
    }
}

impl fmt::LowerExp for F64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_rust(self.0, Layout::Exp, f)
    }
}

impl fmt::Debug for F64 {
    /// `{:?}`: positional with at least one fractional digit for 10⁻⁴ ≤ |x| < 10¹⁶ and zero,
    /// the exponent form otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0.abs();
        let layout = if a == 0.0 || (1e-4..1e16).contains(&a) {
            Layout::Plain { frac: 1 }
        } else {
            Layout::Exp
        };
        write_rust(self.0, layout, f)
    }
}

/// `core`'s two layouts of the shortest digits: positional with at least `frac` fractional
/// digits (`to_shortest_str`), or `d.ddde±n` (`to_shortest_exp_str`).
#[derive(Clone, Copy)]
enum Layout {
    Plain { frac: usize },
    Exp,
}

fn write_rust(v: f64, layout: Layout, f: &mut impl fmt::Write) -> fmt::Result {
    if v.is_nan() {
        return f.write_str("NaN");
    }
    if v.is_sign_negative() {
        f.write_char('-')?;
    }
    if v.is_infinite() {
        return f.write_str("inf");
    }
    let a = v.abs();
    if a == 0.0 {
        return match layout {
            Layout::Plain { frac: 0 } => f.write_char('0'),
            Layout::Plain { frac } => {
                f.write_str("0.")?;
                zeros(f, frac)
            }
            Layout::Exp => f.write_str("0e0"),
        };
    }
    let mut d = Digits::default();
    let n = rust_shortest(a, &mut d);
    let digits = d.as_str();
    let k = digits.len();
    match layout {
        Layout::Plain { frac } => {
            if n <= 0 {
                // 0.000ddd
                let lead = n.unsigned_abs() as usize;
                f.write_str("0.")?;
                zeros(f, lead)?;
                f.write_str(digits)?;
                zeros(f, frac.saturating_sub(lead + k))
            } else if (n as usize) < k {
                let (int, rest) = digits.split_at(n as usize);
                f.write_str(int)?;
                f.write_char('.')?;
                f.write_str(rest)?;
                zeros(f, frac.saturating_sub(rest.len()))
            } else {
                f.write_str(digits)?;
                zeros(f, n as usize - k)?;
                if frac > 0 {
                    f.write_char('.')?;
                    zeros(f, frac)?;
                }
                Ok(())
            }
        }
        Layout::Exp => {
            let (first, rest) = digits.split_at(1.min(k));
            f.write_str(first)?;
            if !rest.is_empty() {
                f.write_char('.')?;
                f.write_str(rest)?;
            }
            let e = n - 1;
            f.write_char('e')?;
            if e < 0 {
                f.write_char('-')?;
            }
            f.write_str(itoa_buf(e.unsigned_abs()).as_str())
        }
    }
}

fn zeros(f: &mut impl fmt::Write, n: usize) -> fmt::Result {
    for _ in 0..n {
        f.write_char('0')?;
    }
    Ok(())
}

/// Writes into `d` the digits `core` prints for the finite positive `a` and returns `n` with
/// `a ≈ 0.d × 10^n`: `zmij`'s shortest digits, moved to the upper candidate when `a` lies
/// exactly half-way above them (Rust breaks that tie upwards; the upper candidate reads back as
/// `a` too, being as close, and the gap above a double is never narrower than the one below).
fn rust_shortest(a: f64, d: &mut Digits) -> i32 {
    let mut buf = zmij::Buffer::new();
    let mut n = decimal(buf.format_finite(a), d);
    if is_upper_midpoint(a, d.as_str(), n) {
        // d + 1 in the last place, carrying; trailing zeros dropped.
        let mut i = d.len;
        loop {
            if i == 0 {
                // All nines: 0.99…9 + 1 ulp of it = 0.1 × 10^(n+1).
                d.len = 0;
                d.push(b'1');
                n += 1;
                break;
            }
            i -= 1;
            if let Some(b @ b'0'..=b'8') = d.bytes.get_mut(i) {
                *b += 1;
                d.len = i + 1;
                break;
            }
        }
    }
    n
}

/// Whether the positive double `a` equals `0.d5 × 10^n` exactly (the decimal half-way between
/// the `k`-digit candidates `d` and `d + 1`). Exact integer arithmetic on `a = m × 2^e`.
fn is_upper_midpoint(a: f64, d: &str, n: i32) -> bool {
    let Ok(k) = i32::try_from(d.len()) else {
        return false;
    };
    if k == 0 || k > 17 {
        return false;
    }
    // The midpoint is d5 × 10^q: d5 = d·10 + 5 (odd, at most 18 digits), q its last place.
    let d5 = d
        .bytes()
        .fold(0u128, |acc, b| acc * 10 + u128::from(b - b'0'))
        * 10
        + 5;
    let q = n - k - 1;
    let bits = a.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (mut m, mut e) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), biased - 1075)
    };
    if m == 0 {
        return false;
    }
    let tz = m.trailing_zeros();
    m >>= tz;
    e += tz as i32;
    // With m odd: d5 × 10^q = d5·5^q × 2^q (q ≥ 0), or (d5 / 5^-q) × 2^q (q < 0, d5 odd so
    // the quotient is odd when exact); equal to m × 2^e iff the powers of two and the odd
    // parts agree. An odd part over 2^53 cannot equal m: the bounds only skip those.
    if e != q {
        return false;
    }
    let p = q.unsigned_abs();
    if q >= 0 {
        p <= 22 && d5 * 5u128.pow(p) == u128::from(m)
    } else {
        p <= 27 && {
            let f = 5u128.pow(p);
            d5 % f == 0 && d5 / f == u128::from(m)
        }
    }
}

/// A small inline buffer of ASCII digits (a double has at most 17 significant digits).
#[derive(Default)]
pub(crate) struct Digits {
    bytes: [u8; 32],
    len: usize,
}

impl Digits {
    fn push(&mut self, b: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

/// The decimal digits of `v`.
pub(crate) fn itoa_buf(mut v: u32) -> Digits {
    let mut rev = Digits::default();
    loop {
        rev.push(b'0' + (v % 10) as u8);
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let mut out = Digits::default();
    for &b in rev.bytes.get(..rev.len).unwrap_or_default().iter().rev() {
        out.push(b);
    }
    out
}

/// Writes into `digits` the shortest digits `s` (no leading or trailing zeros) of a formatted
/// positive number such as `1.5`, `1e21` or `1.2e-7`, and returns `n` with value `0.s × 10^n`.
pub(crate) fn decimal(text: &str, digits: &mut Digits) -> i32 {
    let (mant, exp) = match text.find(['e', 'E']) {
        Some(i) => (
            text.get(..i).unwrap_or_default(),
            text.get(i + 1..)
                .and_then(|e| e.trim_start_matches('+').parse::<i32>().ok())
                .unwrap_or(0),
        ),
        None => (text, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    // value = int.frac × 10^exp; the point sits after |int| digits.
    let mut point = int.len() as i32 + exp;
    let mut started = false;
    for b in int.bytes().chain(frac.bytes()) {
        if !started && b == b'0' {
            point -= 1;
            continue;
        }
        started = true;
        digits.push(b);
    }
    while digits.len > 0 && digits.bytes.get(digits.len - 1) == Some(&b'0') {
        digits.len -= 1;
    }
    point
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(x: f64) {
        assert_eq!(
            F64(x).to_string(),
            format!("{x}"),
            "{{}} of {:#x}",
            x.to_bits()
        );
        assert_eq!(format!("{:e}", F64(x)), format!("{x:e}"), "{{:e}} of {x:?}");
        assert_eq!(format!("{:?}", F64(x)), format!("{x:?}"), "{{:?}} of {x:?}");
    }

    #[test]
    fn special_values_and_layouts() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            100.0,
            1e-4,
            9.999e-5,
            1e15,
            1e16,
            9_999_999_999_999_998.0,
            1e21,
            1e300,
            -1e-300,
            123.456,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::EPSILON,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            check(x);
        }
        assert_eq!(F64(-0.0).to_string(), "-0");
        assert_eq!(F64(1e21).to_string(), "1000000000000000000000");
        assert_eq!(format!("{:e}", F64(0.00015)), "1.5e-4");
        assert_eq!(format!("{:?}", F64(1e16)), "1e16");
        assert_eq!(format!("{:?}", F64(2.0)), "2.0");
    }

    #[test]
    fn exact_ties_break_upwards_like_core() {
        // Values exactly half-way between two shortest candidates, where zmij takes the even
        // one: 1424953923781206.25 (…206.2 | …206.3) and sixteen- and seventeen-digit
        // neighbours of the same kind.
        let mut ties = 0;
        // (Written as exact quotients: clippy reads the decimal literals as over-precise.)
        for base in [
            5_699_815_695_124_825_f64 / 4.0,
            4_503_599_627_370_497_f64 / 8.0,
            4_503_599_627_370_495_f64 / 4.0,
        ] {
            let mut x = base;
            for _ in 0..2000 {
                check(x);
                let mut d = Digits::default();
                let n = decimal(zmij::Buffer::new().format_finite(x), &mut d);
                ties += usize::from(is_upper_midpoint(x, d.as_str(), n));
                x = f64::from_bits(x.to_bits() + 1);
            }
        }
        assert!(ties > 100, "only {ties} exact ties exercised");
        assert_eq!(
            F64(5_699_815_695_124_825_f64 / 4.0).to_string(),
            "1424953923781206.3"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_double_formats_as_core_does(bits in proptest::prelude::any::<u64>()) {
            let x = f64::from_bits(bits);
            proptest::prop_assert_eq!(F64(x).to_string(), format!("{x}"));
            proptest::prop_assert_eq!(format!("{:e}", F64(x)), format!("{x:e}"));
            proptest::prop_assert_eq!(format!("{:?}", F64(x)), format!("{x:?}"));
        }

        #[test]
        fn decimal_looking_doubles_format_as_core_does(m in -99_999_999_999i64..99_999_999_999, e in -40i32..40) {
            let x: f64 = format!("{m}e{e}").parse().unwrap();
            proptest::prop_assert_eq!(F64(x).to_string(), format!("{x}"));
            proptest::prop_assert_eq!(format!("{:e}", F64(x)), format!("{x:e}"));
            proptest::prop_assert_eq!(format!("{:?}", F64(x)), format!("{x:?}"));
        }

        #[test]
        fn binary_fractions_of_large_doubles_format_as_core_does(i in 1u64..(1 << 53), shift in 0u32..12) {
            // i × 2^-shift: short binary fractions of large values, where exact ties live.
            let x = i as f64 / f64::from(1u32 << shift);
            proptest::prop_assert_eq!(F64(x).to_string(), format!("{x}"));
            proptest::prop_assert_eq!(format!("{:e}", F64(x)), format!("{x:e}"));
        }
    }
}
