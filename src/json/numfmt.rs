//! Python's `repr(float)` for QMTL-compatible reason texts (QMTL writes bounds into them that
//! way: `3.0`, `1e-05`, `1e+16`).
//!
//! The digits are the shortest round-trip digits of the crate's one number formatter,
//! [`format_number`] (ECMAScript `Number::toString`, used by the RFC 8785 canonical JSON of
//! [`crate::json::canonical`], which the ruleset hash uses too). ECMAScript and CPython pick
//! the same digits, ties included: when two shortest candidates are equally close (as for
//! 1424953923781206.25, between …206.2 and …206.3) both take the even one, …206.2, where
//! Rust's `{:e}` takes …206.3. Only the layout differs, and it is redone here.

pub(crate) use super::canonical::format_number as es_number;
use super::canonical::format_number;

/// Shortest round-trip decimal digits (no leading or trailing zeros) and the decimal exponent
/// of the first digit: `|v| = d₁.d₂… × 10^exp`. `None` for non-finite values.
fn digits(v: f64) -> Option<(bool, String, i32)> {
    if !v.is_finite() {
        return None;
    }
    let text = format_number(v.abs());
    let (mant, exp) = match text.split_once('e') {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().ok()?),
        None => (text.as_str(), 0),
    };
    // Digits before the decimal point in `mant`, then all digits.
    let int_len = mant.find('.').unwrap_or(mant.len());
    let all: String = mant.chars().filter(char::is_ascii_digit).collect();
    let lead = all.len() - all.trim_start_matches('0').len();
    let d = all.trim_matches('0');
    if d.is_empty() {
        return Some((v.is_sign_negative(), "0".into(), 0));
    }
    let first = i32::try_from(int_len).ok()? - i32::try_from(lead).ok()? - 1;
    Some((v.is_sign_negative(), d.to_string(), exp + first))
}

/// Python's `repr(float)`: `0.5`, `3.0`, `1e-05`, `1e+16`, `inf`, `nan`.
pub(crate) fn py_float(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let Some((neg, d, exp)) = digits(v) else {
        return "nan".into();
    };
    let sign = if neg { "-" } else { "" };
    if v == 0.0 {
        return format!("{sign}0.0");
    }
    if (-4..16).contains(&exp) {
        let body = fixed(&d, exp);
        if body.contains('.') {
            format!("{sign}{body}")
        } else {
            format!("{sign}{body}.0")
        }
    } else {
        let (first, rest) = d.split_at(1);
        let mant = if rest.is_empty() {
            first.to_string()
        } else {
            format!("{first}.{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mant}e{esign}{:02}", exp.unsigned_abs())
    }
}

/// Plain positional notation of `d₁.d₂… × 10^exp` (no sign).
fn fixed(d: &str, exp: i32) -> String {
    let k = i32::try_from(d.len()).unwrap_or(i32::MAX);
    let n = exp + 1; // digits before the decimal point
    if n >= k {
        format!("{d}{}", "0".repeat(usize::try_from(n - k).unwrap_or(0)))
    } else if n > 0 {
        let (a, b) = d.split_at(usize::try_from(n).unwrap_or(0));
        format!("{a}.{b}")
    } else {
        format!("0.{}{d}", "0".repeat(usize::try_from(-n).unwrap_or(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_repr_of_floats() {
        // Values as CPython 3 prints them.
        for (v, s) in [
            (3.0, "3.0"),
            (0.5, "0.5"),
            (-0.2, "-0.2"),
            (200.0, "200.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-7, "1.5e-07"),
            (0.0, "0.0"),
            (f64::INFINITY, "inf"),
            (0.1 + 0.2, "0.30000000000000004"),
        ] {
            assert_eq!(py_float(v), s, "{v}");
        }
    }

    #[test]
    fn ecmascript_numbers() {
        // Values as `String(x)` prints them in JavaScript.
        for (v, s) in [
            (1.0, "1"),
            (0.5, "0.5"),
            (-0.0, "0"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (123.456, "123.456"),
            (-1.5e-9, "-1.5e-9"),
        ] {
            assert_eq!(es_number(v), s, "{v}");
        }
    }

    #[test]
    // The literals are exact (multiples of 0.25 below 2^53): that exactness is the point.
    #[allow(clippy::excessive_precision)]
    fn ties_round_to_even_as_python_and_v8_do() {
        // Exactly representable values halfway between two 17-digit candidates; expected
        // strings from CPython 3 `repr(x)` and Node's `String(x)`, which agree. Rust's `{:e}`
        // gives 1.4249539237812063e15 for the first.
        for (v, s) in [
            (1424953923781206.25, "1424953923781206.2"),
            (1268006475185092.25, "1268006475185092.2"),
            (1268006475185092.75, "1268006475185092.8"),
            (1391428765496380.75, "1391428765496380.8"),
        ] {
            assert_eq!(py_float(v), s, "{v}");
            assert_eq!(es_number(v), s, "{v}");
            assert_eq!(py_float(-v), format!("-{s}"), "{v}");
        }
        // Past 1e16 Python switches to exponent form: repr(1268006475185092.25 * 1000).
        assert_eq!(
            py_float(1268006475185092.25 * 1000.0),
            "1.2680064751850924e+18"
        );
        assert_eq!(py_float(5e-324), "5e-324");
        assert_eq!(py_float(f64::MAX), "1.7976931348623157e+308");
    }
}
