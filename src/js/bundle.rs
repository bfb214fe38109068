//! Shims for bundles, digests, sanitizing, runs and diffs. They only translate.
//!
//! Operations on user documents answer with a tagged value (`{type: "success", …}` or
//! `{type: "failure", errors}`); only misuse (an options object of the wrong shape) throws.

use super::policy::CompiledPolicy;
use super::{error_to_js, input_bytes, to_js};
use crate::bundle::{self, Limits, diff, sanitize};
use crate::schema::Answer;
use crate::{Code, Error};
use crate::{digest, json};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A large result as a JS object through one `JSON.parse` (far fewer boundary crossings than
/// building the object member by member; the wire form is JSON anyway).
fn to_js_json<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(conversion_error)?;
    js_sys::JSON::parse(&text)
}

/// `E_INTERNAL`: a result that could not be written as JSON text.
fn conversion_error(e: impl std::fmt::Display) -> JsValue {
    error_to_js(Error::new(
        Code::Internal,
        "",
        format!("cannot convert result: {e}"),
    ))
}

/// Options objects (`limits`, diff options): `undefined`/`null` → defaults.
pub(crate) fn options<T: serde::de::DeserializeOwned + Default>(
    v: &JsValue,
    what: &str,
) -> Result<T, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    super::decode_js(v, what)
}

/// `E_SCHEMA`: a value that is not a document (text, bytes or object).
fn not_a_document() -> Error {
    Error::new(
        Code::Schema,
        "",
        "expected a JSON document as a string, Uint8Array, ArrayBuffer or object",
    )
}

fn document(input: &JsValue, limits: &Limits) -> Result<serde_json::Value, Vec<Error>> {
    let bytes = input_bytes(input).map_err(|_| vec![not_a_document()])?;
    json::parse(&bytes, limits).map_err(|e| vec![e])
}

/// Validates a bundle (bytes, string or object) under `limits` (optional):
/// `{ok, errors}`. Never throws for bad input.
#[wasm_bindgen(js_name = validateBundle, unchecked_return_type = "Validation")]
pub fn validate_bundle(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Limits | undefined")] limits: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let limits: Limits = options(&limits.unwrap_or(JsValue::UNDEFINED), "limits")?;
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
pub fn canonical_json(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] input: JsValue,
) -> Result<String, JsValue> {
    let v = document(&input, &Limits::default()).map_err(|e| super::errors_to_js(&e))?;
    Ok(json::canonical::to_canonical_string(&v))
}

/// `sha256:<hex>` of the canonical JSON of a document. Throws like `canonicalJson`.
#[wasm_bindgen]
pub fn digest(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] input: JsValue,
) -> Result<String, JsValue> {
    let v = document(&input, &Limits::default()).map_err(|e| super::errors_to_js(&e))?;
    Ok(digest::digest_value(&v))
}

#[derive(Serialize)]
struct Sanitized {
    value: serde_json::Value,
    redactions: Vec<sanitize::Redaction>,
}

