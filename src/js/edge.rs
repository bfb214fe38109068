//! Shims for a world service (the edge API): id checks, HTTP statuses of codes, fresh run
//! records, links, and the world's rules ([`crate::world`]: uploads, activation state,
//! transitions, the active set, publishing). They only translate.

use super::{error_to_js, to_js};
use crate::Code;
use crate::schema::{ActivationState, Answer, Decision, Run, RunState};
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
    crate::schema::from_value::<Code>(&serde_json::Value::String(code.to_string()))
        .map_or(500, Code::http_status)
}

/// Whether a client waiting for a run's evaluation can stop: `state` (a status document's
/// `status`) is `evaluated` or later (`activated`, `rejected`, `expired`). Throws `E_SCHEMA`
/// for a name that is not a run state.
#[wasm_bindgen(js_name = runSettled)]
pub fn run_settled(state: &str) -> Result<bool, JsValue> {
    crate::api::runs::run_settled(state).map_err(|e| super::errors_to_js(&e))
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

/// Gates an upload to world `world_id` in the world's activation state `state` (`null` for a
/// new world) with `policy` and options as `gateBundle`'s (their `previous` is the world's
/// state): `{type: "success", value: GateResult}` or `{type: "failure", errors}`
/// (`E_INVALID_VALUE` at `/world_id` or `/previous`, or the gate's errors). The upload's
/// `input_digest` depends on its bytes alone.
#[wasm_bindgen(js_name = gateUpload, unchecked_return_type = "Answer<GateResult>")]
pub fn gate_upload(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] bytes: JsValue,
    world_id: &str,
    #[wasm_bindgen(unchecked_param_type = "ActivationState | null | undefined")] state: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PolicyInput")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "GateBundleOptions | undefined")] opts: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let state = state_of(&state, "activation state")?;
    let (dialect, opts) = super::bundle::gate_options(&opts.unwrap_or(JsValue::UNDEFINED))?;
    super::bundle::gate_policy_arg(&bytes, &policy, dialect, |data, p| {
        crate::world::gate_upload(data, world_id, &state, p, &opts)
    })
}

/// The world's activation state after a gate's `decision`: the evaluated strategies take the
/// decision's state, the others keep theirs.
#[wasm_bindgen(js_name = nextWorldState, unchecked_return_type = "ActivationState")]
pub fn next_world_state(
    #[wasm_bindgen(unchecked_param_type = "ActivationState | null | undefined")] state: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Decision")] decision: JsValue,
) -> Result<JsValue, JsValue> {
    let state = state_of(&state, "activation state")?;
    // a decision the engine returned is read from its own text (not walked member by member)
    let decision: Decision = match super::wire::decode_text(&decision) {
        Some(d) => d,
        None => super::decode_js(&decision, "decision")?,
    };
    to_js(&crate::world::next_world_state(&state, &decision))
}

/// Moves `run` to state `to` at time `at` in a world whose activated runs include `active`
/// (the strategy's activated runs; others are ignored): `{type: "success", value: {run,
/// superseded}}`, where activating a run expires the strategy's previously active runs, or
/// `{type: "failure", errors}` (`E_ILLEGAL_TRANSITION`, …).
#[wasm_bindgen(js_name = worldTransition, unchecked_return_type = "Answer<WorldTransition>")]
pub fn world_transition(
    #[wasm_bindgen(unchecked_param_type = "Run")] run: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RunState")] to: &str,
    at: &str,
    #[wasm_bindgen(unchecked_param_type = "Run[]")] active: JsValue,
) -> Result<JsValue, JsValue> {
    let (run, active): (Run, Vec<Run>) = (
        super::decode_js(&run, "run")?,
        super::decode_js(&active, "active runs")?,
    );
    to_js(&Answer::of(RunState::parse(to).and_then(|to| {
        crate::world::transition(&run, to, at, &active).map_err(|e| vec![e])
    })))
}

/// The world's active set from its runs (the activated ones; others are skipped), ordered by
/// strategy id: `[{strategy_id, run_id, weight, rank, since}]`.
#[wasm_bindgen(js_name = activeSet, unchecked_return_type = "ActiveRun[]")]
pub fn active_set(
    #[wasm_bindgen(unchecked_param_type = "Run[]")] runs: JsValue,
) -> Result<JsValue, JsValue> {
    let runs: Vec<Run> = super::decode_js(&runs, "runs")?;
    to_js(&crate::world::active_set(&runs))
}

/// Publishes a deferred run at time `at`: `registered` (stored at `submitted`) walked to
/// `evaluated` with the gate's record `evaluated`: `{type: "success", value: {steps, run}}` or
/// `{type: "failure", errors}`.
#[wasm_bindgen(js_name = publishRun, unchecked_return_type = "Answer<Published>")]
pub fn publish_run(
    #[wasm_bindgen(unchecked_param_type = "Run")] registered: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Run")] evaluated: JsValue,
    at: &str,
) -> Result<JsValue, JsValue> {
    let (registered, evaluated): (Run, Run) = (
        super::decode_js(&registered, "run")?,
        super::decode_js(&evaluated, "evaluated run")?,
    );
    to_js(&Answer::of(
        crate::world::publish(&registered, &evaluated, at).map_err(|e| vec![e]),
    ))
}

/// The URLs of a run's resources relative to the API root (`status`, `metrics`, `history`, and
/// `snapshot` when `snapshot_id` is given), each id percent-encoded as one path segment.
#[wasm_bindgen(js_name = runLinks, unchecked_return_type = "RunLinks")]
pub fn run_links(
    world_id: &str,
    strategy_id: &str,
    run_id: &str,
    snapshot_id: Option<String>,
) -> Result<JsValue, JsValue> {
    to_js(&crate::run::run_links(
        world_id,
        strategy_id,
        run_id,
        snapshot_id.as_deref(),
    ))
}
