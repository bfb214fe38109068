//! The wasm-bindgen shims (`src/js/`), run as wasm in Node and in headless Chromium:
//! `./test wasm-node wasm-chromium` (`cargo test --target wasm32-unknown-unknown --features wasm
//! --test wasm` with `wasm-bindgen-test-runner` as the runner; `WASM_BINDGEN_USE_BROWSER=1` for Chromium).
//! They check what only exists across the JS boundary: input forms (string, bytes, object),
//! results as plain JS objects, and errors as `WorldgateError`-named values with code and path.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use js_sys::{Array, ArrayBuffer, JSON, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use worldgate::js;

const GOOD: &str = r#"{"snapshot_id":"snap-1","world_id":"world-a","strategy_id":"strat-1",
  "run_id":"run-1","created_at":"2025-01-02T03:04:05Z","metrics":{}}"#;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn first_error(report: &JsValue) -> JsValue {
    Array::from(&get(report, "errors")).get(0)
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(js::version(), env!("CARGO_PKG_VERSION"));
}

/// The packed schemas as the package's `schemas.js` hands them in (the wasm carries none).
const PACKED: &str = include_str!("../src/schema/packed/full.txt");

#[wasm_bindgen_test]
fn schema_for_known_and_unknown_names() {
    let names = js::schemas::schema_names(PACKED);
    assert!(names.iter().any(|n| n == "snapshot"), "{names:?}");
    for name in &names {
        let text = js::schemas::schema_for(PACKED, name).unwrap();
        let parsed = JSON::parse(&text).unwrap();
        assert!(get(&parsed, "title").is_string(), "{name} has no title");
    }
    assert_eq!(js::schemas::schema_for(PACKED, "no-such-document"), None);
    assert!(js::schemas::schema_names("").is_empty());
}

#[wasm_bindgen_test]
fn validate_snapshot_accepts_string_bytes_buffer_and_object() {
    let bytes = Uint8Array::from(GOOD.as_bytes());
    let buffer: ArrayBuffer = bytes.buffer();
    let object = JSON::parse(GOOD).unwrap();
    for input in [JsValue::from_str(GOOD), bytes.into(), buffer.into(), object] {
        let report = js::validate_snapshot(input).unwrap();
        assert_eq!(get(&report, "ok"), JsValue::TRUE);
        assert_eq!(Array::from(&get(&report, "errors")).length(), 0);
        // a plain object, not a Map
        assert!(Array::is_array(&get(&report, "errors")));
    }
}

#[wasm_bindgen_test]
fn validate_snapshot_reports_code_and_pointer() {
    let bad = GOOD.replace(
        r#""metrics":{}"#,
        r#""metrics":{"returns":{"sharpe":"high"}}"#,
    );
    let report = js::validate_snapshot(JsValue::from_str(&bad)).unwrap();
    assert_eq!(get(&report, "ok"), JsValue::FALSE);
    let e = first_error(&report);
    assert_eq!(get(&e, "code").as_string().unwrap(), "E_SCHEMA");
    assert_eq!(
        get(&e, "path").as_string().unwrap(),
        "/metrics/returns/sharpe"
    );
    assert!(!get(&e, "message").as_string().unwrap().is_empty());
}

#[wasm_bindgen_test]
fn validate_snapshot_rejects_non_documents_without_throwing() {
    for input in [JsValue::from_f64(42.0), JsValue::NULL, JsValue::UNDEFINED] {
        let report = js::validate_snapshot(input).unwrap();
        assert_eq!(get(&report, "ok"), JsValue::FALSE);
        let e = first_error(&report);
        assert_eq!(get(&e, "code").as_string().unwrap(), "E_SCHEMA");
        assert_eq!(get(&e, "path").as_string().unwrap(), "");
    }
}

#[wasm_bindgen_test]
fn non_finite_numbers_cross_as_their_string_encoding() {
    let doc = GOOD.replace(
        r#""metrics":{}"#,
        r#""metrics":{},"series_heads":{"returns":["+inf","-inf","nan",0.5]}"#,
    );
    let report = js::validate_snapshot(JsValue::from_str(&doc)).unwrap();
    assert_eq!(get(&report, "ok"), JsValue::TRUE, "{report:?}");
}
