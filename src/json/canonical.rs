//! RFC 8785 (JSON Canonicalization Scheme) canonical JSON.
//!
//! The canonical form of a JSON value is the same bytes in every runtime, so digests of it are
//! stable: object members sorted by the UTF-16 code units of their keys, no whitespace, strings
//! escaped as ECMAScript's `JSON.stringify` does (only `"`, `\`, and U+0000–U+001F are escaped;
//! `\b \t \n \f \r` in short form, the rest as `\u00xx`), numbers as ECMAScript's
//! `Number.prototype.toString` (shortest round-trip digits; plain notation for 1e-7 ≤ |x| < 1e21,
//! otherwise `d.ddde±x`; `-0` is `0`). Integers beyond 2^53 are first rounded to the nearest
//! double, as in ECMAScript.

use super::float::itoa_buf;
pub(crate) use super::float::{Digits, decimal};
use super::series::{Series, SeriesSpec};
use crate::error::{Code, Error};
use serde::Serialize;
use serde_json::Value;
use std::fmt::Write as _;

/// The canonical JSON text of `value`.
pub fn to_canonical_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

/// The canonical JSON text of any serializable value.
///
/// # Errors
/// `E_INTERNAL` when `value` cannot be represented as JSON (a map with non-string keys).
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let v = super::to_value(value)
        .map_err(|e| Error::new(Code::Internal, "", format!("cannot serialize as json: {e}")))?;
    Ok(to_canonical_string(&v))
}

/// The canonical JSON text of a tree read by
/// [`parse_with_series`](super::reader::parse_with_series) with `spec`: the tree with each
/// series written in place of its placeholder, exactly as if the series had stayed in the tree
/// (a finite sample as a number, a non-finite one as its string).
pub fn canonical_with_series(value: &Value, spec: &SeriesSpec, series: &[Series]) -> String {
    // The series are most of such a document's text: room for them and some more.
    let series_len: usize = series.iter().map(|s| s.canonical.len() + 2).sum();
    let mut out = String::with_capacity(series_len + 4096);
    write_with_series(value, spec, series, &mut out, &mut |out, text| {
        out.push('[');
        out.push_str(text);
        out.push(']');
    });
    out
}

/// Writes the canonical form of a tree read by
/// [`parse_with_series`](super::reader::parse_with_series) to `out`, except that each series
/// goes through `emit(out, elements)` (`elements`: the canonical text of the elements, without
/// brackets), which may take `out` away first.
pub(crate) fn write_with_series(
    value: &Value,
    spec: &SeriesSpec,
    series: &[Series],
    out: &mut String,
    emit: &mut dyn FnMut(&mut String, &str),
) {
    let Value::Object(top) = value else {
        write_value(value, out);
        return;
    };
    write_object(top, out, |key, v, out| {
        if key != spec.array {
            return false;
        }
        let Value::Array(items) = v else { return false };
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match item {
                Value::Object(m) => write_object(m, out, |k, _, out| {
                    let Some(s) = series
                        .iter()
                        .find(|s| s.item == i && spec.fields.get(s.field).is_some_and(|f| *f == k))
                    else {
                        return false;
                    };
                    emit(out, &s.canonical);
                    true
                }),
                other => write_value(other, out),
            }
        }
        out.push(']');
        true
    });
}

/// Writes an object with sorted members; `special(key, value, out)` may write a member's value
/// itself (returning true).
fn write_object(
    map: &serde_json::Map<String, Value>,
    out: &mut String,
    mut special: impl FnMut(&str, &Value, &mut String) -> bool,
) {
    let mut members: Vec<(&String, &Value)> = map.iter().collect();
    crate::json::order::sort_by(&mut members, |a, b| utf16_cmp(a.0, b.0));
    out.push('{');
    for (i, (k, v)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(k, out);
        out.push(':');
        if !special(k, v, out) {
            write_value(v, out);
        }
    }
    out.push('}');
}

/// Orders strings by their UTF-16 code units (RFC 8785 §3.2.3). UTF-8 bytes order strings by
/// code point, which is the same order unless a character beyond U+FFFF (UTF-8 lead byte
/// 0xF0–0xF4, a surrogate pair in UTF-16) meets one in U+E000–U+FFFF (lead byte 0xEE/0xEF), so
/// bytes decide unless both kinds can occur.
pub(crate) fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let high = |s: &str| s.bytes().any(|c| c >= 0xEE);
    if high(a) && high(b) {
        a.encode_utf16().cmp(b.encode_utf16())
    } else {
        a.as_bytes().cmp(b.as_bytes())
    }
}

