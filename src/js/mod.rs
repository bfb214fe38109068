//! wasm-bindgen shims: deserialize, call the core, serialize. No logic lives here.

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
