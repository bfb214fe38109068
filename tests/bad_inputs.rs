//! Replays the bad-input corpus `tests/vectors/bad/<area>/*.json`: every bad bundle or policy must be
//! rejected with its expected error code (and path, when the vector names one), and none may
//! panic. Large inputs are generated from the vector's `generate` recipe at test time.
//! The same files are replayed through the packed npm package in Node (ESM and CommonJS),
//! Chromium and workerd by `tests/js/checks.mjs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use std::path::PathBuf;
use worldgate::Error;
use worldgate::bundle::gate::{GateOptions, gate};
use worldgate::policy::{Dialect, Policy};

/// The input bytes of a vector: `input` as UTF-8, or the concatenated `generate` parts.
fn input_bytes(v: &Value) -> Vec<u8> {
    if let Some(s) = v.get("input").and_then(Value::as_str) {
        return s.as_bytes().to_vec();
    }
    let mut out = Vec::new();
    for part in v["generate"].as_array().expect("input or generate") {
        if let Some(t) = part.get("text").and_then(Value::as_str) {
            out.extend_from_slice(t.as_bytes());
        } else if let Some(h) = part.get("hex").and_then(Value::as_str) {
            for i in (0..h.len()).step_by(2) {
                out.push(u8::from_str_radix(&h[i..i + 2], 16).unwrap());
            }
        } else if let Some(r) = part.get("repeat").and_then(Value::as_str) {
            let n = part["count"].as_u64().unwrap() as usize;
            out.extend_from_slice(r.repeat(n).as_bytes());
        } else if let Some(t) = part.get("template").and_then(Value::as_str) {
            let n = part["count"].as_u64().unwrap() as usize;
            let join = part.get("join").and_then(Value::as_str).unwrap_or("");
            for i in 0..n {
                if i > 0 {
                    out.extend_from_slice(join.as_bytes());
                }
                out.extend_from_slice(t.replace("{i}", &i.to_string()).as_bytes());
            }
        } else {
            panic!("unknown generate part {part}");
        }
    }
    out
}

/// The errors worldgate gives for a vector's input: bundles go through the whole gate (with
/// the `sandbox` preset policy and default options), policies through `Policy::parse` in the
/// vector's dialect (default strict).
fn errors_for(kind: &str, bytes: &[u8], v: &Value) -> Vec<Error> {
    match kind {
        "bundle" => {
            let policy = Policy::preset("sandbox").expect("sandbox preset");
            match gate(bytes, &policy, &GateOptions::default()) {
                Ok(_) => Vec::new(),
                Err(errors) => errors,
            }
        }
        "policy" => {
            let dialect = match v.get("dialect").and_then(Value::as_str) {
                Some("qmtl") => Dialect::Qmtl,
                _ => Dialect::Strict,
            };
            let text = String::from_utf8_lossy(bytes);
            match Policy::parse(&text, dialect) {
                Ok(_) => Vec::new(),
                Err(errors) => errors,
            }
        }
        other => panic!("unknown kind `{other}` in {}", v["name"]),
    }
}

#[test]
fn every_bad_input_is_rejected_with_its_code_and_none_panics() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/bad");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .flat_map(|area| std::fs::read_dir(area).unwrap().map(|e| e.unwrap().path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 100, "only {} vectors", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let v: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let name = v["name"].as_str().unwrap().to_string();
        let kind = v["kind"].as_str().unwrap().to_string();
        let expected = v["expected_code"].as_str().unwrap();
        if let Some(why) = v.get("known_failure").and_then(Value::as_str) {
            // A known defect kept as a vector until it is fixed; not run (some take minutes).
            eprintln!("known failure, skipped: {name}: {why}");
            continue;
        }
        let bytes = input_bytes(&v);
        let got = std::panic::catch_unwind(|| errors_for(&kind, &bytes, &v));
        let errors = match got {
            Ok(errors) => errors,
            Err(_) => {
                failures.push(format!("{name}: PANICKED"));
                continue;
            }
        };
        let Some(first) = errors.first() else {
            failures.push(format!("{name}: accepted, expected {expected}"));
            continue;
        };
        if first.code.as_str() != expected {
            failures.push(format!("{name}: got {first}, expected {expected}"));
            continue;
        }
        if let Some(path) = v.get("expected_path").and_then(Value::as_str)
            && first.path != path
        {
            failures.push(format!("{name}: path `{}`, expected `{path}`", first.path));
        }
        // Messages never echo control characters or bidi overrides from the input.
        assert!(
            !first
                .message
                .chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{name}: message echoes a control character: {:?}",
            first.message
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
