//! Fixed bundles with their expected canonical text and `input_digest`
//! (`tests/vectors/digest/*.json`; the digests were computed from the hand-written canonical
//! text with Python's hashlib). The packaging tests replay the same files in Node, Chromium and
//! workerd.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use std::path::PathBuf;
use worldgate::bundle::gate::{GateOptions, gate};
use worldgate::bundle::{Limits, parse_bundle, sanitize};
use worldgate::digest;
use worldgate::policy::Policy;

#[test]
fn digests_match_the_vectors() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/digest");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let name = v["name"].as_str().unwrap();
        let input = v["input"].as_str().unwrap().as_bytes();
        let (mut value, series) = parse_bundle(input, &Limits::default()).unwrap();
        sanitize::sanitize_bundle_value(&mut value);
        let text = worldgate::bundle::bundle_canonical_text(&value, &series);
        assert_eq!(text, v["canonical"].as_str().unwrap(), "{name}");
        assert_eq!(
            digest::sha256_bytes(text.as_bytes()),
            v["input_digest"],
            "{name}"
        );
        let r = gate(
            input,
            &Policy::preset("sandbox").unwrap(),
            &GateOptions::default(),
        )
        .unwrap();
        assert_eq!(r.input_digest, v["input_digest"], "{name}: gate");
        n += 1;
    }
    assert!(n >= 6);
}
