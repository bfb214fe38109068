//! Shims for bundles, digests, sanitizing, runs and diffs. They only translate.
//!
//! Operations on user documents answer with a tagged value (`{type: "success", …}` or
//! `{type: "failure", errors}`); only misuse (an options object of the wrong shape) throws.

use super::{error_to_js, input_bytes, to_js};
use crate::bundle::{self, Limits, diff, sanitize};
use crate::schema::RunState;
use crate::{Code, Error};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// `{type: "success", value}` or `{type: "failure", errors}`.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Answer<T: Serialize> {
    Success { value: T },
    Failure { errors: Vec<Error> },
}

impl<T: Serialize> Answer<T> {
    pub(crate) fn of(r: Result<T, Vec<Error>>) -> Self {
        match r {
            Ok(value) => Answer::Success { value },
            Err(errors) => Answer::Failure { errors },
        }
    }
}

/// Options objects (`limits`, diff options): `undefined`/`null` → defaults.
pub(crate) fn options<T: serde::de::DeserializeOwned + Default>(
    v: &JsValue,
    what: &str,
) -> Result<T, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(v.clone())
        .map_err(|e| error_to_js(Error::new(Code::Schema, "", format!("invalid {what}: {e}"))))
}

fn document(input: &JsValue, limits: &Limits) -> Result<serde_json::Value, Vec<Error>> {
    let bytes = input_bytes(input).map_err(|_| {
        vec![Error::new(
            Code::Schema,
            "",
            "expected a JSON document as a string, Uint8Array, ArrayBuffer or object",
        )]
    })?;
    bundle::parse(&bytes, limits).map_err(|e| vec![e])
}

/// Validates a bundle (bytes, string or object) under `limits` (optional):
/// `{ok, errors}`. Never throws for bad input.
#[wasm_bindgen(js_name = validateBundle)]
pub fn validate_bundle(input: JsValue, limits: JsValue) -> Result<JsValue, JsValue> {
    let limits: Limits = options(&limits, "limits")?;
    let report = match input_bytes(&input) {
        Ok(bytes) => bundle::validate_bundle(&bytes, &limits),
        Err(_) => crate::schema::Validation::failed(Error::new(
            Code::Schema,
            "",
            "expected a JSON document as a string, Uint8Array, ArrayBuffer or object",
        )),
    };
    to_js(&report)
}

/// RFC 8785 canonical JSON text of a document. Throws `WorldgateError` for input that is not
/// strict JSON.
#[wasm_bindgen(js_name = canonicalJson)]
pub fn canonical_json(input: JsValue) -> Result<String, JsValue> {
    let v = document(&input, &Limits::default()).map_err(|e| super::errors_to_js(&e))?;
    Ok(bundle::canonical::to_canonical_string(&v))
}

/// `sha256:<hex>` of the canonical JSON of a document. Throws like `canonicalJson`.
#[wasm_bindgen]
pub fn digest(input: JsValue) -> Result<String, JsValue> {
    let v = document(&input, &Limits::default()).map_err(|e| super::errors_to_js(&e))?;
    Ok(bundle::digest::digest_value(&v))
}

#[derive(Serialize)]
struct Sanitized {
    value: serde_json::Value,
    redactions: Vec<sanitize::Redaction>,
}

/// Sanitizes every string of a document: `{type: "success", value: {value, redactions}}`.
#[wasm_bindgen]
pub fn sanitize(input: JsValue) -> Result<JsValue, JsValue> {
    let answer = Answer::of(document(&input, &Limits::default()).map(|mut v| {
        let mut redactions = Vec::new();
        sanitize::sanitize_value(&mut v, "", &mut redactions);
        Sanitized {
            value: v,
            redactions,
        }
    }));
    to_js(&answer)
}

/// Moves a run record to state `to` (at time `at`, default: the run's `updated_at`):
/// `{type: "success", value: run}` or `{type: "failure", errors}` (`E_ILLEGAL_TRANSITION`, …).
#[wasm_bindgen]
pub fn transition(run: JsValue, to: &str, at: Option<String>) -> Result<JsValue, JsValue> {
    let result = (|| {
        let v = document(&run, &Limits::default())?;
        let run: crate::run::Run = crate::schema::from_value(&v).map_err(|e| vec![e])?;
        let to: RunState = serde_json::from_value(serde_json::Value::String(to.to_string()))
            .map_err(|_| {
                vec![Error::new(
                    Code::Schema,
                    "",
                    format!("unknown run state `{to}`"),
                )]
            })?;
        let at = at.unwrap_or_else(|| run.status.updated_at.clone());
        crate::run::transition_at(&run, to, &at).map_err(|e| vec![e])
    })();
    to_js(&Answer::of(result))
}

/// `.qmtl_snapshots/<world>-<strategy>-<run>.json`; throws `E_ID_INVALID` for unsafe ids.
#[wasm_bindgen(js_name = snapshotFileName)]
pub fn snapshot_file_name(
    world_id: &str,
    strategy_id: &str,
    run_id: &str,
) -> Result<String, JsValue> {
    crate::run::snapshot_file_name(world_id, strategy_id, run_id).map_err(error_to_js)
}

/// The deterministic run id of a strategy's submission in a bundle with digest `input_digest`.
#[wasm_bindgen(js_name = mintRunId)]
pub fn mint_run_id(input_digest: &str, strategy_id: &str) -> String {
    crate::run::mint_run_id(input_digest, strategy_id)
}

/// Diffs two snapshots or run records (baseline, current) with options
/// `{allow_cross_world?, allow_policy_change?}`: `{type: "success", value: diff}` or
/// `{type: "failure", errors}` (`E_NOT_COMPARABLE`, `E_SCHEMA`, …).
#[wasm_bindgen(js_name = diffSnapshots)]
pub fn diff_snapshots(
    baseline: JsValue,
    current: JsValue,
    opts: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: diff::DiffOptions = options(&opts, "diff options")?;
    let limits = Limits::default();
    let result = (|| {
        let a = document(&baseline, &limits).map_err(|e| prefix(e, "/baseline"))?;
        let b = document(&current, &limits).map_err(|e| prefix(e, "/current"))?;
        diff::diff_documents(&a, &b, &opts).map_err(|e| vec![e])
    })();
    to_js(&Answer::of(result))
}

fn prefix(errors: Vec<Error>, p: &str) -> Vec<Error> {
    errors.into_iter().map(|e| e.within(p)).collect()
}