/// Appends the canonical form of `value` to `out`.
pub fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let x = n
                .as_f64()
                .or_else(|| n.as_i64().map(|v| v as f64))
                .unwrap_or(0.0);
            write_number(x, out);
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(map, out, |_, _, _| false),
    }
}

/// Whether a string literal writes byte `b` escaped (JCS and `serde_json` alike: `"`, `\\` and
/// the control characters below U+0020).
pub(crate) const fn escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Appends `s` as a JCS string literal.
pub fn write_string(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut last = 0;
    // Runs without a byte to escape are copied whole.
    while let Some(i) = bytes
        .get(last..)
        .and_then(|rest| rest.iter().position(|&b| escaped(b)))
        .map(|off| last + off)
    {
        out.push_str(s.get(last..i).unwrap_or_default());
        match bytes.get(i).copied().unwrap_or_default() {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x09 => out.push_str("\\t"),
            0x0a => out.push_str("\\n"),
            0x0c => out.push_str("\\f"),
            0x0d => out.push_str("\\r"),
            b => {
                let _ = write!(out, "\\u{b:04x}");
            }
        }
        last = i + 1;
    }
    out.push_str(s.get(last..).unwrap_or_default());
    out.push('"');
}

/// ECMAScript `Number.prototype.toString(x)` for a finite `x` (non-finite values, which JSON
/// cannot hold, are written as `null` like `JSON.stringify` does).
pub fn format_number(x: f64) -> String {
    let mut out = String::new();
    write_number(x, &mut out);
    out
}

