//! Policy shims: `parsePolicy`, `CompiledPolicy` (a parsed policy kept inside wasm),
//! `evaluatePolicy`, `policyPresets`, `presetPolicy`.
//!
//! Options keep the wire's snake_case keys: `parsePolicy(text | object | bytes, {dialect})`;
//! `policy.evaluate(metricsByStrategy, {previous, correlations, returns_by_strategy, stage,
//! profile})` with `previous` an array of ids or the `state` of an earlier decision and each
//! series a `Float64Array` or `number[]` (`previousState` / `returnsByStrategy` /
//! `prev_active` / `returns` are accepted as aliases).

use super::{error_to_js, errors_to_js, input_bytes, input_series, to_js};
use crate::policy::{Dialect, EvaluationInput, Policy};
use crate::{Code, Error};
use indexmap::IndexMap;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

/// A policy parsed once and kept inside wasm; evaluate whole batches with it.
#[wasm_bindgen]
pub struct CompiledPolicy {
    inner: Policy,
}

fn to_value(v: &JsValue, path: &str) -> Result<Value, JsValue> {
    super::js_to_value(v, path).map_err(error_to_js)
}

fn dialect_option(options: &JsValue) -> Result<Dialect, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Dialect::Strict);
    }
    let d =
        js_sys::Reflect::get(options, &JsValue::from_str("dialect")).unwrap_or(JsValue::UNDEFINED);
    if d.is_undefined() || d.is_null() {
        return Ok(Dialect::Strict);
    }
    match d.as_string().as_deref() {
        Some("strict") => Ok(Dialect::Strict),
        Some("qmtl") => Ok(Dialect::Qmtl),
        _ => Err(error_to_js(Error::new(
            Code::Schema,
            "/dialect",
            "`dialect` must be `strict` or `qmtl`",
        ))),
    }
}

fn compile(input: &JsValue, dialect: Dialect) -> Result<Policy, JsValue> {
    let result = if input.is_string()
        || input.is_instance_of::<js_sys::Uint8Array>()
        || input.is_instance_of::<js_sys::ArrayBuffer>()
    {
        let bytes = input_bytes(input)?;
        let text = String::from_utf8(bytes).map_err(|_| {
            error_to_js(Error::new(
                Code::Parse,
                "",
                "the policy text is not valid utf-8",
            ))
        })?;
        Policy::parse(&text, dialect)
    } else if input.is_object() {
        Policy::from_value(&to_value(input, "")?, dialect)
    } else {
        return Err(error_to_js(Error::new(
            Code::Schema,
            "",
            "expected a policy as YAML/JSON text, bytes or an object",
        )));
    };
    result.map_err(|e| errors_to_js(&e))
}

/// Builds the evaluation input from `metricsByStrategy` and the options object.
fn evaluation_input(metrics: &JsValue, options: &JsValue) -> Result<EvaluationInput, JsValue> {
    let mut doc = Map::new();
    doc.insert("metrics".into(), to_value(metrics, "/metrics")?);
    let mut returns: Option<IndexMap<String, Vec<f64>>> = None;
    if !(options.is_undefined() || options.is_null()) {
        let keys = js_sys::Object::keys(&js_sys::Object::from(options.clone()));
        for key in keys.iter() {
            let Some(k) = key.as_string() else { continue };
            let v = js_sys::Reflect::get(options, &key).unwrap_or(JsValue::UNDEFINED);
            if v.is_undefined() || v.is_null() {
                continue;
            }
            match k.as_str() {
                "previous" | "previousState" | "prev_active" => {
                    doc.insert("previous".into(), to_value(&v, "/previous")?);
                }
                "correlations" | "stage" | "profile" => {
                    doc.insert(k.clone(), to_value(&v, &format!("/{k}"))?);
                }
                "returns_by_strategy" | "returnsByStrategy" | "returns" => {
                    let mut map = IndexMap::new();
                    let entries = js_sys::Object::entries(&js_sys::Object::from(v));
                    for entry in entries.iter() {
                        let pair = js_sys::Array::from(&entry);
                        let id = pair.get(0).as_string().unwrap_or_default();
                        let path = crate::error::pointer_join("/returns_by_strategy", &id);
                        map.insert(id, input_series(&pair.get(1), &path)?);
                    }
                    returns = Some(map);
                }
                "dialect" => {}
                other => {
                    let known = [
                        "previous",
                        "correlations",
                        "returns_by_strategy",
                        "stage",
                        "profile",
                    ];
                    let mut e = Error::new(
                        Code::Schema,
                        format!("/{other}"),
                        format!("unknown option `{other}`"),
                    );
                    if let Some(s) = crate::suggest::closest(other, known) {
                        e = e.with_help(format!("did you mean `{s}`?"));
                    }
                    return Err(error_to_js(e));
                }
            }
        }
    }
    let mut input =
        EvaluationInput::from_value(&Value::Object(doc)).map_err(|e| errors_to_js(&e))?;
    input.returns = returns;
    Ok(input)
}

