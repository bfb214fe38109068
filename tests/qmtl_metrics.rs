//! QMTL's v1.5 metrics: the `qmtl` profile against QMTL's own outputs
//! (`tests/conformance/qmtl-metric-cases.json`, from QMTL `fc06bd8` run under Python 3.11.7),
//! and the `strict` profile against independent values, one test per difference from QMTL
//! (README "QMTL v1.5 metrics: qmtl vs strict").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use worldgate::Code;
use worldgate::metrics::{V15Options, compute_v15};
use worldgate::schema::MetricsProfile;

fn decode(v: &Value) -> f64 {
    match v {
        Value::String(s) if s == "nan" => f64::NAN,
        Value::String(s) if s == "+inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        _ => v.as_f64().unwrap(),
    }
}

/// Every leaf QMTL gives is reproduced: 1e-12 relative (exact for integers and exact values),
/// `null` (or absent, which QMTL's augmentation leaves out for an empty series) for `None`.
fn compare(path: &str, expected: &Value, got: &Value, failures: &mut Vec<String>) {
    match expected {
        Value::Object(map) => {
            for (k, e) in map {
                let g = got.get(k).unwrap_or(&Value::Null);
                compare(&format!("{path}.{k}"), e, g, failures);
            }
        }
        Value::Null => {
            if !got.is_null() {
                failures.push(format!("{path}: expected null, got {got}"));
            }
        }
        Value::Number(n) if n.is_u64() => {
            if got.as_u64() != n.as_u64() && got.as_f64() != n.as_f64() {
                failures.push(format!("{path}: expected {n}, got {got}"));
            }
        }
        Value::Number(n) => {
            let e = n.as_f64().unwrap();
            let Some(g) = got.as_f64() else {
                failures.push(format!("{path}: expected {e}, got {got}"));
                return;
            };
            if (g - e).abs() > 1e-12 * e.abs() {
                failures.push(format!("{path}: expected {e:e}, got {g:e}"));
            }
        }
        other => failures.push(format!("{path}: unexpected expected value {other}")),
    }
}

#[test]
fn every_qmtl_case_is_reproduced() {
    let text = include_str!("conformance/qmtl-metric-cases.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let inputs = &case["inputs"];
        let returns: Vec<f64> = inputs["returns"]
            .as_array()
            .unwrap()
            .iter()
            .map(decode)
            .collect();
        let opts = V15Options {
            profile: MetricsProfile::Qmtl,
            periods_per_year: inputs["periods_per_year"].as_f64().unwrap(),
            search_intensity: inputs["search_intensity"].as_u64().unwrap(),
            ..V15Options::default()
        };
        let got = serde_json::to_value(compute_v15(&returns, &opts).unwrap()).unwrap();
        compare(name, &case["expected"]["metrics"], &got, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
