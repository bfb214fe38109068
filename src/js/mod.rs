//! wasm-bindgen shims: deserialize, call the core, serialize. No logic lives here.
//!
//! Conventions shared by every shim:
//! - documents cross as bytes (`Uint8Array`/`ArrayBuffer`), strings, or plain objects
//!   (`input_bytes`); they are parsed into typed structs inside wasm;
//! - numeric series cross as `Float64Array` (or `number[]`) without JSON;
//! - other plain JS data (options, metrics, policy documents) crosses as JSON values
//!   (`js_to_value`): read once in JS into a tape that enters wasm in three calls whatever its
//!   size (`tape.rs`, with its JS half `tape.js`);
//! - results are plain JS objects (`to_js`); failures are thrown as `Error` objects named
//!   `WorldgateError` with `code`, `path`, `help` and `errors` properties (`error_to_js`),
//!   which the package's entry module turns into `WorldgateError` instances.

#[cfg(feature = "engine")]
mod batch;
#[cfg(feature = "engine")]
mod bundle;
mod calendar;
#[cfg(feature = "engine")]
mod document;
#[cfg(feature = "engine")]
mod edge;
#[cfg(feature = "engine")]
mod handle;
#[cfg(feature = "engine")]
mod input;
mod metrics;
mod options;
#[cfg(feature = "engine")]
mod platform;
#[cfg(feature = "engine")]
mod policy;
#[cfg(feature = "engine")]
mod qmtl;
#[cfg(feature = "engine")]
mod report;
pub mod schemas;
mod tape;
#[cfg(feature = "engine")]
mod wire;

use crate::{Code, Error};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

pub(crate) use tape::js_to_value;

/// The worldgate version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
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

/// Serializes a value into plain JS objects (maps become objects, integers numbers): JSON text
/// written by `serde_json`, then `JSON.parse` in the host. One serializer backend for every result
/// type keeps the wasm small, and V8's parser builds large results (a 1,000-strategy decision)
/// faster than setting properties one call at a time across the boundary.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let internal = |what: String| {
        error_to_js(Error::new(
            Code::Internal,
            "",
            format!("cannot convert result: {what}"),
        ))
    };
    let text = serde_json::to_string(value).map_err(|e| internal(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| internal("the host rejected the JSON text".into()))
}

#[wasm_bindgen]
extern "C" {
    /// `Object.entries`, catching what a getter or Proxy trap throws.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    pub(crate) fn object_entries(obj: &JsValue) -> Result<js_sys::Array, JsValue>;
    /// `Array.from`, catching what a getter or Proxy trap throws: the copy is a plain array.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(arr: &JsValue) -> Result<js_sys::Array, JsValue>;
    /// `Array.isArray`, catching what a revoked Proxy throws.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn array_is_array(v: &JsValue) -> Result<bool, JsValue>;
}

/// Whether `v` is an array (`Array.isArray`); `E_SCHEMA` at `path` for a value that refuses to
/// say (a revoked Proxy), where the bare check would throw through the engine.
pub(crate) fn is_array(v: &JsValue, path: &str) -> Result<bool, JsValue> {
    array_is_array(v).map_err(|_| error_to_js(Error::new(Code::Schema, path, UNREADABLE)))
}

/// A typed array class, by its `Symbol.toStringTag`.
pub(crate) trait Typed: JsCast {
    /// The class's name, as `Object.prototype.toString` gives it.
    const TAG: &'static str;
}

impl Typed for js_sys::Float64Array {
    const TAG: &'static str = "Float64Array";
}

impl Typed for js_sys::Float32Array {
    const TAG: &'static str = "Float32Array";
}

impl Typed for js_sys::Uint8Array {
    const TAG: &'static str = "Uint8Array";
}