/// Appends [`format_number`]`(x)` to `out`.
pub fn write_number(x: f64, out: &mut String) {
    if !x.is_finite() {
        out.push_str("null");
        return;
    }
    if x == 0.0 {
        out.push('0');
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    let mut buf = zmij::Buffer::new();
    let text = buf.format_finite(x.abs());
    if !text.contains(['e', 'E']) {
        // Plain `int.frac` with the shortest digits: ECMAScript writes the same digits for
        // 1e-7 ≤ |x| < 1e21 (the only range printed without an exponent), minus a `.0` tail.
        out.push_str(text.strip_suffix(".0").unwrap_or(text));
        return;
    }
    let mut digits = Digits::default();
    let n = decimal(text, &mut digits);
    write_es(digits.as_str(), n, out);
}

/// ECMAScript's Number::toString layout of the positive value `0.d × 10^n` (`d` the shortest
/// digits, no leading or trailing zeros).
pub(crate) fn write_es(d: &str, n: i32, out: &mut String) {
    let k = d.len() as i32;
    if k <= n && n <= 21 {
        out.push_str(d);
        push_zeros(out, n - k);
    } else if 0 < n && n <= 21 {
        let (a, b) = d.split_at(n as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        push_zeros(out, -n);
        out.push_str(d);
    } else {
        let (first, rest) = d.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let e = n - 1;
        out.push('e');
        out.push(if e < 0 { '-' } else { '+' });
        out.push_str(itoa_buf(e.unsigned_abs()).as_str());
    }
}

fn push_zeros(out: &mut String, n: i32) {
    for _ in 0..n {
        out.push('0');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8785_appendix_b_number_table() {
        let table: &[(u64, &str)] = &[
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"),
            (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"),
            (0x41b3de4355555556, "333333333.3333334"),
            (0x41b3de4355555557, "333333333.33333343"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"),
            (0x43143ff3c1cb0959, "1424953923781206.2"),
        ];
        for (bits, want) in table {
            assert_eq!(format_number(f64::from_bits(*bits)), *want, "{bits:#x}");
        }
    }

    #[test]
    fn es_thresholds_and_small_cases() {
        for (x, want) in [
            (1.0, "1"),
            (-1.5, "-1.5"),
            (100.0, "100"),
            (0.1, "0.1"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (123e-20, "1.23e-18"),
            (0.000001234, "0.000001234"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
        ] {
            assert_eq!(format_number(x), want, "{x}");
        }
    }

    #[test]
    fn rfc8785_section_3_2_2_example() {
        let input = r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#;
        let v: Value = serde_json::from_str(input).unwrap();
        assert_eq!(
            to_canonical_string(&v),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
    }

    #[test]
    fn rfc8785_section_3_2_3_sorting_by_utf16() {
        let input = r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#;
        let v: Value = serde_json::from_str(input).unwrap();
        let out = to_canonical_string(&v);
        let order: Vec<&str> = out
            .split("\":\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect();
        assert_eq!(
            order,
            [
                "Carriage Return",
                "One",
                "Control",
                "Latin Small Letter O With Diaeresis",
                "Euro Sign",
                "Emoji: Grinning Face",
                "Hebrew Letter Dalet With Dagesh"
            ]
        );
    }

    #[test]
    fn utf16_order_where_it_differs_from_code_points() {
        use std::cmp::Ordering::*;
        // U+1F600 sorts after U+FF61 by code point but before it in UTF-16, where it is the
        // surrogate pair D83D DE00 (and 0xD83D < 0xFF61).
        assert_eq!(utf16_cmp("\u{1F600}", "\u{FF61}"), Less);
        assert_eq!(utf16_cmp("a\u{1F600}", "a\u{E000}"), Less);
        assert_eq!(utf16_cmp("\u{1F600}", "\u{7FF}"), Greater);
        assert_eq!(utf16_cmp("abc", "abd"), Less);
        assert_eq!(utf16_cmp("ab", "abc"), Less);
        assert_eq!(utf16_cmp("\u{E9}", "z"), Greater);
        for (a, b) in [
            ("\u{FFFF}", "\u{10000}"),
            ("x", "\u{10000}"),
            ("\u{10000}", "\u{10001}"),
        ] {
            assert_eq!(
                utf16_cmp(a, b),
                a.encode_utf16().cmp(b.encode_utf16()),
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn big_integers_round_like_ecmascript() {
        let v: Value =
            serde_json::from_str("[18446744073709551615, -9223372036854775808, 9007199254740993]")
                .unwrap();
        assert_eq!(
            to_canonical_string(&v),
            "[18446744073709552000,-9223372036854776000,9007199254740992]"
        );
    }

    proptest::proptest! {
        #[test]
        fn digits_agree_with_std_and_round_trip(bits in proptest::prelude::any::<u64>()) {
            let x = f64::from_bits(bits);
            if x.is_finite() && x != 0.0 {
                let ours = format_number(x);
                proptest::prop_assert_eq!(ours.parse::<f64>().unwrap(), x);
                let mut d1 = Digits::default();
                let n1 = decimal(&format!("{:e}", x.abs()), &mut d1);
                // The fast path agrees with the full layout from std's digits.
                let mut reference = String::from(if x < 0.0 { "-" } else { "" });
                write_es(d1.as_str(), n1, &mut reference);
                let ours = format_number(x);
                if ours != reference {
                    // std breaks exact ties between two shortest candidates upwards;
                    // ECMAScript (and zmij) pick the even one. Both must round-trip.
                    proptest::prop_assert_eq!(ours.len(), reference.len());
                    proptest::prop_assert_eq!(reference.parse::<f64>().unwrap(), x);
                    let mut b = zmij::Buffer::new();
                    let mut d = Digits::default();
                    decimal(b.format_finite(x.abs()), &mut d);
                    let last = d.as_str().bytes().last().unwrap();
                    proptest::prop_assert!((last - b'0').is_multiple_of(2), "tie not broken to even: {}", ours);
                }
            }
        }

        /// serde_json escapes exactly the characters JCS escapes, in the same spelling (an
        /// independent implementation of the same rule).
        #[test]
        fn strings_are_escaped_like_serde_json(s in "(\\PC|[\u{0}-\u{1f}\"\\\\\u{7f}])*") {
            let mut out = String::new();
            write_string(&s, &mut out);
            proptest::prop_assert_eq!(out, serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn decimal_looking_values_take_the_fast_path_correctly(m in -99_999_999i64..99_999_999, e in -30i32..30) {
            let x: f64 = format!("{m}e{e}").parse().unwrap();
            if x != 0.0 {
                let mut d = Digits::default();
                let n = decimal(&format!("{:e}", x.abs()), &mut d);
                let mut reference = String::from(if x < 0.0 { "-" } else { "" });
                write_es(d.as_str(), n, &mut reference);
                proptest::prop_assert_eq!(format_number(x), reference);
            }
        }
    }
}
