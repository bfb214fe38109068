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
use std::path::{Path, PathBuf};
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

/// The vectors in `dir` (its `*.json` files, sorted; at least `at_least` of them), each file a
/// vector or `{"cases": […]}`, as `(name, vector)`: the file's stem, `stem#case-name` for a case.
pub fn vectors(dir: &std::path::Path, at_least: usize) -> Vec<(String, Value)> {
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= at_least, "vectors missing: {paths:?}");
    let mut out = Vec::new();
    for path in &paths {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let vector: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        match vector.get("cases").and_then(Value::as_array) {
            Some(cases) => {
                for (i, c) in cases.iter().enumerate() {
                    let label = c["name"].as_str().map_or(i.to_string(), str::to_string);
                    out.push((format!("{stem}#{label}"), c.clone()));
                }
            }
            None => out.push((stem, vector)),
        }
    }
    out
}

/// The failures of `result` against the vector's `expected`: its `error` (code and path), or
/// its values ([`check`], within the vector's `tolerance`, 1e-9 by default), a null listed
/// directly in one of `blocks` needing that block's `reasons` entry.
pub fn outcome<T: serde::Serialize>(
    name: &str,
    vector: &Value,
    result: Result<T, worldgate::Error>,
    blocks: &[&str],
) -> Vec<String> {
    let expected = &vector["expected"];
    if let Some(err) = expected.get("error") {
        return match result {
            Ok(_) => vec![format!("{name}: expected error {err}, got a result")],
            Err(e) if e.code.as_str() != err["code"] || e.path != err["path"] => {
                vec![format!("{name}: expected error {err}, got {e}")]
            }
            Err(_) => Vec::new(),
        };
    }
    let actual = match result {
        Ok(m) => serde_json::to_value(&m).unwrap(),
        Err(e) => return vec![format!("{name}: unexpected error {e}")],
    };
    let mut failures = Vec::new();
    let tol = vector["tolerance"].as_f64().unwrap_or(1e-9);
    check(expected, &actual, tol, name, &mut failures);
    for block in blocks {
        if let Some(Value::Object(map)) = expected.get(*block) {
            for (k, v) in map {
                if v.is_null() && actual[*block]["reasons"].get(k).is_none() {
                    failures.push(format!("{name}/{block}/{k}: null without a reason"));
                }
            }
        }
    }
    failures
}

/// The decision's summary (`policy::wire::evaluate_summary_wire`, the stages' status-only pass)
/// against the whole decision `whole` with each strategy's details as `null`: what differs.
pub fn summary_differs(
    policy: &worldgate::policy::Policy,
    input: &worldgate::policy::EvaluationInput,
    whole: &serde_json::Value,
) -> Option<String> {
    let summary = worldgate::policy::wire::evaluate_summary_wire(policy, input)
        .and_then(worldgate::policy::wire::Wire::finish)
        .unwrap();
    let got: serde_json::Value = serde_json::from_str(&summary.text).unwrap();
    let mut want = whole.clone();
    for s in want["strategies"].as_object_mut().unwrap().values_mut() {
        for key in ["rule_results", "violations", "explanations"] {
            s[key] = serde_json::Value::Null;
        }
    }
    (got != want).then(|| format!("summary {got} differs from the decision {want}"))
}

/// The decision's verdicts (`api::policy::verdicts`, written by the summary's sink without its
/// deferred members) against the whole decision `whole` without each strategy's details: what
/// differs. Compared as JSON text too, so that every number is written as the decision writes
/// it and the members come in the decision's order.
pub fn verdicts_differ(
    policy: &worldgate::policy::Policy,
    input: &worldgate::policy::EvaluationInput,
    whole: &serde_json::Value,
) -> Option<String> {
    let text = worldgate::api::policy::verdicts(policy, input).unwrap();
    let mut want = whole.clone();
    for s in want["strategies"].as_object_mut().unwrap().values_mut() {
        let s = s.as_object_mut().unwrap();
        for key in ["rule_results", "violations", "explanations"] {
            s.shift_remove(key);
        }
    }
    let want = serde_json::to_string(&want).unwrap();
    (text != want).then(|| format!("verdicts {text} differ from the decision's {want}"))
}

/// Every `.rs` file under `dir`, recursively, appended to `out` (in directory order: sort it).
pub fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
