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

use common::{outcome, series, vectors};
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
    outcome(name, vector, result, &["returns"])
}

#[test]
fn metric_vectors_match_their_expected_values() {
    let failures: Vec<String> = vectors(&dir(), 15)
        .iter()
        .flat_map(|(name, v)| run(name, v))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
