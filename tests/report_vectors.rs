//! Replays `tests/vectors/report/*.json` (hand-worked and closed-form cases) and
//! `tests/vectors/report/reference/*.json` (quantstats' and empyrical's outputs, written by
//! `scripts/reference/generate.sh`) through `api::report::report`.
//!
//! Format (also replayed from JS by `tests/js/checks.mjs` through `computeReport`):
//! `{ "returns": [number | null | "nan" | "+inf" | "-inf"], "options": {...},
//!    "expected": {"distribution": {...}, "drawdowns": {...}, "rolling": {...}, "relative": {...}}
//!              | {"error": {"code", "path"}},
//!    "tolerance": 1e-9 }` or `{ "cases": [...] }`.
//! Matching as `tests/metrics_vectors.rs`: keys not listed are not checked; a number within
//! `tolerance` relative (an expected 0 must be 0); `"+inf"`/`"-inf"`/`"nan"` and other strings
//! exactly; `null` as null or absent; arrays element by element with equal lengths. A null
//! listed directly in `distribution`, `drawdowns` or `relative` must have its `reasons` entry.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;

use common::{outcome, series, vectors};
use serde_json::Value;
use std::path::{Path, PathBuf};
use worldgate::api::report::report;
use worldgate::schema::{ReportOptions, from_value};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/report")
}

fn run(name: &str, vector: &Value) -> Vec<String> {
    let returns = series(&vector["returns"]);
    let options: Result<ReportOptions, _> = from_value(&vector["options"]);
    let result = options.and_then(|o| report(&returns, &o));
    outcome(
        name,
        vector,
        result,
        &["distribution", "drawdowns", "relative"],
    )
}

fn replay(dir: &Path, at_least: usize) {
    let failures: Vec<String> = vectors(dir, at_least)
        .iter()
        .flat_map(|(name, v)| run(name, v))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hand_worked_report_vectors_match() {
    replay(&dir(), 10);
}

#[test]
fn quantstats_and_empyrical_reference_vectors_match() {
    replay(&dir().join("reference"), 3);
}

/// `worldgate report`: CSV in, JSON or a readable report out; a bad window is exit 2 with
/// the error's path.
#[cfg(feature = "cli")]
#[test]
fn the_cli_prints_the_report() {
    use std::process::Command;
    let tmp = std::env::temp_dir().join(format!("wg-report-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let series = tmp.join("r.csv");
    let bench = tmp.join("b.json");
    std::fs::write(
        &series,
        "date,ret\n2024-01-02,0.1\n2024-01-03,-0.2\n2024-01-04,0.05\n2024-01-05,0.25\n",
    )
    .unwrap();
    std::fs::write(&bench, "[0.01, -0.01, 0.02, 0.0]").unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_worldgate"))
            .arg("report")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
        )
    };
    let s = series.to_str().unwrap();
    let b = bench.to_str().unwrap();
    let (code, out) = run(&[
        s,
        "--benchmark",
        b,
        "--windows",
        "2,3",
        "--top",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}");
    // The CLI's one envelope (`Answer`): `{"type": "success", "value": report}`.
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["type"], "success");
    let v = &v["value"];
    // equity 1.1, 0.88, 0.924, 1.155: one episode of -20 %, regained at period 3.
    assert_eq!(v["drawdowns"]["episodes"][0]["depth"], -0.2);
    assert_eq!(v["drawdowns"]["episodes"][0]["end"], 3);
    assert_eq!(
        v["conventions"]["rolling_windows"],
        serde_json::json!([2, 3])
    );
    assert_eq!(v["relative"]["sample_count"], 4);
    let (code, out) = run(&[s]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("drawdowns: 1 episodes") && out.contains("kelly"),
        "{out}"
    );
    assert!(out.contains("longer than the series"), "{out}");
    let (code, out) = run(&[s, "--windows", "0", "--format", "json"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("/rolling_windows/0"), "{out}");
    std::fs::remove_dir_all(&tmp).unwrap();
}
