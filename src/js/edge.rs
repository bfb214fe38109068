//! Shims for a world service (the edge API): id checks, HTTP statuses of codes, fresh run
//! records and the world's side of an upload ([`crate::world`]). They only translate.

use super::{error_to_js, errors_to_js, input_bytes, to_js};
use crate::schema::{ActivationState, Decision};
use crate::{Code, Error};
use wasm_bindgen::prelude::*;

/// Throws a `WorldgateError` with code `E_ID_INVALID` at `path` unless `id` is a safe id
/// (`[A-Za-z0-9._:-]`, 1–128 bytes, no leading dot) that is not shaped like a secret.
#[wasm_bindgen(js_name = checkId)]
pub fn check_id(id: &str, path: &str) -> Result<(), JsValue> {
    crate::bundle::check_id(id, path).map_err(error_to_js)
}

/// The HTTP status of an error code (`"E_RUN_NOT_FOUND"` → 404); 500 for an unknown code.
#[wasm_bindgen(js_name = httpStatus)]
pub fn http_status(code: &str) -> u16 {
    serde_json::from_value::<Code>(serde_json::Value::String(code.to_string()))
        .map_or(500, Code::http_status)
}

/// A new run record in state `submitted`, created at `at`; throws `E_ID_INVALID` for an unsafe
/// id.
#[wasm_bindgen(js_name = newRun, unchecked_return_type = "Run")]
pub fn new_run(
    world_id: &str,
    strategy_id: &str,
    run_id: &str,
    at: &str,
) -> Result<JsValue, JsValue> {
    let run = crate::run::new_run(world_id, strategy_id, run_id, at).map_err(error_to_js)?;
    to_js(&run)
}

fn state_of(v: &JsValue, what: &str) -> Result<ActivationState, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(ActivationState::default());
    }
    super::decode_js(v, what)
}

/// The bytes to gate for world `world_id` in activation state `state` (`null` for a new
/// world): `{type: "success", value: Uint8Array}` or `{type: "failure", errors}`
/// (`E_INVALID_VALUE` at `/world_id` or `/previous`, or the reader's errors).
#[wasm_bindgen(js_name = prepareUpload, unchecked_return_type = "Answer<Uint8Array>")]
pub fn prepare_upload(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] bytes: JsValue,
    world_id: &str,
    #[wasm_bindgen(unchecked_param_type = "ActivationState | null | undefined")] state: JsValue,
) -> Result<JsValue, JsValue> {
    let state = state_of(&state, "activation state")?;
    let data = input_bytes(&bytes).map_err(|_| {
        errors_to_js(&[Error::new(
            Code::Schema,
            "",
            "expected a bundle as a string, Uint8Array or ArrayBuffer",
        )])
    })?;
    let out = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&out, &JsValue::from_str(k), v);
    match crate::world::prepare_upload(&data, world_id, &state) {
        Ok(prepared) => {
            set("type", &JsValue::from_str("success"))?;
            set(
                "value",
                &js_sys::Uint8Array::from(prepared.as_slice()).into(),
            )?;
        }
        Err(errors) => {
            set("type", &JsValue::from_str("failure"))?;
            set("errors", &to_js(&errors)?)?;
        }
    }
    Ok(out.into())
}

/// The world's activation state after a gate's `decision`: the evaluated strategies take the
/// decision's state, the others keep theirs.
#[wasm_bindgen(js_name = nextWorldState, unchecked_return_type = "ActivationState")]
pub fn next_world_state(
    #[wasm_bindgen(unchecked_param_type = "ActivationState | null | undefined")] state: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Decision")] decision: JsValue,
) -> Result<JsValue, JsValue> {
    let state = state_of(&state, "activation state")?;
    let decision: Decision = super::decode_js(&decision, "decision")?;
    to_js(&crate::world::next_world_state(&state, &decision))
}
