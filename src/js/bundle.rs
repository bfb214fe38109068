//! Shims for bundles, digests, sanitizing, runs and diffs. They only translate.
//!
//! Operations on user documents answer with a tagged value (`{type: "success", …}` or
//! `{type: "failure", errors}`); only misuse (an options object of the wrong shape) throws.

use super::{error_to_js, input_bytes, to_js};
use crate::bundle::{self, Limits, diff, sanitize};
use crate::schema::RunState;
use crate::{Code, Error};
use serde::Serialize;
use wasm_bindgen::JsCast;
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

thread_local! {
    /// The last compiled policy seen by `gateBundle`, by ruleset hash and dialect, so batches
    /// gated with one `CompiledPolicy` do not rebuild it on every call.
    static LAST_POLICY: std::cell::RefCell<Option<(String, crate::policy::Policy)>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` with the policy argument of `gateBundle`: a `CompiledPolicy` (read back through its
/// `toJSON()` and `dialect` once, then cached by ruleset hash), YAML/JSON text, bytes, or a
/// policy object.
fn with_gate_policy<T>(
    policy: &JsValue,
    dialect: crate::policy::Dialect,
    f: impl FnOnce(&crate::policy::Policy) -> Result<T, Vec<Error>>,
) -> Result<T, Vec<Error>> {
    use crate::policy::{Dialect, Policy};
    let get = |k: &str| js_sys::Reflect::get(policy, &JsValue::from_str(k)).ok();
    let call = |k: &str| {
        get(k)
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call0(policy).ok())
    };
    let compiled = policy.is_object()
        && get("rulesetHash").is_some_and(|f| f.is_function())
        && get("toJSON").is_some_and(|f| f.is_function());
    if compiled {
        let d = match get("dialect").and_then(|d| d.as_string()).as_deref() {
            Some("qmtl") => Dialect::Qmtl,
            _ => Dialect::Strict,
        };
        let key = format!(
            "{:?}|{}",
            d,
            call("rulesetHash")
                .and_then(|h| h.as_string())
                .unwrap_or_default()
        );
        let cached = LAST_POLICY.with(|c| c.borrow().as_ref().is_some_and(|(k, _)| *k == key));
        if !cached {
            let doc = call("toJSON")
                .and_then(|d| super::js_to_value(&d, "").ok())
                .ok_or_else(|| {
                    vec![Error::new(
                        Code::Schema,
                        "/policy",
                        "cannot read the compiled policy",
                    )]
                })?;
            let p = Policy::from_value(&doc, d).map_err(|e| prefix(e, "/policy"))?;
            LAST_POLICY.with(|c| *c.borrow_mut() = Some((key, p)));
        }
        return LAST_POLICY.with(|c| match c.borrow().as_ref() {
            Some((_, p)) => f(p),
            None => Err(vec![Error::new(
                Code::Internal,
                "",
                "policy cache is empty",
            )]),
        });
    }
    let text = match policy.as_string() {
        Some(t) => t,
        None => {
            let bytes = input_bytes(policy).map_err(|_| {
                vec![Error::new(
                    Code::Schema,
                    "/policy",
                    "expected a CompiledPolicy, policy text, bytes or a policy object",
                )]
            })?;
            String::from_utf8(bytes).map_err(|_| {
                vec![Error::new(
                    Code::Parse,
                    "/policy",
                    "policy text is not utf-8",
                )]
            })?
        }
    };
    f(&Policy::parse(&text, dialect).map_err(|e| prefix(e, "/policy"))?)
}

/// Gates a bundle (bytes, string or object) with a policy (`CompiledPolicy`, text or object)
/// and options `{limits?, created_at?, series_head_len?, tolerance?, stage?, profile?,
/// dialect?}` (`dialect` applies to a policy given as text or object):
/// `{type: "success", value: GateResult}` or `{type: "failure", errors}`. Throws only for
/// malformed options.
#[wasm_bindgen(js_name = gateBundle)]
pub fn gate_bundle(bytes: JsValue, policy: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    let mut raw: serde_json::Value = if opts.is_undefined() || opts.is_null() {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        super::decode_js(&opts, "gate options")?
    };
    let dialect = match raw.as_object_mut().and_then(|m| m.remove("dialect")) {
        None | Some(serde_json::Value::Null) => crate::policy::Dialect::Strict,
        Some(serde_json::Value::String(s)) if s == "strict" => crate::policy::Dialect::Strict,
        Some(serde_json::Value::String(s)) if s == "qmtl" => crate::policy::Dialect::Qmtl,
        Some(_) => {
            return Err(error_to_js(Error::new(
                Code::Schema,
                "/dialect",
                "`dialect` must be `strict` or `qmtl`",
            )));
        }
    };
    let gate_opts: bundle::gate::GateOptions =
        crate::schema::from_value(&raw).map_err(error_to_js)?;
    let data = input_bytes(&bytes).map_err(|_| {
        vec![Error::new(
            Code::Schema,
            "",
            "expected a bundle as a string, Uint8Array, ArrayBuffer or object",
        )]
    });
    let result = data.and_then(|data| {
        with_gate_policy(&policy, dialect, |p| {
            bundle::gate::gate_with_decision_json(&data, p, &gate_opts)
        })
    });
    let (value, decision_json) = match result {
        Ok(ok) => ok,
        Err(errors) => return to_js_json(&Answer::<()>::Failure { errors }),
    };
    // `{type: "success", value}` written once, the decision's text spliced in as it was
    // digested (the result is about 2.6× the decision's size).
    let mut out = Vec::with_capacity(3 * decision_json.len() + 4096);
    out.extend_from_slice(b"{\"type\":\"success\",\"value\":");
    let written = bundle::gate::write_result_json(&mut out, &value, &decision_json);
    drop((value, decision_json));
    out.push(b'}');
    written.map_err(conversion_error)?;
    let text = String::from_utf8(out).map_err(conversion_error)?;
    js_sys::JSON::parse(&text)
}
