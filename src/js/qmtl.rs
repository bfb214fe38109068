//! Shims for QMTL's evaluation-run documents ([`crate::api::qmtl`]): a world service reads its
//! stored runs and hands them here; these only translate.

use super::{decode_js, input_bytes, to_js};
use crate::schema::{Answer, QmtlRevision, QmtlRun, QmtlRunInput};
use wasm_bindgen::prelude::*;

/// The run as QMTL's `EvaluationRunModel`; throws `E_SCHEMA` for an input that is not a
/// `QmtlRunInput`.
#[wasm_bindgen(js_name = qmtlRun, unchecked_return_type = "QmtlRun")]
pub fn qmtl_run(
    #[wasm_bindgen(unchecked_param_type = "QmtlRunInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let input: QmtlRunInput = decode_js(&input, "QMTL run input")?;
    to_js(&crate::api::qmtl::run_document(&input))
}

/// Several runs as QMTL's `EvaluationRunModel`s, in the order given (QMTL's run list).
#[wasm_bindgen(js_name = qmtlRuns, unchecked_return_type = "QmtlRun[]")]
pub fn qmtl_runs(
    #[wasm_bindgen(unchecked_param_type = "QmtlRunInput[]")] inputs: JsValue,
) -> Result<JsValue, JsValue> {
    let inputs: Vec<QmtlRunInput> = decode_js(&inputs, "QMTL run inputs")?;
    let docs: Vec<QmtlRun> = inputs.iter().map(crate::api::qmtl::run_document).collect();
    to_js(&docs)
}

/// The run as QMTL's `EvaluationRunMetricsResponse`: `{type: "success", value}` or `{type:
/// "failure", errors}` with `E_RUN_NOT_EVALUATED` when it has no metrics yet.
#[wasm_bindgen(js_name = qmtlMetrics, unchecked_return_type = "Answer<QmtlRun>")]
pub fn qmtl_metrics(
    #[wasm_bindgen(unchecked_param_type = "QmtlRunInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let input: QmtlRunInput = decode_js(&input, "QMTL run input")?;
    to_js(&Answer::of(
        crate::api::qmtl::metrics_document(&input).map_err(|e| vec![e]),
    ))
}

/// QMTL's run history: the run as of each stored revision.
#[wasm_bindgen(js_name = qmtlHistory, unchecked_return_type = "QmtlHistoryItem[]")]
pub fn qmtl_history(
    #[wasm_bindgen(unchecked_param_type = "QmtlRunInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "QmtlRevision[]")] revisions: JsValue,
) -> Result<JsValue, JsValue> {
    let input: QmtlRunInput = decode_js(&input, "QMTL run input")?;
    let revisions: Vec<QmtlRevision> = decode_js(&revisions, "revisions")?;
    to_js(&crate::api::qmtl::history(&input, &revisions))
}

/// Reads an `override` or `ex_post_failure` body (bytes or text) for the run `current`, recorded
/// at `at`: `{type: "success", value: annotation | null}` (`null`: an override repeating the
/// current status, nothing to record) or `{type: "failure", errors}`.
#[wasm_bindgen(js_name = qmtlAnnotation, unchecked_return_type = "Answer<QmtlAnnotation | null>")]
pub fn qmtl_annotation(
    #[wasm_bindgen(unchecked_param_type = "\"override\" | \"ex_post_failure\"")] kind: &str,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "QmtlRun")] current: JsValue,
    at: &str,
) -> Result<JsValue, JsValue> {
    let body = input_bytes(&body)?;
    let current: QmtlRun = decode_js(&current, "QMTL run")?;
    to_js(&Answer::of(crate::api::qmtl::annotation(
        kind, &body, &current, at,
    )))
}

/// Errors as QMTL's clients read them: `{status, body: {detail}}` (see
/// `worldgate::api::qmtl::error_document`).
#[wasm_bindgen(js_name = qmtlError, unchecked_return_type = "{ status: number; body: QmtlError }")]
pub fn qmtl_error(
    #[wasm_bindgen(unchecked_param_type = "Error[]")] errors: JsValue,
) -> Result<JsValue, JsValue> {
    let errors: Vec<crate::Error> = decode_js(&errors, "errors")?;
    let (status, body) = crate::api::qmtl::error_document(&errors);
    to_js(&serde_json::json!({ "status": status, "body": body }))
}
