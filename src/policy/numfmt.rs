//! Number and JSON text forms the engine must reproduce exactly: Python's `repr(float)` (QMTL
//! writes bounds into its reason texts that way, `3.0`, `1e-05`) and RFC 8785 canonical JSON
//! (ECMAScript number form, keys sorted by UTF-16 code units, no whitespace) for the ruleset
//! hash. Both start from Rust's shortest round-trip digits, so they agree on every platform.

use serde_json::Value;

/// Shortest round-trip decimal digits and the decimal exponent of the first digit:
/// `v = 0.d₁d₂… × 10^(exp+1)`, i.e. `d₁.d₂… × 10^exp`. `None` for non-finite values.
fn digits(v: f64) -> Option<(bool, String, i32)> {
    if !v.is_finite() {
        return None;
    }
    let s = format!("{:e}", v.abs());
    let (mant, exp) = s.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    Some((v.is_sign_negative(), digits.to_string(), exp))
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

/// ECMAScript `Number.prototype.toString` of a finite value (RFC 8785 §3.2.2.3).
pub(crate) fn es_number(v: f64) -> String {
    let Some((neg, d, exp)) = digits(v) else {
        return "null".into();
    };
    if v == 0.0 {
        return "0".into();
    }
    let sign = if neg { "-" } else { "" };
    let n = exp + 1;
    if (-5..=21).contains(&n) {
        format!("{sign}{}", fixed(&d, exp))
    } else {
        let (first, rest) = d.split_at(1);
        let mant = if rest.is_empty() {
            first.to_string()
        } else {
            format!("{first}.{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mant}e{esign}{}", exp.unsigned_abs())
    }
}

/// RFC 8785-style canonical JSON: object keys sorted by UTF-16 code units, no whitespace,
/// ECMAScript number form, minimal string escapes.
pub(crate) fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write_value(v, &mut out);
    out
}

fn write_value(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&es_number(i as f64));
            } else if let Some(u) = n.as_u64() {
                out.push_str(&es_number(u as f64));
            } else {
                out.push_str(&es_number(n.as_f64().unwrap_or(f64::NAN)));
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                if let Some(x) = m.get(k) {
                    write_value(x, out);
                }
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
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
    fn canonical_form_sorts_keys_and_drops_whitespace() {
        let v: Value =
            serde_json::from_str(r#"{"b": [1.0, "x\n"], "a": {"z": null, "é": true, "A": 2}}"#)
                .unwrap();
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"A":2,"z":null,"é":true},"b":[1,"x\n"]}"#
        );
    }
}