/// `v` as the typed array `T` when it is one: a view of a buffer (`ArrayBuffer.isView`) that is
/// a `T` of this realm or, by its tag, of another (a `Buffer` from Node's `fs` under Jest, or an
/// array from an iframe, fails `instanceof`). An object that only has `T`'s prototype passes
/// `instanceof` but is no view (reading it would throw): not one.
pub(crate) fn typed<T: Typed>(v: &JsValue) -> Option<&T> {
    let is = js_sys::ArrayBuffer::is_view(v) && (v.is_instance_of::<T>() || has_tag(v, T::TAG));
    is.then(|| v.unchecked_ref::<T>())
}

/// Whether `v`'s `Symbol.toStringTag` is `tag` (a getter or trap that throws: no).
fn has_tag(v: &JsValue, tag: &str) -> bool {
    js_sys::Reflect::get(v, &js_sys::Symbol::to_string_tag())
        .is_ok_and(|t| t.as_string().as_deref() == Some(tag))
}

/// The byte length of `v` when it is an `ArrayBuffer` of this realm or another. Read through
/// `Reflect.get`, which catches: an object that only has ArrayBuffer's prototype (or tag) throws
/// there or has none, and is not one.
fn buffer_length(v: &JsValue) -> Option<f64> {
    if !(v.is_instance_of::<js_sys::ArrayBuffer>() || has_tag(v, "ArrayBuffer")) {
        return None;
    }
    js_sys::Reflect::get(v, &JsValue::from_str("byteLength"))
        .ok()?
        .as_f64()
}

/// Whether `v` is bytes to [`input_bytes`]: a `Uint8Array` or an `ArrayBuffer`, of any realm.
#[cfg(feature = "engine")]
pub(crate) fn is_bytes(v: &JsValue) -> bool {
    typed::<js_sys::Uint8Array>(v).is_some() || buffer_length(v).is_some()
}

/// An address in this call's stack frame, the same whenever no other engine call is under way
/// — unless an exception thrown by JS the engine called (a throwing getter, an object that only
/// claims a typed array's prototype) unwound the engine's frames, which leaves its stack pointer
/// where they had moved it. `api.js` compares it after such an exception and resets the engine
/// when it moved (else the stack would run out after a few thousand, and a sound call trap).
#[wasm_bindgen(js_name = __wgStackProbe)]
pub fn stack_probe() -> usize {
    let here = 0u8;
    std::hint::black_box(&here) as *const u8 as usize
}

/// The values of a `Float64Array`; none for one whose buffer was detached (its length reads 0,
/// and copying from it would throw).
pub(crate) fn f64_values(a: &js_sys::Float64Array) -> Vec<f64> {
    if a.length() == 0 {
        Vec::new()
    } else {
        a.to_vec()
    }
}

/// Plain JS data decoded into `T` through [`js_to_value`] and [`crate::schema::from_value`]
/// (errors carry the JSON pointer of the offending field); `undefined`/`null` → `T::default()`.
#[allow(dead_code)]
pub(crate) fn from_js<T: serde::de::DeserializeOwned + Default>(v: &JsValue) -> Result<T, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    let value = js_to_value(v, "").map_err(error_to_js)?;
    crate::schema::from_value(&value).map_err(error_to_js)
}

/// Plain JS data decoded into `T` (no default for `undefined`/`null`): an `E_SCHEMA`
/// `WorldgateError` at the offending field's JSON pointer, its message prefixed with
/// `invalid <what>: `.
#[allow(dead_code)]
pub(crate) fn decode_js<T: serde::de::DeserializeOwned>(
    v: &JsValue,
    what: &str,
) -> Result<T, JsValue> {
    js_to_value(v, "")
        .and_then(|value| crate::schema::from_value(&value))
        .map_err(|mut e| {
            e.code = Code::Schema;
            e.message = format!("invalid {what}: {}", e.message);
            error_to_js(e)
        })
}

