//! `StrategyBatch`: strategies' metrics and the evaluation options read from JS once and kept
//! in wasm, for many evaluations over the same strategies (a policy editor re-evaluating a
//! world on each edit, a sweep over candidate policies). `policy.evaluate(batch)`,
//! `policy.verdicts(batch)`, `evaluatePolicy(policy, batch)` and `evaluateVerdicts(policy,
//! batch)` take it where the metrics stand; each gives what the same call over the batch's
//! metrics and options gives, without reading them again.

use super::error_to_js;
use super::handle::{self, Found, Handles};
use super::input::{Prepared, evaluation_input};
use super::options::{self, dialect_option};
use crate::policy::Dialect;
use crate::{Code, Error};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// Strategies read once for many evaluations: `new StrategyBatch(metricsByStrategy, options)`
/// reads the metrics (in `options.dialect`, default strict) and the evaluation options
/// (`previous`, `correlations`, `returns_by_strategy`, `timestamps_by_strategy`, `stage`,
/// `profile`) as `evaluate` would, and throws the errors `evaluate` would throw for them.
/// A returns series given as a `Float64Array` is copied into wasm when an evaluation first
/// needs it (correlations compare the top-k candidates alone) and kept: change an array after
/// that and the batch still holds the values it copied; make a new batch for new data.
/// `free()` releases it at once (else the garbage collector does).
#[wasm_bindgen]
pub struct StrategyBatch {
    id: u32,
    inner: Rc<Prepared>,
}

thread_local! {
    /// The live batches, so a `StrategyBatch` passed where metrics stand is recognised.
    static BATCHES: Handles<Prepared> = const { Handles::new() };
}

#[wasm_bindgen]
impl StrategyBatch {
    /// Reads `metricsByStrategy` and `options` (as `CompiledPolicy.evaluate` reads them, plus
    /// `dialect`); throws `WorldgateError` with every error of the input.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "MetricsByStrategy")] metrics: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EvaluateOptions | undefined")] options: Option<
            JsValue,
        >,
    ) -> Result<StrategyBatch, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let dialect = dialect_option(&options, false)?.unwrap_or_default();
        let inner = Rc::new(evaluation_input(&metrics, &options, dialect)?);
        let id = BATCHES.with(|b| b.add(&inner));
        Ok(StrategyBatch { id, inner })
    }

    /// The handle's id, by which the engine recognises it where metrics stand.
    #[wasm_bindgen(getter, js_name = __wgBatchId)]
    pub fn id_value(&self) -> u32 {
        self.id
    }

    /// How many strategies it holds.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.strategies.len()).unwrap_or(u32::MAX)
    }

    /// The dialect its metrics were read in: `"strict"` or `"qmtl"` (a policy of another
    /// dialect refuses it).
    #[wasm_bindgen(getter, unchecked_return_type = "Dialect")]
    pub fn dialect(&self) -> String {
        self.inner.dialect.as_str().to_string()
    }
}

impl Drop for StrategyBatch {
    fn drop(&mut self) {
        BATCHES.with(|b| b.remove(self.id));
    }
}

/// The batch `value` is, when it is a `StrategyBatch` ([`handle::lookup`]).
///
/// # Errors
/// `E_SCHEMA` at `/metrics`: a freed or stale `StrategyBatch`, or another engine object.
pub(crate) fn batch(value: &JsValue) -> Result<Option<Rc<Prepared>>, JsValue> {
    let what = "metrics by strategy id or a StrategyBatch";
    match handle::lookup(&BATCHES, value, "__wgBatchId", what, "/metrics") {
        Ok(Found::Live(b)) => Ok(Some(b)),
        Ok(Found::Data) => Ok(None),
        Err(e) => Err(error_to_js(e)),
    }
}

/// The batch `read` for an evaluation in `dialect` with the call's `options`, which may only
/// repeat the dialect.
///
/// # Errors
/// `E_SCHEMA`: a batch read in another dialect, and any other option (a batch carries its own).
pub(crate) fn check_use(
    read: Rc<Prepared>,
    options: &JsValue,
    dialect: Dialect,
) -> Result<Rc<Prepared>, JsValue> {
    if read.dialect != dialect {
        return Err(error_to_js(
            Error::new(
                Code::Schema,
                "/metrics",
                format!(
                    "the batch was read in the `{}` dialect, the policy is `{}`",
                    read.dialect.as_str(),
                    dialect.as_str()
                ),
            )
            .with_help(format!(
                "make the batch with `{{dialect: \"{}\"}}`",
                dialect.as_str()
            )),
        ));
    }
    for entry in options::entries(options, "")?.iter().flat_map(|e| e.iter()) {
        let pair = js_sys::Array::from(&entry);
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        if key != "dialect" && !(value.is_undefined() || value.is_null()) {
            return Err(error_to_js(
                Error::new(
                    Code::Schema,
                    format!("/{key}"),
                    format!("a StrategyBatch carries its own options: `{key}` is not read here"),
                )
                .with_help(format!(
                    "give `{key}` when making the batch: `new StrategyBatch(metrics, {{{key}: …}})`"
                )),
            ));
        }
    }
    Ok(read)
}
