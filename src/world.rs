//! A world's side of an upload: the world, not the submitter, owns the activation state.
//!
//! A world service gates each uploaded bundle with the world's current policy and the world's
//! activation (hysteresis) state, then keeps the state the decision returns:
//!
//! 1. [`prepare_upload`] checks that the bundle is for this world (`E_INVALID_VALUE` at
//!    `/world_id`) and carries no `previous` of its own (`E_INVALID_VALUE` at `/previous`), then
//!    appends the world's state, restricted to the bundle's strategies, as the bundle's
//!    `previous` member. Only the bundle's head is read (series are skipped), and the bytes are
//!    spliced before the closing brace, so every position the gate reports in the upload is
//!    unchanged. The gate's `input_digest` therefore covers the state the bundle was gated in.
//! 2. the caller runs [`gate`](crate::bundle::gate::gate) on the prepared bytes;
//! 3. [`next_world_state`] merges the decision's `state` into the world's: the strategies the
//!    decision evaluated take their new state, every other strategy keeps its own, and the epoch
//!    is the decision's.
//!
//! Strategies absent from an upload are therefore neither evaluated nor deactivated by it.

use crate::bundle::Limits;
use crate::error::{Code, Error};
use crate::json::canonical::canonical_json;
use crate::schema::{ActivationState, Decision};
use serde::Deserialize;
use serde::de::IgnoredAny;

/// The few top-level members [`prepare_upload`] reads; everything else is skipped unparsed.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    world_id: Option<serde_json::Value>,
    #[serde(default)]
    submissions: Option<Vec<SubmissionHead>>,
    #[serde(default, deserialize_with = "present")]
    previous: bool,
}

#[derive(Deserialize)]
struct SubmissionHead {
    #[serde(default)]
    strategy_id: Option<serde_json::Value>,
}

/// `true` whenever the member is present, even as `null`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    IgnoredAny::deserialize(d).map(|_| true)
}

/// The bundle bytes to gate for world `world_id` in state `state`: the upload with a
/// `previous` member holding the state of the bundle's strategies (epoch included).
///
/// # Errors
/// `E_INVALID_VALUE` at `/world_id` when the bundle names another world, `E_INVALID_VALUE` at
/// `/previous` when the bundle carries its own `previous`; when the bytes are not a JSON object,
/// the reader's errors for them (`E_PARSE`, `E_SCHEMA`, `E_TOO_LARGE`, …, as the gate reports).
/// Errors are sanitized as the gate's are (a `world_id` or an error quoting input may hold a
/// secret).
pub fn prepare_upload(
    bytes: &[u8],
    world_id: &str,
    state: &ActivationState,
) -> Result<Vec<u8>, Vec<Error>> {
    prepare_upload_unsanitized(bytes, world_id, state).map_err(|mut errors| {
        crate::bundle::sanitize::sanitize_errors(&mut errors);
        errors
    })
}

fn prepare_upload_unsanitized(
    bytes: &[u8],
    world_id: &str,
    state: &ActivationState,
) -> Result<Vec<u8>, Vec<Error>> {
    let head: Head = match serde_json::from_slice(bytes) {
        Ok(h) => h,
        Err(_) => return Err(unreadable(bytes)),
    };
    if let Some(serde_json::Value::String(w)) = &head.world_id
        && w != world_id
    {
        return Err(vec![
            Error::new(
                Code::InvalidValue,
                "/world_id",
                format!("bundle is for world `{w}`, not `{world_id}`"),
            )
            .with_help(format!(
                "upload it to world `{w}`, or set `world_id` to `{world_id}`"
            )),
        ]);
    }
    if head.previous {
        return Err(vec![
            Error::new(
                Code::InvalidValue,
                "/previous",
                "an upload to a world cannot carry `previous`",
            )
            .with_help(
                "remove `previous`: the world gates every upload with its own activation state",
            ),
        ]);
    }
    let ids: Vec<&str> = head
        .submissions
        .iter()
        .flatten()
        .filter_map(|s| s.strategy_id.as_ref().and_then(serde_json::Value::as_str))
        .collect();
    let restricted = ActivationState {
        epoch: state.epoch,
        strategies: state
            .strategies
            .iter()
            .filter(|(id, _)| ids.contains(&id.as_str()))
            .map(|(id, s)| (id.clone(), s.clone()))
            .collect(),
    };
    let state_json = canonical_json(&restricted).map_err(|e| vec![e])?;
    splice_member(bytes, "previous", &state_json).ok_or_else(|| unreadable(bytes))
}

/// The reader's errors for bytes the head scan could not read (or, should the reader accept
/// them, a generic `E_PARSE`).
fn unreadable(bytes: &[u8]) -> Vec<Error> {
    match crate::bundle::read_bundle(bytes, &Limits::default()) {
        Err(errors) if !errors.is_empty() => errors,
        _ => vec![Error::new(
            Code::Parse,
            "",
            "the bundle is not a JSON object this service can read",
        )],
    }
}

