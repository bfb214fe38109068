//! Replays `tests/vectors/metrics/*.json`: a returns series, options and the expected metric
//! values, derived by hand or in closed form (each vector's `notes` show the arithmetic).
//!
//! Format (also replayed from JS):
//! `{ "returns": [number | "nan" | "+inf" | "-inf"], "options": {...},
//!    "expected": {"returns": {...}, "pnl": {...}} | {"error": {"code", "path"}},
//!    "tolerance": 1e-9 }`.
//! An expected number matches when its relative difference is within `tolerance` (an expected
//! 0 must be 0); `"+inf"`/`"-inf"`/`"nan"` must match exactly; `null` means "must be null" and,
//! in the returns block, that `reasons` explains it; other strings and nested objects
//! (`reasons`) compare key by key. Keys not listed are not checked.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use serde_json::Value;
use std::path::PathBuf;
use worldgate::metrics::{MetricsOptions, compute};
use worldgate::schema::{from_value, parse_non_finite};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/metrics")
}

fn series(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| match x {
            Value::Number(n) => n.as_f64().unwrap(),
            Value::String(s) => parse_non_finite(s).unwrap(),
            other => panic!("bad sample {other}"),
        })
        .collect()
}

fn check(expected: &Value, actual: &Value, tol: f64, path: &str, failures: &mut Vec<String>) {
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
        Value::Array(_) => fail("arrays are not compared".to_string()),
    }
}

fn run(name: &str, vector: &Value) -> Vec<String> {
    let returns = series(&vector["returns"]);
    let options: Result<MetricsOptions, _> = from_value(&vector["options"]);
    let result = options.and_then(|o| compute(&returns, &o));
    let expected = &vector["expected"];
    let mut failures = Vec::new();
    if let Some(err) = expected.get("error") {
        match result {
            Ok(_) => failures.push(format!("{name}: expected error {err}, got a result")),
            Err(e) => {
                if e.code.as_str() != err["code"] || e.path != err["path"] {
                    failures.push(format!("{name}: expected error {err}, got {e}"));
                }
            }
        }
        return failures;
    }
    let tol = vector["tolerance"].as_f64().unwrap();
    let actual = match result {
        Ok(m) => serde_json::to_value(&m).unwrap(),
        Err(e) => return vec![format!("{name}: unexpected error {e}")],
    };
    check(expected, &actual, tol, name, &mut failures);
    // Every null in the returns block has a reason.
    if let Some(Value::Object(block)) = expected.get("returns") {
        for (k, v) in block {
            if v.is_null() && actual["returns"]["reasons"].get(k).is_none() {
                failures.push(format!("{name}/returns/{k}: null without a reason"));
            }
        }
    }
    failures
}

#[test]
fn metric_vectors_match_their_expected_values() {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    assert!(names.len() >= 15, "vectors missing: {names:?}");
    let mut failures = Vec::new();
    for path in &names {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let vector: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        failures.extend(run(&name, &vector));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
