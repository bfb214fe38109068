//! What the vector runners share: reading a series of samples and comparing an expected value
//! to an actual one within a relative tolerance. Used as `mod common;` by the test files.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]
#[cfg(feature = "cli")]
pub mod cli;

use serde_json::Value;
use worldgate::schema::parse_non_finite;

/// The samples of a vector: numbers, `null` (a missing period, NaN) or `"nan"`/`"+inf"`/`"-inf"`.
pub fn series(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| match x {
            Value::Number(n) => n.as_f64().unwrap(),
            Value::Null => f64::NAN,
            Value::String(s) => parse_non_finite(s).unwrap(),
            other => panic!("bad sample {other}"),
        })
        .collect()
}

/// Compares `expected` to `actual` key by key (keys not listed are not checked); numbers
/// within the relative tolerance `tol` (an expected 0 must be 0), arrays element by element.
pub fn check(expected: &Value, actual: &Value, tol: f64, path: &str, failures: &mut Vec<String>) {
    let mut fail = |why: String| failures.push(format!("{path}: {why}"));
    match expected {
        Value::Null => {
            if !actual.is_null() {
                fail(format!("expected null, got {actual}"));
            }
        }
        Value::Number(e) => {
            let e = e.as_f64().unwrap();
            let Some(a) = actual.as_f64() else {
                return fail(format!("expected {e}, got {actual}"));
            };
            let ok = if e == 0.0 {
                a == 0.0
            } else {
                ((a - e) / e).abs() <= tol
            };
            if !ok {
                fail(format!(
                    "expected {e:e}, got {a:e} (rel {:e})",
                    ((a - e) / e).abs()
                ));
            }
        }
        Value::String(_) | Value::Bool(_) => {
            if expected != actual {
                fail(format!("expected {expected}, got {actual}"));
            }
        }
        Value::Object(map) => {
            for (k, e) in map {
                let a = actual.get(k).unwrap_or(&Value::Null);
                check(e, a, tol, &format!("{path}/{k}"), failures);
            }
        }
        Value::Array(items) => {
            let Some(got) = actual.as_array().filter(|a| a.len() == items.len()) else {
                return fail(format!(
                    "expected {} elements, got {}",
                    items.len(),
                    actual.to_string().chars().take(80).collect::<String>()
                ));
            };
            for (i, (e, a)) in items.iter().zip(got).enumerate() {
                check(e, a, tol, &format!("{path}/{i}"), failures);
            }
        }
    }
}
