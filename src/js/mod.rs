//! wasm-bindgen shims: deserialize, call the core, serialize. No logic lives here.
//!
//! Conventions shared by every shim:
//! - documents cross as bytes (`Uint8Array`/`ArrayBuffer`), strings, or plain objects
//!   ([`input_bytes`]); they are parsed into typed structs inside wasm;
//! - numeric series cross as `Float64Array` (or `number[]`) without JSON;
//! - results are plain JS objects ([`to_js`]); failures are thrown as `Error` objects named
//!   `WorldgateError` with `code`, `path`, `help` and `errors` properties ([`error_to_js`]),
//!   which the package's entry module turns into `WorldgateError` instances.

mod bundle;
mod document;
mod edge;
mod metrics;
mod policy;

use crate::{Code, Error};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The worldgate version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// The JSON Schema of a published document, or `undefined` for an unknown name.
#[wasm_bindgen(js_name = schemaFor)]
pub fn schema_for(name: &str) -> Option<String> {
    crate::schema::json_schema(name).map(str::to_string)
}

/// Names accepted by `schemaFor`.
#[wasm_bindgen(js_name = schemaNames)]
pub fn schema_names() -> Vec<String> {
    crate::schema::DOCUMENTS
        .iter()
        .map(|(n, _)| (*n).to_string())
        .collect()
}

/// An `Error` named `WorldgateError` carrying every error of `errors` (the first one's code,
/// path and message at top level).
#[allow(dead_code)]
pub(crate) fn errors_to_js(errors: &[Error]) -> JsValue {
    let first = errors.first().cloned().unwrap_or_else(|| {
        Error::new(
            Code::Internal,
            "",
            "operation failed without an error value",
        )
    });
    let err = js_sys::Error::new(&first.message);
    err.set_name("WorldgateError");
    let obj: &JsValue = err.as_ref();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(obj, &JsValue::from_str(k), v);
    };
    set("code", &JsValue::from_str(first.code.as_str()));
    set("path", &JsValue::from_str(&first.path));
    if let Some(help) = &first.help {
        set("help", &JsValue::from_str(help));
    }
    set("errors", &to_js(errors).unwrap_or(JsValue::NULL));
    err.into()
}

/// [`errors_to_js`] for one error.
pub(crate) fn error_to_js(error: Error) -> JsValue {
    errors_to_js(&[error])
}

/// Serializes a value into plain JS objects (maps become objects, `u64` become numbers).
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&ser).map_err(|e| {
        error_to_js(Error::new(
            Code::Internal,
            "",
            format!("cannot convert result: {e}"),
        ))
    })
}

/// The bytes of a document given as `Uint8Array`, `ArrayBuffer`, string, or a plain object
/// (serialised with `JSON.stringify`).
pub(crate) fn input_bytes(input: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = input.as_string() {
        return Ok(s.into_bytes());
    }
    if let Some(a) = input.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(a.to_vec());
    }
    if let Some(b) = input.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(js_sys::Uint8Array::new(b).to_vec());
    }
    if input.is_object()
        && let Some(s) = js_sys::JSON::stringify(input)
            .ok()
            .and_then(|t| t.as_string())
    {
        return Ok(s.into_bytes());
    }
    Err(error_to_js(Error::new(
        Code::Schema,
        "",
        "expected a JSON document as a string, Uint8Array, ArrayBuffer or object",
    )))
}

/// A numeric series given as `Float64Array`, another typed array, or an array of numbers.
/// `null`/`undefined` elements of a plain array become NaN; any other non-number is an error
/// at `/<index>`.
pub(crate) fn input_series(input: &JsValue, path: &str) -> Result<Vec<f64>, JsValue> {
    if let Some(a) = input.dyn_ref::<js_sys::Float64Array>() {
        return Ok(a.to_vec());
    }
    if let Some(a) = input.dyn_ref::<js_sys::Float32Array>() {
        return Ok(a.to_vec().into_iter().map(f64::from).collect());
    }
    if let Some(arr) = input.dyn_ref::<js_sys::Array>() {
        let mut out = Vec::with_capacity(arr.length() as usize);
        for (i, v) in arr.iter().enumerate() {
            if let Some(x) = v.as_f64() {
                out.push(x);
            } else if v.is_null() || v.is_undefined() {
                out.push(f64::NAN);
            } else {
                return Err(error_to_js(Error::new(
                    Code::Schema,
                    format!("{path}/{i}"),
                    "expected a number",
                )));
            }
        }
        return Ok(out);
    }
    Err(error_to_js(Error::new(
        Code::Schema,
        path,
        "expected a Float64Array or an array of numbers",
    )))
}

/// Validates a snapshot envelope given as a string, bytes or object:
/// `{ ok: true, errors: [] }` or `{ ok: false, errors: [{code, message, path, help?}] }`.
/// Never throws for bad input.
#[wasm_bindgen(js_name = validateSnapshot)]
pub fn validate_snapshot(input: JsValue) -> Result<JsValue, JsValue> {
    let report = match input_bytes(&input) {
        Ok(bytes) => crate::schema::validate_snapshot(&bytes),
        Err(_) => crate::schema::Validation::failed(Error::new(
            Code::Schema,
            "",
            "expected a JSON document as a string, Uint8Array, ArrayBuffer or object",
        )),
    };
    to_js(&report)
}