/// `bytes` (one JSON object) with `"<name>":<json>` appended as its last member, or `None`
/// when the bytes do not start with `{` and end with `}` (whitespace aside).
fn splice_member(bytes: &[u8], name: &str, json: &str) -> Option<Vec<u8>> {
    let is_ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let first = bytes.iter().position(|b| !is_ws(b))?;
    let last = bytes.iter().rposition(|b| !is_ws(b))?;
    if bytes.get(first) != Some(&b'{') || bytes.get(last) != Some(&b'}') || last <= first {
        return None;
    }
    let empty = bytes.get(first + 1..last)?.iter().all(is_ws);
    let mut out = Vec::with_capacity(bytes.len() + name.len() + json.len() + 4);
    out.extend_from_slice(bytes.get(..last)?);
    if !empty {
        out.push(b',');
    }
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
    out.extend_from_slice(json.as_bytes());
    out.extend_from_slice(bytes.get(last..)?);
    Some(out)
}

/// The world's state after `decision`: the evaluated strategies take the decision's state,
/// the others keep theirs; the epoch is the decision's.
pub fn next_world_state(world: &ActivationState, decision: &Decision) -> ActivationState {
    let mut next = world.clone();
    next.epoch = decision.state.epoch.max(world.epoch);
    for (id, s) in &decision.state.strategies {
        next.strategies.insert(id.clone(), s.clone());
    }
    next
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;
    use crate::schema::StrategyState;
    use serde_json::{Value, json};

    fn state(entries: &[(&str, bool, u32)], epoch: u64) -> ActivationState {
        ActivationState {
            epoch,
            strategies: entries
                .iter()
                .map(|&(id, active, passes)| {
                    (
                        id.to_string(),
                        StrategyState {
                            active,
                            passes,
                            fails: 0,
                            since: Some(1),
                        },
                    )
                })
                .collect(),
        }
    }

    fn bundle(world: &str) -> String {
        format!(
            "{{\"bundle_version\": 1, \"world_id\": \"{world}\",\n \"submissions\": [{{\"strategy_id\": \"a\", \"returns\": [0.01, -0.02]}}]}}\n"
        )
    }

    #[test]
    fn state_of_the_bundles_strategies_is_appended_as_previous() {
        let st = state(&[("a", true, 3), ("b", true, 5)], 7);
        let out = prepare_upload(bundle("w").as_bytes(), "w", &st).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v["previous"],
            json!({"epoch": 7, "strategies": {"a": {"active": true, "passes": 3, "fails": 0, "since": 1}}})
        );
        assert_eq!(v["submissions"][0]["returns"], json!([0.01, -0.02]));
        // Everything before the closing brace is the upload, byte for byte.
        let original = bundle("w");
        let cut = original.rfind('}').unwrap();
        assert!(out.starts_with(&original.as_bytes()[..cut]));
    }

    #[test]
    fn another_worlds_bundle_is_refused() {
        let e =
            prepare_upload(bundle("x").as_bytes(), "w", &ActivationState::default()).unwrap_err();
        assert_eq!(
            (e[0].code, e[0].path.as_str()),
            (Code::InvalidValue, "/world_id")
        );
        assert!(e[0].message.contains("`x`") && e[0].message.contains("`w`"));
    }

    #[test]
    fn a_bundle_with_its_own_previous_is_refused_even_null() {
        for prev in ["[\"a\"]", "null"] {
            let b = format!(
                "{{\"bundle_version\":1,\"world_id\":\"w\",\"previous\":{prev},\"submissions\":[]}}"
            );
            let e = prepare_upload(b.as_bytes(), "w", &ActivationState::default()).unwrap_err();
            assert_eq!(
                (e[0].code, e[0].path.as_str()),
                (Code::InvalidValue, "/previous")
            );
        }
    }

    #[test]
    fn unreadable_bytes_get_the_readers_errors() {
        let e =
            prepare_upload(b"{\"world_id\": \"w\",", "w", &ActivationState::default()).unwrap_err();
        assert_eq!(e[0].code, Code::Parse);
        let e = prepare_upload(b"[1, 2]", "w", &ActivationState::default()).unwrap_err();
        assert_eq!(e[0].code, Code::Schema);
    }

    #[test]
    fn an_empty_object_gets_previous_without_a_comma() {
        let out = splice_member(b" { } ", "previous", "{}").unwrap();
        assert_eq!(out, b" { \"previous\":{}} ".to_vec());
        assert_eq!(splice_member(b"[]", "p", "1"), None);
    }

    #[test]
    fn the_next_state_keeps_strategies_the_decision_did_not_see() {
        let world = state(&[("a", true, 3), ("b", true, 5)], 7);
        let mut decision: Decision = serde_json::from_value(json!({
            "dialect": "strict", "selected": [], "ruleset_hash": "sha256:00",
            "strategies": {}, "state": {"epoch": 8, "strategies": {
                "a": {"active": false, "passes": 0, "fails": 1, "since": 8},
                "c": {"active": true, "passes": 1, "fails": 0, "since": 8}}}
        }))
        .unwrap();
        let next = next_world_state(&world, &decision);
        assert_eq!(next.epoch, 8);
        assert!(!next.strategies["a"].active);
        assert_eq!(next.strategies["b"], world.strategies["b"]);
        assert!(next.strategies["c"].active);
        // An epoch never goes back.
        decision.state.epoch = 2;
        assert_eq!(next_world_state(&world, &decision).epoch, 7);
    }
}