/// The bytes of a document given as `Uint8Array`, `ArrayBuffer`, string, or a plain object
/// (serialised with `JSON.stringify`).
pub(crate) fn input_bytes(input: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = input.as_string() {
        return Ok(s.into_bytes());
    }
    // a detached buffer reads as no bytes (copying from it would throw)
    if let Some(a) = typed::<js_sys::Uint8Array>(input) {
        return Ok(if a.length() == 0 {
            Vec::new()
        } else {
            a.to_vec()
        });
    }
    if let Some(len) = buffer_length(input) {
        if len == 0.0 {
            return Ok(Vec::new());
        }
        return Ok(js_sys::Uint8Array::new(input).to_vec());
    }
    #[cfg(feature = "engine")]
    handle::refuse_opaque(input, "").map_err(error_to_js)?;
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
    if let Some(a) = typed::<js_sys::Float64Array>(input) {
        return Ok(f64_values(a));
    }
    if let Some(a) = typed::<js_sys::Float32Array>(input) {
        if a.length() == 0 {
            return Ok(Vec::new());
        }
        return Ok(a.to_vec().into_iter().map(f64::from).collect());
    }
    if is_array(input, path)? {
        let arr = read_array(input, path)?;
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

/// The message of an input that threw while it was read (its path says which): one text for
/// every such input (an array, the options, the returns series, a value `Array.isArray` refuses).
pub(crate) const UNREADABLE: &str = "could not be read (a getter or Proxy trap threw, a Proxy was revoked, or a Map key is not a string)";

/// `Array.from(v)`; a Proxy or an array with getters may throw while read: that is bad input
/// too, `E_SCHEMA` at `path`.
fn read_array(v: &JsValue, path: &str) -> Result<js_sys::Array, JsValue> {
    array_from(v).map_err(|_| error_to_js(Error::new(Code::Schema, path, UNREADABLE)))
}

/// A time axis given as numbers: a typed array, or a non-empty array whose first element is a
/// number, read as milliseconds since the epoch (`null` → NaN, which the engine then refuses at
/// `path/<i>`); `None` for anything else (strings, `undefined`), which goes the wire's way.
pub(crate) fn numeric_stamps(v: &JsValue, path: &str) -> Result<Option<Vec<f64>>, JsValue> {
    let typed = js_sys::ArrayBuffer::is_view(v) && !v.is_instance_of::<js_sys::DataView>();
    let numbers =
        is_array(v, path)? && js_sys::Reflect::get_u32(v, 0).is_ok_and(|x| x.as_f64().is_some());
    if typed || numbers {
        return input_series(v, path).map(Some);
    }
    Ok(None)
}

/// A time axis argument: `undefined`/`null` → none; numbers ([`numeric_stamps`]) → epoch
/// milliseconds; an array of strings → RFC 3339 (a non-string element is `E_SCHEMA` at
/// `path/<i>`); anything else `E_SCHEMA` at `path`.
pub(crate) fn input_stamps(
    v: &JsValue,
    path: &str,
) -> Result<Option<crate::time::Stamps>, JsValue> {
    use crate::time::Stamps;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if let Some(ms) = numeric_stamps(v, path)? {
        return Ok(Some(Stamps::EpochMs(ms)));
    }
    if !is_array(v, path)? {
        return Err(error_to_js(Error::new(
            Code::Schema,
            path,
            "timestamps must be RFC 3339 strings or epoch milliseconds (a Float64Array or numbers)",
        )));
    }
    let arr = read_array(v, path)?;
    let mut out = Vec::with_capacity(arr.length() as usize);
    for (i, x) in arr.iter().enumerate() {
        let s = x.as_string().ok_or_else(|| {
            error_to_js(
                Error::new(
                    Code::Schema,
                    format!("{path}/{i}"),
                    "expected an RFC 3339 timestamp string",
                )
                .with_help("give every timestamp as a string, or every one as epoch milliseconds"),
            )
        })?;
        out.push(s);
    }
    Ok(Some(Stamps::Rfc3339(out)))
}

/// Validates a snapshot envelope given as a string, bytes or object:
/// `{ ok: true, errors: [] }` or `{ ok: false, errors: [{code, message, path, help?}] }`.
/// Never throws for bad input.
#[wasm_bindgen(js_name = validateSnapshot, unchecked_return_type = "Validation")]
pub fn validate_snapshot(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
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