/// Sanitizes every string of a document: `{type: "success", value: {value, redactions}}`.
#[wasm_bindgen(unchecked_return_type = "Answer<Sanitized>")]
pub fn sanitize(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
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

/// Sanitizes one free-text field that is stored or served (a run transition's reason, a policy's
/// source, an idempotency key): `{text, redactions: [{path, kind}]}`, each redaction at `path`
/// (default `""`). The report never holds the removed text.
#[wasm_bindgen(js_name = sanitizeText, unchecked_return_type = "SanitizedText")]
pub fn sanitize_text(text: &str, path: Option<String>) -> Result<JsValue, JsValue> {
    to_js(&sanitize::sanitize_field(
        text,
        path.as_deref().unwrap_or(""),
    ))
}

/// Moves a run record to state `to` (at time `at`, default: the run's `updated_at`):
/// `{type: "success", value: run}` or `{type: "failure", errors}` (`E_ILLEGAL_TRANSITION`, …).
#[wasm_bindgen(unchecked_return_type = "Answer<Run>")]
pub fn transition(
    #[wasm_bindgen(unchecked_param_type = "Run | DocumentInput")] run: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RunState")] to: &str,
    at: Option<String>,
) -> Result<JsValue, JsValue> {
    let result = input_bytes(&run)
        .map_err(|_| vec![not_a_document()])
        .and_then(|bytes| crate::api::runs::transition(&bytes, to, at.as_deref()));
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
#[wasm_bindgen(js_name = diffSnapshots, unchecked_return_type = "Answer<Diff>")]
pub fn diff_snapshots(
    #[wasm_bindgen(unchecked_param_type = "Snapshot | Run | DocumentInput")] baseline: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Snapshot | Run | DocumentInput")] current: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DiffOptions | undefined")] opts: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let opts: diff::DiffOptions = options(&opts.unwrap_or(JsValue::UNDEFINED), "diff options")?;
    let result = match (input_bytes(&baseline), input_bytes(&current)) {
        (Ok(a), Ok(b)) => crate::api::runs::diff(&a, &b, &opts),
        (Err(_), _) => Err(vec![not_a_document().within("/baseline")]),
        (_, Err(_)) => Err(vec![not_a_document().within("/current")]),
    };
    to_js(&Answer::of(result))
}

fn prefix(errors: Vec<Error>, p: &str) -> Vec<Error> {
    errors.into_iter().map(|e| e.within(p)).collect()
}

/// Gates a bundle (bytes, string or object) with a policy (`CompiledPolicy`, text or object)
/// and options `{limits?, created_at?, series_head_len?, tolerance?, stage?, profile?,
/// dialect?}` (`dialect` applies to a policy given as text or object):
/// `{type: "success", value: GateResult}` or `{type: "failure", errors}`. Throws only for
/// malformed options.
#[wasm_bindgen(js_name = gateBundle, unchecked_return_type = "Answer<GateResult>")]
pub fn gate_bundle(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] bytes: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PolicyInput")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "GateBundleOptions | undefined")] opts: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let (dialect, gate_opts) = gate_options(&opts.unwrap_or(JsValue::UNDEFINED))?;
    gate_policy_arg(&bytes, &policy, dialect, |data, p| {
        bundle::gate::gate_with_decision_wire(data, p, &gate_opts)
    })
}

/// Gates `bytes` with the policy argument `policy` through `gate`: the answer object, or the
/// policy's errors under `/policy`.
pub(crate) fn gate_policy_arg(
    bytes: &JsValue,
    policy: &JsValue,
    dialect: Option<crate::policy::Dialect>,
    gate: impl FnOnce(&[u8], &crate::policy::Policy) -> GateOutcome,
) -> Result<JsValue, JsValue> {
    match super::policy::policy_arg(policy, dialect) {
        Ok(p) => gate_answer(bytes, |data| gate(data, &p)),
        Err(errors) => to_js_json(&Answer::<()>::Failure {
            errors: prefix(errors, "/policy"),
        }),
    }
}

/// What a gate gives: the result and its decision's wire text, or every error.
pub(crate) type GateOutcome =
    Result<(bundle::gate::GateResult, crate::policy::wire::Wire), Vec<Error>>;

#[wasm_bindgen]
impl CompiledPolicy {
    /// Gates a bundle with this policy: `gateBundle(bundle, this, options)`.
    #[wasm_bindgen(unchecked_return_type = "Answer<GateResult>")]
    pub fn gate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DocumentInput")] bundle: JsValue,
        #[wasm_bindgen(unchecked_param_type = "GateOptions | undefined")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let policy = self.policy();
        let (dialect, gate_opts) = gate_options(&options.unwrap_or(JsValue::UNDEFINED))?;
        if let Some(d) = dialect.filter(|d| *d != policy.dialect()) {
            return Err(error_to_js(super::policy::dialect_mismatch(policy, d)));
        }
        gate_answer(&bundle, |data| {
            bundle::gate::gate_with_decision_wire(data, policy, &gate_opts)
        })
    }
}

/// The gate options object: its `dialect` (for a policy given as a document) and the rest.
pub(crate) fn gate_options(
    opts: &JsValue,
) -> Result<(Option<crate::policy::Dialect>, bundle::gate::GateOptions), JsValue> {
    let mut raw: serde_json::Value = if opts.is_undefined() || opts.is_null() {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        super::decode_js(opts, "gate options")?
    };
    let dialect = match raw.as_object_mut().and_then(|m| m.remove("dialect")) {
        None | Some(serde_json::Value::Null) => None,
        Some(d) => Some(crate::api::policy::dialect(Some(&d), "/dialect").map_err(error_to_js)?),
    };
    let gate_opts = crate::schema::from_value(&raw).map_err(error_to_js)?;
    Ok((dialect, gate_opts))
}

/// Gates `bytes` through `gate`: the answer object, read on demand from its wire text
/// ([`bundle::gate::write_answer_wire`]: the decision's text spliced in as digested), so that a
/// caller reading the verdicts does not parse the decision, snapshots and runs, and one storing
/// them takes each one's text with `wireText`.
fn gate_answer(
    bytes: &JsValue,
    gate: impl FnOnce(&[u8]) -> GateOutcome,
) -> Result<JsValue, JsValue> {
    let result = input_bytes(bytes)
        .map_err(|_| {
            vec![Error::new(
                Code::Schema,
                "",
                "expected a bundle as a string, Uint8Array, ArrayBuffer or object",
            )]
        })
        .and_then(|data| gate(&data));
    let (value, decision) = match result {
        Ok(ok) => ok,
        Err(errors) => return to_js_json(&Answer::<()>::Failure { errors }),
    };
    let mut w = crate::policy::wire::Wire::with_capacity(3 * decision.bytes().len() + 4096);
    let written = bundle::gate::write_answer_wire(&mut w, &value, decision);
    drop(value);
    written.map_err(conversion_error)?;
    let text = w.finish().map_err(conversion_error)?;
    super::wire::to_js(&text)
}
