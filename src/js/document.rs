//! Shims for documents of any kind: kind detection, validation, returns series, a bundle's
//! series. They only translate (core: `schema::document`).

use super::{error_to_js, input_bytes, to_js};
use crate::bundle::Limits;
use crate::schema::{Dialect, DocumentValidation};
use crate::{Code, Error};
use wasm_bindgen::prelude::*;

fn not_a_document() -> Error {
    Error::new(
        Code::Schema,
        "",
        "expected a document as a string, Uint8Array, ArrayBuffer or object",
    )
}

/// `{dialect?, limits?}`; `undefined`/`null` → strict, default limits.
fn options(v: &JsValue) -> Result<(Dialect, Limits), JsValue> {
    #[derive(serde::Deserialize, Default)]
    #[serde(default, deny_unknown_fields)]
    struct Opts {
        dialect: Option<Dialect>,
        limits: Option<Limits>,
    }
    let o: Opts = if v.is_undefined() || v.is_null() {
        Opts::default()
    } else {
        super::decode_js(v, "document options")?
    };
    Ok((o.dialect.unwrap_or_default(), o.limits.unwrap_or_default()))
}

/// The kind of a document (`"snapshot"`, `"bundle"`, `"metrics-document"`, `"run-status"`,
/// `"run"`, `"gate-result"`, `"policy"`, `"returns"`, `"list"`), from its top-level keys;
/// `undefined` when it is none of them.
#[wasm_bindgen(js_name = documentKind, unchecked_return_type = "DocumentKind | undefined")]
pub fn document_kind(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] input: JsValue,
) -> Option<String> {
    let bytes = input_bytes(&input).ok()?;
    crate::api::document::document_kind(&bytes).map(|k| k.as_str().to_string())
}

/// Detects a document's kind and validates it with that kind's reader, options
/// `{dialect?, limits?}`: `{kind, ok, errors}`. Never throws for bad input.
#[wasm_bindgen(js_name = validateDocument, unchecked_return_type = "DocumentValidation")]
pub fn validate_document(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DocumentOptions | undefined")] options_: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let (dialect, limits) = options(&options_.unwrap_or(JsValue::UNDEFINED))?;
    let report = match input_bytes(&input) {
        Ok(bytes) => crate::api::document::validate_document(&bytes, dialect, &limits),
        Err(_) => DocumentValidation {
            kind: None,
            ok: false,
            errors: vec![not_a_document()],
        },
    };
    to_js(&report)
}

/// A returns series (a JSON array or `{returns, timestamps?}`, or CSV) as a `Float64Array`,
/// read strictly by the engine's one reader (`api::returns_input`): `options` picks the CSV
/// column (`column`: header name or 1-based number), `delimiter`, `decimal_comma`, `percent`,
/// `max_bytes`. A missing period is NaN. Throws a `WorldgateError` with every error (each CSV
/// error with its `line` and `column`).
#[wasm_bindgen(js_name = readReturns)]
pub fn read_returns(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReturnsOptions | undefined")] options: Option<JsValue>,
) -> Result<js_sys::Float64Array, JsValue> {
    let options: crate::schema::ReturnsOptions =
        super::from_js(&options.unwrap_or(JsValue::UNDEFINED))?;
    let bytes = input_bytes(&input)?;
    let t = crate::api::returns_input::read_returns_table(&bytes, &options)
        .map_err(|e| super::errors_to_js(&e))?;
    Ok(js_sys::Float64Array::from(t.returns.as_slice()))
}

/// A bundle's returns series and context, read in one pass (no validation beyond the JSON
/// reader's; `gateBundle` validates): `{world_id, created_at?, previous?, correlations?,
/// returns: {[strategy_id]: Float64Array}, timestamps?: {[strategy_id]: Float64Array}}`: a
/// submission's `timestamps`, or its `index` expanded, as epoch milliseconds (what
/// `computeReport`, `computeMetrics` and `computeCalendar` take back as `timestamps`; no string
/// per period crosses). Throws a `WorldgateError` for unreadable input.
#[wasm_bindgen(js_name = bundleSeries, unchecked_return_type = "BundleSeries")]
pub fn bundle_series(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DocumentOptions | undefined")] options_: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let (_, limits) = options(&options_.unwrap_or(JsValue::UNDEFINED))?;
    let bytes = input_bytes(&input)?;
    let s = crate::api::document::bundle_series(&bytes, &limits).map_err(error_to_js)?;
    let out = js_sys::Object::new();
    let set = |o: &js_sys::Object, k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(o, &JsValue::from_str(k), v);
    };
    set(&out, "world_id", &JsValue::from_str(&s.world_id));
    if let Some(c) = &s.created_at {
        set(&out, "created_at", &JsValue::from_str(c));
    }
    if let Some(p) = &s.previous {
        set(&out, "previous", &to_js(p)?);
    }
    if let Some(c) = &s.correlations {
        set(&out, "correlations", &to_js(c)?);
    }
    let returns = js_sys::Object::new();
    for (id, v) in &s.returns {
        set(
            &returns,
            id,
            &js_sys::Float64Array::from(v.as_slice()).into(),
        );
    }
    set(&out, "returns", &returns.into());
    if !s.timestamps.is_empty() {
        let stamps = js_sys::Object::new();
        for (id, t) in &s.timestamps {
            set(
                &stamps,
                id,
                &js_sys::Float64Array::from(t.as_slice()).into(),
            );
        }
        set(&out, "timestamps", &stamps.into());
    }
    Ok(out.into())
}