#[wasm_bindgen]
impl CompiledPolicy {
    /// Evaluates a batch: `metricsByStrategy` is `{id: metrics}` (flat or nested); returns the
    /// decision object.
    pub fn evaluate(&self, metrics: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let input = evaluation_input(&metrics, &options)?;
        to_js(&self.inner.evaluate(&input))
    }

    /// `sha256:<hex>` of the normalized policy.
    #[wasm_bindgen(js_name = rulesetHash)]
    pub fn ruleset_hash(&self) -> String {
        self.inner.ruleset_hash().to_string()
    }

    /// The dialect in force: `"strict"` or `"qmtl"`.
    #[wasm_bindgen(getter)]
    pub fn dialect(&self) -> String {
        self.inner.dialect().as_str().to_string()
    }

    /// The normalized policy document.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.document())
    }
}

/// Parses a policy (YAML/JSON text, bytes or object); `options.dialect` is `strict` (default)
/// or `qmtl`, unless the document says otherwise. Throws `WorldgateError` (`E_PARSE`,
/// `E_POLICY_INVALID`, …) with every error in `errors`.
#[wasm_bindgen(js_name = parsePolicy)]
pub fn parse_policy(input: JsValue, options: JsValue) -> Result<CompiledPolicy, JsValue> {
    let dialect = dialect_option(&options)?;
    Ok(CompiledPolicy {
        inner: compile(&input, dialect)?,
    })
}

/// Parses and evaluates in one call (options as `CompiledPolicy.evaluate`, plus `dialect`).
#[wasm_bindgen(js_name = evaluatePolicy)]
pub fn evaluate_policy(
    policy: JsValue,
    metrics: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let dialect = dialect_option(&options)?;
    let policy = compile(&policy, dialect)?;
    let input = evaluation_input(&metrics, &options)?;
    to_js(&policy.evaluate(&input))
}

/// Names of the preset policies.
#[wasm_bindgen(js_name = policyPresets)]
pub fn policy_presets() -> Vec<String> {
    crate::policy::PRESET_NAMES
        .iter()
        .map(|s| (*s).to_string())
        .collect()
}

/// A preset policy (`sandbox`, `conservative`, `moderate`, `aggressive`), compiled.
#[wasm_bindgen(js_name = presetPolicy)]
pub fn preset_policy(name: &str, options: JsValue) -> Result<CompiledPolicy, JsValue> {
    let dialect = dialect_option(&options)?;
    Policy::preset_in(name, dialect)
        .map(|inner| CompiledPolicy { inner })
        .ok_or_else(|| {
            error_to_js(
                Error::new(Code::InvalidValue, "", format!("no preset policy `{name}`"))
                    .with_help("presets: sandbox, conservative, moderate, aggressive"),
            )
        })
}
