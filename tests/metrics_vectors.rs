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
//! (`reasons`) compare key by key, arrays element by element. Keys not listed are not checked.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;

use common::{check, series};
use serde_json::Value;
use std::path::PathBuf;
use worldgate::metrics::{MetricsOptions, compute};
use worldgate::schema::from_value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/metrics")
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
